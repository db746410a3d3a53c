// The demo people the sandbox can chat as: everyone in the store with a Telegram id, in the order of
// their roles (client first, admin last), with their company.
import { eq, isNotNull } from 'drizzle-orm';
import { type Language, ROLES, type Role } from '../core/model.ts';
import type { Db } from '../db/connection.ts';
import { companies, memberships, people } from '../db/schema.ts';
import type { UserProfile } from '../emulator/index.ts';

export interface SandboxPerson {
  /** The Telegram user id, which is also the id of their private chat with the bot. */
  telegramId: number;
  personId: number;
  name: string;
  language: Language;
  phone: string | null;
  /** Their first role by ROLES order (a person may have several), and its company; null for a stranger. */
  role: Role | null;
  company: string | null;
}

export function sandboxPeople(db: Db): SandboxPerson[] {
  const rows = db
    .select({
      personId: people.id,
      telegramId: people.telegramUserId,
      name: people.name,
      language: people.language,
      phone: people.phone,
      role: memberships.role,
      company: companies.name,
    })
    .from(people)
    .innerJoin(memberships, eq(memberships.personId, people.id))
    .leftJoin(companies, eq(companies.id, memberships.companyId))
    .where(isNotNull(people.telegramUserId))
    .all();
  const byPerson = new Map<number, SandboxPerson>();
  for (const row of rows) {
    if (row.telegramId === null) continue;
    const known = byPerson.get(row.personId);
    if (known?.role && ROLES.indexOf(known.role) <= ROLES.indexOf(row.role)) continue;
    byPerson.set(row.personId, { ...row, telegramId: row.telegramId });
  }
  const rank = (role: Role | null) => (role === null ? ROLES.length : ROLES.indexOf(role));
  return [...byPerson.values()].sort((a, b) => rank(a.role) - rank(b.role) || a.personId - b.personId);
}

const FIRST_NAMES = {
  ru: ['Алексей', 'Мария', 'Ольга', 'Никита', 'Татьяна', 'Артём', 'Ксения', 'Денис'],
  en: ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan'],
};
const LAST_NAMES = {
  ru: ['Гусев', 'Белова', 'Комаров', 'Лебедева', 'Фролов', 'Полякова', 'Титов', 'Ершова'],
  en: ['Brown', 'Wilson', 'Taylor', 'Clarke', 'Hughes', 'Walker', 'Wright', 'Evans'],
};

/**
 * Someone the desk does not know: a fresh Telegram user with a random id and name in `language`, and a
 * phone number of their own that is in no company's directory (so "Share my number" finds nobody).
 * `random(n)` gives an integer in [0, n).
 */
export function strangerPerson(
  language: Language,
  taken: (telegramId: number) => boolean,
  random: (n: number) => number,
): SandboxPerson {
  let telegramId = 0;
  while (telegramId === 0 || taken(telegramId)) telegramId = 5_000_000_000 + random(1_000_000_000);
  const first = FIRST_NAMES[language][random(FIRST_NAMES[language].length)] ?? 'Alex';
  const last = LAST_NAMES[language][random(LAST_NAMES[language].length)] ?? 'Smith';
  // Russian family names agree with the first name: Мария Белова, Алексей Гусев.
  const feminine = language === 'ru' && /[ая]$/.test(first);
  const family = language === 'ru' ? (feminine ? feminize(last) : masculinize(last)) : last;
  return {
    telegramId,
    personId: 0,
    name: `${first} ${family}`,
    language,
    phone: `+7999${String(random(10_000_000)).padStart(7, '0')}`,
    role: null,
    company: null,
  };
}

const feminize = (name: string) => (name.endsWith('а') ? name : `${name}а`);
const masculinize = (name: string) => (name.endsWith('а') ? name.slice(0, -1) : name);

/** How the person looks to Telegram: first name and the rest, their language. */
export function telegramProfile(person: SandboxPerson): UserProfile {
  const [first = person.name, ...rest] = person.name.split(' ');
  return {
    id: person.telegramId,
    first_name: first,
    ...(rest.length ? { last_name: rest.join(' ') } : {}),
    language_code: person.language,
  };
}

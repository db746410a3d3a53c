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
  /** Their first role by ROLES order (a person may have several), and its company. */
  role: Role;
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
    if (known && ROLES.indexOf(known.role) <= ROLES.indexOf(row.role)) continue;
    byPerson.set(row.personId, { ...row, telegramId: row.telegramId });
  }
  return [...byPerson.values()].sort(
    (a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.personId - b.personId,
  );
}

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

// The sandbox's client group: a Telegram supergroup of the main demo client company (the first company with
// people on Telegram), the bot in it as an administrator, that company's demo people and a 1st-line engineer
// as members, bound to the company (core/groups/binding.ts) so that its clients' messages become tickets from
// the first moment. Its chat id is the company's, the same at every start: the local Telegram forgets the
// group when the sandbox stops, the store keeps the binding, which is made only once — a group someone
// unbound or moved on the page stays so after a restart.
import { eq } from 'drizzle-orm';
import type { DeskContext } from '../core/context.ts';
import { bindGroup } from '../core/groups/binding.ts';
import { SYSTEM } from '../core/permissions.ts';
import { clientGroups, companies } from '../db/schema.ts';
import type { Emulator, TestGroup } from '../emulator/index.ts';
import { type SandboxPerson, sandboxPeople, telegramProfile } from './people.ts';

/** The group of the company with this id gets the chat id SANDBOX_GROUP_BASE − id. */
export const SANDBOX_GROUP_BASE = -1_009_000_000_000;

export interface SandboxGroup {
  group: TestGroup;
  title: string;
  company: string;
  /** Who may post on the page: the company's people (clients, then managers), then the 1st-line engineer. */
  members: SandboxPerson[];
}

export async function sandboxClientGroup(
  desk: DeskContext,
  emulator: Emulator,
): Promise<SandboxGroup | undefined> {
  const everyone = sandboxPeople(desk.db);
  const clientsOf = (name: string) =>
    everyone.filter((p) => p.company === name && (p.role === 'client' || p.role === 'client_manager'));
  const company = desk.db
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .orderBy(companies.id)
    .all()
    .find((c) => clientsOf(c.name).length > 0);
  if (!company) return undefined;
  const clients = clientsOf(company.name);
  const engineer = everyone.find((p) => p.role === 'line1');
  const members = engineer ? [...clients, engineer] : clients;
  const chatId = SANDBOX_GROUP_BASE - company.id;
  const known = desk.db.select().from(clientGroups).where(eq(clientGroups.chatId, chatId)).get();
  const title = known?.title ?? `${company.name} · IT`;
  if (!known) {
    await bindGroup(desk, SYSTEM, {
      chatId,
      title,
      language: clients[0]?.language ?? 'ru',
      companyId: company.id,
    });
  }
  const group = emulator.group({ id: chatId, title });
  for (const person of members) group.addMember(emulator.user(telegramProfile(person)));
  return { group, title, company: company.name, members };
}

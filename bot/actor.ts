// The desk's view of whoever wrote to the bot.
import type { User } from 'grammy/types';
import { loadActor } from '../core/actors.ts';
import type { DeskContext } from '../core/context.ts';
import type { SenderRef } from '../core/intake/inbound.ts';
import type { Role } from '../core/model.ts';
import { ensureTelegramPerson, personByTelegram } from '../core/onboarding.ts';
import type { Actor } from '../core/permissions.ts';
import { statements } from '../core/statements.ts';
import { queryAll } from '../db/access.ts';

export function profileOf(user: User) {
  return {
    telegramUserId: user.id,
    name: [user.first_name, user.last_name].filter(Boolean).join(' '),
    languageCode: user.language_code,
  };
}

/** Who wrote, as the intake (core/intake) knows a sender. */
export function telegramSender(user: User): SenderRef {
  return { kind: 'telegram', ...profileOf(user) };
}

/** The person behind this Telegram account as an actor, registered (without a company) if new. */
export async function actorOf(desk: DeskContext, user: User): Promise<Actor> {
  return await loadActor(desk.db, (await ensureTelegramPerson(desk, profileOf(user))).id);
}

/** The roles a Telegram account holds at the desk (none when it is not known yet). */
export async function rolesOf(desk: DeskContext, user: User): Promise<Role[]> {
  const person = await personByTelegram(desk.db, user.id);
  if (!person) return [];
  return [
    ...new Set(
      (await queryAll(statements(desk.db).membershipsOf, { personId: person.id })).map((m) => m.role),
    ),
  ];
}

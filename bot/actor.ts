// The desk's view of whoever wrote to the bot.
import type { User } from 'grammy/types';
import { loadActor } from '../core/actors.ts';
import type { DeskContext } from '../core/context.ts';
import { ensureTelegramPerson } from '../core/onboarding.ts';
import type { Actor } from '../core/permissions.ts';

export function profileOf(user: User) {
  return {
    telegramUserId: user.id,
    name: [user.first_name, user.last_name].filter(Boolean).join(' '),
    languageCode: user.language_code,
  };
}

/** The person behind this Telegram account as an actor, registered (without a company) if new. */
export function actorOf(desk: DeskContext, user: User): Actor {
  return loadActor(desk.db, ensureTelegramPerson(desk, profileOf(user)).id);
}

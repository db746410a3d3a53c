// The command menus Telegram shows, in Russian (default) and English.

import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { type Api, GrammyError } from 'grammy';
import { LANGUAGES, STAFF_ROLES } from '../core/model.ts';
import type { Db } from '../db/connection.ts';
import { memberships, people } from '../db/schema.ts';
import { DEFAULT_LANGUAGE, translator } from '../locales/index.ts';

const COMMANDS = ['new', 'my', 'language', 'help', 'cancel'] as const;
/** Staff see their queues first in their own chat's menu. */
const STAFF_COMMANDS = ['queue', 'mine', 'new', 'my', 'language', 'help', 'cancel'] as const;

export async function registerCommands(api: Api): Promise<void> {
  for (const language of LANGUAGES) {
    const t = translator(language);
    const commands = COMMANDS.map((command) => ({ command, description: t(`command-${command}`) }));
    await api.setMyCommands(commands, { language_code: language });
    if (language === DEFAULT_LANGUAGE) await api.setMyCommands(commands);
  }
}

/** Each staff member's private chat gets the staff menu (Telegram keeps it per chat). */
export async function registerStaffCommands(api: Api, db: Db): Promise<void> {
  const staff = db
    .selectDistinct({ chatId: people.telegramUserId, language: people.language })
    .from(people)
    .innerJoin(memberships, eq(memberships.personId, people.id))
    .where(and(inArray(memberships.role, [...STAFF_ROLES]), isNotNull(people.telegramUserId)))
    .all();
  for (const { chatId, language } of staff) {
    if (chatId === null) continue;
    const t = translator(language);
    // A person who has not opened the bot yet has no chat with it ("chat not found"): their menu is set
    // at the next start after they do.
    await api
      .setMyCommands(
        STAFF_COMMANDS.map((command) => ({ command, description: t(`command-${command}`) })),
        { scope: { type: 'chat', chat_id: chatId } },
      )
      .catch((error: unknown) => {
        if (!(error instanceof GrammyError && error.error_code === 400)) throw error;
      });
  }
}

// Which ticket each bot message is about, so that a reply to it lands on that ticket as a comment. A
// Telegram message is `<chatId>:<messageId>` among the desk's message references (core/intake/message-refs.ts).

import { sql } from 'drizzle-orm';
import { refOf, rememberRef } from '../core/intake/message-refs.ts';
import { queryAll } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { isPostgresStore } from '../db/pg/store.ts';
import { messageRefs } from '../db/schema.ts';

export const telegramRef = (chatId: number, messageId: number): string => `${chatId}:${messageId}`;

export async function rememberMessage(
  db: Db,
  chatId: number,
  messageId: number,
  ticketId: number,
  at: number,
): Promise<void> {
  // The latest message with this id in this chat wins: a chat whose ids started again (a new sandbox, a
  // restored store) must never send a reply to the ticket an old message of the same id was about.
  await rememberRef(db, 'telegram', telegramRef(chatId, messageId), { ticketId }, at);
}

/**
 * The message id after the highest this store has linked, for every chat it knows (a local Bot API that
 * starts its chats afresh goes on from these; a chat not in the map starts at 1).
 */
export async function nextLinkedMessageIds(db: Db): Promise<Map<number, number>> {
  if (isPostgresStore(db)) return postgresNextLinkedMessageIds(db);
  const rows = (await queryAll(
    db,
    sql`select cast(substr(${messageRefs.ref}, 1, instr(${messageRefs.ref}, ':') - 1) as integer) as chat,
      max(cast(substr(${messageRefs.ref}, instr(${messageRefs.ref}, ':') + 1) as integer)) as top
    from ${messageRefs} where ${messageRefs.channel} = 'telegram' group by chat`,
  )) as { chat: number; top: number }[];
  return new Map(rows.map((r) => [r.chat, r.top + 1]));
}

/**
 * PostgreSQL: the same, the chat and the message id split at the colon (SQLite's cast reads the leading digits
 * of any text, PostgreSQL's refuses what is not a number: only references `<chat>:<message>` are read, which is
 * every Telegram one).
 */
async function postgresNextLinkedMessageIds(db: Db): Promise<Map<number, number>> {
  const rows = (await queryAll(
    db,
    sql`select cast(split_part(${messageRefs.ref}, ':', 1) as bigint) as chat,
      max(cast(split_part(${messageRefs.ref}, ':', 2) as bigint)) as top
    from ${messageRefs}
    where ${messageRefs.channel} = 'telegram' and ${messageRefs.ref} ~ '^[-+]?[0-9]{1,18}:[-+]?[0-9]{1,18}$'
    group by 1`,
  )) as { chat: number; top: number }[];
  return new Map(rows.map((r) => [r.chat, r.top + 1]));
}

export async function ticketOfMessage(
  db: Db,
  chatId: number,
  messageId: number,
): Promise<number | undefined> {
  return (await refOf(db, 'telegram', telegramRef(chatId, messageId)))?.ticketId;
}

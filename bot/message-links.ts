// Which ticket each bot message is about, so that a reply to it lands on that ticket as a comment.
import { and, eq, max } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { telegramMessages } from '../db/schema.ts';

export function rememberMessage(
  db: Db,
  chatId: number,
  messageId: number,
  ticketId: number,
  at: number,
): void {
  // The latest message with this id in this chat wins: a chat whose ids started again (a new sandbox, a
  // restored store) must never send a reply to the ticket an old message of the same id was about.
  db.insert(telegramMessages)
    .values({ chatId, messageId, ticketId, createdAt: at })
    .onConflictDoUpdate({
      target: [telegramMessages.chatId, telegramMessages.messageId],
      set: { ticketId, createdAt: at, purpose: null, personId: null },
    })
    .run();
}

/** The message id after the highest this store has linked in a chat (1 for a chat it does not know). */
export function nextLinkedMessageId(db: Db, chatId: number): number {
  const row = db
    .select({ top: max(telegramMessages.messageId) })
    .from(telegramMessages)
    .where(eq(telegramMessages.chatId, chatId))
    .get();
  return (row?.top ?? 0) + 1;
}

export function ticketOfMessage(db: Db, chatId: number, messageId: number): number | undefined {
  return db
    .select({ ticketId: telegramMessages.ticketId })
    .from(telegramMessages)
    .where(and(eq(telegramMessages.chatId, chatId), eq(telegramMessages.messageId, messageId)))
    .get()?.ticketId;
}

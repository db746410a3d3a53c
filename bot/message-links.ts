// Which ticket each bot message is about, so that a reply to it lands on that ticket as a comment.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { telegramMessages } from '../db/schema.ts';

export function rememberMessage(
  db: Db,
  chatId: number,
  messageId: number,
  ticketId: number,
  at: number,
): void {
  db.insert(telegramMessages)
    .values({ chatId, messageId, ticketId, createdAt: at })
    .onConflictDoNothing()
    .run();
}

export function ticketOfMessage(db: Db, chatId: number, messageId: number): number | undefined {
  return db
    .select({ ticketId: telegramMessages.ticketId })
    .from(telegramMessages)
    .where(and(eq(telegramMessages.chatId, chatId), eq(telegramMessages.messageId, messageId)))
    .get()?.ticketId;
}

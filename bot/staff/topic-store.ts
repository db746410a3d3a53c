// The staff group's topic of each ticket, as the bot recorded it when it created the topic.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { type TicketTopicRow, ticketTopics } from '../../db/schema.ts';

export function topicOfTicket(db: Db, ticketId: number): TicketTopicRow | undefined {
  return db.select().from(ticketTopics).where(eq(ticketTopics.ticketId, ticketId)).get();
}

export function ticketOfTopic(db: Db, chatId: number, threadId: number): number | undefined {
  return db
    .select({ ticketId: ticketTopics.ticketId })
    .from(ticketTopics)
    .where(and(eq(ticketTopics.chatId, chatId), eq(ticketTopics.threadId, threadId)))
    .get()?.ticketId;
}

export function saveTopic(db: Db, row: TicketTopicRow): void {
  db.insert(ticketTopics).values(row).onConflictDoUpdate({ target: ticketTopics.ticketId, set: row }).run();
}

export function updateTopic(db: Db, ticketId: number, patch: Partial<TicketTopicRow>): void {
  db.update(ticketTopics).set(patch).where(eq(ticketTopics.ticketId, ticketId)).run();
}

/** Someone deleted the topic in Telegram: forget it, the next event opens a new one. */
export function forgetTopic(db: Db, ticketId: number): void {
  db.delete(ticketTopics).where(eq(ticketTopics.ticketId, ticketId)).run();
}

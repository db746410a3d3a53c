// The staff group's topic of each ticket, as the bot recorded it when it created the topic.
import { and, eq } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { type TicketTopicRow, ticketTopics } from '../../db/schema.ts';

export async function topicOfTicket(db: Db, ticketId: number): Promise<TicketTopicRow | undefined> {
  return await queryOne(db.select().from(ticketTopics).where(eq(ticketTopics.ticketId, ticketId)));
}

export async function ticketOfTopic(db: Db, chatId: number, threadId: number): Promise<number | undefined> {
  return (
    await queryOne(
      db
        .select({ ticketId: ticketTopics.ticketId })
        .from(ticketTopics)
        .where(and(eq(ticketTopics.chatId, chatId), eq(ticketTopics.threadId, threadId))),
    )
  )?.ticketId;
}

export async function saveTopic(db: Db, row: TicketTopicRow): Promise<void> {
  await execute(
    db.insert(ticketTopics).values(row).onConflictDoUpdate({ target: ticketTopics.ticketId, set: row }),
  );
}

export async function updateTopic(db: Db, ticketId: number, patch: Partial<TicketTopicRow>): Promise<void> {
  await execute(db.update(ticketTopics).set(patch).where(eq(ticketTopics.ticketId, ticketId)));
}

/** Someone deleted the topic in Telegram: forget it, the next event opens a new one. */
export async function forgetTopic(db: Db, ticketId: number): Promise<void> {
  await execute(db.delete(ticketTopics).where(eq(ticketTopics.ticketId, ticketId)));
}

// Where the group hears about a ticket that one of its messages opened: that group, as a reply to the
// message that opened it.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { groupTickets } from '../../db/schema.ts';

export interface GroupThread {
  chatId: number;
  messageId: number;
}

export function groupThreadOf(db: Db, ticketId: number): GroupThread | undefined {
  return db
    .select({ chatId: groupTickets.chatId, messageId: groupTickets.messageId })
    .from(groupTickets)
    .where(eq(groupTickets.ticketId, ticketId))
    .get();
}

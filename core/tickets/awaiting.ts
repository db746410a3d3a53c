// Tickets that wait for their requester's answer (an engineer asked a question): a message from that
// person that names no ticket most likely answers one of them.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { type TicketRow, tickets } from '../../db/schema.ts';

export function awaitingAnswerFrom(db: Db, personId: number): TicketRow[] {
  return db
    .select()
    .from(tickets)
    .where(and(eq(tickets.requesterId, personId), eq(tickets.status, 'waiting_for_customer')))
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(10)
    .all();
}

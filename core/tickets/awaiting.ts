// Tickets that wait for their requester's answer (an engineer asked a question): a message from that
// person that names no ticket most likely answers one of them.
import { and, desc, eq } from 'drizzle-orm';
import { queryAll } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { type TicketRow, tickets } from '../../db/schema.ts';

export async function awaitingAnswerFrom(db: Db, personId: number): Promise<TicketRow[]> {
  return await queryAll(
    db
      .select()
      .from(tickets)
      .where(and(eq(tickets.requesterId, personId), eq(tickets.status, 'waiting_for_customer')))
      .orderBy(desc(tickets.updatedAt), desc(tickets.id))
      .limit(10),
  );
}

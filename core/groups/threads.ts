// Where the group hears about a ticket that one of its messages opened: that group, as a reply to the
// message that opened it.
import { and, desc, eq, lt, notInArray } from 'drizzle-orm';
import { queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { groupTickets, tickets } from '../../db/schema.ts';

export interface GroupThread {
  chatId: number;
  messageId: number;
}

export async function groupThreadOf(db: Db, ticketId: number): Promise<GroupThread | undefined> {
  return await queryOne(
    db
      .select({ chatId: groupTickets.chatId, messageId: groupTickets.messageId })
      .from(groupTickets)
      .where(eq(groupTickets.ticketId, ticketId)),
  );
}

/**
 * The ticket a group ticket most likely repeats: the same requester's latest earlier open ticket from the
 * same group (staff join them in one tap). One read.
 */
export async function previousInGroup(
  db: Db,
  ticket: { id: number; requesterId: number; channel: string },
): Promise<{ id: number; number: number } | undefined> {
  if (ticket.channel !== 'telegram_group') return undefined;
  const thread = await groupThreadOf(db, ticket.id);
  if (!thread) return undefined;
  return await queryOne(
    db
      .select({ id: tickets.id, number: tickets.number })
      .from(groupTickets)
      .innerJoin(tickets, eq(tickets.id, groupTickets.ticketId))
      .where(
        and(
          eq(groupTickets.chatId, thread.chatId),
          eq(tickets.requesterId, ticket.requesterId),
          lt(tickets.id, ticket.id),
          notInArray(tickets.status, ['closed', 'cancelled']),
        ),
      )
      .orderBy(desc(tickets.id)),
  );
}

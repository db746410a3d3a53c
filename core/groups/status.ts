// A client group's /status: the open requests its messages opened, with their state and when they are due.
import { and, asc, eq, notInArray } from 'drizzle-orm';
import { queryAll } from '../../db/access.ts';
import { groupTickets, tickets } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import type { Status } from '../model.ts';

export interface GroupTicketLine {
  number: number;
  subject: string;
  status: Status;
  /** The first answer while none was given, else the solution; null while the clock is paused. */
  dueAt: number | null;
  timeZone: string;
}

/** At most this many, oldest first: a group chat is no place for a long list (the Mini App has it). */
const SHOWN = 20;

export async function openGroupTickets(ctx: DeskContext, chatId: number): Promise<GroupTicketLine[]> {
  const rows = await queryAll(
    ctx.db
      .select({ ticket: tickets })
      .from(groupTickets)
      .innerJoin(tickets, eq(tickets.id, groupTickets.ticketId))
      .where(
        and(eq(groupTickets.chatId, chatId), notInArray(tickets.status, ['resolved', 'closed', 'cancelled'])),
      )
      .orderBy(asc(tickets.id))
      .limit(SHOWN),
  );
  return Promise.all(
    rows.map(async ({ ticket }) => ({
      number: ticket.number,
      subject: ticket.subject,
      status: ticket.status,
      dueAt:
        ticket.slaPausedAt !== null
          ? null
          : ticket.firstRespondedAt === null
            ? ticket.firstResponseDueAt
            : ticket.resolutionDueAt,
      timeZone: (await ctx.policies.forContract(ticket.contractId)).timeZone,
    })),
  );
}

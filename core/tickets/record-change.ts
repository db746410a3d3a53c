// The one way a ticket changes: inside the caller's transaction, update the row (guarded by its version),
// append the event, and queue the notices. Either all three are written or none.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.ts';
import { type TicketRow, ticketEvents, tickets } from '../../db/schema.ts';
import { StaleTicketError } from '../errors.ts';
import type { Instant, Status } from '../model.ts';
import { enqueueNotices } from '../notifications.ts';

export interface ChangeEvent {
  type: string;
  actorId: number | null;
  internal: boolean;
  fromClient?: boolean;
  fromStatus?: Status | null;
  toStatus?: Status | null;
  data?: Record<string, unknown>;
}

export type TicketPatch = Partial<Omit<TicketRow, 'id' | 'number' | 'version' | 'createdAt'>>;

/** Appends an event and its notices for a ticket as it now stands; returns the event id. */
export function appendEvent(tx: Tx, ticket: TicketRow, event: ChangeEvent, at: Instant): number {
  const inserted = tx
    .insert(ticketEvents)
    .values({
      ticketId: ticket.id,
      at,
      actorId: event.actorId,
      type: event.type,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      internal: event.internal,
      data: event.data ?? null,
    })
    .returning({ id: ticketEvents.id })
    .get();
  enqueueNotices(
    tx,
    {
      id: inserted.id,
      type: event.type,
      internal: event.internal,
      actorId: event.actorId,
      fromClient: event.fromClient ?? false,
    },
    ticket,
    {
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      ...event.data,
    },
    at,
  );
  return inserted.id;
}

/** Applies `patch` to the ticket as read (version-checked), then appends the event. Returns the new row. */
export function recordChange(
  tx: Tx,
  before: TicketRow,
  patch: TicketPatch,
  event: ChangeEvent,
  at: Instant,
): { ticket: TicketRow; eventId: number } {
  const after = tx
    .update(tickets)
    .set({ ...patch, updatedAt: at, version: sql`${tickets.version} + 1` })
    .where(and(eq(tickets.id, before.id), eq(tickets.version, before.version)))
    .returning()
    .get();
  if (!after) {
    const current = tx
      .select({ version: tickets.version })
      .from(tickets)
      .where(eq(tickets.id, before.id))
      .get();
    throw new StaleTicketError(before.id, before.version, current?.version ?? -1);
  }
  const eventId = appendEvent(tx, after, { fromStatus: before.status, toStatus: after.status, ...event }, at);
  return { ticket: after, eventId };
}

// The one way a ticket changes: inside the caller's transaction, update the row (guarded by its version),
// append the event, and queue the notices. Either all three are written or none.
import { and, eq, sql } from 'drizzle-orm';
import { queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { type TicketRow, tickets } from '../../db/schema.ts';
import { NotFoundError, StaleTicketError } from '../errors.ts';
import type { ActingRole } from '../lifecycle.ts';
import type { Instant, Status } from '../model.ts';
import { enqueueNotices } from '../notifications.ts';
import { type Actor, assertCanSeeTicket } from '../permissions.ts';
import { statements } from '../statements.ts';

export interface ChangeEvent {
  type: string;
  actorId: number | null;
  internal: boolean;
  fromClient?: boolean;
  fromStatus?: Status | null;
  toStatus?: Status | null;
  data?: Record<string, unknown>;
}

/** The ticket as it stands, and the actor's roles on it: the start of every change. Unseen = not found. */
export async function ticketForChange(
  db: Db,
  actor: Actor,
  ticketId: number,
): Promise<{ before: TicketRow; roles: ActingRole[] }> {
  const before = await queryOne(db.select().from(tickets).where(eq(tickets.id, ticketId)));
  if (!before) throw new NotFoundError('ticket', ticketId);
  return { before, roles: assertCanSeeTicket(actor, before) };
}

/** Refuses a change made on an outdated view of the ticket (an old card's button, a stale form). */
export function assertFresh(ticket: TicketRow, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== ticket.version) {
    throw new StaleTicketError(ticket.id, expectedVersion, ticket.version);
  }
}

export type TicketPatch = Partial<Omit<TicketRow, 'id' | 'number' | 'version' | 'createdAt'>>;

/**
 * Appends an event and its notices for a ticket as it now stands; returns the event id. Call it inside
 * the change's transaction: the prepared statements run on the same (only) connection.
 */
export async function appendEvent(
  db: Db,
  ticket: TicketRow,
  event: ChangeEvent,
  at: Instant,
): Promise<number> {
  const inserted = await queryOne(statements(db).insertEvent, {
    ticketId: ticket.id,
    at,
    actorId: event.actorId,
    type: event.type,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    internal: event.internal,
    data: event.data ?? null,
  });
  if (!inserted) throw new Error('event insert returned nothing');
  await enqueueNotices(
    db,
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
export async function recordChange(
  db: Db,
  before: TicketRow,
  patch: TicketPatch,
  event: ChangeEvent,
  at: Instant,
): Promise<{ ticket: TicketRow; eventId: number }> {
  const after = await queryOne(
    db
      .update(tickets)
      .set({ ...patch, updatedAt: at, version: sql`${tickets.version} + 1` })
      .where(and(eq(tickets.id, before.id), eq(tickets.version, before.version)))
      .returning(),
  );
  if (!after) {
    const current = await queryOne(
      db.select({ version: tickets.version }).from(tickets).where(eq(tickets.id, before.id)),
    );
    throw new StaleTicketError(before.id, before.version, current?.version ?? -1);
  }
  const eventId = await appendEvent(
    db,
    after,
    { fromStatus: before.status, toStatus: after.status, ...event },
    at,
  );
  return { ticket: after, eventId };
}

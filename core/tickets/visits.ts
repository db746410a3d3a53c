// On-site visits: the times staff offer (the client picks one) and the visit a ticket has. Readers for the
// adapters (the bot draws a button per offered slot), and the slot writes the lifecycle moves make inside
// their own transaction.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { preparedFor } from '../../db/prepared.ts';
import { type TicketRow, ticketEvents, type VisitSlotRow, visitSlots } from '../../db/schema.ts';
import { InvalidInputError } from '../errors.ts';
import type { Instant } from '../model.ts';

const HOUR = 3_600_000;
/** How far ahead a visit may be set, and how long one may last. */
export const VISIT_HORIZON_DAYS = 90;
export const VISIT_MAX_HOURS = 12;

/**
 * A visit time staff may set or offer: it starts in the future, within the next 90 days, and ends after
 * it starts, at most 12 hours later. `path` names the field in the refusal (["slots", 1] for an offer).
 */
export function assertVisitTime(
  time: { startsAt: Instant; endsAt: Instant },
  now: Instant,
  path: (string | number)[] = [],
): void {
  const refuse = (field: string, message: string): never => {
    throw new InvalidInputError(message, [{ path: [...path, field], message }]);
  };
  if (time.startsAt <= now) refuse('startsAt', 'the visit must be in the future');
  if (time.startsAt > now + VISIT_HORIZON_DAYS * 24 * HOUR)
    refuse('startsAt', `the visit must be within the next ${VISIT_HORIZON_DAYS} days`);
  if (time.endsAt <= time.startsAt) refuse('endsAt', 'the visit must end after it starts');
  if (time.endsAt - time.startsAt > VISIT_MAX_HOURS * HOUR)
    refuse('endsAt', `a visit lasts at most ${VISIT_MAX_HOURS} hours`);
}

function prepareOffered(db: Db) {
  return db
    .select()
    .from(visitSlots)
    .where(and(eq(visitSlots.ticketId, sql.placeholder('ticketId')), eq(visitSlots.state, 'offered')))
    .orderBy(asc(visitSlots.startsAt), asc(visitSlots.id))
    .prepare();
}
const offeredStatements = new WeakMap<object, { offered: ReturnType<typeof prepareOffered> }>();

/** The times still offered on a ticket, earliest first (asked on every ticket page: prepared once). */
export async function offeredSlots(db: Db, ticketId: number): Promise<VisitSlotRow[]> {
  const { offered } = preparedFor(offeredStatements, db, (on) => ({ offered: prepareOffered(on) }));
  return await queryAll(offered, { ticketId });
}

export interface Visit {
  startsAt: Instant;
  endsAt: Instant;
  checkedInAt: Instant | null;
  checkedOutAt: Instant | null;
  /** scheduled → on_site (checked in) → done (checked out). */
  stage: 'scheduled' | 'on_site' | 'done';
}

/** The ticket's scheduled visit, or null when none is. */
export function visitOf(
  ticket: Pick<TicketRow, 'visitStartsAt' | 'visitEndsAt' | 'visitCheckedInAt' | 'visitCheckedOutAt'>,
): Visit | null {
  if (ticket.visitStartsAt === null || ticket.visitEndsAt === null) return null;
  return {
    startsAt: ticket.visitStartsAt,
    endsAt: ticket.visitEndsAt,
    checkedInAt: ticket.visitCheckedInAt,
    checkedOutAt: ticket.visitCheckedOutAt,
    stage:
      ticket.visitCheckedOutAt !== null ? 'done' : ticket.visitCheckedInAt !== null ? 'on_site' : 'scheduled',
  };
}

/** One slot of a ticket, whatever its state; undefined for another ticket's slot or no slot at all. */
export async function slotOfTicket(
  db: Db,
  ticketId: number,
  slotId: number,
): Promise<VisitSlotRow | undefined> {
  return await queryOne(
    db
      .select()
      .from(visitSlots)
      .where(and(eq(visitSlots.id, slotId), eq(visitSlots.ticketId, ticketId))),
  );
}

/** Withdraws every slot still offered on the ticket (call inside the change's transaction). */
export async function withdrawOffered(db: Db, ticketId: number): Promise<number> {
  return (
    await execute(
      db
        .update(visitSlots)
        .set({ state: 'withdrawn' })
        .where(and(eq(visitSlots.ticketId, ticketId), eq(visitSlots.state, 'offered'))),
    )
  ).changes;
}

/** Stores offered slots (call inside the change's transaction); returns them with their ids, in order. */
export async function insertSlots(
  db: Db,
  ticketId: number,
  slots: readonly { startsAt: Instant; endsAt: Instant }[],
  engineerId: number | null,
  offeredBy: number | null,
  at: Instant,
): Promise<VisitSlotRow[]> {
  return await queryAll(
    db
      .insert(visitSlots)
      .values(
        slots.map((s) => ({
          ticketId,
          ...s,
          engineerId,
          offeredBy,
          offeredAt: at,
          state: 'offered' as const,
        })),
      )
      .returning(),
  );
}

/** Marks the picked slot and withdraws the rest of those offered (inside the change's transaction). */
export async function pickSlot(db: Db, ticketId: number, slotId: number): Promise<void> {
  await execute(db.update(visitSlots).set({ state: 'picked' }).where(eq(visitSlots.id, slotId)));
  await withdrawOffered(db, ticketId);
}

/** The address given with the offer that contained this slot, if any. */
export async function offeredAddress(db: Db, ticketId: number, slotId: number): Promise<string | null> {
  const offers = await queryAll(
    db
      .select({ data: ticketEvents.data })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.type, 'offer_visit')))
      .orderBy(desc(ticketEvents.id)),
  );
  for (const { data } of offers) {
    const slots = Array.isArray(data?.slots) ? (data.slots as { id?: unknown }[]) : [];
    if (slots.some((s) => s.id === slotId)) return typeof data?.address === 'string' ? data.address : null;
  }
  return null;
}

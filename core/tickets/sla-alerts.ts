// SLA warnings (75 % of a target used) and breaches, recorded as internal events whose notices go to the
// assignee (or the line when unassigned) and, for breaches, to supervisors. Recording is idempotent: a
// clock warns and breaches at most once per ticket, so a sweep can run again after a restart. What has been
// recorded is kept as a bit in `tickets.sla_alerts`, set in the transaction that writes the event.
import { eq, sql } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import { tickets } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { readSla } from '../sla-clock.ts';
import { inTransaction } from '../transaction.ts';
import { appendEvent } from './record-change.ts';

export type SlaClockName = 'first_response' | 'resolution';
export type SlaAlertLevel = 'warning' | 'breached';

/** Bits of `tickets.sla_alerts`: one per clock and level already recorded. */
export const SLA_ALERT_BITS = {
  first_response: { warning: 1, breached: 2 },
  resolution: { warning: 4, breached: 8 },
} as const satisfies Record<SlaClockName, Record<SlaAlertLevel, number>>;
export const FIRST_RESPONSE_WARNING = SLA_ALERT_BITS.first_response.warning;
export const FIRST_RESPONSE_BREACHED = SLA_ALERT_BITS.first_response.breached;
export const RESOLUTION_WARNING = SLA_ALERT_BITS.resolution.warning;
export const RESOLUTION_BREACHED = SLA_ALERT_BITS.resolution.breached;
/** Both alerts of a clock. */
export const FIRST_RESPONSE_ALERTS = FIRST_RESPONSE_WARNING | FIRST_RESPONSE_BREACHED;
export const RESOLUTION_ALERTS = RESOLUTION_WARNING | RESOLUTION_BREACHED;

export function slaAlertBit(clock: SlaClockName, level: SlaAlertLevel): number {
  return SLA_ALERT_BITS[clock][level];
}

/**
 * Records the alert if the clock has really reached that level now and it was not recorded before.
 * Returns the new event's id, or null when there is nothing to record.
 */
export async function recordSlaAlert(
  ctx: DeskContext,
  ticketId: number,
  clock: SlaClockName,
  level: SlaAlertLevel,
): Promise<number | null> {
  const now = ctx.clock.now();
  const db = ctx.db;
  const bit = slaAlertBit(clock, level);
  return await inTransaction(db, async () => {
    const ticket = await queryOne(db.select().from(tickets).where(eq(tickets.id, ticketId)));
    if (!ticket) throw new NotFoundError('ticket', ticketId);
    if ((ticket.slaAlerts & bit) !== 0) return null;
    const policy = await ctx.policies.forContract(ticket.contractId);
    const reading = readSla(policy.time, policy.targets[ticket.priority], ticket, now)[
      clock === 'first_response' ? 'firstResponse' : 'resolution'
    ];
    const reached =
      level === 'breached' ? reading.state === 'breached' : ['warning', 'breached'].includes(reading.state);
    if (!reached) return null;
    // Not a change anyone acts on: the version (which guards cards and forms) and updatedAt stay.
    await execute(
      db
        .update(tickets)
        .set({ slaAlerts: sql`${tickets.slaAlerts} | ${bit}` })
        .where(eq(tickets.id, ticketId)),
    );
    return await appendEvent(
      db,
      ticket,
      {
        type: `sla_${level}`,
        actorId: null,
        internal: true,
        data: {
          clock,
          dueAt: reading.dueAt,
          elapsedMinutes: reading.elapsedMinutes,
          targetMinutes: reading.targetMinutes,
        },
      },
      now,
    );
  });
}

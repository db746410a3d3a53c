// SLA warnings (75 % of a target used) and breaches, recorded as internal events whose notices go to the
// assignee (or the line when unassigned) and, for breaches, to supervisors. Recording is idempotent: a
// clock warns and breaches at most once per ticket, so a sweep can run again after a restart.
import { and, eq, sql } from 'drizzle-orm';
import { ticketEvents, tickets } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { readSla } from '../sla-clock.ts';
import { inTransaction } from '../transaction.ts';
import { appendEvent } from './record-change.ts';

export type SlaClockName = 'first_response' | 'resolution';
export type SlaAlertLevel = 'warning' | 'breached';

/**
 * Records the alert if the clock has really reached that level now and it was not recorded before.
 * Returns the new event's id, or null when there is nothing to record.
 */
export function recordSlaAlert(
  ctx: DeskContext,
  ticketId: number,
  clock: SlaClockName,
  level: SlaAlertLevel,
): number | null {
  const now = ctx.clock.now();
  const db = ctx.db;
  return inTransaction(db, () => {
    const ticket = db.select().from(tickets).where(eq(tickets.id, ticketId)).get();
    if (!ticket) throw new NotFoundError('ticket', ticketId);
    const policy = ctx.policies.forContract(ticket.contractId);
    const reading = readSla(policy.time, policy.targets[ticket.priority], ticket, now)[
      clock === 'first_response' ? 'firstResponse' : 'resolution'
    ];
    const reached =
      level === 'breached' ? reading.state === 'breached' : ['warning', 'breached'].includes(reading.state);
    if (!reached) return null;
    const type = `sla_${level}`;
    const already = db
      .select({ id: ticketEvents.id })
      .from(ticketEvents)
      .where(
        and(
          eq(ticketEvents.ticketId, ticketId),
          eq(ticketEvents.type, type),
          sql`json_extract(${ticketEvents.data}, '$.clock') = ${clock}`,
        ),
      )
      .get();
    if (already) return null;
    return appendEvent(
      db,
      ticket,
      {
        type,
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

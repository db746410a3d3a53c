// One pass of the SLA scheduler: record the warnings and breaches the running clocks have reached, and close
// resolved tickets the client left unanswered for the contract's number of business days. Everything is
// read from the store at the clock's "now", so a pass after downtime catches up on what was missed, and a
// pass repeated (after a restart too) records nothing twice. Each alert and each close is its own
// transaction, with its event and notices.
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { queryAll } from '../db/access.ts';
import { tickets } from '../db/schema.ts';
import type { DeskContext } from './context.ts';
import { DeskError } from './errors.ts';
import type { Instant, Status } from './model.ts';
import { SYSTEM } from './permissions.ts';
import { readSla } from './sla-clock.ts';
import { act } from './tickets/act.ts';
import {
  FIRST_RESPONSE_ALERTS,
  RESOLUTION_ALERTS,
  recordSlaAlert,
  type SlaAlertLevel,
  type SlaClockName,
  slaAlertBit,
} from './tickets/sla-alerts.ts';

export interface SweepResult {
  warnings: number;
  breaches: number;
  autoClosed: number;
}

export interface SweepOptions {
  /**
   * Called with an unexpected failure on one ticket; the pass then goes on with the others. Without it the
   * failure is thrown and ends the pass.
   */
  onError?: (error: unknown, ticketId: number) => void;
}

/** Statuses in which both clocks run; waiting_for_customer and resolved are paused, closed/cancelled final. */
export const CLOCK_RUNNING_STATUSES = ['new', 'open', 'in_progress'] as const satisfies readonly Status[];

/** What a resolved ticket's race with the client (or staff) looks like from act: not a failure. */
const RACE_CODES: ReadonlySet<string> = new Set(['stale', 'invalid_transition', 'not_found']);

interface DueAlert {
  clock: SlaClockName;
  level: SlaAlertLevel;
  /** When the clock reached it, to record a caught-up backlog in the order it happened. */
  reachedAt: Instant;
}

export async function sweepSla(ctx: DeskContext, options: SweepOptions = {}): Promise<SweepResult> {
  const result: SweepResult = { warnings: 0, breaches: 0, autoClosed: 0 };
  const guarded = async (ticketId: number, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (!options.onError) throw error;
      options.onError(error, ticketId);
    }
  };

  for (const ticket of await alertCandidates(ctx)) {
    await guarded(ticket.id, async () => {
      for (const alert of await dueAlerts(ctx, ticket, ctx.clock.now())) {
        // recordSlaAlert checks again inside its transaction: a ticket answered or paused meanwhile is left.
        if ((await recordSlaAlert(ctx, ticket.id, alert.clock, alert.level)) === null) continue;
        if (alert.level === 'warning') result.warnings++;
        else result.breaches++;
      }
    });
  }

  for (const ticket of await resolvedTickets(ctx)) {
    await guarded(ticket.id, async () => {
      if (ticket.resolvedAt === null) return;
      const policy = await ctx.policies.forContract(ticket.contractId);
      const closeAt = policy.time.addBusinessDays(ticket.resolvedAt, policy.autoCloseBusinessDays);
      if (closeAt > ctx.clock.now()) return;
      try {
        // The version read above: a ticket reopened and resolved again meanwhile is not closed early.
        await act(ctx, SYSTEM, ticket.id, { action: 'auto_close', expectedVersion: ticket.version });
        result.autoClosed++;
      } catch (error) {
        if (!(error instanceof DeskError && RACE_CODES.has(error.code))) throw error;
      }
    });
  }
  return result;
}

/**
 * Tickets whose clocks run with some alert still unrecorded: the first-response pair only while nobody has
 * answered. The status range is served by the tickets_status_due index; closed tickets are never read.
 */
async function alertCandidates(ctx: DeskContext) {
  const t = tickets;
  return await queryAll(
    ctx.db
      .select({
        id: t.id,
        contractId: t.contractId,
        priority: t.priority,
        createdAt: t.createdAt,
        firstResponseDueAt: t.firstResponseDueAt,
        firstRespondedAt: t.firstRespondedAt,
        resolutionDueAt: t.resolutionDueAt,
        slaPausedAt: t.slaPausedAt,
        slaPausedMinutes: t.slaPausedMinutes,
        resolvedAt: t.resolvedAt,
        slaAlerts: t.slaAlerts,
      })
      .from(t)
      .where(
        and(
          inArray(t.status, [...CLOCK_RUNNING_STATUSES]),
          or(
            sql`(${t.slaAlerts} & ${RESOLUTION_ALERTS}) <> ${RESOLUTION_ALERTS}`,
            and(
              isNull(t.firstRespondedAt),
              sql`(${t.slaAlerts} & ${FIRST_RESPONSE_ALERTS}) <> ${FIRST_RESPONSE_ALERTS}`,
            ),
          ),
        ),
      ),
  );
}

type Candidate = Awaited<ReturnType<typeof alertCandidates>>[number];

/** The alerts reached by `now` and not yet recorded, oldest first; a warning always before its breach. */
async function dueAlerts(ctx: DeskContext, ticket: Candidate, now: Instant): Promise<DueAlert[]> {
  const policy = await ctx.policies.forContract(ticket.contractId);
  const sla = readSla(policy.time, policy.targets[ticket.priority], ticket, now);
  const due: DueAlert[] = [];
  const check = (clock: SlaClockName, reading: (typeof sla)['firstResponse']) => {
    const reached = reading.state === 'warning' || reading.state === 'breached';
    const warnedAt = Math.min(reading.warnAt ?? reading.dueAt, reading.dueAt);
    if (reached && (ticket.slaAlerts & slaAlertBit(clock, 'warning')) === 0) {
      due.push({ clock, level: 'warning', reachedAt: warnedAt });
    }
    if (reading.state === 'breached' && (ticket.slaAlerts & slaAlertBit(clock, 'breached')) === 0) {
      due.push({ clock, level: 'breached', reachedAt: reading.dueAt });
    }
  };
  if (ticket.firstRespondedAt === null) check('first_response', sla.firstResponse);
  check('resolution', sla.resolution);
  // A stable sort keeps the warning before the breach of the same clock at equal instants.
  return due.sort((a, b) => a.reachedAt - b.reachedAt);
}

/** Resolved tickets waiting for the client's confirmation (the same index, one status). */
async function resolvedTickets(ctx: DeskContext) {
  return await queryAll(
    ctx.db
      .select({
        id: tickets.id,
        contractId: tickets.contractId,
        resolvedAt: tickets.resolvedAt,
        version: tickets.version,
      })
      .from(tickets)
      .where(eq(tickets.status, 'resolved')),
  );
}

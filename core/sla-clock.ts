// The SLA clock of one ticket. Both targets count business time from the ticket's creation over the
// contract's calendar. Resolution time stops while the ticket waits for the customer or sits resolved;
// the business minutes spent paused are added to the target, so resuming gives back exactly what was left.
import type { BusinessTime } from './calendar/business-calendar.ts';
import { type Instant, MINUTE } from './model.ts';

/** The share of a target after which the clock is in "warning". */
export const WARNING_FRACTION = 0.75;

/** The SLA fields a ticket row carries. */
export interface SlaFields {
  createdAt: Instant;
  firstResponseDueAt: Instant;
  firstRespondedAt: Instant | null;
  resolutionDueAt: Instant;
  slaPausedAt: Instant | null;
  slaPausedMinutes: number;
  resolvedAt: Instant | null;
}

export interface Targets {
  firstResponse: number;
  resolution: number;
}

export type ClockState = 'running' | 'warning' | 'breached' | 'paused' | 'met' | 'missed';

export interface ClockReading {
  state: ClockState;
  dueAt: Instant;
  /** When the clock reaches 75 % (null once it no longer runs towards it). */
  warnAt: Instant | null;
  targetMinutes: number;
  elapsedMinutes: number;
  /** Business minutes left (negative when overdue). */
  remainingMinutes: number;
  fraction: number;
}

export interface SlaReading {
  firstResponse: ClockReading;
  resolution: ClockReading;
}

export function dueTimes(
  time: BusinessTime,
  targets: Targets,
  createdAt: Instant,
  pausedMinutes = 0,
): { firstResponseDueAt: Instant; resolutionDueAt: Instant } {
  return {
    firstResponseDueAt: time.add(createdAt, targets.firstResponse * MINUTE),
    resolutionDueAt: time.add(createdAt, (targets.resolution + pausedMinutes) * MINUTE),
  };
}

/** Due times after a priority change: the elapsed time counts against the new targets. */
export function retarget(time: BusinessTime, targets: Targets, sla: SlaFields) {
  const due = dueTimes(time, targets, sla.createdAt, sla.slaPausedMinutes);
  // A first response already given keeps the due time it was measured against.
  return sla.firstRespondedAt === null ? due : { resolutionDueAt: due.resolutionDueAt };
}

export function pause(sla: SlaFields, at: Instant): Pick<SlaFields, 'slaPausedAt'> {
  return { slaPausedAt: sla.slaPausedAt ?? at };
}

export function resume(
  time: BusinessTime,
  targets: Targets,
  sla: SlaFields,
  at: Instant,
): Pick<SlaFields, 'slaPausedAt' | 'slaPausedMinutes' | 'resolutionDueAt'> {
  if (sla.slaPausedAt === null) {
    return {
      slaPausedAt: null,
      slaPausedMinutes: sla.slaPausedMinutes,
      resolutionDueAt: sla.resolutionDueAt,
    };
  }
  const slaPausedMinutes = sla.slaPausedMinutes + time.between(sla.slaPausedAt, at) / MINUTE;
  return {
    slaPausedAt: null,
    slaPausedMinutes,
    resolutionDueAt: time.add(sla.createdAt, (targets.resolution + slaPausedMinutes) * MINUTE),
  };
}

/** Business minutes the resolution clock has run by `at`, pauses excluded. */
export function resolutionElapsed(time: BusinessTime, sla: SlaFields, at: Instant): number {
  const until = sla.slaPausedAt !== null && sla.slaPausedAt < at ? sla.slaPausedAt : at;
  return Math.max(0, time.between(sla.createdAt, until) / MINUTE - sla.slaPausedMinutes);
}

export function firstResponseElapsed(time: BusinessTime, sla: SlaFields, at: Instant): number {
  const until = sla.firstRespondedAt !== null && sla.firstRespondedAt < at ? sla.firstRespondedAt : at;
  return time.between(sla.createdAt, until) / MINUTE;
}

/** The figures stored when the first public staff answer or client-visible change happens. */
export function firstResponseRecord(time: BusinessTime, sla: SlaFields, at: Instant) {
  return {
    firstRespondedAt: at,
    firstResponseMinutes: time.between(sla.createdAt, at) / MINUTE,
    firstResponseMet: at <= sla.firstResponseDueAt,
  };
}

/** The figures stored at resolution; the clock then pauses until the client confirms or reopens. */
export function resolutionRecord(time: BusinessTime, targets: Targets, sla: SlaFields, at: Instant) {
  const resolutionMinutes = resolutionElapsed(time, sla, at);
  return {
    resolvedAt: at,
    resolutionMinutes,
    resolutionMet: resolutionMinutes <= targets.resolution + 1e-9,
    slaPausedAt: sla.slaPausedAt ?? at,
  };
}

function reading(
  targetMinutes: number,
  elapsedMinutes: number,
  dueAt: Instant,
  warnAt: Instant | null,
  stopped: 'met' | 'missed' | 'paused' | null,
): ClockReading {
  const fraction = elapsedMinutes / targetMinutes;
  // A pause stops the clock but does not undo a breach that already happened.
  const running: ClockState =
    fraction >= 1 ? 'breached' : fraction >= WARNING_FRACTION ? 'warning' : 'running';
  const state: ClockState =
    stopped === 'paused' && running === 'breached' ? 'breached' : (stopped ?? running);
  return {
    state,
    dueAt,
    warnAt,
    targetMinutes,
    elapsedMinutes,
    remainingMinutes: targetMinutes - elapsedMinutes,
    fraction,
  };
}

/** Where both clocks of a ticket stand at any instant. */
export function readSla(time: BusinessTime, targets: Targets, sla: SlaFields, at: Instant): SlaReading {
  const frElapsed = firstResponseElapsed(time, sla, at);
  const frStopped =
    sla.firstRespondedAt !== null && sla.firstRespondedAt <= at
      ? sla.firstRespondedAt <= sla.firstResponseDueAt
        ? 'met'
        : 'missed'
      : null;
  const firstResponse = reading(
    targets.firstResponse,
    frElapsed,
    sla.firstResponseDueAt,
    frStopped ? null : time.add(sla.createdAt, WARNING_FRACTION * targets.firstResponse * MINUTE),
    frStopped,
  );

  const resElapsed = resolutionElapsed(time, sla, at);
  let resStopped: 'met' | 'missed' | 'paused' | null = null;
  if (sla.resolvedAt !== null && sla.slaPausedAt !== null && sla.resolvedAt <= at) {
    resStopped = resElapsed <= targets.resolution + 1e-9 ? 'met' : 'missed';
  } else if (sla.slaPausedAt !== null && sla.slaPausedAt <= at) {
    resStopped = 'paused';
  }
  const resolution = reading(
    targets.resolution,
    resElapsed,
    sla.resolutionDueAt,
    resStopped
      ? null
      : time.add(sla.createdAt, (WARNING_FRACTION * targets.resolution + sla.slaPausedMinutes) * MINUTE),
    resStopped,
  );
  return { firstResponse, resolution };
}

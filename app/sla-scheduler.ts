// The SLA scheduler: one sweep (core/sla-sweep.ts) right away, to catch up on what came due while the
// process was down, then one every interval. A sweep that recorded something calls `onChange` (the bot
// wakes its notifier there); failures go to `onError` and the next sweep runs as planned.
import type { DeskContext } from '../core/context.ts';
import { type SweepResult, sweepSla } from '../core/sla-sweep.ts';

export type { SweepResult };

export interface SlaSchedulerOptions {
  desk: DeskContext;
  /** Pause between the end of one sweep and the start of the next. */
  intervalMs?: number;
  /** After a sweep that recorded an alert or closed a ticket (so the outbox has news). */
  onChange?: (result: SweepResult) => void;
  /** A failed sweep, or a failure on one ticket (with its id) that the sweep stepped over. */
  onError?: (error: unknown, ticketId?: number) => void;
}

export interface SlaScheduler {
  /** No more sweeps; resolves once a sweep under way (a stop from inside onChange) has finished. */
  stop(): Promise<void>;
  /** Sweeps now, outside the timer; a failure of the whole sweep is thrown to the caller. */
  sweepNow(): Promise<SweepResult>;
  /** For /healthz: when the last sweep completed (desk clock, ms), null before the first. */
  status(): { startedAt: number; lastRunAt: number | null; intervalMs: number };
}

export const DEFAULT_SLA_INTERVAL_MS = 30_000;

export function changed(result: SweepResult): boolean {
  return result.warnings + result.breaches + result.autoClosed > 0;
}

export async function startSlaScheduler(options: SlaSchedulerOptions): Promise<SlaScheduler> {
  const { desk, onChange } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_SLA_INTERVAL_MS;
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) {
    throw new RangeError(`intervalMs must be a positive number, got ${intervalMs}`);
  }
  const onError =
    options.onError ??
    ((error: unknown, ticketId?: number) =>
      console.error(
        `tgdesk: SLA sweep failed${ticketId === undefined ? '' : ` on ticket ${ticketId}`}:`,
        error,
      ));

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  const waiting: Array<() => void> = [];
  const startedAt = desk.clock.now();
  let lastRunAt: number | null = null;

  async function sweep(): Promise<SweepResult> {
    sweeping = true;
    try {
      const result = await sweepSla(desk, { onError });
      // A sweep that throws does not count: a scheduler failing every time looks stopped to the monitor.
      lastRunAt = desk.clock.now();
      if (changed(result)) onChange?.(result);
      return result;
    } finally {
      sweeping = false;
      for (const resolve of waiting.splice(0)) resolve();
    }
  }

  async function tick(): Promise<void> {
    timer = undefined;
    try {
      await sweep();
    } catch (error) {
      onError(error);
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  }

  await tick();

  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      // A sweep under way (its queries are awaited) finishes before stop resolves.
      if (!sweeping) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    sweepNow: sweep,
    status: () => ({ startedAt, lastRunAt, intervalMs }),
  };
}

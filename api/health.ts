// GET /healthz: what a monitor needs to know whether the desk works, not just whether the process answers.
// The store must take a write; the outbox must be draining (nothing claimable waiting long); the bot must be
// receiving updates; the SLA scheduler must have swept lately. 200 when all hold, 503 when one does not.
// Dead letters are reported but do not fail it: they need a person (the admin's dead-letter list), and a
// restart would not help.
import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { DeskContext } from '../core/context.ts';
import { execute, queryOne } from '../db/access.ts';
import { isPostgresStore } from '../db/pg/store.ts';
import { deskSettings } from '../db/schema.ts';

/** The bot as the process runs it (bot/run.ts). */
export interface BotStatus {
  mode: 'polling' | 'webhook';
  /** Polling: the runner is fetching. Webhook: the webhook was registered with Telegram. */
  running: boolean;
  /** When the last update came in (ms), null when none has since start. */
  lastUpdateAt: number | null;
}

/** The SLA scheduler (app/sla-scheduler.ts). */
export interface SchedulerStatus {
  startedAt: number;
  /** End of the last sweep that completed, null before the first. */
  lastRunAt: number | null;
  intervalMs: number;
}

export interface HealthSources {
  /**
   * Undefined while the bot is still starting. Its notifier drains the outbox, so only with a bot does a
   * stalled outbox fail the check; the API alone (tests, a second process) reports the outbox's figures.
   */
  bot?: () => BotStatus | undefined;
  /** Undefined while the scheduler is not started yet. */
  scheduler?: () => SchedulerStatus | undefined;
  /** A claimable notice due longer than this means the notifier is stuck (default 5 minutes). */
  outboxStalledAfterMs?: number;
  /** A mail sender runs in this process: e-mail notices count as the Telegram ones do. Asked each time. */
  sendsMail?: boolean | (() => boolean);
}

interface Check {
  ok: boolean;
}

export interface HealthReport {
  ok: boolean;
  checks: {
    store: Check & { error?: string };
    outbox: Check & { pending: number; oldestDueSeconds: number | null; dead: number; error?: string };
    bot?: Check & { mode: string; running: boolean; lastUpdateAt: string | null };
    scheduler?: Check & { lastRunAt: string | null; intervalSeconds: number | null };
  };
}

export const OUTBOX_STALLED_AFTER_MS = 5 * 60_000;
/** The scheduler is late when it has not completed a sweep for this many intervals. */
export const SCHEDULER_MISSED_SWEEPS = 3;
/** The store probe writes at most this often, however often a monitor asks. */
const STORE_PROBE_EVERY_MS = 5_000;
/** Channels with a sender in every process; e-mail has one only where SMTP_URL is set. */
const SENT_CHANNELS = ['telegram', 'staff_group'];

interface OutboxFigures {
  pending: number;
  oldestDue: number | null;
  dead: number;
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** SQLite's error code (SQLITE_READONLY, SQLITE_FULL, …): enough for a monitor, no paths or data. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'error';
}

/** The health check of one desk; `onFailure` hears the full error of a failed check. */
export function createHealthCheck(
  desk: DeskContext,
  sources: HealthSources = {},
  onFailure: (what: string, error: unknown) => void = () => {},
): () => Promise<HealthReport> {
  const sqlite: Database.Database = desk.db.$client;
  const onPostgres = isPostgresStore(desk.db);
  const stalledAfterMs = sources.outboxStalledAfterMs ?? OUTBOX_STALLED_AFTER_MS;
  let lastProbe: { at: number; result: HealthReport['checks']['store'] } | undefined;

  // A committed write of one row: only a write that reaches the file proves the store takes writes (a
  // read-only file or mount, a full disk, a lock someone holds beyond busy_timeout all fail here).
  async function probeStore(now: number): Promise<HealthReport['checks']['store']> {
    if (lastProbe && now - lastProbe.at < STORE_PROBE_EVERY_MS && now >= lastProbe.at)
      return lastProbe.result;
    let result: HealthReport['checks']['store'];
    try {
      if (onPostgres) await pgProbe(now);
      else
        await execute(
          sqlite.prepare(
            `insert into desk_settings (key, value, updated_at) values ('health.probe', ?, ?)
           on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
          ),
          new Date(now).toISOString(),
          now,
        );
      result = { ok: true };
    } catch (error) {
      onFailure('store', error);
      result = { ok: false, error: codeOf(error) };
    }
    lastProbe = { at: now, result };
    return result;
  }

  function figures(now: number, row: OutboxFigures): HealthReport['checks']['outbox'] {
    const oldestDueMs = row.oldestDue === null ? null : Math.max(0, now - row.oldestDue);
    return {
      ok: !sources.bot || oldestDueMs === null || oldestDueMs <= stalledAfterMs,
      pending: row.pending,
      oldestDueSeconds: oldestDueMs === null ? null : Math.round(oldestDueMs / 1000),
      dead: row.dead,
    };
  }

  // PostgreSQL: the same probe and figures, the null-safe comparison written as PostgreSQL spells it.
  async function pgProbe(now: number): Promise<void> {
    const value = new Date(now).toISOString();
    await execute(
      desk.db
        .insert(deskSettings)
        .values({ key: 'health.probe', value, updatedAt: now })
        .onConflictDoUpdate({ target: deskSettings.key, set: { value, updatedAt: now } }),
    );
  }

  async function pgOutbox(now: number, channels: string[]): Promise<OutboxFigures> {
    const row = (await queryOne(
      desk.db,
      sql`select count(*) as pending,
         min(case when o.next_attempt_at <= ${now} and not exists (
           select 1 from outbox e
           where e.recipient_id is not distinct from o.recipient_id and e.id < o.id
             and e.state in ('pending', 'sending'))
         then o.next_attempt_at end) as "oldestDue",
         (select count(*) from outbox where state = 'dead') as dead
       from outbox o
       where o.state = 'pending' and o.channel in ${channels}`,
    )) as { pending: number; oldestDue: number | string | null; dead: number };
    // min() of a bigint is bigint, which the pool reads as a number.
    return {
      pending: Number(row.pending),
      oldestDue: row.oldestDue === null ? null : Number(row.oldestDue),
      dead: Number(row.dead),
    };
  }

  async function outbox(now: number): Promise<HealthReport['checks']['outbox']> {
    try {
      const sendsMail =
        typeof sources.sendsMail === 'function' ? sources.sendsMail() : (sources.sendsMail ?? false);
      const sent = sendsMail ? [...SENT_CHANNELS, 'email'] : SENT_CHANNELS;
      if (onPostgres) return figures(now, await pgOutbox(now, sent));
      const channels = JSON.stringify(sent);
      // "Oldest due" counts only notices the notifier could claim now (the head of their recipient's
      // queue): one waiting behind a notice in backoff is not the notifier's delay.
      const row = (await queryOne(
        sqlite.prepare(
          `select count(*) as pending,
             min(case when o.next_attempt_at <= @now and not exists (
               select 1 from outbox e
               where e.recipient_id is o.recipient_id and e.id < o.id and e.state in ('pending', 'sending'))
             then o.next_attempt_at end) as oldestDue
           from outbox o
           where o.state = 'pending' and o.channel in (select value from json_each(@channels))`,
        ),
        { now, channels },
      )) as { pending: number; oldestDue: number | null };
      const dead = (
        (await queryOne(sqlite.prepare("select count(*) as n from outbox where state = 'dead'"))) as {
          n: number;
        }
      ).n;
      return figures(now, { ...row, dead });
    } catch (error) {
      onFailure('outbox', error);
      return { ok: false, pending: 0, oldestDueSeconds: null, dead: 0, error: codeOf(error) };
    }
  }

  function bot(): NonNullable<HealthReport['checks']['bot']> {
    const status = sources.bot?.();
    if (!status) return { ok: false, mode: 'starting', running: false, lastUpdateAt: null };
    return {
      ok: status.running,
      mode: status.mode,
      running: status.running,
      lastUpdateAt: iso(status.lastUpdateAt),
    };
  }

  function scheduler(now: number): NonNullable<HealthReport['checks']['scheduler']> {
    const status = sources.scheduler?.();
    if (!status) return { ok: false, lastRunAt: null, intervalSeconds: null };
    const since = status.lastRunAt ?? status.startedAt;
    return {
      ok: now - since <= SCHEDULER_MISSED_SWEEPS * status.intervalMs,
      lastRunAt: iso(status.lastRunAt),
      intervalSeconds: status.intervalMs / 1000,
    };
  }

  return async () => {
    const now = desk.clock.now();
    const checks: HealthReport['checks'] = { store: await probeStore(now), outbox: await outbox(now) };
    if (sources.bot) checks.bot = bot();
    if (sources.scheduler) checks.scheduler = scheduler(now);
    return { ok: Object.values(checks).every((c) => c.ok), checks };
  };
}

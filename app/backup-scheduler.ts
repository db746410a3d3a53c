// The daily backup of a running desk (BACKUP_DIR): `tgdesk-<UTC time>.sqlite` files, the newest
// BACKUP_KEEP kept. When the next one is due is read from the files on disk, not remembered, so restarts
// neither skip a day nor pile up copies: a desk that was down for a week backs up shortly after start.
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../core/model.ts';
import {
  type BackupResult,
  backupDatabase,
  fileStamp,
  PARTIAL_SUFFIX,
  parseFileStamp,
} from '../db/backup.ts';

export const DAY_MS = 86_400_000;
/** The first backup of a start that finds none recent: soon, but not in the middle of start-up. */
export const FIRST_BACKUP_DELAY_MS = 60_000;
/** After a failed backup (a full disk): try again in an hour, not tomorrow. */
export const RETRY_AFTER_MS = 3_600_000;
/** Pages per step of a scheduled backup (4 KB each): the bot and the API answer between steps. */
const PAGES_PER_STEP = 256;

const BACKUP_NAME = /^tgdesk-(\d{4}-\d{2}-\d{2}T\d{6}Z)\.sqlite$/;

export function backupFileName(at: number): string {
  return `tgdesk-${fileStamp(at)}.sqlite`;
}

/** The scheduled backups in `dir`, newest first; other files are not ours and are left alone. */
export function listBackups(dir: string): { file: string; at: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .flatMap((name) => {
      const stamp = BACKUP_NAME.exec(name)?.[1];
      const at = stamp === undefined ? null : parseFileStamp(stamp);
      return at === null ? [] : [{ file: join(dir, name), at }];
    })
    .sort((a, b) => b.at - a.at);
}

/** Deletes all but the newest `keep` scheduled backups; returns what it deleted. */
export function pruneBackups(dir: string, keep: number): string[] {
  const old = listBackups(dir).slice(Math.max(1, keep));
  for (const { file } of old) unlinkSync(file);
  return old.map((b) => b.file);
}

/** Leftovers of backups a crash interrupted (older than an hour: a running one is younger). */
function removeStalePartials(dir: string, now: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!(name.startsWith('.tgdesk-') && name.endsWith(PARTIAL_SUFFIX))) continue;
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > 3_600_000) unlinkSync(file);
    } catch {
      // Gone meanwhile.
    }
  }
}

/** setTimeout and clearTimeout, replaceable in tests. */
export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set(run, ms) {
    const timer = setTimeout(run, ms);
    // The server keeps the process alive; a pending backup alone should not.
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BackupSchedulerOptions {
  sqlite: Database.Database;
  dir: string;
  keep: number;
  clock: Clock;
  logger: Logger;
  timers?: Timers;
  everyMs?: number;
  firstDelayMs?: number;
}

export interface BackupScheduler {
  /** When the next backup is planned (clock ms), null once stopped. */
  readonly nextAt: number | null;
  /** Backs up now (or joins the one under way), prunes, and plans the next. */
  runNow(): Promise<BackupResult>;
  /** No more backups; waits for one under way. */
  stop(): Promise<void>;
}

export function startBackupScheduler(options: BackupSchedulerOptions): BackupScheduler {
  const { sqlite, dir, keep, clock, logger } = options;
  const timers = options.timers ?? realTimers;
  const everyMs = options.everyMs ?? DAY_MS;
  const firstDelayMs = options.firstDelayMs ?? FIRST_BACKUP_DELAY_MS;
  let handle: unknown;
  let nextAt: number | null = null;
  let running: Promise<BackupResult> | null = null;
  let stopped = false;

  function plan(delayMs: number): void {
    if (stopped) return;
    if (handle !== undefined) timers.clear(handle);
    nextAt = clock.now() + delayMs;
    handle = timers.set(() => {
      handle = undefined;
      runNow().catch(() => {
        // Logged and re-planned in runNow.
      });
    }, delayMs);
  }

  /** Due a day after the newest backup on disk; shortly after start when that is past. */
  function planFromDisk(): void {
    const newest = listBackups(dir)[0];
    const dueIn = newest ? newest.at + everyMs - clock.now() : 0;
    plan(Math.max(firstDelayMs, dueIn));
  }

  async function backUp(): Promise<BackupResult> {
    const at = clock.now();
    try {
      const result = await backupDatabase(sqlite, join(dir, backupFileName(at)), {
        pagesPerStep: PAGES_PER_STEP,
      });
      const pruned = pruneBackups(dir, keep);
      logger.info(
        { file: result.file, bytes: result.bytes, ms: result.ms, pruned: pruned.length },
        'backup: written',
      );
      plan(everyMs);
      return result;
    } catch (error) {
      logger.error({ err: error, dir }, 'backup: failed; trying again in an hour');
      plan(RETRY_AFTER_MS);
      throw error;
    }
  }

  function runNow(): Promise<BackupResult> {
    running ??= backUp().finally(() => {
      running = null;
    });
    return running;
  }

  mkdirSync(dir, { recursive: true });
  removeStalePartials(dir, clock.now());
  planFromDisk();

  return {
    get nextAt() {
      return nextAt;
    },
    runNow,
    async stop() {
      stopped = true;
      nextAt = null;
      if (handle !== undefined) timers.clear(handle);
      handle = undefined;
      await running?.catch(() => {});
    },
  };
}

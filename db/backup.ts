// Copies of the store, and what a copy's migrations say about the code that made it.
//
// A backup is written to a temporary name in the target's folder and renamed when complete, so a file
// with the final name is always a whole, consistent database: a crash or a full disk mid-copy leaves a
// `.partial` file at worst, never a half backup under the name a restore would pick.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';

export const PARTIAL_SUFFIX = '.partial';

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
}

export interface BackupOptions {
  /**
   * Pages copied per step; between steps the event loop runs (the desk keeps answering). Writes made
   * meanwhile through the same connection land in the copy as it goes. Writes from another process
   * restart a stepped copy, so a separate process (the backup command) copies in one step: one read
   * transaction, which in WAL mode does not block the desk's writers. Default: one step.
   */
  pagesPerStep?: number;
  /** Called before every step after the first: tests write between steps here. */
  onStep?: (progress: { totalPages: number; remainingPages: number }) => void;
}

function partialName(file: string): string {
  return join(
    dirname(file),
    `.${basename(file)}.${process.pid}-${randomBytes(3).toString('hex')}${PARTIAL_SUFFIX}`,
  );
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) {
    try {
      unlinkSync(f);
    } catch {
      // Not there: fine.
    }
  }
}

/** Flushes a file (and the folder entry of a rename) to disk, where the platform allows it. */
export function syncToDisk(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Folders cannot be fsynced on every platform; the data itself was synced by SQLite.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function finish(partial: string, file: string, started: number): BackupResult {
  syncToDisk(partial);
  renameSync(partial, file);
  syncToDisk(dirname(file));
  return { file, bytes: statSync(file).size, ms: Math.round(performance.now() - started) };
}

/** An online backup of an open store with SQLite's backup API: consistent while others write. */
export async function backupDatabase(
  sqlite: Database.Database,
  file: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const target = resolve(file);
  const partial = partialName(target);
  const started = performance.now();
  const rate = options.pagesPerStep ?? 0x7fffffff;
  try {
    await sqlite.backup(partial, {
      progress: (progress) => {
        options.onStep?.(progress);
        return rate;
      },
    });
    return finish(partial, target, started);
  } catch (error) {
    removeQuietly(partial);
    throw error;
  }
}

/**
 * A backup in one synchronous statement (VACUUM INTO: one read transaction, a compact copy), for where
 * nothing may wait: before migrations, inside openDatabase.
 */
export function backupDatabaseNow(sqlite: Database.Database, file: string): BackupResult {
  const target = resolve(file);
  const partial = partialName(target);
  const started = performance.now();
  try {
    sqlite.prepare('VACUUM INTO ?').run(partial);
    return finish(partial, target, started);
  } catch (error) {
    removeQuietly(partial);
    throw error;
  }
}

/** A UTC time for file names: 2026-12-02T031500Z (sorts as it should, no colons for other systems). */
export function fileStamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '');
}

/** The instant of a fileStamp, or null. */
export function parseFileStamp(stamp: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return null;
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isNaN(at) ? null : at;
}

// --- Migrations: what a store has applied against what this code ships --------------------------------

export interface ShippedMigration {
  /** drizzle's created_at: the journal's `when`. */
  at: number;
  hash: string;
}

/** The migrations this code ships (db/migrations), in order. */
export function shippedMigrations(migrationsFolder: string): ShippedMigration[] {
  return readMigrationFiles({ migrationsFolder }).map((m) => ({ at: m.folderMillis, hash: m.hash }));
}

/** The migrations a store has applied, oldest first; null when it has no migrations table. */
export function appliedMigrations(sqlite: Database.Database): ShippedMigration[] | null {
  const table = sqlite
    .prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
    .get();
  if (!table) return null;
  return (
    sqlite
      .prepare('select hash, created_at as at from __drizzle_migrations order by created_at, id')
      .all() as {
      hash: string;
      at: number | string;
    }[]
  ).map((r) => ({ at: Number(r.at), hash: r.hash }));
}

/** How many shipped migrations drizzle would apply to this store (it applies those after the newest). */
export function pendingMigrations(sqlite: Database.Database, shipped: ShippedMigration[]): number {
  const applied = appliedMigrations(sqlite);
  const newest = applied?.length ? Math.max(...applied.map((m) => m.at)) : undefined;
  return shipped.filter((m) => newest === undefined || m.at > newest).length;
}

/**
 * Why a store cannot be used by this code, or null when it can: every migration it applied must be one
 * this code ships (same time, same SQL). Fewer is fine: the missing ones run at start.
 */
export function migrationMismatch(
  applied: ShippedMigration[] | null,
  shipped: ShippedMigration[],
): string | null {
  if (applied === null) return 'it is not a tgdesk store (no __drizzle_migrations table)';
  const byTime = new Map(shipped.map((m) => [m.at, m]));
  const newest = shipped.at(-1)?.at ?? 0;
  for (const m of applied) {
    const known = byTime.get(m.at);
    if (!known) {
      return m.at > newest
        ? `it was made by a newer tgdesk (migration of ${new Date(m.at).toISOString()} is unknown to this version): upgrade tgdesk first`
        : `it has a migration of ${new Date(m.at).toISOString()} this version does not ship (another build of tgdesk?)`;
    }
    if (known.hash !== m.hash) {
      return `its migration of ${new Date(m.at).toISOString()} differs from the one this version ships (another build of tgdesk?)`;
    }
  }
  return null;
}

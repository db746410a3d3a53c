// What `npm run backup` and `npm run restore` do, as functions the tests call (app/backup.ts and
// app/restore.ts only read the command line and print).
import { copyFileSync, existsSync, linkSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  appliedMigrations,
  type BackupResult,
  backupDatabase,
  fileStamp,
  migrationMismatch,
  PARTIAL_SUFFIX,
  shippedMigrations,
  syncToDisk,
} from '../db/backup.ts';
import { MIGRATIONS_FOLDER } from '../db/connection.ts';
import { backupFileName } from './backup-scheduler.ts';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock.ts';

/** A refusal with the reason for the operator; nothing was changed. */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

function isInMemory(path: string): boolean {
  return path === ':memory:' || path === '';
}

/**
 * Backs up the store at `databasePath` while the desk may be running: no migrations, nothing written to the
 * store. `target` is a file, or a folder to put a `tgdesk-<UTC time>.sqlite` in.
 */
export async function backupStore(
  databasePath: string,
  target: string,
  now = Date.now(),
): Promise<BackupResult> {
  if (isInMemory(databasePath))
    throw new RefusedError('DATABASE_PATH is :memory:, there is no file to back up');
  if (!existsSync(databasePath) || !statSync(databasePath).isFile()) {
    throw new RefusedError(
      `there is no store at ${resolve(databasePath)} (set DATABASE_PATH to the desk's file)`,
    );
  }
  let file = target;
  if (existsSync(target) && statSync(target).isDirectory()) file = join(target, backupFileName(now));
  if (!existsSync(dirname(resolve(file))))
    throw new RefusedError(`the folder ${dirname(resolve(file))} does not exist`);
  if (resolve(file) === resolve(databasePath))
    throw new RefusedError('the backup cannot replace the store itself');
  // Read-write, not readonly: a read-only connection to a WAL store needs the desk's -shm to exist.
  const sqlite = new Database(databasePath, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    if (appliedMigrations(sqlite) === null) {
      throw new RefusedError(
        `${resolve(databasePath)} is not a tgdesk store (no __drizzle_migrations table)`,
      );
    }
    // One step: writes by the running desk (another connection) would restart a stepped copy.
    return await backupDatabase(sqlite, file);
  } catch (error) {
    if (error instanceof RefusedError) throw error;
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new RefusedError(`${resolve(databasePath)} is not a SQLite database`);
    }
    throw error;
  } finally {
    sqlite.close();
  }
}

export interface RestoreResult {
  store: string;
  bytes: number;
  /** Where the replaced store was kept (null when there was none). */
  previous: string | null;
}

/** Why a copy cannot be restored, or null when it can: whole (integrity_check) and of this code's lineage. */
function checkCopy(file: string, migrationsFolder: string): string | null {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { fileMustExist: true });
    const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
    if (rows.length !== 1 || rows[0]?.integrity_check !== 'ok') {
      const found = rows
        .slice(0, 3)
        .map((r) => r.integrity_check)
        .join('; ');
      return `it is damaged (integrity_check: ${found})`;
    }
    return migrationMismatch(appliedMigrations(sqlite), shippedMigrations(migrationsFolder));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') return 'it is not a SQLite database';
    if (code?.startsWith('SQLITE_CORRUPT')) return 'it is damaged (SQLite reports it corrupt)';
    throw error;
  } finally {
    sqlite?.close();
  }
}

function link(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    // A file system without hard links: a copy keeps it just the same.
    copyFileSync(from, to);
  }
}

function unlinkIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export interface RestoreOptions {
  now?: number;
  migrationsFolder?: string;
}

/**
 * Puts a backup in place of the store at `databasePath`. Refuses (RefusedError, nothing changed) while the
 * desk runs, for a damaged file, and for a backup of a newer tgdesk. The replaced store is kept beside it
 * as `<store>.before-restore-<UTC time>` (with its -wal, when it had one), so a restore loses nothing.
 *
 * The swap: the backup is copied beside the store and checked there (the very bytes that go in place); the
 * current store gets a second name (a hard link), its -wal moves to that name and its -shm goes (a stale
 * -wal beside the new file would be replayed into it); then one rename puts the copy in place. A crash
 * before the rename leaves the old store (its recent commits in before-restore-…-wal); run restore again.
 */
export function restoreStore(
  backup: string,
  databasePath: string,
  options: RestoreOptions = {},
): RestoreResult {
  if (isInMemory(databasePath))
    throw new RefusedError('DATABASE_PATH is :memory:, there is no file to restore to');
  const store = resolve(databasePath);
  const source = resolve(backup);
  if (!existsSync(source) || !statSync(source).isFile())
    throw new RefusedError(`there is no backup at ${source}`);
  if (source === store) throw new RefusedError('the backup is the store itself');
  if (existsSync(`${source}-wal`) && statSync(`${source}-wal`).size > 0) {
    throw new RefusedError(
      `${source} has a -wal file beside it: it is a live store, not a backup (make one with npm run backup)`,
    );
  }

  let lock: ReturnType<typeof acquireInstanceLock>;
  try {
    lock = acquireInstanceLock(store, 'restore');
  } catch (error) {
    if (error instanceof InstanceLockedError) throw new RefusedError(`tgdesk is running: ${error.message}`);
    throw error;
  }
  const stamp = fileStamp(options.now ?? Date.now());
  const copy = join(dirname(store), `.${basename(store)}.restore-${stamp}${PARTIAL_SUFFIX}`);
  try {
    copyFileSync(source, copy);
    const problem = checkCopy(copy, options.migrationsFolder ?? MIGRATIONS_FOLDER);
    if (problem) throw new RefusedError(`not restoring ${source}: ${problem}`);
    syncToDisk(copy);

    let previous: string | null = null;
    if (existsSync(store)) {
      previous = `${store}.before-restore-${stamp}`;
      link(store, previous);
      if (existsSync(`${store}-wal`)) {
        link(`${store}-wal`, `${previous}-wal`);
        unlinkIfThere(`${store}-wal`);
      }
      unlinkIfThere(`${store}-shm`);
    }
    renameSync(copy, store);
    syncToDisk(dirname(store));
    return { store, bytes: statSync(store).size, previous };
  } finally {
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`, `${copy}-journal`]) {
      try {
        unlinkSync(f);
      } catch {
        // Renamed into place, or never made.
      }
    }
    lock.release();
  }
}

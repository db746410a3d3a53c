// Opening the store: one SQLite file in WAL mode with foreign keys on, migrations applied.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import {
  appliedMigrations,
  type BackupResult,
  backupDatabaseNow,
  fileStamp,
  pendingMigrations,
  type ShippedMigration,
  shippedMigrations,
} from './backup.ts';
import * as schema from './sqlite/schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');
export const DEFAULT_DATABASE_PATH = './data/tgdesk.sqlite';

export interface OpenOptions {
  /** Where the backup taken before migrations goes (default: a `backups` folder beside the store). */
  backupDir?: string;
  /** Hears of a backup taken before migrations. */
  onPreMigrationBackup?: (backup: BackupResult) => void;
}

let shipped: ShippedMigration[] | undefined;

/**
 * Opens (or creates) the database at `path` (":memory:" for tests) and brings its schema up to date. A
 * store with data that is about to be migrated is copied first (`pre-migration-<time>.sqlite`), so an
 * upgrade that goes wrong can be undone with `npm run restore`.
 */
export function openDatabase(path: string = DEFAULT_DATABASE_PATH, options: OpenOptions = {}): Db {
  const isFile = path !== ':memory:' && path !== '';
  if (isFile) mkdirSync(dirname(resolve(path)), { recursive: true });
  const hadData = isFile && existsSync(path) && statSync(path).size > 0;
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL with synchronous=NORMAL stays consistent on a crash and only risks the last commits on power loss.
  sqlite.pragma('synchronous = NORMAL');
  // Reports read many rows: memory-mapped reads keep them off the read() path and out of the page cache,
  // so 16 MB of cache serves the writes (a 64 MB one read no faster, and what it held once stays with the
  // process after it is freed: malloc keeps it).
  sqlite.pragma('cache_size = -16384');
  sqlite.pragma('mmap_size = 268435456');
  try {
    if (hadData) backUpBeforeMigrating(sqlite, path, options);
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return db;
  } catch (error) {
    // No migration without its safety copy: a failed backup (a full disk) stops the start here.
    sqlite.close();
    throw error;
  }
}

/** Cheap when nothing is pending: one query against the journal read once per process. */
function backUpBeforeMigrating(sqlite: Database.Database, path: string, options: OpenOptions): void {
  shipped ??= shippedMigrations(MIGRATIONS_FOLDER);
  // A store with tables but none of drizzle's bookkeeping is still someone's data: copy it too.
  const hasTables =
    appliedMigrations(sqlite) !== null ||
    sqlite.prepare("select 1 from sqlite_master where type = 'table'").get() !== undefined;
  if (!hasTables || pendingMigrations(sqlite, shipped) === 0) return;
  const dir = options.backupDir ?? join(dirname(resolve(path)), 'backups');
  mkdirSync(dir, { recursive: true });
  const backup = backupDatabaseNow(sqlite, join(dir, `pre-migration-${fileStamp(Date.now())}.sqlite`));
  options.onPreMigrationBackup?.(backup);
}

// Opening the store: one SQLite file in WAL mode with foreign keys on, migrations applied.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');
export const DEFAULT_DATABASE_PATH = './data/tgdesk.sqlite';

/** Opens (or creates) the database at `path` (":memory:" for tests) and brings its schema up to date. */
export function openDatabase(path: string = DEFAULT_DATABASE_PATH): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL with synchronous=NORMAL stays consistent on a crash and only risks the last commits on power loss.
  sqlite.pragma('synchronous = NORMAL');
  // Reports read many rows: a 64 MB page cache and memory-mapped reads keep them off the read() path.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return db;
}

// The store a test's world lives in. On SQLite (the `unit` project) a fresh in-memory database; in the
// `postgres-suite` project (TGDESK_STORE_DIALECT=postgres) a fresh database on the project's PostgreSQL server,
// copied from a migrated template (tests/support/postgres-suite.ts), so the same tests run against both stores.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Db, openDatabase } from '../../db/connection.ts';
import { storeDialect } from '../../db/dialect.ts';
import { openPostgresStore, type PostgresStore } from '../../db/pg/store.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The suite's server: its maintenance database's URL and the migrated template's name. */
    postgresSuite: { adminUrl: string; template: string };
  }
}

const open: PostgresStore[] = [];

/** A new, empty, migrated store of the process's dialect. */
export async function openTestStore(): Promise<Db> {
  if (storeDialect() !== 'postgres') return openDatabase(':memory:');
  const { adminUrl, template } = inject('postgresSuite');
  const name = `tgdesk_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // A world's pool is small: a test file makes dozens of worlds on one server.
  const store = await openPostgresStore(url.toString(), { pool: { max: 4, idleTimeoutMillis: 1_000 } });
  open.push(store);
  return store.db as unknown as Db;
}

/** Ends the pools of the stores this file opened (the suite's setup calls it after each file). */
export async function closeTestStores(): Promise<void> {
  for (const store of open.splice(0)) await store.close();
}

/**
 * This run's worlds are on PostgreSQL. A test of SQLite itself (its file, its pragmas, a second connection to
 * the same file) or of a desk started on a SQLite file of its own is skipped there: `it.skipIf(onPostgres)`.
 */
export const onPostgres = storeDialect() === 'postgres';

// `npm run migrate:pg`: brings the PostgreSQL store at DATABASE_URL up to date with db/pg-migrations. Several
// instances starting at once migrate one at a time: each holds a session-level advisory lock (a fixed key)
// while it migrates, and the next finds the migrations already applied (drizzle's journal table
// drizzle.__drizzle_migrations). A process that dies loses its session and so its lock.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

export const PG_MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../pg-migrations');

/** The advisory lock key of tgdesk's migrations: "tgdesk" in ASCII, as a bigint. */
export const MIGRATION_LOCK_KEY = '127987414823787';

export interface PgMigrationResult {
  /** Migrations this call applied (0 when another instance had applied them all). */
  applied: number;
  /** Migrations recorded in the store afterwards. */
  total: number;
}

/** Checks that `url` is a postgres:// or postgresql:// URL; throws a message fit for an operator. */
export function checkDatabaseUrl(url: string | undefined): string {
  if (!url)
    throw new Error('DATABASE_URL is not set: give the store as postgres://user:password@host:port/database');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a URL: expected postgres://user:password@host:port/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (it starts with ${parsed.protocol}//); ` +
        'without DATABASE_URL tgdesk uses its SQLite store',
    );
  }
  return url;
}

async function recorded(client: pg.Client): Promise<number> {
  const exists = await client.query<{ t: string | null }>(
    "select to_regclass('drizzle.__drizzle_migrations')::text as t",
  );
  if (!exists.rows[0]?.t) return 0;
  const rows = await client.query<{ n: number }>(
    'select count(*)::int as n from drizzle.__drizzle_migrations',
  );
  return rows.rows[0]?.n ?? 0;
}

/** Applies the pending migrations of `migrationsFolder` to the store at `url`, one instance at a time. */
export async function migratePostgres(
  url: string,
  migrationsFolder: string = PG_MIGRATIONS_FOLDER,
): Promise<PgMigrationResult> {
  const client = new pg.Client({ connectionString: checkDatabaseUrl(url) });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      const before = await recorded(client);
      // On the locked connection itself: drizzle's migrator runs all pending migrations in one transaction.
      await migrate(drizzle(client), { migrationsFolder });
      const total = await recorded(client);
      return { applied: total - before, total };
    } finally {
      await client.query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  let url: string;
  try {
    url = checkDatabaseUrl(process.env.DATABASE_URL);
  } catch (err) {
    console.error(`migrate:pg: ${(err as Error).message}`);
    process.exit(2);
  }
  try {
    const { applied, total } = await migratePostgres(url);
    console.log(
      applied > 0
        ? `migrate:pg: applied ${applied} migration(s); the store has ${total}`
        : `migrate:pg: up to date (${total} migration(s))`,
    );
  } catch (err) {
    const where = new URL(url);
    console.error(
      `migrate:pg: failed on ${where.hostname}:${where.port || 5432}${where.pathname}: ${(err as Error).message}`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();

// `npm run import-store -- <file>`: a file made by `npm run export-store` into a new, empty store: the
// PostgreSQL database at DATABASE_URL when it is set, else the SQLite file at DATABASE_PATH; either is
// brought to this tgdesk's schema first. All or nothing: a file cut short, damaged or of another tgdesk's
// schema changes nothing. A SQLite store is locked against a desk starting on it meanwhile. Then copy
// FILES_DIR over and start the desk on the new store.
import pg from 'pg';
import { z } from 'zod';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../db/connection.ts';
import { checkDatabaseUrl, migratePostgres } from '../db/pg/migrate.ts';
import { StoreFileError } from '../db/transfer/format.ts';
import { importStore } from '../db/transfer/import.ts';
import { importStoreIntoPostgres } from '../db/transfer/import-postgres.ts';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock.ts';

const env = z
  .object({
    DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH),
    DATABASE_URL: z.string().optional(),
  })
  .parse(process.env);

async function intoPostgres(url: string, file: string): Promise<void> {
  await migratePostgres(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const result = await importStoreIntoPostgres(client, file);
    const ms = Math.round(performance.now() - started);
    const where = new URL(url);
    console.log(
      `tgdesk: ${result.rows} rows of ${Object.keys(result.tables).length} tables from ${file} imported into PostgreSQL at ${where.host}${where.pathname} (${ms} ms)`,
    );
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) throw new StoreFileError('usage: npm run import-store -- <file>');
  if (env.DATABASE_URL?.trim()) return intoPostgres(checkDatabaseUrl(env.DATABASE_URL.trim()), file);
  const lock = acquireInstanceLock(env.DATABASE_PATH, 'import-store');
  try {
    const db = openDatabase(env.DATABASE_PATH);
    try {
      const started = performance.now();
      const result = await importStore(db.$client, file);
      const ms = Math.round(performance.now() - started);
      console.log(
        `tgdesk: ${result.rows} rows of ${Object.keys(result.tables).length} tables from ${file} imported into ${env.DATABASE_PATH} (${ms} ms)`,
      );
    } finally {
      db.$client.close();
    }
  } finally {
    lock.release();
  }
}

main().catch((error: unknown) => {
  const refused = error instanceof StoreFileError || error instanceof InstanceLockedError;
  console.error(
    `tgdesk: import ${refused ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(refused ? 2 : 1);
});

// `npm run import-store -- <file>`: a file made by `npm run export-store` into a new, empty store at
// DATABASE_PATH (created and brought to this tgdesk's schema first). All or nothing: a file cut short,
// damaged or of another tgdesk's schema changes nothing. The store is locked against a desk starting on it
// meanwhile. Then copy FILES_DIR over and start the desk on the new store.
import { z } from 'zod';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../db/connection.ts';
import { StoreFileError } from '../db/transfer/format.ts';
import { importStore } from '../db/transfer/import.ts';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock.ts';

const env = z.object({ DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH) }).parse(process.env);

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) throw new StoreFileError('usage: npm run import-store -- <file>');
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

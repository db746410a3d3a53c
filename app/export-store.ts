// `npm run export-store -- <file>`: the whole store at DATABASE_PATH into one file (db/transfer/), to move
// the desk to another store with `npm run import-store`. Safe while the desk runs: one read transaction is
// one consistent moment. The store is opened as it is (read-only, no migrations). Files the desk keeps
// (FILES_DIR) are not in it: copy that folder as it is.
import Database from 'better-sqlite3';
import { z } from 'zod';
import { DEFAULT_DATABASE_PATH } from '../db/connection.ts';
import { exportStore } from '../db/transfer/export.ts';
import { StoreFileError } from '../db/transfer/format.ts';

const env = z.object({ DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH) }).parse(process.env);

function main(): void {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) throw new StoreFileError('usage: npm run export-store -- <file>');
  const sqlite = new Database(env.DATABASE_PATH, { readonly: true, fileMustExist: true });
  try {
    const started = performance.now();
    const result = exportStore(sqlite, file, Date.now());
    const ms = Math.round(performance.now() - started);
    console.log(
      `tgdesk: ${result.rows} rows of ${Object.keys(result.tables).length} tables from ${env.DATABASE_PATH} written to ${file} (${ms} ms)`,
    );
  } finally {
    sqlite.close();
  }
}

try {
  main();
} catch (error) {
  const refused = error instanceof StoreFileError;
  console.error(
    `tgdesk: export ${refused ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(refused ? 2 : 1);
}

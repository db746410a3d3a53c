// `npm run restore -- <backup file>`: puts a backup in place of the store at DATABASE_PATH. Refuses while the
// desk runs, for a damaged file and for a backup of a newer tgdesk; keeps the replaced store beside it.
// Start the desk afterwards: migrations bring an older backup up to date.
import { z } from 'zod';
import { DEFAULT_DATABASE_PATH } from '../db/connection.ts';
import { RefusedError, restoreStore } from './backup-commands.ts';

const env = z.object({ DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH) }).parse(process.env);

function main(): void {
  const backup = process.argv[2];
  if (!backup || process.argv.length > 3) throw new RefusedError('usage: npm run restore -- <backup file>');
  const result = restoreStore(backup, env.DATABASE_PATH);
  console.log(`tgdesk: restored ${backup} to ${result.store} (${result.bytes} bytes)`);
  if (result.previous) console.log(`tgdesk: the replaced store is kept as ${result.previous}`);
  console.log('tgdesk: start the desk now (npm start); it applies any newer migrations');
}

try {
  main();
} catch (error) {
  const refused = error instanceof RefusedError;
  console.error(
    `tgdesk: restore ${refused ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(refused ? 2 : 1);
}

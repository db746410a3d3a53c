// `npm run backup -- <file or folder>`: a consistent copy of the store while the desk may be running.
// Opens DATABASE_PATH as it is (no migrations), copies it with SQLite's online backup, says where and how big.
// Without an argument the copy goes to BACKUP_DIR as tgdesk-<UTC time>.sqlite.
import { z } from 'zod';
import { DEFAULT_DATABASE_PATH } from '../db/connection.ts';
import { backupStore, RefusedError } from './backup-commands.ts';

const env = z
  .object({
    DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH),
    BACKUP_DIR: z
      .string()
      .optional()
      .transform((v) => (v?.trim() ? v.trim() : undefined)),
  })
  .parse(process.env);

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  const target = process.argv[2] ?? env.BACKUP_DIR;
  if (!target || process.argv.length > 3) {
    throw new RefusedError('usage: npm run backup -- <file or folder>  (or set BACKUP_DIR and give none)');
  }
  const result = await backupStore(env.DATABASE_PATH, target);
  console.log(
    `tgdesk: backup of ${env.DATABASE_PATH} written to ${result.file} (${size(result.bytes)}, ${result.ms} ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(`tgdesk: backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof RefusedError ? 2 : 1);
});

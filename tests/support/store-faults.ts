// Faults and raw statements for tests, on either store: a table whose inserts fail (as a full disk would make
// them), and a statement run as written. SQLite and PostgreSQL spell a failing trigger differently.
import { type SQL, sql } from 'drizzle-orm';
import { execute } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { storeDialect } from '../../db/dialect.ts';

/** Runs one statement as written (no placeholders): DDL and the like. */
export async function runStatement(db: Db, text: string | SQL): Promise<void> {
  await execute(db, typeof text === 'string' ? sql.raw(text) : text);
}

/** From now on every insert into `table` fails with `message`; the returned function heals it. */
export async function failInsertsInto(
  db: Db,
  table: string,
  message = 'disk on fire',
): Promise<() => Promise<void>> {
  const trigger = `fail_${table}`;
  if (storeDialect() === 'postgres') {
    await runStatement(
      db,
      `create function ${trigger}() returns trigger language plpgsql as $$ begin raise exception '${message}'; end $$`,
    );
    await runStatement(
      db,
      `create trigger ${trigger} before insert on ${table} for each row execute function ${trigger}()`,
    );
    return async () => {
      await runStatement(db, `drop trigger ${trigger} on ${table}`);
      await runStatement(db, `drop function ${trigger}()`);
    };
  }
  await runStatement(
    db,
    `create trigger ${trigger} before insert on ${table} begin select raise(abort, '${message}'); end`,
  );
  return () => runStatement(db, `drop trigger ${trigger}`);
}

/** The message of a store's failure: PostgreSQL's driver error comes as the cause of drizzle's "Failed query". */
export async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : String((error as Error).message ?? error);
  }
  throw new Error('expected the store to fail, and it did not');
}

// One change, one transaction. better-sqlite3 runs a transaction synchronously on its only connection,
// so everything the callback writes through `db` — drizzle queries and prepared statements alike — is
// committed together or rolled back together when it throws. (Lighter than drizzle's own wrapper, which
// builds a transaction object per call.)
import type { Db } from '../db/connection.ts';

type Runner = (fn: () => unknown) => unknown;
const runners = new WeakMap<Db, Runner>();

export function inTransaction<T>(db: Db, fn: () => T): T {
  let run = runners.get(db);
  if (!run) {
    run = db.$client.transaction((body: () => unknown) => body());
    runners.set(db, run);
  }
  return run(fn) as T;
}

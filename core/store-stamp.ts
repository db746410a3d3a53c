// A cheap way to know that nothing was written to the store since some moment: SQLite's count of rows
// this connection has changed (total_changes(), triggers and cascades included, rolled back or not) and
// its data_version, which moves whenever another connection — another process — commits. Caches of what
// was read from the store (the API's verified person and memberships) keep the stamp they were read
// under and are dropped as soon as it differs: any write at all, a membership's among them.
import type { Statement } from 'better-sqlite3';
import { queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { isPostgresStore } from '../db/pg/store.ts';

export type StoreStamp = readonly [changes: number, version: number];

interface StampStatements {
  changes: Statement<[], number>;
  version: Statement<[], number>;
}
const statements = new WeakMap<Db, StampStatements>();

/**
 * PostgreSQL has no cheap count of writes that covers every other instance's commits (the desk may run on
 * several): there each stamp is new (a count that only grows, with -1 for a version SQLite never reports),
 * never the same as one taken before, so a cache kept under a stamp is dropped at once — the API reads its
 * caller afresh on every request.
 */
let pgStamps = 0;

export async function storeStamp(db: Db): Promise<StoreStamp> {
  if (isPostgresStore(db)) return [++pgStamps, -1];
  let s = statements.get(db);
  if (!s) {
    // Two statements: total_changes() reads no table, so it opens no read transaction; together with the
    // pragma in one statement it cost twice as much.
    s = {
      changes: db.$client.prepare('select total_changes()').pluck() as Statement<[], number>,
      version: db.$client.prepare('pragma data_version').pluck() as Statement<[], number>,
    };
    statements.set(db, s);
  }
  return [(await queryOne(s.changes)) as number, (await queryOne(s.version)) as number];
}

export function sameStamp(a: StoreStamp, b: StoreStamp): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

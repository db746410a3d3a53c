// A cheap way to know that nothing was written to the store since some moment: SQLite's count of rows
// this connection has changed (total_changes(), triggers and cascades included, rolled back or not) and
// its data_version, which moves whenever another connection — another process — commits. Caches of what
// was read from the store (the API's verified person and memberships) keep the stamp they were read
// under and are dropped as soon as it differs: any write at all, a membership's among them.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection.ts';

export type StoreStamp = readonly [changes: number, version: number];

const statements = new WeakMap<Db, Statement<[], [number, number]>>();

export function storeStamp(db: Db): StoreStamp {
  let statement = statements.get(db);
  if (!statement) {
    statement = db.$client
      .prepare('select total_changes(), (select data_version from pragma_data_version)')
      .raw() as unknown as Statement<[], [number, number]>;
    statements.set(db, statement);
  }
  return statement.get() as [number, number];
}

export function sameStamp(a: StoreStamp, b: StoreStamp): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

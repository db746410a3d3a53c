// One change, one transaction. Store access is asynchronous (so that the same core can run where a query
// is a round trip), and a transaction's body awaits its queries; on SQLite's one connection nothing else
// may write — or read what is not yet committed — in between. So a transaction holds the store's lock
// from BEGIN to COMMIT, and every query made outside it (see db/access.ts) waits for the lock first.
// AsyncLocalStorage tells the body's own queries (and a nested transaction, which becomes a savepoint)
// from everyone else's.
import { AsyncLocalStorage } from 'node:async_hooks';
import { storeLock } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { holdAdvisoryLock, inPostgresTransaction, isPostgresStore, type PgStoreDb } from '../db/pg/store.ts';

const current = new AsyncLocalStorage<Db>();
let savepoints = 0;

export async function inTransaction<T>(db: Db, fn: () => T | Promise<T>): Promise<T> {
  // PostgreSQL: a transaction on a pooled client, the handle routing the body's queries to it.
  if (isPostgresStore(db)) return inPostgresTransaction(db as unknown as PgStoreDb, () => fn());
  const open = current.getStore();
  if (open === db) return inSavepoint(db, fn);
  // A transaction on another store from inside one (tests keep two stores) needs no lock: it is another
  // connection, and waiting for our own lock would never end.
  if (open !== undefined) return committed(db, fn);
  await storeLock.acquire(current);
  try {
    return await committed(db, fn);
  } finally {
    storeLock.release();
  }
}

/**
 * Inside a transaction: waits until no other transaction holds `name`, and holds it until this one ends. On
 * SQLite every transaction holds the store already; on PostgreSQL it is a transaction-level advisory lock, for
 * a read-modify-write no row can guard (the next ticket number).
 */
export async function holdWithin(db: Db, name: string): Promise<void> {
  if (isPostgresStore(db)) await holdAdvisoryLock(db as unknown as PgStoreDb, name);
}

async function committed<T>(db: Db, fn: () => T | Promise<T>): Promise<T> {
  const sqlite = db.$client;
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const result = await current.run(db, fn);
    sqlite.exec('COMMIT');
    return result;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}

async function inSavepoint<T>(db: Db, fn: () => T | Promise<T>): Promise<T> {
  const sqlite = db.$client;
  const name = `nested_${++savepoints}`;
  sqlite.exec(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    sqlite.exec(`RELEASE ${name}`);
    return result;
  } catch (error) {
    sqlite.exec(`ROLLBACK TO ${name}`);
    sqlite.exec(`RELEASE ${name}`);
    throw error;
  }
}

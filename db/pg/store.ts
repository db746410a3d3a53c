// The PostgreSQL store as core uses it: one handle, `db`, whose queries run on the right connection.
//
// Core runs a change as `inTransaction(ctx.db, async () => { ...queries built from ctx.db... })`: the body
// builds its queries from the same handle it had outside, and no transaction handle is passed in. On SQLite's
// one connection that is enough (core/transaction.ts). On PostgreSQL a transaction lives on one client taken
// from the pool, so the handle must route: a query built inside a transaction's async context runs on that
// transaction's client, any other on the pool. `db` here is a Proxy over the pool's drizzle database that
// reads every property (select, insert, execute, query, $count, ...) from the innermost open transaction of
// the current async context (AsyncLocalStorage), else from the pool's database. Drizzle's own
// `transaction` does BEGIN/COMMIT/ROLLBACK on a pooled client and turns a nested call into a savepoint.
//
// The route is chosen when the query is built (when `db.select` is read), which is where core also awaits it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgTransactionConfig } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { migratePostgres, PG_MIGRATIONS_FOLDER } from './migrate.ts';
import * as schema from './schema.ts';

export type PgStoreDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };
export type PgStoreTx = Parameters<Parameters<PgStoreDb['transaction']>[0]>[0];

export interface PostgresStore {
  /** The routing handle: on the current transaction's client inside `inPostgresTransaction`, else the pool. */
  db: PgStoreDb;
  pool: pg.Pool;
  /** Ends the pool; transactions still open finish on their clients first (pg's Pool.end waits for them). */
  close(): Promise<void>;
}

export interface PostgresStoreOptions {
  /** Pool settings (max, idleTimeoutMillis, ...); the URL is given apart. */
  pool?: Omit<pg.PoolConfig, 'connectionString'>;
  migrationsFolder?: string;
}

/** The first key of the advisory locks core takes within a transaction (db/pg/leases.ts keeps to others). */
const LOCK_CLASS = 7_311_001;

/** One open transaction (or savepoint) of an async flow. */
interface Frame {
  tx: PgStoreTx;
  /** False once the body has settled: late work started inside it must not use a client gone back to the pool. */
  open: boolean;
  parent: Frame | undefined;
  /** The tail of this frame's nested transactions, which run one after another (see `nested`). */
  tail: Promise<unknown>;
}

interface Router {
  base: PgStoreDb;
  // One per store: a transaction on one store from inside one on another (tests keep two) routes neither.
  context: AsyncLocalStorage<Frame>;
}

// Both the store and its routing handle lead to the router, so core can pass either (it holds `ctx.db`).
const routers = new WeakMap<object, Router>();

/** The innermost transaction of the current async flow that is still open. */
function openFrame(router: Router): Frame | undefined {
  let frame = router.context.getStore();
  while (frame && !frame.open) frame = frame.parent;
  return frame;
}

/** Whether `db` is a PostgreSQL store's routing handle (else it is SQLite's). */
export function isPostgresStore(db: object): boolean {
  return routers.has(db);
}

/**
 * What a query built from `db` now would run on: this flow's open transaction, else the pool's database (and a
 * SQLite handle is itself). Prepared queries are bound to what they were built on, so their caches key on this.
 */
export function routeOf(db: object): object {
  const router = routers.get(db);
  if (!router) return db;
  return openFrame(router)?.tx ?? router.base;
}

/**
 * Takes a transaction-level advisory lock named `name` (held until the transaction ends) on the current
 * transaction's client. Outside a transaction it would be let go at once, so that is refused.
 */
export async function holdAdvisoryLock(db: PgStoreDb, name: string): Promise<void> {
  const router = routers.get(db);
  const frame = router && openFrame(router);
  if (!frame) throw new Error('holdAdvisoryLock: only inside inPostgresTransaction');
  // Two int4 keys from the name (hashtext), in a class of their own (the first key), apart from the leases'.
  await frame.tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${name}))`);
}

export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  await migratePostgres(url, options.migrationsFolder ?? PG_MIGRATIONS_FOLDER);
  // bigint (int8) as a JavaScript number, for raw queries too (drizzle's own parsers fall back to pg's global
  // ones): instants and Telegram ids stay below 2^53 (db/pg/schema.ts), counts and sums as well.
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({ ...options.pool, connectionString: url });
  const base = drizzle({ client: pool, schema });
  const router: Router = { base, context: new AsyncLocalStorage() };
  const db = new Proxy(base, {
    get(target, prop) {
      // `db.transaction(fn)` on the routing handle is `inPostgresTransaction`, so its body routes as well.
      if (prop === 'transaction') {
        return <T>(fn: (tx: PgStoreTx) => Promise<T>, config?: PgTransactionConfig) =>
          transact(router, fn, config);
      }
      const tx = openFrame(router)?.tx;
      // A transaction has no `$client`: that one stays the pool's.
      const source: object = tx && prop in tx ? tx : target;
      const value: unknown = Reflect.get(source, prop);
      // Bound, so that drizzle's methods see their own object as `this`, not the Proxy; the constructor is
      // left alone because drizzle's `is()` reads its static entity kind.
      return typeof value === 'function' && prop !== 'constructor' ? value.bind(source) : value;
    },
  });
  const store: PostgresStore = { db, pool, close: () => pool.end() };
  routers.set(db, router);
  routers.set(store, router);
  return store;
}

/**
 * Runs `fn` in a transaction on one pooled client; queries built from the store's `db` inside it (and in
 * whatever it awaits) run on that client. A call inside another becomes a savepoint: when it throws, only
 * its own writes are undone and the caller may catch and go on. A throw out of the outermost call rolls
 * everything back and rethrows the same error.
 *
 * The level is READ COMMITTED, set explicitly rather than left to the server's default_transaction_isolation:
 * core has no loop retrying serialization failures (SQLSTATE 40001), which REPEATABLE READ and SERIALIZABLE
 * raise on conflicting writes; it guards its read-modify-writes itself (ticket versions, unique keys, ON
 * CONFLICT, row locks). A nested call runs at its transaction's level and ignores `config`.
 */
export function inPostgresTransaction<T>(
  store: PostgresStore | PgStoreDb,
  fn: (tx: PgStoreTx) => T | Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  const router = routers.get(store);
  if (!router) throw new Error('inPostgresTransaction: not a store made by openPostgresStore');
  return transact(router, fn, config);
}

function transact<T>(
  router: Router,
  fn: (tx: PgStoreTx) => T | Promise<T>,
  config: PgTransactionConfig | undefined,
): Promise<T> {
  const parent = openFrame(router);
  if (parent) return nested(router, parent, fn);
  return router.base.transaction(
    (tx) => body(router, tx, undefined, fn),
    // Explicit READ COMMITTED; see inPostgresTransaction.
    { isolationLevel: 'read committed', ...config },
  );
}

// A transaction is one connection: two savepoints open at once would interleave on it, and drizzle names a
// savepoint by its depth (sp1, sp2, ...), so siblings share a name and a ROLLBACK TO would undo the wrong one.
// Nested calls made concurrently (Promise.all inside a transaction) therefore take turns.
function nested<T>(router: Router, parent: Frame, fn: (tx: PgStoreTx) => T | Promise<T>): Promise<T> {
  const run = parent.tail.then(() => {
    // Started but not awaited by a body that has since ended: its client may be back in the pool already.
    if (!parent.open) throw new Error('inPostgresTransaction: the enclosing transaction has already ended');
    return parent.tx.transaction((tx) => body(router, tx, parent, fn));
  });
  parent.tail = run.catch(() => undefined);
  return run;
}

async function body<T>(
  router: Router,
  tx: PgStoreTx,
  parent: Frame | undefined,
  fn: (tx: PgStoreTx) => T | Promise<T>,
): Promise<T> {
  const frame: Frame = { tx, open: true, parent, tail: Promise.resolve() };
  try {
    return await router.context.run(frame, () => fn(tx));
  } finally {
    frame.open = false;
  }
}

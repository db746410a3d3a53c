// Running a query. Core awaits every query so that the same core can run on a store where a query is a
// round trip; on SQLite each of these is better-sqlite3's synchronous call, handed back already settled.
// A query made outside a transaction waits while one is open on the store (core/transaction.ts), so it
// never reads uncommitted rows nor slips its write into someone else's transaction.
import type { AsyncLocalStorage } from 'node:async_hooks';
import { storeDialect } from './dialect.ts';

class StoreLock {
  #held = false;
  #owner: AsyncLocalStorage<unknown> | undefined;
  #waiting: Array<() => void> = [];

  async acquire(owner: AsyncLocalStorage<unknown>): Promise<void> {
    while (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#held = true;
    this.#owner = owner;
  }

  release(): void {
    this.#held = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }

  /** Whether a query made here must wait: another flow's transaction is open. */
  blocks(): boolean {
    return this.#held && this.#owner?.getStore() === undefined;
  }

  /** Until no other flow's transaction is open. */
  async outside(): Promise<void> {
    while (this.blocks()) await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
}

export const storeLock = new StoreLock();

// On PostgreSQL (db/dialect.ts) a query is a drizzle builder or prepared query, or the database itself with
// an SQL text (`queryAll(db, sql\`…\`)`), each run with `execute` and its placeholders, if any; what comes back
// is shaped as better-sqlite3 hands it (rows; a write's count of changed rows as `changes`).
const onPostgres = storeDialect() === 'postgres';

interface PgExecutable {
  execute(value?: unknown): Promise<unknown>;
}

async function pgRows(query: unknown, args: unknown[]): Promise<unknown[]> {
  const result = await (query as PgExecutable).execute(args[0]);
  if (Array.isArray(result)) return result;
  return ((result as { rows?: unknown[] }).rows ?? []) as unknown[];
}

export async function queryAll<A extends unknown[], R>(
  query: { all(...args: A): R },
  ...args: A
): Promise<R> {
  if (onPostgres) return (await pgRows(query, args)) as R;
  if (storeLock.blocks()) await storeLock.outside();
  return query.all(...args);
}

export async function queryOne<A extends unknown[], R>(
  query: { get(...args: A): R },
  ...args: A
): Promise<R> {
  if (onPostgres) return (await pgRows(query, args))[0] as R;
  if (storeLock.blocks()) await storeLock.outside();
  return query.get(...args);
}

export async function execute<A extends unknown[], R>(query: { run(...args: A): R }, ...args: A): Promise<R> {
  if (onPostgres) {
    const result = await (query as unknown as PgExecutable).execute(args[0]);
    const changes = Array.isArray(result) ? result.length : ((result as { rowCount?: number }).rowCount ?? 0);
    return { changes } as R;
  }
  if (storeLock.blocks()) await storeLock.outside();
  return query.run(...args);
}

export async function queryValues<A extends unknown[], R>(
  query: { values(...args: A): R },
  ...args: A
): Promise<R> {
  if (onPostgres) return (await pgRows(query, args)).map((row) => Object.values(row as object)) as R;
  if (storeLock.blocks()) await storeLock.outside();
  return query.values(...args);
}

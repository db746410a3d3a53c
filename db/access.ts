// Running a query. Core awaits every query so that the same core can run on a store where a query is a
// round trip; on SQLite each of these is better-sqlite3's synchronous call, handed back already settled.
// A query made outside a transaction waits while one is open on the store (core/transaction.ts), so it
// never reads uncommitted rows nor slips its write into someone else's transaction.
import type { AsyncLocalStorage } from 'node:async_hooks';

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

export async function queryAll<A extends unknown[], R>(
  query: { all(...args: A): R },
  ...args: A
): Promise<R> {
  if (storeLock.blocks()) await storeLock.outside();
  return query.all(...args);
}

export async function queryOne<A extends unknown[], R>(
  query: { get(...args: A): R },
  ...args: A
): Promise<R> {
  if (storeLock.blocks()) await storeLock.outside();
  return query.get(...args);
}

export async function execute<A extends unknown[], R>(query: { run(...args: A): R }, ...args: A): Promise<R> {
  if (storeLock.blocks()) await storeLock.outside();
  return query.run(...args);
}

export async function queryValues<A extends unknown[], R>(
  query: { values(...args: A): R },
  ...args: A
): Promise<R> {
  if (storeLock.blocks()) await storeLock.outside();
  return query.values(...args);
}

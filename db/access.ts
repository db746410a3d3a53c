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

  /** Resolves at once unless another flow's transaction is open. */
  outside(): Promise<void> | undefined {
    if (!this.#held || this.#owner?.getStore() !== undefined) return undefined;
    return new Promise<void>((resolve) => this.#waiting.push(resolve)).then(() => this.outside());
  }
}

export const storeLock = new StoreLock();

export async function queryAll<A extends unknown[], R>(
  query: { all(...args: A): R },
  ...args: A
): Promise<R> {
  const wait = storeLock.outside();
  if (wait) await wait;
  return query.all(...args);
}

export async function queryOne<A extends unknown[], R>(
  query: { get(...args: A): R },
  ...args: A
): Promise<R> {
  const wait = storeLock.outside();
  if (wait) await wait;
  return query.get(...args);
}

export async function execute<A extends unknown[], R>(query: { run(...args: A): R }, ...args: A): Promise<R> {
  const wait = storeLock.outside();
  if (wait) await wait;
  return query.run(...args);
}

export async function queryValues<A extends unknown[], R>(
  query: { values(...args: A): R },
  ...args: A
): Promise<R> {
  const wait = storeLock.outside();
  if (wait) await wait;
  return query.values(...args);
}

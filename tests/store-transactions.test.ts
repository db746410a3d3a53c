// The SQLite store under asynchronous access (core/transaction.ts, db/access.ts): a transaction's body awaits
// its queries, and other flows run meanwhile on the same connection. They must neither read what the body
// has not committed nor slip their writes into it; a nested transaction is a savepoint of its own.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../core/transaction.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { openDatabase } from '../db/connection.ts';
import { deskSettings } from '../db/schema.ts';

const read = async (db: ReturnType<typeof openDatabase>, key: string) =>
  (await queryOne(db.select().from(deskSettings).where(eq(deskSettings.key, key))))?.value ?? null;
const write = (db: ReturnType<typeof openDatabase>, key: string, value: string) =>
  execute(db.insert(deskSettings).values({ key, value, updatedAt: 0 }));

/** Resolves after every microtask queued so far (and those they queue) has run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('transactions on the SQLite store', () => {
  it('keep what they have not committed from a flow reading meanwhile', async () => {
    const db = openDatabase(':memory:');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: (string | null)[] = [];
    const body = inTransaction(db, async () => {
      await write(db, 'k', 'uncommitted');
      // Inside, its own write is there.
      seen.push(await read(db, 'k'));
      await held;
    });
    await turn();
    // Outside, the read waits for the commit instead of seeing the row early.
    const outside = read(db, 'k').then((value) => seen.push(value));
    await turn();
    expect(seen).toEqual(['uncommitted']);
    release();
    await body;
    await outside;
    expect(seen).toEqual(['uncommitted', 'uncommitted']);
  });

  it('keep a write made meanwhile out of a transaction that then rolls back', async () => {
    const db = openDatabase(':memory:');
    let fail: () => void = () => undefined;
    const failing = new Promise<void>((resolve) => {
      fail = resolve;
    });
    const body = inTransaction(db, async () => {
      await write(db, 'inside', 'x');
      await failing;
      throw new Error('refused');
    });
    await turn();
    const outside = write(db, 'outside', 'y');
    await turn();
    fail();
    await expect(body).rejects.toThrow('refused');
    await outside;
    expect(await read(db, 'inside')).toBeNull();
    expect(await read(db, 'outside')).toBe('y');
  });

  it('run one at a time, each seeing the one before committed', async () => {
    const db = openDatabase(':memory:');
    await write(db, 'n', '0');
    const bump = () =>
      inTransaction(db, async () => {
        const n = Number(await read(db, 'n'));
        await turn();
        await execute(
          db
            .update(deskSettings)
            .set({ value: String(n + 1) })
            .where(eq(deskSettings.key, 'n')),
        );
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect(await read(db, 'n')).toBe('20');
  });

  it('make a nested transaction a savepoint: its failure undoes only its own writes', async () => {
    const db = openDatabase(':memory:');
    await inTransaction(db, async () => {
      await write(db, 'outer', '1');
      await expect(
        inTransaction(db, async () => {
          await write(db, 'inner', '2');
          throw new Error('inner refused');
        }),
      ).rejects.toThrow('inner refused');
      await write(db, 'after', '3');
    });
    const keys = (await queryAll(db.select({ key: deskSettings.key }).from(deskSettings))).map((r) => r.key);
    expect(keys.sort()).toEqual(['after', 'outer']);
  });

  it('roll back every write of a body that throws, and pass its error on', async () => {
    const db = openDatabase(':memory:');
    const error = new Error('no');
    await expect(
      inTransaction(db, async () => {
        await write(db, 'a', '1');
        await write(db, 'b', '2');
        throw error;
      }),
    ).rejects.toBe(error);
    expect(await queryAll(db.select().from(deskSettings))).toEqual([]);
    // The store is usable at once: the lock was let go.
    await inTransaction(db, () => write(db, 'c', '3'));
    expect(await read(db, 'c')).toBe('3');
  });
});

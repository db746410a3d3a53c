// The PostgreSQL store's routing handle (db/pg/store.ts) on a real PostgreSQL (tests/support/postgres.ts):
// queries built from the one `db` inside inPostgresTransaction run on that transaction's client, others on
// the pool; nested calls are savepoints; concurrent flows each keep their own transaction.
import { asc, eq, like, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deskSettings, people } from '../db/pg/schema.ts';
import {
  inPostgresTransaction,
  openPostgresStore,
  type PgStoreDb,
  type PostgresStore,
} from '../db/pg/store.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from './support/postgres.ts';

interface Gate {
  promise: Promise<void>;
  open(): void;
}

/** A promise opened by hand: one flow waits at it until another says so, with no sleeps. */
function gate(): Gate {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Fails instead of hanging when `promise` waits on something it should not (a lock, a pooled client). */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const NOW = 1_750_000_000_000;

const setting = (key: string, value = 'v') => ({ key, value, updatedAt: NOW });

async function keys(db: PgStoreDb, prefix: string): Promise<string[]> {
  const rows = await db
    .select({ key: deskSettings.key })
    .from(deskSettings)
    .where(like(deskSettings.key, `${prefix}%`))
    .orderBy(asc(deskSettings.key));
  return rows.map((r) => r.key);
}

/** The server process of the connection a query built from `db` here runs on. */
async function backend(db: PgStoreDb): Promise<number> {
  const result = await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
  return Number(result.rows[0]?.pid);
}

describe.skipIf(!postgresAvailable())('the PostgreSQL store handle in transactions', () => {
  let server: PostgresServer;
  let store: PostgresStore;
  let db: PgStoreDb;
  /** A connection of its own, outside the store: what any other process would see. */
  let observer: pg.Client;

  const committedKeys = async (prefix: string) =>
    (
      await observer.query<{ key: string }>('select key from desk_settings where key like $1 order by key', [
        `${prefix}%`,
      ])
    ).rows.map((r) => r.key);

  async function open(max = 10): Promise<void> {
    const url = await server.createDatabase();
    store = await openPostgresStore(url, { pool: { max } });
    db = store.db;
    observer = new pg.Client({ connectionString: url });
    await observer.connect();
  }

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);

  afterEach(async () => {
    await observer?.end();
    await store?.close();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('reads its own uncommitted insert inside; a flow outside does not until the commit', async () => {
    await open();
    const inserted = gate();
    const lookedOutside = gate();
    // Started here, outside the transaction's async context; it reads while the transaction is open.
    const outside = (async () => {
      await inserted.promise;
      const seen = { keys: await keys(db, 'one.'), pid: await backend(db) };
      lookedOutside.open();
      return seen;
    })();

    const inside = await inPostgresTransaction(store, async () => {
      await db.insert(deskSettings).values(setting('one.a'));
      const pids = [await backend(db)];
      const seen = await keys(db, 'one.');
      pids.push(await backend(db));
      inserted.open();
      await lookedOutside.promise;
      // Still open here: nobody else sees the row yet.
      expect(await committedKeys('one.')).toEqual([]);
      return { seen, pids };
    });

    expect(inside.seen).toEqual(['one.a']);
    // Every query of the body ran on one connection, and not on the one the outside flow used.
    const [pid] = inside.pids;
    expect(inside.pids).toEqual([pid, pid]);
    const seenOutside = await outside;
    expect(seenOutside.keys).toEqual([]);
    expect(seenOutside.pid).not.toBe(pid);
    // Committed: the same handle, and any other connection, now see it.
    expect(await keys(db, 'one.')).toEqual(['one.a']);
    expect(await committedKeys('one.')).toEqual(['one.a']);
  });

  it('rolls back every write of the body when it throws, and rethrows that error', async () => {
    await open();
    const boom = new Error('boom');
    let seenInside: string[] = [];
    const failed = inPostgresTransaction(store, async () => {
      await db.insert(deskSettings).values([setting('two.a'), setting('two.b')]);
      await db.insert(people).values({ name: 'Rolled back', createdAt: NOW });
      await db.update(deskSettings).set({ value: 'changed' }).where(eq(deskSettings.key, 'two.a'));
      seenInside = await keys(db, 'two.');
      throw boom;
    });
    await expect(failed).rejects.toBe(boom);
    expect(seenInside).toEqual(['two.a', 'two.b']);
    expect(await keys(db, 'two.')).toEqual([]);
    expect(await db.$count(people)).toBe(0);
    expect(await committedKeys('two.')).toEqual([]);
  });

  it('rolls back only a nested call that throws and is caught; the outer commits the rest', async () => {
    await open();
    const inner = new Error('inner');
    const result = await inPostgresTransaction(store, async () => {
      await db.insert(deskSettings).values(setting('three.a'));
      // A nested call sees the outer's writes (same connection) and its throw undoes only its own.
      const seenByInner = await inPostgresTransaction(store, async () => {
        await db.insert(deskSettings).values(setting('three.b'));
        return keys(db, 'three.');
      });
      const caught = await inPostgresTransaction(store, async () => {
        await db.insert(deskSettings).values(setting('three.c'));
        await db.update(deskSettings).set({ value: 'lost' }).where(eq(deskSettings.key, 'three.a'));
        throw inner;
      }).catch((error: unknown) => error);
      expect(caught).toBe(inner);
      // A failed statement aborts a PostgreSQL transaction; inside a savepoint it aborts only the savepoint.
      const duplicate = await inPostgresTransaction(store, () =>
        db.insert(deskSettings).values(setting('three.a')),
      ).catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(Error);
      // The routing handle's own `transaction` is the same thing, and a savepoint here.
      await db.transaction(async (tx) => {
        await tx.insert(deskSettings).values(setting('three.d'));
      });
      await db.insert(deskSettings).values(setting('three.e'));
      return { seenByInner, seenAfter: await keys(db, 'three.') };
    });
    expect(result.seenByInner).toEqual(['three.a', 'three.b']);
    expect(result.seenAfter).toEqual(['three.a', 'three.b', 'three.d', 'three.e']);
    expect(await committedKeys('three.')).toEqual(['three.a', 'three.b', 'three.d', 'three.e']);
    const [a] = await db.select().from(deskSettings).where(eq(deskSettings.key, 'three.a'));
    expect(a?.value).toBe('v');
  });

  it('keeps two concurrent transactions apart through the same handle, by async flow', async () => {
    await open();
    /** A flow's two meeting points: it has written; it has read (and may commit). */
    const steps = () => ({ written: gate(), read: gate() });
    const flow = (name: 'x' | 'y', mine: ReturnType<typeof steps>, theirs: ReturnType<typeof steps>) =>
      inPostgresTransaction(store, async () => {
        await db.insert(deskSettings).values([setting(`four.${name}1`), setting(`four.${name}2`)]);
        mine.written.open();
        // Both transactions open, both rows written, when each reads; neither commits before both have read.
        await theirs.written.promise;
        const seen = await keys(db, 'four.');
        const pid = await backend(db);
        const count = await db.$count(deskSettings, like(deskSettings.key, 'four.%'));
        mine.read.open();
        await theirs.read.promise;
        return { seen, pid, count };
      });
    const sx = steps();
    const sy = steps();
    const [x, y] = await Promise.all([flow('x', sx, sy), flow('y', sy, sx)]);
    expect(x.seen).toEqual(['four.x1', 'four.x2']);
    expect(y.seen).toEqual(['four.y1', 'four.y2']);
    expect([x.count, y.count]).toEqual([2, 2]);
    expect(x.pid).not.toBe(y.pid);
    expect(await committedKeys('four.')).toEqual(['four.x1', 'four.x2', 'four.y1', 'four.y2']);
  });

  it('sends a query made outside any transaction to the pool, without waiting for an open one', async () => {
    await open();
    await db.insert(deskSettings).values(setting('five.row', 'before'));
    const changed = gate();
    const finish = gate();
    let txPid = 0;
    const open1 = inPostgresTransaction(store, async () => {
      txPid = await backend(db);
      // Holds the row's lock and an uncommitted change until the outside flow is done.
      await db.update(deskSettings).set({ value: 'after' }).where(eq(deskSettings.key, 'five.row'));
      changed.open();
      await finish.promise;
    });
    try {
      await changed.promise;
      // No transaction in this flow: the pool's handle, another connection, and not held up by the open one.
      expect(db.$client).toBe(store.pool);
      const outside = await within(
        15_000,
        'a query outside the transaction',
        (async () => {
          const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, 'five.row'));
          await db.insert(deskSettings).values(setting('five.other'));
          return { value: row?.value, pid: await backend(db) };
        })(),
      );
      expect(outside.value).toBe('before');
      expect(outside.pid).not.toBe(txPid);
      // Written outside, so committed at once although the transaction is still open.
      expect(await committedKeys('five.')).toEqual(['five.other', 'five.row']);
    } finally {
      finish.open();
      await open1;
    }
    const [row] = await db.select().from(deskSettings).where(eq(deskSettings.key, 'five.row'));
    expect(row?.value).toBe('after');
  }, 30_000);

  it('runs 50 concurrent transactions, some with savepoints, on a pool of 5', async () => {
    await open(5);
    const n = 50;
    let inside = 0;
    let mostInside = 0;
    const results = await within(
      20_000,
      '50 transactions on 5 clients',
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          inPostgresTransaction(store, async () => {
            mostInside = Math.max(mostInside, ++inside);
            try {
              const key = `six.${String(i).padStart(2, '0')}`;
              await db.insert(deskSettings).values(setting(key));
              if (i % 5 === 0) {
                await inPostgresTransaction(store, async () => {
                  await db.insert(deskSettings).values(setting(`${key}.undone`));
                  throw new Error('undone');
                }).catch(() => undefined);
              }
              // Its own row, not yet committed: seen only on its own client.
              return await keys(db, 'six.');
            } finally {
              inside--;
            }
          }),
        ),
      ),
    );
    // Each saw its own row before committing it (and whatever others had committed by then: READ COMMITTED),
    // never a row a savepoint undid.
    results.forEach((seen, i) => {
      expect(seen).toContain(`six.${String(i).padStart(2, '0')}`);
      expect(seen.filter((key) => key.endsWith('.undone'))).toEqual([]);
    });
    expect(mostInside).toBeLessThanOrEqual(5);
    expect(mostInside).toBeGreaterThan(1);
    expect(store.pool.totalCount).toBeLessThanOrEqual(5);
    expect(await committedKeys('six.')).toHaveLength(n);
    expect(await db.$count(deskSettings, like(deskSettings.key, '%.undone'))).toBe(0);
  }, 30_000);

  it('runs nested calls made at once inside one transaction one after another', async () => {
    await open();
    const failing = new Error('first fails');
    await inPostgresTransaction(store, async () => {
      const [first, second] = await Promise.allSettled([
        inPostgresTransaction(store, async () => {
          await db.insert(deskSettings).values(setting('seven.first'));
          // Lets the second call start before this one throws: were the two savepoints open together,
          // this one's rollback would undo the second's write too.
          await db.execute(sql`select 1`);
          throw failing;
        }),
        inPostgresTransaction(store, async () => {
          await db.insert(deskSettings).values(setting('seven.second'));
        }),
      ]);
      expect(first).toEqual({ status: 'rejected', reason: failing });
      expect(second).toEqual({ status: 'fulfilled', value: undefined });
    });
    expect(await committedKeys('seven.')).toEqual(['seven.second']);
  });

  it('sends work a transaction started but left running after its end to the pool, not its old client', async () => {
    await open(1);
    const ended = gate();
    let late: Promise<string[]> | undefined;
    await inPostgresTransaction(store, async () => {
      await db.insert(deskSettings).values(setting('eight.in'));
      // Carries the transaction's async context, but runs after the commit.
      late = (async () => {
        await ended.promise;
        // A fresh transaction, not a savepoint on the ended one (a SAVEPOINT outside a transaction fails).
        await inPostgresTransaction(store, async () => {
          await db.insert(deskSettings).values(setting('eight.late'));
        });
        return keys(db, 'eight.');
      })();
    });
    ended.open();
    expect(await late).toEqual(['eight.in', 'eight.late']);
    expect(await committedKeys('eight.')).toEqual(['eight.in', 'eight.late']);
  });
});

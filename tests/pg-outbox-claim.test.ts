// Claiming the outbox on a real PostgreSQL (db/pg/outbox-claim.ts): the same rule as core/outbox.ts on SQLite
// (each recipient's oldest undelivered notice, when it is pending and due), and kept when many claimers ask at
// the same moment: no notice claimed twice, no recipient's notice claimed while an older one is in flight.
import { asc, eq, inArray } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../core/outbox.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { migratePostgres } from '../db/pg/migrate.ts';
import {
  claimDueNotices,
  DEFAULT_CLAIM_LEASE_MS,
  markDead,
  markSent,
  markUnreachable,
  nextDueAt,
  type PgOutboxRow,
  reconcileInterrupted,
  release,
  scheduleRetry,
} from '../db/pg/outbox-claim.ts';
import { outbox, people } from '../db/pg/schema.ts';
import type { OutboxChannel } from '../db/schema.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from './support/postgres.ts';

const T0 = 1_700_000_000_000;

describe.skipIf(!postgresAvailable())('claiming the outbox on PostgreSQL', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let db: NodePgDatabase;
  let keys = 0;

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(async () => {
    const url = await server.createDatabase();
    await migratePostgres(url);
    // Room for the eight claimers of the concurrency tests, each on a connection of its own.
    pool = new pg.Pool({ connectionString: url, max: 12 });
    db = drizzle(pool);
  }, 30_000);

  afterEach(async () => {
    await pool?.end();
  });

  async function person(name = 'someone'): Promise<number> {
    const [row] = await db.insert(people).values({ name, createdAt: T0 }).returning({ id: people.id });
    if (!row) throw new Error('no person');
    return row.id;
  }

  async function persons(n: number): Promise<number[]> {
    const rows = await db
      .insert(people)
      .values(Array.from({ length: n }, (_, i) => ({ name: `person ${i}`, createdAt: T0 })))
      .returning({ id: people.id });
    return rows.map((r) => r.id);
  }

  interface Notice {
    recipientId: number | null;
    channel?: OutboxChannel;
    state?: PgOutboxRow['state'];
    at?: number;
  }

  /** Inserts the notices in the order given (so their ids rise in that order); returns their ids. */
  async function queue(notices: Notice[]): Promise<number[]> {
    const ids: number[] = [];
    // In slices: one insert of thousands of rows would pass PostgreSQL's limit of parameters.
    for (let start = 0; start < notices.length; start += 500) {
      const rows = await db
        .insert(outbox)
        .values(
          notices.slice(start, start + 500).map((n) => ({
            createdAt: T0,
            recipientId: n.recipientId,
            channel: n.channel ?? (n.recipientId === null ? 'staff_group' : 'telegram'),
            kind: 'requester.comment',
            payload: { n: ++keys },
            idempotencyKey: `k${keys}`,
            state: n.state ?? 'pending',
            nextAttemptAt: n.at ?? T0,
          })),
        )
        .returning({ id: outbox.id });
      ids.push(...rows.map((r) => r.id).sort((a, b) => a - b));
    }
    return ids;
  }

  const idsOf = (rows: PgOutboxRow[]) => rows.map((r) => r.id);
  const allRows = () => db.select().from(outbox).orderBy(asc(outbox.id));
  async function stateOf(id: number) {
    const [row] = await db.select().from(outbox).where(eq(outbox.id, id));
    return row;
  }

  describe('one claimer', () => {
    it('hands out the oldest undelivered notice of each recipient, and the next only after it is sent', async () => {
      const [a = 0, b = 0] = await persons(2);
      const [a0 = 0, a1 = 0, b0 = 0, , a2 = 0] = await queue([
        { recipientId: a },
        { recipientId: a },
        { recipientId: b },
        { recipientId: b },
        { recipientId: a },
      ]);
      const first = await claimDueNotices(pool, T0, 100);
      expect(idsOf(first)).toEqual([a0, b0]);
      expect(first.every((r) => r.state === 'sending' && r.attempts === 1)).toBe(true);
      // The claim instant is kept in next_attempt_at while the notice is in flight.
      expect(first.every((r) => r.nextAttemptAt === T0)).toBe(true);
      // Nothing more while those are in flight.
      expect(await claimDueNotices(pool, T0, 100)).toEqual([]);
      const [firstA] = first;
      if (!firstA) throw new Error('nothing claimed');
      expect(await markSent(pool, firstA, T0 + 5)).toBe(true);
      expect(idsOf(await claimDueNotices(pool, T0 + 10, 100))).toEqual([a1]);
      expect(await stateOf(a0)).toMatchObject({ state: 'sent', sentAt: T0 + 5, lastError: null });
      expect((await stateOf(a2))?.state).toBe('pending');
    });

    it('skips notices not yet due, and keeps the order behind one waiting for a retry', async () => {
      const [a = 0, b = 0, c = 0] = await persons(3);
      const [a0 = 0, a1 = 0, b0 = 0, c0 = 0] = await queue([
        { recipientId: a },
        { recipientId: a },
        { recipientId: b, at: T0 + 60_000 },
        { recipientId: c, at: T0 + 1 },
      ]);
      const claimed = await claimDueNotices(pool, T0, 100);
      expect(idsOf(claimed)).toEqual([a0]);
      const [first] = claimed;
      if (!first) throw new Error('nothing claimed');
      expect(await scheduleRetry(pool, first, '429: retry after 3', 3000, T0)).toBe(true);
      expect(await stateOf(a0)).toMatchObject({ state: 'pending', nextAttemptAt: T0 + 3000 });
      // The second of a may not overtake the first; c falls due; b not yet.
      expect(idsOf(await claimDueNotices(pool, T0 + 1, 100))).toEqual([c0]);
      expect(await claimDueNotices(pool, T0 + 2999, 100)).toEqual([]);
      // As core's nextDueAt: the earliest pending notice, here a1, due though held back behind a0.
      expect(await nextDueAt(pool)).toBe(T0);
      expect(await nextDueAt(pool, 'email')).toBe(null);
      const again = await claimDueNotices(pool, T0 + 3000, 100);
      expect(idsOf(again)).toEqual([a0]);
      expect(again[0]?.attempts).toBe(2);
      expect(await claimDueNotices(pool, T0 + 60_000, 100).then(idsOf)).toEqual([b0]);
      expect(a1).toBeGreaterThan(a0);
    });

    it('respects the limit and the channel; the staff group is one recipient of its own', async () => {
      const [a = 0, b = 0, c = 0, d = 0] = await persons(4);
      const [a0 = 0, b0 = 0, c0 = 0, d0 = 0, g0 = 0, g1 = 0, e0 = 0] = await queue([
        { recipientId: a },
        { recipientId: b },
        { recipientId: c },
        { recipientId: d },
        { recipientId: null },
        { recipientId: null },
        { recipientId: a, channel: 'email' },
      ]);
      expect(idsOf(await claimDueNotices(pool, T0, 3))).toEqual([a0, b0, c0]);
      expect(idsOf(await claimDueNotices(pool, T0, 3))).toEqual([d0]);
      expect(await claimDueNotices(pool, T0, 3)).toEqual([]);
      const [group] = await claimDueNotices(pool, T0, 3, 'staff_group');
      expect(group?.id).toBe(g0);
      expect(await claimDueNotices(pool, T0, 3, 'staff_group')).toEqual([]);
      if (!group) throw new Error('nothing claimed');
      await markSent(pool, group, T0);
      expect(idsOf(await claimDueNotices(pool, T0, 3, 'staff_group'))).toEqual([g1]);
      // a's e-mail waits behind a's Telegram notice, in flight: the order is per recipient, across channels.
      expect(await claimDueNotices(pool, T0, 3, 'email')).toEqual([]);
      const [aRow] = await db.select().from(outbox).where(eq(outbox.id, a0));
      if (!aRow) throw new Error('no row');
      await markSent(pool, aRow, T0);
      expect(idsOf(await claimDueNotices(pool, T0, 3, 'email'))).toEqual([e0]);
      expect(await claimDueNotices(pool, T0, 0)).toEqual([]);
    });

    it('hands out exactly what the rule says, whatever the mix of recipients, channels, states and due times', async () => {
      const random = seededRandom(7);
      const recipients = [...(await persons(12)), null];
      const notices: Notice[] = [];
      for (let i = 0; i < 800; i++) {
        const recipientId = recipients[Math.floor(random() * recipients.length)] ?? null;
        notices.push({
          recipientId,
          channel: recipientId === null ? 'staff_group' : random() < 0.8 ? 'telegram' : 'email',
          state: (['pending', 'pending', 'pending', 'sent', 'sending', 'dead'] as const)[
            Math.floor(random() * 6)
          ],
          at: T0 + (random() < 0.3 ? 60_000 : 0),
        });
      }
      await queue(notices);
      let now = T0;
      // The rule, row by row: pending, of the channel, due, and no older undelivered notice to the recipient.
      const expected = async (channel: string, limit: number) => {
        const rows = await allRows();
        return rows
          .filter(
            (o) =>
              o.state === 'pending' &&
              o.channel === channel &&
              o.nextAttemptAt <= now &&
              !rows.some(
                (e) =>
                  e.recipientId === o.recipientId && e.id < o.id && ['pending', 'sending'].includes(e.state),
              ),
          )
          .slice(0, limit)
          .map((o) => o.id);
      };
      let claims = 0;
      for (let round = 0; round < 60; round++) {
        if (round === 20) now += 60_000;
        for (const channel of ['telegram', 'email', 'staff_group'] as const) {
          const want = await expected(channel, 3);
          const claimed = await claimDueNotices(pool, now, 3, channel);
          expect(idsOf(claimed)).toEqual(want);
          claims += claimed.length;
          // Half are delivered, some wait for a retry, the rest stay in flight (and hold their recipients back).
          for (const row of claimed) {
            const r = random();
            if (r < 0.5) await markSent(pool, row, now);
            else if (r < 0.6) await scheduleRetry(pool, row, '502 Bad Gateway', 30_000, now);
          }
        }
        // Now and then an instance dies: what is in flight becomes dead letters and their recipients go on.
        if (round % 4 === 3) {
          now += DEFAULT_CLAIM_LEASE_MS + 1;
          await reconcileInterrupted(pool, now);
        }
      }
      expect(claims).toBeGreaterThan(150);
      const sent = await db.select().from(outbox).where(eq(outbox.state, 'sent'));
      expect(sent.length).toBeGreaterThan(200);
    });
  });

  describe('the other transitions', () => {
    it('gives up after the last attempt, puts a released notice back untouched, and makes a dead letter', async () => {
      const [a = 0, b = 0] = await persons(2);
      const [a0 = 0] = await queue([{ recipientId: a }]);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const [row] = await claimDueNotices(pool, T0 + attempt, 10);
        if (!row) throw new Error(`attempt ${attempt} not claimed`);
        expect(row.attempts).toBe(attempt);
        expect(await scheduleRetry(pool, row, '502 Bad Gateway', 0, T0 + attempt)).toBe(true);
      }
      expect(await stateOf(a0)).toMatchObject({ state: 'dead', lastError: '502 Bad Gateway' });

      const [b0 = 0, b1 = 0] = await queue([{ recipientId: b }, { recipientId: b }]);
      const [held] = await claimDueNotices(pool, T0, 10);
      if (!held) throw new Error('nothing claimed');
      expect(await release(pool, held, T0 + 500)).toBe(true);
      expect(await stateOf(b0)).toMatchObject({
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T0 + 500,
      });
      expect(await release(pool, held, T0 + 500)).toBe(false); // not claimed any more
      const [again] = await claimDueNotices(pool, T0 + 500, 10);
      if (!again) throw new Error('nothing claimed');
      expect(again).toMatchObject({ id: b0, attempts: 1 });
      expect(await markDead(pool, again, 'no staff group is set up')).toBe(true);
      expect(await stateOf(b0)).toMatchObject({ state: 'dead', lastError: 'no staff group is set up' });
      expect(idsOf(await claimDueNotices(pool, T0 + 500, 10))).toEqual([b1]);
    });

    it('stops writing to someone who blocked the bot', async () => {
      const [a = 0, b = 0] = await persons(2);
      await queue([
        { recipientId: a },
        { recipientId: a },
        { recipientId: a, channel: 'email' },
        { recipientId: b },
      ]);
      await claimDueNotices(pool, T0, 10);
      await markUnreachable(pool, a, '403: bot was blocked by the user', T0 + 7);
      const [who] = await db.select().from(people).where(eq(people.id, a));
      expect(who?.unreachableAt).toBe(T0 + 7);
      expect((await allRows()).map((r) => r.state)).toEqual(['dead', 'dead', 'pending', 'sending']);
    });

    it('takes back only claims older than the lease: a dead instance’s, not a living one’s', async () => {
      const [a = 0, b = 0] = await persons(2);
      const [a0 = 0, a1 = 0, b0 = 0] = await queue([
        { recipientId: a },
        { recipientId: a },
        { recipientId: b },
      ]);
      const lease = 60_000;
      const [old] = await claimDueNotices(pool, T0, 1); // the instance that will die
      const [young] = await claimDueNotices(pool, T0 + 50_000, 1); // a living instance's
      if (!old || !young) throw new Error('nothing claimed');
      expect([old.id, young.id]).toEqual([a0, b0]);
      expect(await reconcileInterrupted(pool, T0 + lease, lease)).toBe(0);
      expect(await reconcileInterrupted(pool, T0 + lease + 1, lease)).toBe(1);
      expect(await stateOf(a0)).toMatchObject({
        state: 'dead',
        lastError: expect.stringMatching(/may or may not have been delivered/),
      });
      expect((await stateOf(b0))?.state).toBe('sending');
      // a's next notice goes on.
      const [next] = await claimDueNotices(pool, T0 + lease + 1, 10);
      expect(next?.id).toBe(a1);
      // The living instance finishes as usual.
      expect(await markSent(pool, young, T0 + lease + 2)).toBe(true);
      // The holder of the old claim was slow, not dead: it may not retry, release or give up on a claim it lost…
      expect(await scheduleRetry(pool, old, 'timeout', 0, T0 + lease + 3)).toBe(false);
      expect(await release(pool, old, T0)).toBe(false);
      expect(await markDead(pool, old, 'x')).toBe(false);
      // …but what it did deliver is recorded as delivered, so nobody resends it.
      expect(await markSent(pool, old, T0 + lease + 4)).toBe(true);
      expect(await stateOf(a0)).toMatchObject({ state: 'sent', lastError: null });
    });

    it('ignores a stale holder once the notice was requeued and claimed again', async () => {
      const a = await person();
      const [a0 = 0] = await queue([{ recipientId: a }]);
      const [old] = await claimDueNotices(pool, T0, 1);
      if (!old) throw new Error('nothing claimed');
      await reconcileInterrupted(pool, T0 + 10, 5);
      // A supervisor requeues the dead letter (as core's requeueDeadLetter does) and another instance claims it.
      await db
        .update(outbox)
        .set({ state: 'pending', attempts: 0, nextAttemptAt: T0 + 20, lastError: null })
        .where(eq(outbox.id, a0));
      const [fresh] = await claimDueNotices(pool, T0 + 30, 1);
      expect(fresh).toMatchObject({ id: a0, attempts: 1, nextAttemptAt: T0 + 30 });
      expect(await markSent(pool, old, T0 + 40)).toBe(false);
      expect(await stateOf(a0)).toMatchObject({ state: 'sending', nextAttemptAt: T0 + 30 });
    });
  });

  describe('many claimers at once', () => {
    interface Ledger {
      /** Each recipient's notices in id order. */
      byRecipient: Map<number | null, number[]>;
      recipientOf: Map<number, number | null>;
      /** Notices claimed and not yet settled (their markSent/scheduleRetry not yet issued), by recipient. */
      inFlight: Map<number | null, number>;
      /** Notices whose markSent was issued, or whose last retry was (a dead letter then). */
      done: Set<number>;
      claims: Map<number, number>;
      violations: string[];
    }

    async function backlog(notices: number, recipients: number, seed: number): Promise<Ledger> {
      const random = seededRandom(seed);
      const people = [...(await persons(recipients - 1)), null];
      const order = Array.from(
        { length: notices },
        () => people[Math.floor(random() * people.length)] ?? null,
      );
      const ids = await queue(order.map((recipientId) => ({ recipientId, channel: 'telegram' as const })));
      const ledger: Ledger = {
        byRecipient: new Map(),
        recipientOf: new Map(),
        inFlight: new Map(),
        done: new Set(),
        claims: new Map(),
        violations: [],
      };
      ids.forEach((id, i) => {
        const r = order[i] ?? null;
        ledger.recipientOf.set(id, r);
        ledger.byRecipient.set(r, [...(ledger.byRecipient.get(r) ?? []), id]);
      });
      return ledger;
    }

    /**
     * Checks a claim as it comes back. A claim committed before its answer arrives, and a notice's markSent is
     * issued before its recipient's next notice can be claimed: so when a claim comes back, every older notice
     * of the recipient must have had its markSent issued (or its last retry, making it a dead letter), and none
     * of the recipient's may still be in flight.
     */
    function record(ledger: Ledger, row: PgOutboxRow): void {
      const recipient = ledger.recipientOf.get(row.id);
      if (recipient === undefined) {
        ledger.violations.push(`unknown notice ${row.id}`);
        return;
      }
      const times = (ledger.claims.get(row.id) ?? 0) + 1;
      ledger.claims.set(row.id, times);
      if (ledger.done.has(row.id)) ledger.violations.push(`${row.id} claimed after it was settled`);
      const inFlight = ledger.inFlight.get(recipient);
      if (inFlight !== undefined) {
        ledger.violations.push(`${row.id} claimed while ${inFlight} of the same recipient is in flight`);
      }
      ledger.inFlight.set(recipient, row.id);
      for (const older of ledger.byRecipient.get(recipient) ?? []) {
        if (older >= row.id) break;
        if (!ledger.done.has(older)) ledger.violations.push(`${row.id} claimed before ${older} was settled`);
      }
    }

    function settle(ledger: Ledger, row: PgOutboxRow, done: boolean): void {
      const recipient = ledger.recipientOf.get(row.id) ?? null;
      if (ledger.inFlight.get(recipient) === row.id) ledger.inFlight.delete(recipient);
      if (done) ledger.done.add(row.id);
    }

    /** `claimers` connections, each claiming `rounds` times; `outcome` says what becomes of a claimed notice. */
    async function race(
      ledger: Ledger,
      claimers: number,
      rounds: number,
      outcome: (random: () => number) => 'sent' | 'retry' | 'release',
    ): Promise<void> {
      const clients = await Promise.all(Array.from({ length: claimers }, () => pool.connect()));
      try {
        await Promise.all(
          clients.map(async (client, c) => {
            const random = seededRandom(100 + c);
            for (let round = 0; round < rounds; round++) {
              const rows = await claimDueNotices(client, T0, 1 + Math.floor(random() * 5));
              for (const row of rows) record(ledger, row);
              // Settled one after another, in a random order: a claimer's notices of different recipients
              // may be sent in any order.
              for (const row of rows.sort(() => random() - 0.5)) {
                const what = outcome(random);
                // Settled before the statement goes out: the next claim can only see it after it commits.
                settle(ledger, row, what === 'sent' || (what === 'retry' && row.attempts >= MAX_ATTEMPTS));
                if (what === 'sent') await markSent(client, row, T0);
                else if (what === 'retry') await scheduleRetry(client, row, '502', 0, T0);
                else await release(client, row, T0);
              }
            }
          }),
        );
      } finally {
        for (const client of clients) client.release();
      }
    }

    /** What the race left undelivered, claimed and sent by one claimer, as a check that nothing got stuck. */
    async function drain(ledger: Ledger): Promise<void> {
      for (let i = 0; i < 10_000; i++) {
        const rows = await claimDueNotices(pool, T0, 100);
        if (rows.length === 0) return;
        for (const row of rows) {
          record(ledger, row);
          settle(ledger, row, true);
          await markSent(pool, row, T0);
        }
      }
      throw new Error('the outbox never drained');
    }

    it('never claims a notice twice, and claims each recipient’s notices in order, one at a time', async () => {
      const ledger = await backlog(300, 40, 11);
      await race(ledger, 8, 50, () => 'sent');
      expect(ledger.violations).toEqual([]);
      const claimedInRace = ledger.claims.size;
      // The claimers did share the work (the race was a race).
      expect(claimedInRace).toBeGreaterThan(100);
      await drain(ledger);
      expect(ledger.violations).toEqual([]);
      expect([...ledger.claims.values()].every((n) => n === 1)).toBe(true);
      expect(ledger.claims.size).toBe(300);
      const rows = await allRows();
      expect(rows.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
    }, 60_000);

    it('keeps the order per recipient through retries and releases too', async () => {
      const ledger = await backlog(300, 40, 12);
      await race(ledger, 8, 50, (random) => {
        const r = random();
        return r < 0.7 ? 'sent' : r < 0.85 ? 'retry' : 'release';
      });
      expect(ledger.violations).toEqual([]);
      await drain(ledger);
      expect(ledger.violations).toEqual([]);
      const rows = await allRows();
      // A notice retried MAX_ATTEMPTS times is a dead letter; all others were sent, each once.
      const dead = rows.filter((r) => r.state === 'dead');
      expect(dead.every((r) => r.attempts >= MAX_ATTEMPTS)).toBe(true);
      expect(rows.filter((r) => r.state === 'sent').length + dead.length).toBe(300);
      // The claims spread over the claimers: some notices were claimed again after a retry or a release.
      expect([...ledger.claims.values()].some((n) => n > 1)).toBe(true);
      const pending = await db
        .select()
        .from(outbox)
        .where(inArray(outbox.state, ['pending', 'sending']));
      expect(pending).toEqual([]);
    }, 60_000);
  });
});

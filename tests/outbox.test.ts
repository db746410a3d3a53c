// Delivery bookkeeping: claims in order per recipient, retries with backoff, dead letters, crash recovery.
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../core/errors.ts';
import {
  claimDue,
  deadLetters,
  MAX_ATTEMPTS,
  markSent,
  markUnreachable,
  reconcileInterrupted,
  requeueDeadLetter,
  retryDelay,
  scheduleRetry,
} from '../core/outbox.ts';
import { SYSTEM } from '../core/permissions.ts';
import { seededRandom } from '../core/seeded-random.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { DEFAULT_CLAIM_LEASE_MS } from '../db/pg/outbox-claim.ts';
import { outbox, people } from '../db/schema.ts';
import { makeWorld, type World } from './fixtures.ts';

async function queue(w: World, recipientId: number, n: number, at = w.clock.now()) {
  for (let i = 0; i < n; i++) {
    await execute(
      w.ctx.db.insert(outbox).values({
        createdAt: at,
        recipientId,
        channel: 'telegram',
        kind: 'requester.comment',
        payload: { i },
        idempotencyKey: `k${recipientId}-${i}-${Math.random()}`,
        nextAttemptAt: at,
      }),
    );
  }
}

const states = async (w: World) =>
  await queryAll(
    w.ctx.db.select({ id: outbox.id, state: outbox.state }).from(outbox).orderBy(asc(outbox.id)),
  );

describe('claiming', () => {
  it('hands out the oldest undelivered notice of each recipient, and the next only after it is sent', async () => {
    const w = await makeWorld();
    await queue(w, w.ids.clientA, 3);
    await queue(w, w.ids.clientB, 2);
    const first = await claimDue(w.ctx);
    expect(first.map((r) => [r.recipientId, (r.payload as { i: number }).i])).toEqual([
      [w.ids.clientA, 0],
      [w.ids.clientB, 0],
    ]);
    expect(first.every((r) => r.state === 'sending' && r.attempts === 1)).toBe(true);
    // Nothing more while those are in flight.
    expect(await claimDue(w.ctx)).toEqual([]);
    await markSent(w.ctx, first[0]?.id ?? 0);
    expect((await claimDue(w.ctx)).map((r) => (r.payload as { i: number }).i)).toEqual([1]);
  });

  it('keeps the order behind a notice that waits for a retry', async () => {
    const w = await makeWorld();
    await queue(w, w.ids.clientA, 2);
    const [first] = await claimDue(w.ctx);
    if (!first) throw new Error('nothing claimed');
    await scheduleRetry(w.ctx, first, '429: retry after 3', 3000);
    expect(await claimDue(w.ctx)).toEqual([]); // the second may not overtake the first
    w.clock.advance(3000);
    expect((await claimDue(w.ctx)).map((r) => r.id)).toEqual([first.id]);
  });

  it('respects the limit and the due time', async () => {
    const w = await makeWorld();
    for (const key of ['clientA', 'clientB', 'managerA', 'managerB'] as const) await queue(w, w.ids[key], 1);
    await queue(w, w.ids.line1, 1, w.clock.now() + 60_000);
    expect(await claimDue(w.ctx, 3)).toHaveLength(3);
    expect(await claimDue(w.ctx, 3)).toHaveLength(1);
    expect(await claimDue(w.ctx, 3)).toHaveLength(0);
  });
});

describe('claiming under a backlog', () => {
  it('hands out exactly what the rule says, whatever the mix of recipients, channels, states and due times', async () => {
    const w = await makeWorld();
    const random = seededRandom(7);
    const recipients = [w.ids.clientA, w.ids.clientB, w.ids.managerA, w.ids.line1, null];
    const now = w.clock.now();
    for (let i = 0; i < 600; i++) {
      const recipientId = recipients[Math.floor(random() * recipients.length)] ?? null;
      await execute(
        w.ctx.db.insert(outbox).values({
          createdAt: now,
          recipientId,
          // The staff group (no recipient) has its own channel; people's notices go by Telegram or mail.
          channel: recipientId === null ? 'staff_group' : random() < 0.8 ? 'telegram' : 'email',
          kind: 'requester.comment',
          payload: { i },
          idempotencyKey: `backlog-${i}`,
          state: (['pending', 'pending', 'pending', 'sent', 'sending', 'dead'] as const)[
            Math.floor(random() * 6)
          ],
          nextAttemptAt: now + (random() < 0.3 ? 60_000 : 0),
        }),
      );
    }
    // The rule, row by row: pending, of the channel, due, and no older undelivered notice to the same recipient.
    const expected = async (channel: string, limit: number) => {
      const rows = await queryAll(w.ctx.db.select().from(outbox).orderBy(outbox.id));
      return rows
        .filter(
          (o) =>
            o.state === 'pending' &&
            o.channel === channel &&
            o.nextAttemptAt <= w.clock.now() &&
            !rows.some(
              (e) =>
                e.recipientId === o.recipientId && e.id < o.id && ['pending', 'sending'].includes(e.state),
            ),
        )
        .slice(0, limit)
        .map((o) => o.id);
    };
    for (let round = 0; round < 40; round++) {
      if (round === 20) w.clock.advance(60_000);
      for (const channel of ['telegram', 'email', 'staff_group'] as const) {
        const want = await expected(channel, 3);
        const claimed = (await claimDue(w.ctx, 3, channel)).map((r) => r.id);
        expect(claimed).toEqual(want);
        // Half are delivered, the rest stay in flight (and hold their recipients back).
        for (const id of claimed) if (random() < 0.5) await markSent(w.ctx, id);
      }
    }
    expect(
      (await queryAll(w.ctx.db.select().from(outbox).where(eq(outbox.state, 'sent')))).length,
    ).toBeGreaterThan(100);
  });
});

describe('failures', () => {
  it('gives up after the last attempt', async () => {
    const w = await makeWorld();
    await queue(w, w.ids.clientA, 1);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const [row] = await claimDue(w.ctx);
      if (!row) throw new Error(`attempt ${attempt} not claimed`);
      expect(row.attempts).toBe(attempt);
      await scheduleRetry(w.ctx, row, '502 Bad Gateway', 0);
    }
    expect((await states(w)).map((s) => s.state)).toEqual(['dead']);
    expect((await deadLetters(w.ctx, SYSTEM))[0]?.lastError).toBe('502 Bad Gateway');
  });

  it('stops writing to someone who blocked the bot', async () => {
    const w = await makeWorld();
    await queue(w, w.ids.clientA, 3);
    await queue(w, w.ids.clientB, 1);
    await claimDue(w.ctx);
    await markUnreachable(w.ctx, w.ids.clientA, '403: bot was blocked by the user');
    expect(
      (await queryOne(w.ctx.db.select().from(people).where(eq(people.id, w.ids.clientA))))?.unreachableAt,
    ).toBe(w.clock.now());
    expect((await states(w)).map((s) => s.state)).toEqual(['dead', 'dead', 'dead', 'sending']);
  });

  it('never resends what a crash left mid-send, and lets a supervisor requeue it', async () => {
    const w = await makeWorld();
    await queue(w, w.ids.clientA, 2);
    const [inFlight] = await claimDue(w.ctx);
    // The process dies here. On the next start (on PostgreSQL, where other instances may be sending, once the
    // claim is older than its lease; SQLite's one process takes back every claim at once):
    w.clock.advance(DEFAULT_CLAIM_LEASE_MS + 1);
    expect(await reconcileInterrupted(w.ctx)).toBe(1);
    const dead = await deadLetters(w.ctx, w.as.supervisor);
    expect(dead.map((d) => d.id)).toEqual([inFlight?.id]);
    expect(dead[0]?.lastError).toMatch(/may or may not have been delivered/);
    // The next notice to the same person goes on.
    expect((await claimDue(w.ctx)).map((r) => (r.payload as { i: number }).i)).toEqual([1]);
    await expect(deadLetters(w.ctx, w.as.line1)).rejects.toThrow(ForbiddenError);
    await expect(requeueDeadLetter(w.ctx, w.as.clientA, inFlight?.id ?? 0)).rejects.toThrow(ForbiddenError);
    await requeueDeadLetter(w.ctx, w.as.admin, inFlight?.id ?? 0);
    expect((await states(w)).find((s) => s.id === inFlight?.id)?.state).toBe('pending');
  });

  it('backs off exponentially with jitter, capped at five minutes', () => {
    expect(retryDelay(1, () => 0)).toBe(500);
    expect(retryDelay(1, () => 1)).toBe(1000);
    expect(retryDelay(4, () => 1)).toBe(8000);
    expect(retryDelay(30, () => 1)).toBe(300_000);
    expect(retryDelay(30, () => 0)).toBe(150_000);
  });
});

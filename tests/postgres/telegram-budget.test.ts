// Telegram's limits shared by several instances on one PostgreSQL store (db/pg/telegram-budget.ts,
// bot/shared-rate-limit.ts): three "instances" (pools of their own on one database) reserving sends at once
// for many chats keep to 30 a second in all, one per chat interval and 20 a minute per group, on an injected
// clock; a retry_after hold one instance sets holds the others back; and two Notifiers on one database deliver
// a hundred notices to the emulator without a flood-limit violation.
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../bot/notifier.ts';
import { TELEGRAM_LIMITS } from '../../bot/rate-limiter.ts';
import { budgetSteps, LATE_MS, SharedRateLimit, scopesOf } from '../../bot/shared-rate-limit.ts';
import { createContext } from '../../core/context.ts';
import { ManualClock, systemClock } from '../../core/model.ts';
import { STALE_CLAIMS_EVERY_MS } from '../../core/outbox.ts';
import type { Db } from '../../db/connection.ts';
import { DEFAULT_CLAIM_LEASE_MS } from '../../db/pg/outbox-claim.ts';
import { openPostgresStore, type PostgresStore } from '../../db/pg/store.ts';
import { holdScope, pruneBudget, reserveSlot } from '../../db/pg/telegram-budget.ts';
import { type Emulator, startEmulator } from '../../emulator/index.ts';
import { postgresAvailable } from '../support/postgres.ts';
import { pgSchema, postgresDesks } from './world.ts';

let desks: Awaited<ReturnType<typeof postgresDesks>> | undefined;
const stores: PostgresStore[] = [];

/** `n` stores (pools) on one fresh database: the instances. */
async function instances(n: number): Promise<PostgresStore[]> {
  if (!desks) throw new Error('no server');
  const url = await desks.server.createDatabase();
  const made: PostgresStore[] = [];
  // One after the other: each open runs the migrations.
  for (let i = 0; i < n; i++) made.push(await openPostgresStore(url, { pool: { max: 8 } }));
  stores.push(...made);
  return made;
}

const T0 = 1_800_000_000_000;
const steps = budgetSteps(TELEGRAM_LIMITS);

interface Sent {
  chatId: number;
  at: number;
}

/** The notifier's longest wait for a slot before it puts a notice back for later. */
const MAX_WAIT_MS = 1000;

interface Job {
  store: PostgresStore;
  chatId: number;
  /** When it asks (again) for its slot. */
  wake: number;
}

/**
 * Sends as the notifiers make them, on a simulated clock that moves from one instant something happens to the
 * next: every send due at that instant asks for its slot at once (each through its instance's pool); one told
 * to wait (its chat's or group's turn, a hold, a slot further than it waits) asks again at the instant it was
 * given, as a notifier waking up or a notice put back in the outbox would.
 */
async function simulate(jobs: Job[]): Promise<Sent[]> {
  const sent: Sent[] = [];
  let waiting = jobs;
  for (let round = 0; waiting.length > 0; round++) {
    if (round > 10_000) throw new Error('the sends never got their slots');
    const now = Math.min(...waiting.map((j) => j.wake));
    const due = waiting.filter((j) => j.wake === now);
    waiting = waiting.filter((j) => j.wake !== now);
    const answers = await Promise.all(
      due.map(async (job) => ({
        job,
        r: await reserveSlot(job.store.pool, scopesOf(job.chatId, steps), MAX_WAIT_MS, now),
      })),
    );
    for (const { job, r } of answers) {
      if (r.reserved) {
        expect(r.waitMs).toBeLessThanOrEqual(MAX_WAIT_MS);
        sent.push({ chatId: job.chatId, at: r.at });
      } else {
        expect(r.at).toBeGreaterThan(now);
        waiting.push({ ...job, wake: r.at });
      }
    }
  }
  return sent;
}

/** One send alone on a simulated clock: told to wait, it asks again at the instant it was given. */
async function send(store: PostgresStore, chatId: number, now: number): Promise<Sent> {
  return (await simulate([{ store, chatId, wake: now }]))[0] ?? { chatId, at: Number.NaN };
}

/** The largest number of `times` within any window [t, t + windowMs). */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] ?? 0) - (sorted[from] ?? 0) >= windowMs) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

function byChat(sent: Sent[]): Map<number, number[]> {
  const chats = new Map<number, number[]>();
  for (const s of sent) chats.set(s.chatId, [...(chats.get(s.chatId) ?? []), s.at]);
  for (const times of chats.values()) times.sort((a, b) => a - b);
  return chats;
}

describe.skipIf(!postgresAvailable())('Telegram’s limits shared by instances on PostgreSQL', () => {
  beforeAll(async () => {
    desks = await postgresDesks();
  }, 60_000);
  afterAll(async () => {
    for (const store of stores.splice(0)) await store.close();
    await desks?.stop();
  });

  it('never lets three instances together pass 30 a second, one per chat interval or 20 a minute per group', async () => {
    const three = await instances(3);
    const privateChats = Array.from({ length: 40 }, (_, i) => 700_000 + i);
    const groups = [-100_111, -100_222];
    // Each instance sends to every private chat twice and to each group 12 times, all at once, their sends'
    // clocks a little apart.
    const jobs: Job[] = [];
    three.forEach((store, i) => {
      for (const chatId of [...privateChats, ...privateChats]) jobs.push({ store, chatId, wake: T0 + i * 7 });
      for (let n = 0; n < 12; n++)
        for (const chatId of groups) jobs.push({ store, chatId, wake: T0 + i * 7 + n });
    });
    const sent = await simulate(jobs);
    expect(sent).toHaveLength(3 * (80 + 24));

    expect(
      busiest(
        sent.map((s) => s.at),
        1000,
      ),
    ).toBeLessThanOrEqual(TELEGRAM_LIMITS.globalPerSecond);
    const slots = sent.map((s) => s.at).sort((a, b) => a - b);
    // No second holds more than 30 even when a send goes up to LATE_MS after its slot.
    for (let i = 0; i + TELEGRAM_LIMITS.globalPerSecond < slots.length; i++)
      expect((slots[i + TELEGRAM_LIMITS.globalPerSecond] ?? 0) - (slots[i] ?? 0)).toBeGreaterThanOrEqual(
        1000 + LATE_MS,
      );
    // Slots are unique: no two sends at one instant, from whichever instance.
    expect(new Set(slots).size).toBe(slots.length);

    const chats = byChat(sent);
    for (const chatId of privateChats) {
      const times = chats.get(chatId) ?? [];
      expect(times).toHaveLength(6);
      for (let i = 1; i < times.length; i++)
        expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(
          TELEGRAM_LIMITS.perChatIntervalMs,
        );
    }
    for (const chatId of groups) {
      const times = chats.get(chatId) ?? [];
      expect(times).toHaveLength(36);
      expect(busiest(times, 60_000)).toBeLessThanOrEqual(TELEGRAM_LIMITS.groupPerMinute);
      // 36 messages at 20 a minute: the last one almost two minutes after the first.
      expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(35 * 3000);
    }
    // The private chats were not held up by the groups' slow pace: 240 sends at ~29 a second take ~8 s.
    const privateLast = Math.max(...sent.filter((s) => s.chatId > 0).map((s) => s.at));
    expect(privateLast - T0).toBeLessThan(Math.ceil(240 / 28) * 1000 + 1000);
  }, 60_000);

  it('takes nothing for a slot further than the caller waits', async () => {
    const [a, b] = await instances(2);
    if (!a || !b) throw new Error('no instances');
    const scopes = scopesOf(42, steps);
    expect(await reserveSlot(a.pool, scopes, 0, T0)).toEqual({ reserved: true, waitMs: 0, at: T0 });
    // The chat's next turn is a second away: B waiting at most 500 ms is told when, and nothing is taken.
    expect(await reserveSlot(b.pool, scopes, 500, T0)).toEqual({
      reserved: false,
      waitMs: steps.chatMs,
      at: T0 + steps.chatMs,
    });
    // Another chat goes at the global pace, one step after the first send.
    expect(await reserveSlot(b.pool, scopesOf(43, steps), 500, T0)).toEqual({
      reserved: true,
      waitMs: steps.globalMs,
      at: T0 + steps.globalMs,
    });
    // When the chat's turn comes, it takes the global slot after that.
    expect(await reserveSlot(b.pool, scopes, 500, T0 + steps.chatMs)).toEqual({
      reserved: true,
      waitMs: 0,
      at: T0 + steps.chatMs,
    });
    const rows = await a.db.select().from(pgSchema.telegramBudget).orderBy(pgSchema.telegramBudget.scope);
    expect(rows).toEqual([
      { scope: 'chat:42', nextAt: T0 + 2 * steps.chatMs, holdEndsAt: 0 },
      { scope: 'chat:43', nextAt: T0 + steps.globalMs + steps.chatMs, holdEndsAt: 0 },
      { scope: 'global', nextAt: T0 + steps.chatMs + steps.globalMs, holdEndsAt: 0 },
    ]);
  });

  it('forgets the chats quiet for a while, and a forgotten chat reserves as a new one would', async () => {
    const [a] = await instances(1);
    if (!a) throw new Error('no instance');
    await reserveSlot(a.pool, scopesOf(42, steps), 0, T0);
    await reserveSlot(a.pool, scopesOf(-100_77, steps), 0, T0 + 60_000);
    await holdScope(a.pool, 'chat:44', 120_000, T0);
    const scopes = async () =>
      (await a.db.select().from(pgSchema.telegramBudget).orderBy(pgSchema.telegramBudget.scope)).map(
        (r) => r.scope,
      );
    expect(await scopes()).toEqual(['chat:-10077', 'chat:42', 'chat:44', 'global', 'group:-10077']);
    // Past chat 42's slot, before the group's and chat 44's hold: only chat 42 goes; the global row stays.
    expect(await pruneBudget(a.pool, T0 + 30_000)).toBe(1);
    expect(await scopes()).toEqual(['chat:-10077', 'chat:44', 'global', 'group:-10077']);
    expect(await reserveSlot(a.pool, scopesOf(42, steps), 0, T0 + 300_000)).toMatchObject({
      reserved: true,
      waitMs: 0,
    });
  });

  it('holds every instance back after one was told retry_after, for the chat or for all', async () => {
    const [a, b] = await instances(2);
    if (!a || !b) throw new Error('no instances');
    // A was told to wait 7 s for chat 5: B's message to chat 5 waits, chat 6 goes.
    await holdScope(a.pool, 'chat:5', 7000, T0);
    expect((await send(b, 6, T0)).at).toBe(T0);
    expect((await send(b, 5, T0)).at).toBe(T0 + 7000);
    // A longer hold wins over a shorter one; a hold for everyone holds every chat.
    await holdScope(b.pool, 'global', 30_000, T0);
    await holdScope(a.pool, 'global', 10_000, T0);
    expect((await send(a, 7, T0 + 1000)).at).toBe(T0 + 30_000);
    expect((await send(b, 8, T0 + 1000)).at).toBe(T0 + 30_000 + steps.globalMs);

    // On real time (the database's clock), through the notifier's budget: B sleeps until A's hold is over.
    const [c, d] = await instances(2);
    if (!c || !d) throw new Error('no instances');
    const held = new SharedRateLimit(c.pool);
    const other = new SharedRateLimit(d.pool);
    await held.holdChat(9, 400);
    const started = performance.now();
    expect(await other.take(9, 5000)).toEqual({ go: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    // Beyond what the caller waits: no go, and how long until it may.
    await held.holdAll(3000);
    const refused = await other.take(10, 1000);
    expect(refused.go).toBe(false);
    expect(refused.go ? 0 : refused.waitMs).toBeGreaterThan(2000);
  });

  it('two notifiers on one database deliver a hundred notices to Telegram within its limits', async () => {
    const [a, b] = await instances(2);
    if (!a || !b) throw new Error('no instances');
    let emu: Emulator | undefined;
    const notifiers: Notifier[] = [];
    const errors: unknown[] = [];
    try {
      emu = await startEmulator({ limits: true });
      const e = emu;
      const recipients = [];
      for (let i = 0; i < 50; i++) {
        const telegramUserId = 91_000 + i;
        e.user({ id: telegramUserId, first_name: `P${i}` });
        const [person] = await a.db
          .insert(pgSchema.people)
          .values({ name: `P${i}`, telegramUserId, createdAt: 0 })
          .returning();
        if (!person) throw new Error('no person');
        recipients.push(person);
      }
      // Two notices each, interleaved across chats.
      for (let n = 0; n < 2; n++)
        await a.db.insert(pgSchema.outbox).values(
          recipients.map((r) => ({
            createdAt: 0,
            recipientId: r.id,
            channel: 'telegram' as const,
            kind: 'requester.comment',
            payload: { event: 'comment', body: `message ${n}`, number: 1 },
            idempotencyKey: `${r.id}:${n}`,
            nextAttemptAt: 0,
          })),
        );
      const calls = [0, 0];
      const started = Date.now();
      for (const [i, store] of [a, b].entries()) {
        const api = new Api(e.token, { apiRoot: e.apiRoot });
        api.config.use((prev, method, payload, signal) => {
          if (method === 'sendMessage') calls[i] = (calls[i] ?? 0) + 1;
          return prev(method, payload, signal);
        });
        const notifier = new Notifier({
          desk: createContext(store.db as unknown as Db, systemClock),
          api,
          idleMs: 20,
          onError: (error) => errors.push(error),
        });
        notifiers.push(notifier);
        await notifier.start();
      }
      await expect
        .poll(async () => (await a.db.select().from(pgSchema.outbox)).every((o) => o.state === 'sent'), {
          timeout: 20_000,
          interval: 100,
        })
        .toBe(true);
      expect(e.violations).toEqual([]);
      expect(e.calls.filter((c) => c.status === 429)).toEqual([]);
      expect(e.calls.filter((c) => c.method === 'sendMessage' && c.status === 200)).toHaveLength(100);
      // Both instances sent, and together no faster than 30 a second: 100 messages take over 3 s.
      expect(calls[0]).toBeGreaterThan(0);
      expect(calls[1]).toBeGreaterThan(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    } finally {
      for (const notifier of notifiers) await notifier.stop();
      await emu?.close();
    }
    expect(errors).toEqual([]);
  }, 40_000);

  it('takes back, while it runs, a notice an instance that died was sending, and that person’s next goes on', async () => {
    const [a] = await instances(1);
    if (!a) throw new Error('no instance');
    let emu: Emulator | undefined;
    let notifier: Notifier | undefined;
    const errors: unknown[] = [];
    try {
      emu = await startEmulator();
      const e = emu;
      e.user({ id: 92_001, first_name: 'P' });
      const [person] = await a.db
        .insert(pgSchema.people)
        .values({ name: 'P', telegramUserId: 92_001, createdAt: 0 })
        .returning();
      if (!person) throw new Error('no person');
      const clock = new ManualClock(T0);
      // Another instance claimed the first notice at T0 and died; the second waits behind it.
      await a.db.insert(pgSchema.outbox).values(
        [0, 1].map((n) => ({
          createdAt: 0,
          recipientId: person.id,
          channel: 'telegram' as const,
          kind: 'requester.comment',
          payload: { event: 'comment', body: `message ${n}`, number: 1 },
          idempotencyKey: `stale:${n}`,
          state: n === 0 ? ('sending' as const) : ('pending' as const),
          attempts: n === 0 ? 1 : 0,
          nextAttemptAt: n === 0 ? T0 : 0,
        })),
      );
      notifier = new Notifier({
        desk: createContext(a.db as unknown as Db, clock),
        api: new Api(e.token, { apiRoot: e.apiRoot }),
        clock,
        idleMs: 20,
        onError: (error) => errors.push(error),
      });
      await notifier.start();
      const states = async () =>
        (await a.db.select().from(pgSchema.outbox).orderBy(pgSchema.outbox.id)).map((o) => o.state);
      // Young, the claim may be a living instance's: left alone at start, and the next one waits.
      expect(await states()).toEqual(['sending', 'pending']);
      // Once older than its lease, the running notifier takes it back on its next look.
      clock.advance(DEFAULT_CLAIM_LEASE_MS + STALE_CLAIMS_EVERY_MS);
      notifier.poke();
      await expect.poll(states, { timeout: 10_000 }).toEqual(['dead', 'sent']);
      expect(
        e
          .user({ id: 92_001, first_name: 'P' })
          .inbox()
          .map((m) => m.text),
      ).toEqual([expect.stringContaining('message 1')]);
    } finally {
      await notifier?.stop();
      await emu?.close();
    }
    expect(errors).toEqual([]);
  }, 30_000);
});

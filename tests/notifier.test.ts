// The notifier against the emulator: every notice exactly once and in order per chat under injected
// faults; Telegram's flood limits kept; blocked people marked unreachable; a crash mid-send never resends.

import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { Notifier } from '../bot/notifier.ts';
import type { SendLimits } from '../bot/rate-limiter.ts';
import { ManualClock } from '../core/model.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { groupTickets, outbox, people } from '../db/schema.ts';
import { type Emulator, startEmulator } from '../emulator/index.ts';
import { makeWorld, type World } from './fixtures.ts';
import { onPostgres } from './support/test-store.ts';

let emu: Emulator | undefined;
const errors: unknown[] = [];
let notifier: Notifier | undefined;
afterEach(async () => {
  await notifier?.stop();
  expect(errors.splice(0)).toEqual([]);
  await emu?.close();
  notifier = undefined;
  emu = undefined;
});

/** `chats` people with Telegram accounts, and `perChat` numbered comments queued for each. */
async function queue(w: World, e: Emulator, chats: number, perChat: number) {
  const recipients: { id: number; telegramUserId: number | null }[] = [];
  for (let i = 0; i < chats; i++) {
    const telegramUserId = 90_000 + i;
    e.user({ id: telegramUserId, first_name: `P${i}` });
    recipients.push(
      await queryOne(
        w.ctx.db
          .insert(people)
          .values({ name: `P${i}`, telegramUserId, createdAt: 0 })
          .returning(),
      ),
    );
  }
  // Interleaved across chats, as real traffic is.
  for (let n = 0; n < perChat; n++) {
    for (const r of recipients) {
      await execute(
        w.ctx.db.insert(outbox).values({
          createdAt: 0,
          recipientId: r.id,
          channel: 'telegram',
          kind: 'requester.comment',
          payload: { event: 'comment', body: `message ${n}`, number: 1 },
          idempotencyKey: `${r.id}:${n}`,
          nextAttemptAt: 0,
        }),
      );
    }
  }
  return recipients;
}

async function start(w: World, e: Emulator, limits?: SendLimits) {
  notifier = new Notifier({
    desk: w.ctx,
    api: new Api(e.token, { apiRoot: e.apiRoot }),
    idleMs: 20,
    onError: (error) => errors.push(error),
    ...(limits ? { limits } : {}),
  });
  await notifier.start();
  return notifier;
}

/** What grammY sends with on Node (node-fetch), so errors look as in production. */
const grammyFetch = createRequire(import.meta.url)('node-fetch') as (url: string, init: unknown) => unknown;

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const bodies = (e: Emulator, chatId: number) =>
  e
    .user({ id: chatId, first_name: '' })
    .inbox()
    .map((m) => m.text?.split('\n').at(-1));

describe('the notifier', () => {
  it('delivers every notice exactly once, in order per chat, through 24 % injected error answers', async () => {
    const w = await makeWorld();
    emu = await startEmulator();
    const e = emu;
    e.faults.seed(7);
    e.faults.inject({ kind: 'too_many_requests', retryAfter: 1, method: 'sendMessage', probability: 0.12 });
    e.faults.inject({ kind: 'server_error', status: 502, method: 'sendMessage', probability: 0.12 });
    const recipients = await queue(w, e, 8, 5);
    await start(w, e, { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 });
    await e.waitFor(
      async () => (await queryAll(w.ctx.db.select().from(outbox))).every((o) => o.state === 'sent'),
      25_000,
    );
    const failed = e.calls.filter((c) => c.method === 'sendMessage' && c.status !== 200).length;
    expect(failed).toBeGreaterThan(5); // the faults really happened
    for (const r of recipients) {
      expect(bodies(e, r.telegramUserId ?? 0)).toEqual([0, 1, 2, 3, 4].map((n) => `message ${n}`));
    }
  }, 30_000);

  it('retries a refused connection (nothing was sent), but never resends when the answer was lost', async () => {
    const w = await makeWorld();
    emu = await startEmulator();
    const e = emu;
    const [r] = await queue(w, e, 1, 3);
    const chatId = r?.telegramUserId ?? 0;
    // Telegram got "message 0" and the connection broke before its answer came back.
    e.faults.inject({ kind: 'drop', method: 'sendMessage', afterApplying: true, textIncludes: 'message 0' });
    // Nobody listens where "message 1" first goes: the connection is refused, so it cannot have arrived.
    const nobody = await closedPort();
    let refused = 0;
    notifier = new Notifier({
      desk: w.ctx,
      api: new Api(e.token, {
        apiRoot: e.apiRoot,
        fetch: ((url: string, init: { body?: unknown }) => {
          let target = url;
          if (refused < 2 && String(init.body).includes('message 1')) {
            refused++;
            target = url.replace(e.apiRoot, `http://127.0.0.1:${nobody}`);
          }
          return grammyFetch(target, init);
        }) as unknown as typeof fetch,
      }),
      idleMs: 20,
      random: () => 0,
      onError: (error) => errors.push(error),
      limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
    });
    await notifier.start();
    await e.waitFor(async () =>
      (await queryAll(w.ctx.db.select().from(outbox))).every((o) => o.state === 'sent' || o.state === 'dead'),
    );
    expect(refused).toBe(2);
    // Each arrived once: the lost answer was not taken for a lost message.
    expect(bodies(e, chatId)).toEqual(['message 0', 'message 1', 'message 2']);
    const rows = await queryAll(w.ctx.db.select().from(outbox).orderBy(outbox.id));
    expect(rows.map((o) => o.state)).toEqual(['dead', 'sent', 'sent']);
    expect(rows[0]?.lastError).toMatch(/^uncertain: ECONNRESET: .*may or may not have been delivered/);
    expect(rows[1]?.attempts).toBe(3);
  });

  it('keeps to Telegram’s flood limits', async () => {
    const w = await makeWorld();
    emu = await startEmulator({ limits: true });
    const e = emu;
    await queue(w, e, 40, 2);
    const started = Date.now();
    await start(w, e);
    await e.waitFor(
      async () => (await queryAll(w.ctx.db.select().from(outbox))).every((o) => o.state === 'sent'),
      15_000,
    );
    expect(e.violations).toEqual([]);
    expect(e.calls.filter((c) => c.method === 'sendMessage' && c.status === 429)).toEqual([]);
    // 80 messages at 30/s take at least two seconds and a bit.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  }, 20_000);

  it('marks someone who blocked the bot unreachable and stops writing to them', async () => {
    const w = await makeWorld();
    emu = await startEmulator();
    const e = emu;
    const [blocked, other] = await queue(w, e, 2, 2);
    e.user({ id: blocked?.telegramUserId ?? 0, first_name: '' }).block();
    await start(w, e, { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 });
    await e.waitFor(async () =>
      (await queryAll(w.ctx.db.select().from(outbox))).every(
        (o) => o.state !== 'pending' && o.state !== 'sending',
      ),
    );
    const states = await queryAll(w.ctx.db.select().from(outbox));
    expect(states.filter((o) => o.recipientId === blocked?.id).map((o) => o.state)).toEqual(['dead', 'dead']);
    expect(states.filter((o) => o.recipientId === other?.id).map((o) => o.state)).toEqual(['sent', 'sent']);
    expect(
      (
        await queryOne(
          w.ctx.db
            .select()
            .from(people)
            .where(eq(people.id, blocked?.id ?? 0)),
        )
      )?.unreachableAt,
    ).not.toBeNull();
    expect(e.calls.filter((c) => c.method === 'sendMessage' && c.status === 403)).toHaveLength(1);
  });

  it('does not resend what a crash left mid-send', async () => {
    const w = await makeWorld();
    emu = await startEmulator();
    const e = emu;
    const [r] = await queue(w, e, 1, 2);
    // The previous process claimed the first notice and died before marking it.
    await execute(
      w.ctx.db
        .update(outbox)
        .set({ state: 'sending', attempts: 1 })
        .where(eq(outbox.idempotencyKey, `${r?.id}:0`)),
    );
    await start(w, e);
    await e.waitFor(async () =>
      (await queryAll(w.ctx.db.select().from(outbox))).every((o) => o.state === 'sent' || o.state === 'dead'),
    );
    expect(bodies(e, r?.telegramUserId ?? 0)).toEqual(['message 1']);
    expect((await queryAll(w.ctx.db.select().from(outbox))).map((o) => o.state)).toEqual(['dead', 'sent']);
  });
});

describe('notices to a client group', () => {
  // On PostgreSQL the budget all instances share spaces a group's messages evenly (one every 3 s) instead of
  // letting 20 go at once: tests/postgres/telegram-budget.test.ts holds it to Telegram's limits.
  it.skipIf(onPostgres)(
    'go to the group as replies, at most 20 a minute, the rest when the minute has passed',
    async () => {
      const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
      emu = await startEmulator();
      const e = emu;
      const chatId = -100_555;
      const group = e.group({ id: chatId, title: 'Alpha & IT' });
      const client = await queryOne(w.ctx.db.select().from(people).where(eq(people.id, w.ids.clientA)));
      e.user({ id: client?.telegramUserId ?? 0, first_name: 'Client' });
      const ticket = await createTicket(w.ctx, w.as.clientA, {
        channel: 'telegram_group',
        description: 'Printer',
      });
      await execute(w.ctx.db.insert(groupTickets).values({ ticketId: ticket.id, chatId, messageId: 1 }));
      await execute(w.ctx.db.delete(outbox));
      for (let n = 0; n < 25; n++)
        await execute(
          w.ctx.db.insert(outbox).values({
            createdAt: 0,
            ticketId: ticket.id,
            recipientId: w.ids.clientA,
            channel: 'telegram',
            kind: 'requester.comment',
            payload: { event: 'comment', body: `message ${n}`, number: ticket.number },
            idempotencyKey: `g:${n}`,
            nextAttemptAt: 0,
          }),
        );
      // The notifier's own clock: the minute passes when the test says so.
      const clock = new ManualClock(Date.parse('2026-11-09T10:00:00+03:00'));
      notifier = new Notifier({
        desk: w.ctx,
        api: new Api(e.token, { apiRoot: e.apiRoot }),
        idleMs: 20,
        clock,
        onError: (error) => errors.push(error),
        limits: { globalPerSecond: 30, perChatIntervalMs: 0, groupPerMinute: 20 },
      });
      await notifier.start();
      const sent = async () =>
        (await queryAll(w.ctx.db.select().from(outbox))).filter((o) => o.state === 'sent').length;
      await e.waitFor(async () => (await sent()) === 20);
      const waiting = (await queryAll(w.ctx.db.select().from(outbox))).filter((o) => o.state === 'pending');
      expect(waiting).toHaveLength(5);
      // The next in line waits for the minute; the others wait behind it (one chat, in order).
      expect(waiting[0]?.nextAttemptAt).toBeGreaterThanOrEqual(clock.now() + 59_000);
      expect(
        group
          .messages()
          .every((m) => m.reply_to_message?.message_id === undefined || m.reply_to_message.message_id === 1),
      ).toBe(true);
      expect(e.user({ id: client?.telegramUserId ?? 0, first_name: '' }).inbox()).toEqual([]);
      clock.advance(60_001);
      await e.waitFor(async () => (await sent()) === 25);
      expect(group.messages().map((m) => m.text?.split('\n').at(-1))).toEqual(
        Array.from({ length: 25 }, (_, n) => `message ${n}`),
      );
    },
  );
});

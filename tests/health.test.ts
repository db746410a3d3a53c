// GET /healthz tells a monitor whether the desk works: the store takes writes, the outbox drains, the bot
// receives, the SLA scheduler sweeps. 200 when all hold, 503 when one does not; dead letters are reported
// and leave it 200. Time is the world's clock: nothing sleeps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../api/app.ts';
import type { BotStatus, HealthSources } from '../api/health.ts';
import { createLogger } from '../app/logger.ts';
import { startSlaScheduler } from '../app/sla-scheduler.ts';
import { createContext, type DeskContext } from '../core/context.ts';
import { MINUTE } from '../core/model.ts';
import { execute } from '../db/access.ts';
import { openDatabase } from '../db/connection.ts';
import * as schema from '../db/schema.ts';
import { outbox } from '../db/schema.ts';
import { makeWorld, type World } from './fixtures.ts';
import { onPostgres } from './support/test-store.ts';

const BOT_TOKEN = '424242:TEST-health-token';
const quiet = createLogger({ level: 'silent' });

async function health(desk: DeskContext, sources?: HealthSources) {
  const api = createApi({
    desk,
    botToken: BOT_TOKEN,
    logger: quiet,
    ...(sources ? { health: sources } : {}),
  });
  const response = await api.request('/healthz');
  // biome-ignore lint/suspicious/noExplicitAny: the report's optional parts, read freely by the assertions
  return { status: response.status, body: (await response.json()) as any };
}

let key = 0;
async function notice(
  w: World,
  dueAt: number,
  state: 'pending' | 'dead' | 'sent' = 'pending',
  recipient = w.ids.clientA,
  channel: 'telegram' | 'email' = 'telegram',
) {
  await execute(
    w.ctx.db.insert(outbox).values({
      recipientId: recipient,
      channel,
      kind: 'ticket.created',
      payload: {},
      idempotencyKey: `health-${++key}`,
      state,
      nextAttemptAt: dueAt,
      createdAt: dueAt,
    }),
  );
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('GET /healthz', () => {
  it('is 200 with the store and the outbox when the API runs alone', async () => {
    const w = await makeWorld();
    const { status, body } = await health(w.ctx);
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      checks: {
        store: { ok: true },
        outbox: { ok: true, pending: 0, oldestDueSeconds: null, dead: 0 },
      },
    });
  });

  it('turns 503 when the outbox stalls: a notice the notifier could send has waited over 5 minutes', async () => {
    const w = await makeWorld();
    // The bot runs, and with it the notifier that should have sent these.
    const withBot = { bot: (): BotStatus => ({ mode: 'polling', running: true, lastUpdateAt: null }) };
    await notice(w, w.clock.now() - 2 * MINUTE);
    await notice(w, w.clock.now() + 10 * MINUTE, 'pending', w.ids.clientB);
    let r = await health(w.ctx, withBot);
    expect(r.status).toBe(200);
    expect(r.body.checks.outbox).toEqual({ ok: true, pending: 2, oldestDueSeconds: 120, dead: 0 });

    w.clock.advance(4 * MINUTE); // the first is now 6 minutes overdue
    r = await health(w.ctx, withBot);
    expect(r.status).toBe(503);
    expect(r.body.ok).toBe(false);
    expect(r.body.checks.outbox).toMatchObject({ ok: false, pending: 2, oldestDueSeconds: 360 });
    expect(r.body.checks.store.ok).toBe(true);

    // The API alone has no notifier to blame: it reports the figures and stays 200.
    r = await health(w.ctx);
    expect(r.status).toBe(200);
    expect(r.body.checks.outbox).toMatchObject({ ok: true, oldestDueSeconds: 360 });
  });

  it('counts e-mail notices only where a mail sender runs', async () => {
    const w = await makeWorld();
    const withBot = { bot: (): BotStatus => ({ mode: 'polling', running: true, lastUpdateAt: null }) };
    await notice(w, w.clock.now() - 10 * MINUTE, 'pending', w.ids.clientB, 'email');
    let r = await health(w.ctx, withBot);
    expect(r.status).toBe(200);
    expect(r.body.checks.outbox).toMatchObject({ ok: true, pending: 0 });
    r = await health(w.ctx, { ...withBot, sendsMail: true });
    expect(r.status).toBe(503);
    expect(r.body.checks.outbox).toMatchObject({ ok: false, pending: 1, oldestDueSeconds: 600 });
  });

  it('does not count a notice waiting behind one in backoff, and reports dead letters without failing', async () => {
    const w = await makeWorld();
    // The head of clientA's queue is in backoff; the one behind it is overdue but not the notifier's to send.
    await notice(w, w.clock.now() + 3 * MINUTE);
    await notice(w, w.clock.now() - 30 * MINUTE);
    await notice(w, w.clock.now() - 60 * MINUTE, 'dead', w.ids.clientB);
    await notice(w, w.clock.now() - 60 * MINUTE, 'sent', w.ids.clientB);
    const { status, body } = await health(w.ctx, {
      bot: () => ({ mode: 'polling', running: true, lastUpdateAt: null }),
    });
    expect(status).toBe(200);
    expect(body.checks.outbox).toEqual({ ok: true, pending: 2, oldestDueSeconds: null, dead: 1 });
  });

  // SQLite: a read-only store file.
  it.skipIf(onPostgres)('turns 503 when the store file is read-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgdesk-health-'));
    dirs.push(dir);
    const file = join(dir, 'desk.sqlite');
    openDatabase(file).$client.close();

    // What SQLite does with a file it may not write (permissions, a read-only mount): it opens it read-only.
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const desk = createContext(drizzle(sqlite, { schema }), (await makeWorld()).clock);
      const { status, body } = await health(desk);
      expect(status).toBe(503);
      expect(body.ok).toBe(false);
      expect(body.checks.store).toEqual({ ok: false, error: 'SQLITE_READONLY' });
      // Reading still works: the outbox is reported.
      expect(body.checks.outbox).toMatchObject({ ok: true, pending: 0 });
    } finally {
      sqlite.close();
    }

    // The same file opened for writing is healthy.
    const db = openDatabase(file);
    try {
      expect((await health(createContext(db, (await makeWorld()).clock))).status).toBe(200);
    } finally {
      db.$client.close();
    }
  });

  // SQLite: the query_only pragma.
  it.skipIf(onPostgres)('turns 503 when the connection may not write (query_only)', async () => {
    const w = await makeWorld();
    w.ctx.db.$client.pragma('query_only = 1');
    const { status, body } = await health(w.ctx);
    expect(status).toBe(503);
    expect(body.checks.store.ok).toBe(false);
  });

  it('reports the bot: 503 when the runner has stopped, the time of the last update when running', async () => {
    const w = await makeWorld();
    const bot: BotStatus = { mode: 'polling', running: true, lastUpdateAt: null };
    const sources = { bot: () => bot };
    let r = await health(w.ctx, sources);
    expect(r.status).toBe(200);
    expect(r.body.checks.bot).toEqual({ ok: true, mode: 'polling', running: true, lastUpdateAt: null });

    bot.lastUpdateAt = w.clock.now();
    r = await health(w.ctx, sources);
    expect(r.body.checks.bot.lastUpdateAt).toBe(new Date(w.clock.now()).toISOString());

    bot.running = false;
    r = await health(w.ctx, sources);
    expect(r.status).toBe(503);
    expect(r.body.checks.bot.ok).toBe(false);

    // A bot that has not started yet is not healthy either.
    r = await health(w.ctx, { bot: () => undefined });
    expect(r.status).toBe(503);
    expect(r.body.checks.bot).toMatchObject({ ok: false, mode: 'starting' });
  });

  it('reports the SLA scheduler: 503 once it has not completed a sweep for more than 3 intervals', async () => {
    const w = await makeWorld();
    const intervalMs = 30_000;
    const scheduler = await startSlaScheduler({ desk: w.ctx, intervalMs });
    try {
      const sources = { scheduler: () => scheduler.status() };
      let r = await health(w.ctx, sources);
      expect(r.status).toBe(200);
      // The first sweep runs at start.
      expect(r.body.checks.scheduler).toEqual({
        ok: true,
        lastRunAt: new Date(w.clock.now()).toISOString(),
        intervalSeconds: 30,
      });

      w.clock.advance(3 * intervalMs);
      expect((await health(w.ctx, sources)).status).toBe(200);
      w.clock.advance(1_000);
      r = await health(w.ctx, sources);
      expect(r.status).toBe(503);
      expect(r.body.checks.scheduler.ok).toBe(false);

      await scheduler.sweepNow();
      r = await health(w.ctx, sources);
      expect(r.status).toBe(200);
      expect(r.body.checks.scheduler.lastRunAt).toBe(new Date(w.clock.now()).toISOString());
    } finally {
      await scheduler.stop();
    }
  });
});

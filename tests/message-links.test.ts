// Which ticket a bot message is about: the latest message with an id in a chat wins, and a sandbox that
// starts again over the same store does not hand out message ids the store still remembers — so a reply
// never lands on another ticket (or another company's).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { type RunningApp, startApp } from '../app/run.ts';
import { nextLinkedMessageIds, rememberMessage, ticketOfMessage } from '../bot/message-links.ts';
import { promptOf } from '../bot/staff/prompts.ts';
import { rememberRef } from '../core/intake/message-refs.ts';
import { createTicket } from '../core/tickets/create.ts';
import { queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { tickets } from '../db/schema.ts';
import { startEmulator } from '../emulator/index.ts';
import { makeWorld } from './fixtures.ts';
import { onPostgres } from './support/test-store.ts';

/** The message id after the highest the store has linked in a chat (1 for a chat it does not know). */
const nextLinkedIn = async (db: Db, chatId: number) => (await nextLinkedMessageIds(db)).get(chatId) ?? 1;

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-links-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('message links', () => {
  it('point at the latest message with that id in that chat', async () => {
    const w = await makeWorld();
    const a = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'A' });
    const b = await createTicket(w.ctx, w.as.clientB, { channel: 'telegram', description: 'B' });
    await rememberRef(
      w.ctx.db,
      'telegram',
      '7:5',
      { ticketId: a.id, purpose: 'ask', personId: w.ids.line1 },
      1,
    );
    expect(await promptOf(w.ctx.db, 7, 5)).toMatchObject({ ticketId: a.id, purpose: 'ask' });
    await rememberMessage(w.ctx.db, 7, 5, b.id, 2);
    expect(await ticketOfMessage(w.ctx.db, 7, 5)).toBe(b.id);
    // The old message's question is gone with it: an answer to the new one is no prompt answer.
    expect(await promptOf(w.ctx.db, 7, 5)).toBeUndefined();
    expect(await nextLinkedIn(w.ctx.db, 7)).toBe(6);
    expect(await nextLinkedIn(w.ctx.db, 8)).toBe(1);
    // Chat 7 must not count chat 70's ids, nor a negative group's.
    await rememberMessage(w.ctx.db, 70, 99, a.id, 3);
    await rememberMessage(w.ctx.db, -7, 42, a.id, 3);
    expect(await nextLinkedIn(w.ctx.db, 7)).toBe(6);
    expect(await nextLinkedIn(w.ctx.db, -7)).toBe(43);
  });

  it('let the emulator start a chat at a given message id', async () => {
    const emu = await startEmulator({ firstMessageId: (chatId) => (chatId === 4242 ? 500 : 1) });
    try {
      expect(emu.user({ id: 4242, first_name: 'A' }).send('hi').message_id).toBe(500);
      expect(emu.user({ id: 4343, first_name: 'B' }).send('hi').message_id).toBe(1);
    } finally {
      await emu.close();
    }
  });
});

describe('the sandbox started again over the same store', () => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  const start = async () =>
    startApp(loadConfig({ DATABASE_PATH: join(dir, 'sandbox.sqlite'), PORT: '0' }), {
      log: () => {},
      logger: createLogger({ level: 'silent' }),
      limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
    });

  // The sandbox, which runs on SQLite only.
  it.skipIf(onPostgres)(
    'goes on from the message ids the store remembers, so old links never catch new replies',
    async () => {
      app = await start();
      const { db } = app.desk;
      const ticket = await queryOne(db.select().from(tickets));
      // A chat where the store linked message 40 to a ticket.
      const person = app.emulator?.user({ id: 9_100_001, first_name: 'Гость' });
      await rememberMessage(db, person?.chatId ?? 0, 40, ticket?.id ?? 0, Date.now());
      await app.stop();

      app = await start();
      const again = app.emulator?.user({ id: 9_100_001, first_name: 'Гость' });
      const first = again?.send('/start');
      expect(first?.message_id).toBe(41);
      const greeting = await again?.waitForMessage('Здравствуйте');
      expect(greeting?.message_id).toBeGreaterThan(41);
      expect(
        await ticketOfMessage(app.desk.db, again?.chatId ?? 0, greeting?.message_id ?? 0),
      ).toBeUndefined();
    },
    60_000,
  );
});

// The whole desk on PostgreSQL: `npm start` with DATABASE_URL and a bot token, on an empty database. The
// process is the real one (startApp: bot, API, SLA scheduler, notifier) against the local Bot API emulator
// over HTTP; a client nobody knows files a request through the guided intake, the 1st line is told, and the
// ticket is in the store with its event — and a second instance on the same database starts beside it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { type RunningApp, SECOND_POLLER, startApp } from '../../app/run.ts';
import { storeDialect } from '../../db/dialect.ts';
import { type Emulator, startEmulator } from '../../emulator/index.ts';
import { fileShortRequest } from '../bot-harness.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from '../support/postgres.ts';
import { pgSchema } from './world.ts';

let server: PostgresServer | undefined;
const running: { emu?: Emulator; apps: RunningApp[] } = { apps: [] };
const errors: unknown[] = [];

async function instance(url: string, emu: Emulator, env: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startApp(
    loadConfig({
      BOT_TOKEN: emu.token,
      BOT_API_ROOT: emu.apiRoot,
      DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    }),
    {
      log: () => {},
      onError: (e) => errors.push(e),
      limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
    },
  );
  running.apps.push(app);
  return app;
}

describe.skipIf(!postgresAvailable())('the desk on PostgreSQL', () => {
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const app of running.apps.splice(0)) await app.stop();
    await running.emu?.close();
    running.emu = undefined;
    expect(errors.splice(0)).toEqual([]);
  });

  it('starts on an empty database with a new desk’s defaults, and takes a stranger’s request', async () => {
    if (!server) throw new Error('no server');
    const url = await server.createDatabase();
    const emu = await startEmulator();
    running.emu = emu;
    const app = await instance(url, emu);
    const db = app.desk.db;
    // A new desk: categories and the contract for senders of no known company, as on SQLite.
    expect((await db.select().from(pgSchema.categories)).length).toBeGreaterThan(0);
    expect(app.setupUrl).toMatch(/\?start=/);

    const stranger = emu.user({ id: 880001, first_name: 'Пётр', language_code: 'ru' });
    stranger.send('/start');
    await stranger.waitForMessage('Мы пока не знаем, из какой вы компании');
    const accepted = await fileShortRequest(stranger, 'Принтер', 'Не печатает принтер в бухгалтерии');
    expect(accepted.text).toMatch(/^Заявка #1001 принята/);
    const [ticket] = await db.select().from(pgSchema.tickets);
    expect(ticket).toMatchObject({ number: 1001, companyId: null, line: 'line1', status: 'new' });
    const events = await db.select().from(pgSchema.ticketEvents);
    expect(events.map((e) => e.type)).toEqual(['created']);
  }, 60_000);

  it('lets one instance poll Telegram and refuses a second without WEBHOOK_URL, which may start once it is gone', async () => {
    if (!server) throw new Error('no server');
    const url = await server.createDatabase();
    const emu = await startEmulator();
    running.emu = emu;
    const first = await instance(url, emu);
    // Long polling is one reader: a second poller on the same desk is refused with the reason, and nothing runs.
    await expect(instance(url, emu)).rejects.toThrow(SECOND_POLLER);
    expect(running.apps).toHaveLength(1);
    // The first still answers, and once it stops another instance polls in its place.
    const stranger = emu.user({ id: 880_002, first_name: 'Анна', language_code: 'ru' });
    stranger.send('/start');
    await stranger.waitForMessage('Мы пока не знаем, из какой вы компании');
    await first.stop();
    running.apps.splice(running.apps.indexOf(first), 1);
    const second = await instance(url, emu);
    expect((await fetch(new URL('/healthz', second.url))).status).toBe(200);
  }, 60_000);

  it('runs two instances on one database: one sweeps the SLA clocks, both serve', async () => {
    if (!server) throw new Error('no server');
    const url = await server.createDatabase();
    const emu = await startEmulator();
    running.emu = emu;
    // Several instances take Telegram's updates by webhook, behind one address (long polling is one reader).
    const webhook = {
      WEBHOOK_URL: 'https://desk.example/telegram/hook',
      WEBHOOK_SECRET: 'hook-secret-1234567890',
    };
    const first = await instance(url, emu, webhook);
    const second = await instance(url, emu, webhook);
    const scheduler = async (app: RunningApp) => {
      const health = await fetch(new URL('/healthz', app.url));
      const body = (await health.json()) as { checks: { scheduler?: { lastRunAt: string | null } } };
      return { status: health.status, swept: body.checks.scheduler?.lastRunAt != null };
    };
    // Exactly one sweeps (the first started holds the lease); both are healthy.
    await expect.poll(async () => (await scheduler(first)).swept, { timeout: 15_000 }).toBe(true);
    expect(await scheduler(first)).toEqual({ status: 200, swept: true });
    expect(await scheduler(second)).toEqual({ status: 200, swept: false });
    // The defaults were applied once: the second start found them.
    const codes = (await second.desk.db.select().from(pgSchema.categories)).map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  }, 60_000);
});

describe('DATABASE_URL in the configuration', () => {
  it('switches the store to PostgreSQL for a desk with its bot, and refuses the rest with a reason', () => {
    const url = 'postgres://tgdesk:secret@db.example:5432/tgdesk';
    expect(
      loadConfig({ BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678', DATABASE_URL: url }).databaseUrl,
    ).toBe(url);
    expect(
      loadConfig({ BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678' }).databaseUrl,
    ).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/DATABASE_URL: the offline demo runs on SQLite/);
    expect(() =>
      loadConfig({ BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678', DEMO: '1', DATABASE_URL: url }),
    ).toThrow(/DATABASE_URL/);
    expect(() =>
      loadConfig({ BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678', DATABASE_URL: 'mysql://x/y' }),
    ).toThrow(/DATABASE_URL must be postgres:/);
    expect(storeDialect({ DATABASE_URL: url })).toBe('postgres');
    expect(storeDialect({ DATABASE_URL: 'postgresql://h/d' })).toBe('postgres');
    expect(storeDialect({})).toBe('sqlite');
  });
});

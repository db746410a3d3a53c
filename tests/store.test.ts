// The store: pragmas, migrations, the demo seed, and `npm start` on a fresh database.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createContext } from '../core/context.ts';
import { ManualClock, ROLES } from '../core/model.ts';
import { SYSTEM } from '../core/permissions.ts';
import { buildReport } from '../core/reports.ts';
import { openDatabase } from '../db/connection.ts';
import { isEmpty, seedDemo } from '../db/seed.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-store-'));
/** `npm start` processes a test began: stopped even when the test fails half-way. */
const started: { stop(): Promise<number | null> }[] = [];
afterAll(async () => {
  for (const child of started) await child.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening the database', () => {
  it('uses WAL, foreign keys and a busy timeout, and reopens without re-migrating', () => {
    const path = join(dir, 'pragmas.sqlite');
    const db = openDatabase(path);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    const migrations = db.$client.prepare('select count(*) as n from __drizzle_migrations').get();
    db.$client.close();
    const again = openDatabase(path);
    expect(again.$client.prepare('select count(*) as n from __drizzle_migrations').get()).toEqual(migrations);
    // Foreign keys are enforced: a ticket for nobody is refused.
    expect(() =>
      again.$client
        .prepare(
          `insert into tickets (number, channel, requester_id, subject, description, impact, urgency, priority,
           status, line, created_at, updated_at, first_response_due_at, resolution_due_at)
           values (1, 'web', 424242, 's', 'd', 'person', 'low', 'P4', 'new', 'line1', 0, 0, 0, 0)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    again.$client.close();
  });

  it('keeps a role once per person and company, staff roles included', () => {
    const db = openDatabase(':memory:');
    db.$client.exec(`insert into people (id, name, created_at) values (1, 'P', 0)`);
    db.$client.exec(`insert into memberships (person_id, role, company_id) values (1, 'line1', null)`);
    expect(() =>
      db.$client.exec(`insert into memberships (person_id, role, company_id) values (1, 'line1', null)`),
    ).toThrow(/UNIQUE/);
  });
});

describe('the demo seed', () => {
  it('makes two companies on different contracts and calendars, one person of every role, and real tickets', async () => {
    const db = openDatabase(':memory:');
    expect(isEmpty(db)).toBe(true);
    const now = Date.parse('2026-11-25T12:00:00Z');
    await seedDemo(db, now);
    expect(isEmpty(db)).toBe(false);
    const q = (sql: string) => db.$client.prepare(sql).all();
    expect(q('select distinct calendar_id from contracts where company_id is not null')).toHaveLength(2);
    expect(q('select distinct time_zone from business_calendars')).toHaveLength(2);
    const roles = (q('select distinct role from memberships') as { role: string }[])
      .map((r) => r.role)
      .sort();
    expect(roles).toEqual([...ROLES].sort());
    // A month of history (tests/demo-seed.test.ts looks at it closely) and the four requests open now.
    const statuses = q('select status, count(*) as n from tickets group by status order by status');
    expect(statuses).toEqual([
      { status: 'cancelled', n: 6 },
      { status: 'closed', n: 83 },
      { status: 'in_progress', n: 1 },
      { status: 'new', n: 2 },
      { status: 'resolved', n: 1 },
      { status: 'waiting_for_customer', n: 1 },
    ]);
    expect(q(`select * from outbox where state != 'sent'`)).toHaveLength(0);
    const report = await buildReport(createContext(db, new ManualClock(now)), SYSTEM, {
      companyId: null,
      from: now - 7 * 86_400_000,
      to: now,
    });
    expect(report.total).toBe(13);
    expect(report.rating).toEqual({ count: 4, average: 4.75 });
  });
});

describe('configuration', () => {
  it('defaults to the offline demo without a bot token', () => {
    expect(loadConfig({})).toEqual({
      databasePath: './data/tgdesk.sqlite',
      botToken: undefined,
      botApiRoot: 'https://api.telegram.org',
      demo: true,
      port: 3000,
      host: undefined,
      webhook: undefined,
      miniAppUrl: undefined,
      initDataMaxAge: 3600,
      adminTelegramIds: [],
      deskTimeZone: 'Europe/Moscow',
      logLevel: 'info',
      logFormat: process.stdout.isTTY ? 'text' : 'json',
      backup: undefined,
      filesDir: './data/files',
      apiRateLimit: { perPerson: 120, perIp: 600, authFailuresPerIp: 30, trustProxy: false },
      mail: { imapUrls: [], smtpUrl: undefined, from: undefined, newTicketsPerHour: 10 },
    });
    expect(loadConfig({ FILES_DIR: ' /srv/tgdesk/files ' }).filesDir).toBe('/srv/tgdesk/files');
    expect(loadConfig({ INIT_DATA_MAX_AGE: '600' }).initDataMaxAge).toBe(600);
    expect(loadConfig({ ADMIN_TELEGRAM_IDS: ' 101, 202 ' }).adminTelegramIds).toEqual([101, 202]);
    expect(() => loadConfig({ ADMIN_TELEGRAM_IDS: '101;x' })).toThrow(/ADMIN_TELEGRAM_IDS/);
    expect(loadConfig({ DESK_TIME_ZONE: 'Asia/Omsk' }).deskTimeZone).toBe('Asia/Omsk');
    expect(() => loadConfig({ DESK_TIME_ZONE: 'Moscow' })).toThrow(/DESK_TIME_ZONE/);
    expect(() => loadConfig({ INIT_DATA_MAX_AGE: 'forever' })).toThrow(/INIT_DATA_MAX_AGE/);
    const live = loadConfig({ BOT_TOKEN: '123456:AAEhBP0av28Bnbx5yZt3Kd7q1JXAbcdEfGh', PORT: '9000' });
    expect(live).toMatchObject({ demo: false, port: 9000 });
    expect(loadConfig({ BOT_TOKEN: '123456:AAEhBP0av28Bnbx5yZt3Kd7q1JXAbcdEfGh', DEMO: '1' }).demo).toBe(
      true,
    );
  });

  it('names each bad value', () => {
    expect(() => loadConfig({ BOT_TOKEN: 'nope' })).toThrow(/BOT_TOKEN must look like/);
    expect(() => loadConfig({ PORT: '99999' })).toThrow(/PORT/);
    expect(() => loadConfig({ BOT_API_ROOT: 'not a url' })).toThrow(/BOT_API_ROOT/);
    expect(() => loadConfig({ DEMO: 'maybe' })).toThrow(/DEMO/);
    expect(() => loadConfig({ WEBHOOK_URL: 'http://example.org/hook' })).toThrow(/must be https/);
    expect(() => loadConfig({ WEBHOOK_URL: 'https://example.org/hook', WEBHOOK_SECRET: 'short' })).toThrow(
      /WEBHOOK_SECRET/,
    );
    expect(() => loadConfig({ MINIAPP_URL: 'http://desk.example.org/' })).toThrow(
      /MINIAPP_URL must be https/,
    );
    const hooked = loadConfig({
      WEBHOOK_URL: 'https://desk.example.org/telegram',
      MINIAPP_URL: 'https://desk.example.org/',
    });
    // The webhook is a route of the one server: the URL's path, on PORT.
    expect(hooked.webhook).toMatchObject({ url: 'https://desk.example.org/telegram', path: '/telegram' });
    expect(hooked.webhook?.secret).toMatch(/^[\w-]{32}$/);
    expect(hooked.miniAppUrl).toBe('https://desk.example.org/');
  });
});

describe('npm start', () => {
  it('without a bot token: migrates and seeds a fresh database, serves the sandbox on one URL until stopped', async () => {
    const path = join(dir, 'start', 'tgdesk.sqlite');
    const env = { ...process.env, DATABASE_PATH: path, BOT_TOKEN: '', PORT: '0' };

    const first = startProcess(env);
    const url = await first.waitFor(/^\s+(http:\/\/localhost:\d+\/sandbox\/)$/m);
    expect(first.output()).toMatch(/demo data seeded/);
    // The demo's month of tickets: how many depends on the day it is seeded.
    const tickets = Number(/2 companies, 15 people, (\d+) tickets/.exec(first.output())?.[1]);
    expect(tickets).toBeGreaterThanOrEqual(60);
    expect(tickets).toBeLessThanOrEqual(120);
    expect(first.output()).toMatch(/SLA scheduler is running/);
    expect(first.output()).toMatch(/Not built yet: e-mail intake/);
    expect(first.output()).not.toMatch(/Not built yet:.*(sandbox|Mini App)/);
    // One URL, the sandbox's.
    expect(first.output().match(/https?:\/\/\S+/g)).toEqual([url]);
    const origin = new URL(url).origin;
    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, checks: { store: { ok: true } } });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script type="module"[^>]+src="\/sandbox\/assets\/[\w-]+\.js"/);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toMatch(/stopped/);

    // A second start finds the data and does not seed twice.
    const second = startProcess(env);
    await second.waitFor(/^\s+http:\/\/localhost:\d+\/sandbox\/$/m);
    expect(second.output()).not.toMatch(/demo data seeded/);
    expect(second.output()).toContain(`2 companies, 15 people, ${tickets} tickets`);
    expect(await second.stop()).toBe(0);
  }, 90_000); // two cold starts of tsx and the page's build: past vitest's 5 s default on a busy machine

  it('stops with a clear message on bad configuration', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'app/start.ts'], {
        env: { ...process.env, DATABASE_PATH: join(dir, 'x.sqlite'), PORT: 'eighty' },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(stderr).toMatch(/Bad configuration:\n\s+PORT/);
  }, 30_000); // a cold start of tsx
});

/** `npm start` as a child process: its output so far, a wait for a line, and Ctrl-C (SIGINT). */
function startProcess(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/start.ts'], { env, stdio: 'pipe' });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const handle = {
    output: () => output,
    /** The first capture group (or the whole match) once the output matches. */
    waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return false;
          cleanup();
          resolve(match[1] ?? match[0]);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`npm start never printed ${pattern}; it printed:\n${output}`));
        }, timeoutMs);
        const onData = () => check();
        const onExit = (code: number | null) => {
          if (check()) return;
          cleanup();
          reject(new Error(`npm start exited (${code}) before printing ${pattern}:\n${output}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          child.off('exit', onExit);
        };
        child.stdout.on('data', onData);
        child.once('exit', onExit);
        check();
      });
    },
    async stop(): Promise<number | null> {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
  started.push(handle);
  return handle;
}

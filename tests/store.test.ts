// The store: pragmas, migrations, the demo seed, and `npm start` on a fresh database.
import { execFileSync } from 'node:child_process';
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
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
  it('makes two companies on different contracts and calendars, one person of every role, and real tickets', () => {
    const db = openDatabase(':memory:');
    expect(isEmpty(db)).toBe(true);
    const now = Date.parse('2026-11-25T12:00:00Z');
    seedDemo(db, now);
    expect(isEmpty(db)).toBe(false);
    const q = (sql: string) => db.$client.prepare(sql).all();
    expect(q('select distinct calendar_id from contracts where company_id is not null')).toHaveLength(2);
    expect(q('select distinct time_zone from business_calendars')).toHaveLength(2);
    const roles = (q('select distinct role from memberships') as { role: string }[])
      .map((r) => r.role)
      .sort();
    expect(roles).toEqual([...ROLES].sort());
    const statuses = (q('select status from tickets') as { status: string }[]).map((r) => r.status).sort();
    expect(statuses).toEqual(['closed', 'in_progress', 'new', 'new', 'waiting_for_customer']);
    expect(q(`select * from outbox where state != 'sent'`)).toHaveLength(0);
    const report = buildReport(createContext(db, new ManualClock(now)), SYSTEM, {
      companyId: null,
      from: now - 7 * 86_400_000,
      to: now,
    });
    expect(report.total).toBe(5);
    expect(report.rating).toEqual({ count: 1, average: 5 });
  });
});

describe('configuration', () => {
  it('defaults to the offline demo without a bot token', () => {
    expect(loadConfig({})).toEqual({
      databasePath: './data/tgdesk.sqlite',
      botToken: undefined,
      botApiRoot: 'https://api.telegram.org',
      demo: true,
      port: 8080,
      webhook: undefined,
    });
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
    const hooked = loadConfig({ WEBHOOK_URL: 'https://desk.example.org/telegram' });
    expect(hooked.webhook).toMatchObject({ url: 'https://desk.example.org/telegram', port: 8443 });
    expect(hooked.webhook?.secret).toMatch(/^[\w-]{32}$/);
  });
});

describe('npm start', () => {
  it('creates, migrates and seeds a fresh database, then says what is not built yet', () => {
    const path = join(dir, 'start', 'tgdesk.sqlite');
    const env = { ...process.env, DATABASE_PATH: path, BOT_TOKEN: '' };
    const run = () =>
      execFileSync(process.execPath, ['--import', 'tsx', 'app/start.ts'], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const first = run();
    expect(first).toMatch(/demo data seeded/);
    expect(first).toMatch(/2 companies, 10 people, 5 tickets/);
    expect(first).toMatch(/Not built yet/);
    expect(first).not.toMatch(/the SLA scheduler/);
    expect(first).toMatch(/SLA sweep: \d+ warnings, \d+ breaches, \d+ tickets auto-closed/);
    // A second start finds the data and does not seed twice.
    const second = run();
    expect(second).not.toMatch(/demo data seeded/);
    expect(second).toMatch(/2 companies, 10 people, 5 tickets/);
  }, 60_000); // two cold starts of tsx: past vitest's 5 s default on a busy machine

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
  });
});

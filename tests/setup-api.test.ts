// The admin's guided set-up over HTTP: GET /api/admin/setup follows what gets done on a fresh desk,
// GET/PATCH /api/admin/desk name the desk and set its zone, bad input changes nothing, and only admins
// get any of it.
import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type ApiDeps, createApi } from '../api/app.ts';
import { signInitData } from '../api/init-data.ts';
import { createContext, type DeskContext } from '../core/context.ts';
import { ManualClock } from '../core/model.ts';
import { applyDefaults } from '../core/setup/defaults.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { memberships, people } from '../db/schema.ts';
import { apiWorld, BOT_TOKEN, call } from './api-harness.ts';
import type { PersonKey } from './fixtures.ts';
import { openTestStore } from './support/test-store.ts';

interface Fresh {
  ctx: DeskContext;
  app: Hono;
  /** Telegram user ids of the people in the store. */
  tg: { admin: number; newcomer: number };
  newcomerId: number;
}

/** A store as a new install has it: the defaults, one admin, and one person who pressed /start. */
async function freshDesk(deps: Partial<ApiDeps> = {}): Promise<Fresh> {
  const db = await openTestStore();
  const ctx = createContext(db, new ManualClock(Date.parse('2026-11-11T10:00:00+03:00')));
  await applyDefaults(ctx);
  const createdAt = ctx.clock.now();
  const admin = await queryOne(
    db.insert(people).values({ name: 'Admin', telegramUserId: 5001, createdAt }).returning(),
  );
  await execute(db.insert(memberships).values({ personId: admin.id, role: 'admin', companyId: null }));
  const newcomer = await queryOne(
    db.insert(people).values({ name: 'Olga', telegramUserId: 5002, createdAt }).returning(),
  );
  const app = createApi({ desk: ctx, botToken: BOT_TOKEN, botUsername: 'tgdesk_test_bot', ...deps });
  return { ctx, app, tg: { admin: 5001, newcomer: 5002 }, newcomerId: newcomer.id };
}

async function request(f: Fresh, who: 'admin' | 'newcomer', method: string, path: string, body?: unknown) {
  const data = signInitData(
    BOT_TOKEN,
    { id: f.tg[who], first_name: who },
    { authDate: Math.floor(f.ctx.clock.now() / 1000) },
  );
  const headers: Record<string, string> = { Authorization: `tma ${data}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await f.app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies checked by the assertions
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as any };
}

interface Item {
  key: string;
  state: 'done' | 'todo' | 'later';
  facts: Record<string, string | number>;
}

async function checklist(f: Fresh): Promise<{ items: Item[]; done: number; total: number }> {
  const res = await request(f, 'admin', 'GET', '/api/admin/setup');
  expect(res.status).toBe(200);
  return res.json.checklist;
}

async function states(f: Fresh): Promise<Record<string, string>> {
  return Object.fromEntries((await checklist(f)).items.map((i) => [i.key, i.state]));
}

async function settingsRows(ctx: DeskContext): Promise<string> {
  return JSON.stringify(await queryAll(ctx.db, sql`select * from desk_settings order by key`));
}

describe('the admin set-up API', () => {
  it('shows a fresh desk with nothing done, and follows each step as it gets done', async () => {
    const f = await freshDesk();
    const first = await checklist(f);
    expect(first.items.map((i) => i.key)).toEqual([
      'desk',
      'staff_group',
      'line1',
      'line2',
      'field_engineer',
      'company',
      'clients',
      'miniapp',
      'email',
    ]);
    expect(first.done).toBe(0);
    // E-mail counts too: to do until mailboxes and SMTP are set.
    expect(first.total).toBe(9);
    expect(first.items.find((i) => i.key === 'email')?.state).toBe('todo');
    expect(first.items.find((i) => i.key === 'desk')).toEqual({
      key: 'desk',
      state: 'todo',
      facts: { name: '', timeZone: 'Europe/Moscow' },
    });

    // Name the desk and move it to Novosibirsk.
    const named = await request(f, 'admin', 'PATCH', '/api/admin/desk', {
      name: '  Служба ИТ «Альфа»  ',
      timeZone: 'Asia/Novosibirsk',
    });
    expect(named.status).toBe(200);
    expect(named.json.desk).toEqual({ name: 'Служба ИТ «Альфа»', timeZone: 'Asia/Novosibirsk' });
    const read = await request(f, 'admin', 'GET', '/api/admin/desk');
    expect(read.json.desk).toEqual(named.json.desk);
    // The default calendar follows the desk's zone.
    const calendars = await request(f, 'admin', 'GET', '/api/admin/calendars');
    expect(calendars.json.calendars.map((c: { timeZone: string }) => c.timeZone)).toEqual([
      'Asia/Novosibirsk',
    ]);
    let now = await checklist(f);
    expect(now.items.find((i) => i.key === 'desk')).toMatchObject({
      state: 'done',
      facts: { name: 'Служба ИТ «Альфа»', timeZone: 'Asia/Novosibirsk' },
    });
    expect(now.done).toBe(1);

    // A 1st-line engineer: the person who pressed /start gets the role.
    expect((await states(f)).line1).toBe('todo');
    const role = await request(f, 'admin', 'POST', `/api/admin/people/${f.newcomerId}/roles`, {
      role: 'line1',
    });
    expect(role.status).toBe(201);
    now = await checklist(f);
    expect(now.items.find((i) => i.key === 'line1')).toMatchObject({
      state: 'done',
      facts: { people: 1, invites: 0 },
    });
    expect((await states(f)).line2).toBe('todo');

    // A company alone is not enough: it needs a contract that covers it now.
    const company = await request(f, 'admin', 'POST', '/api/admin/companies', { name: 'Alpha LLC' });
    expect(company.status).toBe(201);
    now = await checklist(f);
    expect(now.items.find((i) => i.key === 'company')).toMatchObject({
      state: 'todo',
      facts: { companies: 1, covered: 0 },
    });
    const calendarId = calendars.json.calendars[0].id;
    const contract = await request(f, 'admin', 'POST', '/api/admin/contracts', {
      companyId: company.json.company.id,
      name: 'Alpha 9–18',
      startsAt: f.ctx.clock.now() - 86_400_000,
      calendarId,
      slaTargets: {
        P1: { firstResponse: 15, resolution: 240 },
        P2: { firstResponse: 30, resolution: 480 },
        P3: { firstResponse: 120, resolution: 1440 },
        P4: { firstResponse: 480, resolution: 2880 },
      },
      priorityMatrix: {
        company: { high: 'P1', medium: 'P2', low: 'P3' },
        department: { high: 'P2', medium: 'P3', low: 'P4' },
        person: { high: 'P3', medium: 'P4', low: 'P4' },
      },
    });
    expect(contract.status).toBe(201);
    now = await checklist(f);
    expect(now.items.find((i) => i.key === 'company')).toMatchObject({
      state: 'done',
      facts: { companies: 1, covered: 1 },
    });
    expect(now.done).toBe(3);

    // A live client invite shows as a fact; the line is done once someone has joined.
    const invite = await request(f, 'admin', 'POST', '/api/admin/invites', {
      role: 'client',
      companyId: company.json.company.id,
    });
    expect(invite.status).toBe(201);
    now = await checklist(f);
    expect(now.items.find((i) => i.key === 'clients')).toMatchObject({
      state: 'todo',
      facts: { people: 0, invites: 1 },
    });
  });

  it('counts the Mini App as done when the process was given MINIAPP_URL', async () => {
    const without = await checklist(await freshDesk());
    expect(without.items.find((i) => i.key === 'miniapp')).toEqual({
      key: 'miniapp',
      state: 'todo',
      facts: { url: '' },
    });
    const f = await freshDesk({ miniAppUrl: 'https://desk.example.com/' });
    const list = await checklist(f);
    expect(list.items.find((i) => i.key === 'miniapp')).toEqual({
      key: 'miniapp',
      state: 'done',
      facts: { url: 'https://desk.example.com/' },
    });
    expect(list.done).toBe(1);
  });

  it('refuses a bad name or zone with a 400 JSON error and keeps the profile as it was', async () => {
    const f = await freshDesk();
    expect((await request(f, 'admin', 'PATCH', '/api/admin/desk', { name: 'Desk' })).status).toBe(200);
    const before = await settingsRows(f.ctx);
    const calendarsBefore = JSON.stringify(
      await queryAll(f.ctx.db, sql`select * from business_calendars order by id`),
    );
    for (const body of [
      { timeZone: 'Mars/Phobos' },
      { name: 'Renamed', timeZone: 'Europe/Nowhere' },
      { name: '   ' },
      { name: 'x'.repeat(101) },
      { name: 42 },
      { timeZone: 3 },
      '[]',
      'null',
      '{"name": ',
    ]) {
      const res = await request(f, 'admin', 'PATCH', '/api/admin/desk', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.type).toContain('application/json');
      expect(res.json.error.code).toBe('invalid_input');
    }
    const zone = await request(f, 'admin', 'PATCH', '/api/admin/desk', { timeZone: 'Mars/Phobos' });
    expect(zone.json.error.issues).toEqual([expect.objectContaining({ path: ['timeZone'] })]);
    expect(await settingsRows(f.ctx)).toBe(before);
    expect(JSON.stringify(await queryAll(f.ctx.db, sql`select * from business_calendars order by id`))).toBe(
      calendarsBefore,
    );
    expect((await request(f, 'admin', 'GET', '/api/admin/desk')).json.desk).toEqual({
      name: 'Desk',
      timeZone: 'Europe/Moscow',
    });
  });

  it('is for admins only: everyone else gets 403 and changes nothing', async () => {
    const f = await freshDesk();
    for (const [method, path, body] of [
      ['GET', '/api/admin/setup'],
      ['GET', '/api/admin/desk'],
      ['PATCH', '/api/admin/desk', { name: 'Mine now' }],
    ] as const) {
      const res = await request(f, 'newcomer', method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    }
    const w = await apiWorld();
    const before = await settingsRows(w.ctx);
    const others: PersonKey[] = ['clientA', 'managerA', 'line1', 'line2', 'field', 'supervisor', 'stranger'];
    for (const who of others) {
      expect((await call(w, who, 'GET', '/api/admin/setup')).status, who).toBe(403);
      expect((await call(w, who, 'GET', '/api/admin/desk')).status, who).toBe(403);
      const patch = await call(w, who, 'PATCH', '/api/admin/desk', { timeZone: 'Asia/Omsk' });
      expect(patch.status, who).toBe(403);
      expect(patch.json.error.code).toBe('forbidden');
    }
    expect(await settingsRows(w.ctx)).toBe(before);
    expect((await call(w, 'admin', 'GET', '/api/admin/setup')).status).toBe(200);
    // Without an init data signature there is nothing at all.
    expect((await call(w, null, 'GET', '/api/admin/setup')).status).toBe(401);
  });
});

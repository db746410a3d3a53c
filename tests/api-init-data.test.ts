// Init data: only what Telegram signed for this bot, recently, opens the API; a new Telegram user becomes
// a person with no roles who sees nothing but may file a request.
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { signInitData, verifyInitData } from '../api/init-data.ts';
import { queryAll, queryOne } from '../db/access.ts';
import { memberships, people } from '../db/schema.ts';
import { type ApiWorld, apiWorld, BOT_TOKEN, call, telegramUser } from './api-harness.ts';

const NEWCOMER = { id: 777_000_111, first_name: 'Nina', last_name: 'Newcomer', language_code: 'en' };

function authDate(w: ApiWorld, shiftSeconds = 0) {
  return Math.floor(w.clock.now() / 1000) + shiftSeconds;
}

async function meWith(w: ApiWorld, authorization: string | undefined) {
  return call(
    w,
    null,
    'GET',
    '/api/me',
    undefined,
    authorization === undefined ? {} : { Authorization: authorization },
  );
}

/** Re-signs a raw string's fields with a token, as an attacker who knows some other token could. */
function resign(raw: string, token: string): string {
  const fields = [...new URLSearchParams(raw)].filter(([k]) => k !== 'hash');
  const check = [...fields]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(token).digest();
  fields.push(['hash', createHmac('sha256', secret).update(check).digest('hex')]);
  return new URLSearchParams(fields).toString();
}

describe('init data', () => {
  it('lets in valid init data and says who it is', async () => {
    const w = await apiWorld();
    const raw = signInitData(BOT_TOKEN, await telegramUser(w, 'managerA'), { authDate: authDate(w) });
    const me = await meWith(w, `tma ${raw}`);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: w.ids.managerA, staff: false, admin: false, manages: [w.companyA] });
    expect(me.json.roles).toEqual([
      { role: 'client_manager', companyId: w.companyA, companyName: 'Alpha LLC' },
    ]);
  });

  it('matches what Telegram documents, checked by hand', () => {
    // The data-check-string and the key derivation written out independently of the module.
    const fields = { auth_date: '1700000000', query_id: 'AAE', user: '{"id":5,"first_name":"A"}' };
    const check = `auth_date=${fields.auth_date}\nquery_id=${fields.query_id}\nuser=${fields.user}`;
    const secret = createHmac('sha256', 'WebAppData').update(BOT_TOKEN).digest();
    const hash = createHmac('sha256', secret).update(check).digest('hex');
    const raw = new URLSearchParams({ ...fields, hash }).toString();
    const ok = verifyInitData(raw, BOT_TOKEN, { now: 1_700_000_100_000, maxAgeSeconds: 3600 });
    expect(ok).toMatchObject({ ok: true, data: { user: { id: 5 }, authDate: 1_700_000_000 } });
    const wrongSecret = createHmac('sha256', BOT_TOKEN).update('WebAppData').digest();
    const swapped = createHmac('sha256', wrongSecret).update(check).digest('hex');
    const bad = new URLSearchParams({ ...fields, hash: swapped }).toString();
    expect(verifyInitData(bad, BOT_TOKEN, { now: 1_700_000_100_000, maxAgeSeconds: 3600 })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a forged hash', async () => {
    const w = await apiWorld();
    const raw = signInitData(BOT_TOKEN, await telegramUser(w, 'admin'), { authDate: authDate(w) });
    const forged = raw.replace(/hash=[0-9a-f]+/, `hash=${'ab'.repeat(32)}`);
    const res = await meWith(w, `tma ${forged}`);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('unauthorized');
  });

  it('refuses a field changed after signing (another user id)', async () => {
    const w = await apiWorld();
    const raw = signInitData(BOT_TOKEN, await telegramUser(w, 'clientA'), { authDate: authDate(w) });
    const admin = await telegramUser(w, 'admin');
    const params = new URLSearchParams(raw);
    params.set('user', JSON.stringify({ ...JSON.parse(params.get('user') ?? '{}'), id: admin.id }));
    const res = await meWith(w, `tma ${params.toString()}`);
    expect(res.status).toBe(401);
    // The same change with a field added instead.
    const extra = new URLSearchParams(raw);
    extra.set('start_param', 'admin');
    expect((await meWith(w, `tma ${extra.toString()}`)).status).toBe(401);
  });

  it('refuses expired init data by the desk clock, and accepts it until then', async () => {
    const w = await apiWorld();
    const raw = signInitData(BOT_TOKEN, await telegramUser(w, 'clientA'), { authDate: authDate(w) });
    expect((await meWith(w, `tma ${raw}`)).status).toBe(200);
    w.clock.advance(3600 * 1000);
    expect((await meWith(w, `tma ${raw}`)).status).toBe(200);
    w.clock.advance(1000);
    const late = await meWith(w, `tma ${raw}`);
    expect(late.status).toBe(401);
    expect(late.json.error.message).toContain('expired');
  });

  it('honours a shorter maximum age and refuses init data dated in the future', async () => {
    const w = await apiWorld({}, { initDataMaxAgeSeconds: 60 });
    const old = signInitData(BOT_TOKEN, await telegramUser(w, 'clientA'), { authDate: authDate(w, -61) });
    expect((await meWith(w, `tma ${old}`)).status).toBe(401);
    const soon = signInitData(BOT_TOKEN, await telegramUser(w, 'clientA'), { authDate: authDate(w, 30) });
    expect((await meWith(w, `tma ${soon}`)).status).toBe(200);
    const future = signInitData(BOT_TOKEN, await telegramUser(w, 'clientA'), { authDate: authDate(w, 600) });
    expect((await meWith(w, `tma ${future}`)).status).toBe(401);
  });

  it("refuses init data signed with another bot's token", async () => {
    const w = await apiWorld();
    const other = signInitData('999999:ANOTHER-bot-token', await telegramUser(w, 'admin'), {
      authDate: authDate(w),
    });
    expect((await meWith(w, `tma ${other}`)).status).toBe(401);
    const ours = signInitData(BOT_TOKEN, await telegramUser(w, 'admin'), { authDate: authDate(w) });
    expect((await meWith(w, `tma ${resign(ours, '999999:ANOTHER-bot-token')}`)).status).toBe(401);
    expect((await meWith(w, `tma ${resign(ours, BOT_TOKEN)}`)).status).toBe(200);
  });

  it('refuses a missing header, another scheme, and malformed data', async () => {
    const w = await apiWorld();
    const raw = signInitData(BOT_TOKEN, await telegramUser(w, 'admin'), { authDate: authDate(w) });
    for (const header of [
      undefined,
      '',
      `Bearer ${raw}`,
      raw,
      'tma ',
      'tma not-init-data',
      `tma ${raw}&hash=${'0'.repeat(64)}`,
      `tma ${'a'.repeat(10_000)}`,
    ]) {
      const res = await meWith(w, header);
      expect(res.status, String(header).slice(0, 40)).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
    // Every /api route is behind it, not only /api/me.
    expect((await call(w, null, 'GET', '/api/tickets')).status).toBe(401);
    expect(
      (await call(w, null, 'POST', '/api/tickets', { description: 'x', impact: 'person', urgency: 'low' }))
        .status,
    ).toBe(401);
    expect((await call(w, null, 'GET', '/healthz')).status).toBe(200);
  });

  it('makes an unknown Telegram user a person with no roles, who sees nothing but may file', async () => {
    const w = await apiWorld();
    await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'Alpha printer',
      impact: 'person',
      urgency: 'low',
    });
    const me = await call(w, NEWCOMER, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      name: 'Nina Newcomer',
      language: 'en',
      roles: [],
      staff: false,
      manages: [],
    });
    const row = await queryOne(w.ctx.db.select().from(people).where(eq(people.telegramUserId, NEWCOMER.id)));
    expect(row?.id).toBe(me.json.id);
    expect(
      await queryAll(w.ctx.db.select().from(memberships).where(eq(memberships.personId, me.json.id))),
    ).toEqual([]);

    expect((await call(w, NEWCOMER, 'GET', '/api/tickets')).json.tickets).toEqual([]);
    expect((await call(w, NEWCOMER, 'GET', '/api/board')).status).toBe(403);
    const now = w.clock.now();
    expect((await call(w, NEWCOMER, 'GET', `/api/reports?from=${now - 1}&to=${now}`)).status).toBe(403);
    expect((await call(w, NEWCOMER, 'GET', '/api/admin/people')).status).toBe(403);

    const filed = await call(w, NEWCOMER, 'POST', '/api/tickets', {
      description: 'My mail does not open',
      impact: 'person',
      urgency: 'medium',
    });
    expect(filed.status).toBe(201);
    expect(filed.json.ticket).toMatchObject({ companyId: null, requesterId: me.json.id, channel: 'miniapp' });
    const mine = await call(w, NEWCOMER, 'GET', '/api/tickets');
    expect(mine.json.tickets.map((t: { id: number }) => t.id)).toEqual([filed.json.ticket.id]);
    // A second request is the same person, not another one.
    expect((await call(w, NEWCOMER, 'GET', '/api/me')).json.id).toBe(me.json.id);
  });
});

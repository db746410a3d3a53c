// The website form's API: a submission files a request in channel 'web'; each protection refuses on its own
// (token, honeypot, proof of work, counters) and a refusal writes nothing; field errors in ru and en.

import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { MAX_FILES_PER_MESSAGE } from '../core/files/store.ts';
import { MAX_FILL_MS } from '../core/webform/protect.ts';
import { webformForAdmin } from '../core/webform/settings.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { attachments, companies, memberships, people, tickets } from '../db/schema.ts';
import { type ApiWorld, apiWorld, call, restartedApi } from './api-harness.ts';
import { storeSnapshot } from './fixtures.ts';

const LIMITS = { perIpHour: 3, perIpDay: 10, perFormDay: 100 };

async function world(limits = LIMITS): Promise<{ w: ApiWorld; key: string }> {
  const w = await apiWorld({}, { webformLimits: limits });
  return { w, key: (await webformForAdmin(w.ctx, w.as.admin)).key };
}

interface Ticket {
  token: string;
  altcha: string;
}

/** A fresh token and a solved challenge, as the page would hold them after the person confirmed. */
async function solved(w: ApiWorld, key: string): Promise<Ticket> {
  const res = await call(w, null, 'GET', `/form/${key}/challenge`);
  expect(res.status).toBe(200);
  const { token, challenge } = res.json;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('no solution');
  const altcha = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
  return { token, altcha };
}

const FIELDS = {
  name: 'Ivan Webform',
  email: 'ivan@example.org',
  phone: '+7 916 111-22-33',
  company: 'Acme Ltd',
  description: 'The printer in room 5 is jammed',
};

async function post(
  w: ApiWorld,
  key: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return call(w, null, 'POST', `/form/${key}`, body, headers);
}

describe('the website form', () => {
  it('files a request in channel web with the fields, after the minimum fill time', async () => {
    const { w, key } = await world();
    const t = await solved(w, key);
    w.clock.advance(4_000);
    const res = await post(w, key, { ...FIELDS, category: w.category.printer, ...t });
    expect(res.status).toBe(201);
    const ticket = await queryOne(
      w.ctx.db.select().from(tickets).where(eq(tickets.number, res.json.ticket.number)),
    );
    expect(ticket?.channel).toBe('web');
    expect(ticket?.categoryId).toBe(w.category.printer);
    expect(ticket?.companyId).toBeNull();
    expect(ticket?.description).toContain('Acme Ltd');
    expect(ticket?.description).toContain('The printer in room 5 is jammed');
    const requester = await queryOne(
      w.ctx.db
        .select()
        .from(people)
        .where(eq(people.id, ticket?.requesterId ?? 0)),
    );
    expect(requester).toMatchObject({ name: 'Ivan Webform', email: 'ivan@example.org' });
  });

  it('files a known address under a new person with no company (unverified)', async () => {
    const { w, key } = await world();
    await execute(
      w.ctx.db.update(people).set({ email: 'client.a@alpha.example' }).where(eq(people.id, w.ids.clientA)),
    );
    const t = await solved(w, key);
    w.clock.advance(4_000);
    const res = await post(w, key, { ...FIELDS, email: 'Client.A@alpha.example', ...t });
    expect(res.status).toBe(201);
    const ticket = await queryOne(
      w.ctx.db.select().from(tickets).where(eq(tickets.number, res.json.ticket.number)),
    );
    expect(ticket?.requesterId).not.toBe(w.ids.clientA);
    expect(ticket?.companyId).toBeNull();
    const links = await queryAll(
      w.ctx.db
        .select()
        .from(memberships)
        .where(eq(memberships.personId, ticket?.requesterId ?? 0)),
    );
    expect(links).toEqual([]);
    expect(ticket?.description).toContain('client.a@alpha.example, +79161112233');
  });

  it('does not place a stranger with a company by the mail domain typed into the form', async () => {
    const { w, key } = await world();
    await execute(
      w.ctx.db.update(companies).set({ emailDomain: 'alpha.example' }).where(eq(companies.id, w.companyA)),
    );
    const t = await solved(w, key);
    w.clock.advance(4_000);
    const res = await post(w, key, { ...FIELDS, email: 'new.person@alpha.example', ...t });
    expect(res.status).toBe(201);
    const ticket = await queryOne(
      w.ctx.db.select().from(tickets).where(eq(tickets.number, res.json.ticket.number)),
    );
    expect(ticket?.companyId).toBeNull();
    expect(
      await queryAll(
        w.ctx.db
          .select()
          .from(memberships)
          .where(eq(memberships.personId, ticket?.requesterId ?? 0)),
      ),
    ).toEqual([]);
  });

  it('keeps a known number with its owner alone', async () => {
    const { w, key } = await world();
    await execute(w.ctx.db.update(people).set({ phone: '+79161112233' }).where(eq(people.id, w.ids.clientB)));
    const t = await solved(w, key);
    w.clock.advance(4_000);
    const { email: _, ...byPhone } = FIELDS;
    const res = await post(w, key, { ...byPhone, ...t });
    expect(res.status).toBe(201);
    const ticket = await queryOne(
      w.ctx.db.select().from(tickets).where(eq(tickets.number, res.json.ticket.number)),
    );
    expect(ticket?.requesterId).not.toBe(w.ids.clientB);
    expect(ticket?.companyId).toBeNull();
    const owners = await queryAll(w.ctx.db.select().from(people).where(eq(people.phone, '+79161112233')));
    expect(owners.map((p) => p.id)).toEqual([w.ids.clientB]);
  });

  it('takes multipart with files, and refuses too many or of a bad type', async () => {
    const { w, key } = await world();
    const form = async (t: Ticket, files: { name: string; bytes: string }[]) => {
      const data = new FormData();
      for (const [k, v] of Object.entries({ ...FIELDS, ...t })) data.append(k, v);
      for (const f of files) data.append('files', new Blob([f.bytes]), f.name);
      const res = await w.app.request(`/form/${key}`, {
        method: 'POST',
        body: data,
        headers: { 'Accept-Language': 'en' },
      });
      // biome-ignore lint/suspicious/noExplicitAny: the answer's shape is what the assertions check
      return { status: res.status, json: (await res.json()) as any };
    };
    let t = await solved(w, key);
    w.clock.advance(4_000);
    const before = await storeSnapshot(w.ctx.db);
    const tooMany = Array.from({ length: MAX_FILES_PER_MESSAGE + 1 }, (_, i) => ({
      name: `n${i}.txt`,
      bytes: 'note',
    }));
    const many = await form(t, tooMany);
    expect(many.status).toBe(400);
    expect(many.json.error.fields).toEqual([{ path: 'files', message: 'Too many files (at most 10).' }]);
    const bad = await form(t, [{ name: 'x.bin', bytes: '\u0000\u0001\u0002\u0003binary' }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields[0].path).toBe('files');
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
    t = await solved(w, key);
    w.clock.advance(4_000);
    const ok = await form(t, [{ name: 'log.txt', bytes: 'error 42 in the log' }]);
    expect(ok.status).toBe(201);
    const number = ok.json.ticket.number;
    const ticket = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.number, number)));
    const files = await queryAll(
      w.ctx.db
        .select()
        .from(attachments)
        .where(eq(attachments.ticketId, ticket?.id ?? 0)),
    );
    expect(files.map((f) => f.fileName)).toEqual(['log.txt']);
  });

  it('refuses a missing, forged, too fresh or expired token, writing nothing', async () => {
    const { w, key } = await world();
    const t = await solved(w, key);
    const before = await storeSnapshot(w.ctx.db);
    const tooFresh = await post(w, key, { ...FIELDS, ...t }, { 'Accept-Language': 'en' });
    expect(tooFresh.status).toBe(400);
    expect(tooFresh.json.error.code).toBe('form_token');
    expect(tooFresh.json.error.fields[0].path).toBe('token');
    w.clock.advance(4_000);
    const { token: _, ...noToken } = t;
    expect((await post(w, key, { ...FIELDS, ...noToken })).json.error.code).toBe('form_token');
    const forged = `${t.token.slice(0, -3)}abc`;
    expect((await post(w, key, { ...FIELDS, ...t, token: forged })).json.error.code).toBe('form_token');
    w.clock.advance(MAX_FILL_MS);
    const expired = await post(w, key, { ...FIELDS, ...t });
    expect(expired.json.error.code).toBe('form_token');
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('refuses a filled honeypot and a missing or invalid proof of work; a proof sent again gets its request', async () => {
    const { w, key } = await world({ ...LIMITS, perIpHour: 10 });
    const t = await solved(w, key);
    w.clock.advance(4_000);
    const before = await storeSnapshot(w.ctx.db);
    const honey = await post(w, key, { ...FIELDS, ...t, website: 'http://spam.example' });
    expect(honey.status).toBe(400);
    expect(honey.json.error.code).toBe('rejected');
    const { altcha: _, ...noProof } = t;
    expect((await post(w, key, { ...FIELDS, ...noProof })).json.error.code).toBe('altcha');
    const decoded = JSON.parse(Buffer.from(t.altcha, 'base64').toString());
    decoded.solution.counter += 1;
    const wrong = Buffer.from(JSON.stringify(decoded)).toString('base64');
    expect((await post(w, key, { ...FIELDS, ...t, altcha: wrong })).json.error.code).toBe('altcha');
    expect((await post(w, key, { ...FIELDS, ...t, altcha: 'not base64 json' })).json.error.code).toBe(
      'altcha',
    );
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
    const first = await post(w, key, { ...FIELDS, ...t });
    expect(first.status).toBe(201);
    const filed = await storeSnapshot(w.ctx.db);
    // A lost answer or a double tap sends the same proof again: the same request, nothing new written.
    const again = await post(w, key, { ...FIELDS, ...t, description: 'Something else' });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(await storeSnapshot(w.ctx.db)).toBe(filed);
    expect(await queryAll(w.ctx.db.select().from(tickets))).toHaveLength(1);
  });

  it('words field errors in Russian or English and lets the same proof be sent again once fixed', async () => {
    const { w, key } = await world();
    const t = await solved(w, key);
    w.clock.advance(4_000);
    const before = await storeSnapshot(w.ctx.db);
    const bad = { name: '', email: 'not-an-address', phone: '', description: '', category: 999, ...t };
    const ru = await post(w, key, bad, { 'Accept-Language': 'ru-RU,ru;q=0.9' });
    expect(ru.status).toBe(400);
    expect(ru.json.error.code).toBe('invalid_input');
    expect(ru.json.error.fields).toEqual([
      { path: 'name', message: 'Заполните это поле.' },
      { path: 'email', message: 'Это не адрес электронной почты.' },
      { path: 'category', message: 'Выберите категорию из списка.' },
      { path: 'description', message: 'Заполните это поле.' },
    ]);
    const en = await post(w, key, { ...bad, lang: 'en', email: '', phone: 'call me' });
    expect(en.json.error.fields).toEqual([
      { path: 'name', message: 'Please fill this in.' },
      { path: 'phone', message: 'This is not a phone number.' },
      { path: 'category', message: 'Pick a category from the list.' },
      { path: 'description', message: 'Please fill this in.' },
    ]);
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
    expect((await post(w, key, { ...FIELDS, ...t })).status).toBe(201);
  });

  it('counts submissions per address an hour', async () => {
    const { w, key } = await world();
    const t = await solved(w, key);
    w.clock.advance(4_000);
    for (let i = 0; i < LIMITS.perIpHour; i++) expect((await post(w, key, { name: '' })).status).toBe(400);
    const limited = await post(w, key, { ...FIELDS, ...t }, { 'Accept-Language': 'en' });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('too_many_requests');
    w.clock.advance(3_600_000);
    const fresh = await solved(w, key);
    w.clock.advance(4_000);
    expect((await post(w, key, { ...FIELDS, ...fresh })).status).toBe(201);
  });

  it('serves its page in the asked language, the widget from the desk itself and an embed snippet', async () => {
    const { w, key } = await world();
    const ru = await call(w, null, 'GET', `/form/${key}`, undefined, { 'Accept-Language': 'ru' });
    expect(ru.status).toBe(200);
    expect(ru.text).toContain('Заявка в IT-поддержку');
    expect(ru.text).toContain(`src="/form/${key}/altcha.js"`);
    expect(ru.text).toContain('Принтер');
    const en = await call(w, null, 'GET', `/form/${key}?lang=en`);
    expect(en.text).toContain('Request to IT support');
    expect(en.text).not.toMatch(/https?:\/\//);
    const widget = await call(w, null, 'GET', `/form/${key}/altcha.js`);
    expect(widget.status).toBe(200);
    expect(widget.text).toContain('altcha-widget');
    const embed = await call(w, null, 'GET', `/form/${key}/embed.js`);
    expect(embed.headers.get('content-type')).toContain('javascript');
    expect(embed.text).toContain(`/form/${key}`);
    await call(w, 'admin', 'PATCH', '/api/admin/webform', { enabled: false });
    for (const path of [`/form/${key}`, `/form/${key}/embed.js`, `/form/${key}/altcha.js`])
      expect((await call(w, null, 'GET', path)).status).toBe(404);
  });

  it('keeps its counts across a restart of the desk', async () => {
    const { w, key } = await world();
    for (let i = 0; i < LIMITS.perIpHour; i++) expect((await post(w, key, { name: '' })).status).toBe(400);
    // A new process on the same store: the address's allowance is still used up.
    const restarted = restartedApi(w, { webformLimits: LIMITS });
    const t = await solved(restarted, key);
    w.clock.advance(4_000);
    expect((await post(restarted, key, { ...FIELDS, ...t })).status).toBe(429);
    w.clock.advance(3_600_000);
    const fresh = await solved(restarted, key);
    w.clock.advance(4_000);
    expect((await post(restarted, key, { ...FIELDS, ...fresh })).status).toBe(201);
  });

  it('counts only accepted submissions against the form', async () => {
    const { w, key } = await world({ ...LIMITS, perFormDay: 1 });
    const t = await solved(w, key);
    w.clock.advance(4_000);
    expect((await post(w, key, { name: '' })).status).toBe(400);
    expect((await post(w, key, { ...FIELDS, ...t })).status).toBe(201);
    const next = await solved(w, key);
    w.clock.advance(4_000);
    expect((await post(w, key, { ...FIELDS, ...next })).status).toBe(429);
  });

  it('is gone when switched off, and only admins switch it', async () => {
    const { w, key } = await world();
    expect((await call(w, 'line1', 'PATCH', '/api/admin/webform', { enabled: false })).status).toBe(403);
    expect((await call(w, 'admin', 'GET', '/api/admin/webform')).json).toEqual({ enabled: true, key });
    const t = await solved(w, key);
    const off = await call(w, 'admin', 'PATCH', '/api/admin/webform', { enabled: false });
    expect(off.json).toEqual({ enabled: false, key });
    w.clock.advance(4_000);
    expect((await post(w, key, { ...FIELDS, ...t })).status).toBe(404);
    expect((await call(w, null, 'GET', `/form/${key}/challenge`)).status).toBe(404);
    expect((await call(w, null, 'GET', '/form/not-the-key/challenge')).status).toBe(404);
    await call(w, 'admin', 'PATCH', '/api/admin/webform', { enabled: true });
    expect((await post(w, key, { ...FIELDS, ...t })).status).toBe(201);
  });
});

// Bad input on every route that reads a body, a query or an id: always a 4xx JSON error with a code,
// never a 500, and nothing written.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../core/tickets/create.ts';
import { type ApiWorld, apiWorld, call } from './api-harness.ts';
import { counts, type PersonKey, storeSnapshot, writeMark } from './fixtures.ts';

let w: ApiWorld;
let ticketId: number;
const HUGE = 'x'.repeat(100_000);
const DAY = 86_400_000;

/** Moves when the store is written (on SQLite a rolled-back write too): see writeMark. */
const changes = () => writeMark(w.ctx.db);

beforeAll(async () => {
  w = await apiWorld();
  ticketId = (await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'A printer' })).id;
});

interface Bad {
  name: string;
  method: string;
  path: string;
  body?: string;
  type?: string | null;
  who?: PersonKey;
}

const json = (value: unknown) => JSON.stringify(value);

/** Numbers that must be positive: ids, versions, counts (instants and sort orders may be negative). */
const POSITIVE = /Id$|Version$|^maxUses$|^validDays$|^autoCloseBusinessDays$/;

/** The same attacks on any body; `required` fields are also left out one at a time. */
function badBodies(
  method: string,
  path: string,
  valid: Record<string, unknown>,
  required: string[] = Object.keys(valid),
): Bad[] {
  const b = (name: string, body: string, type: string | null = 'application/json'): Bad => ({
    name,
    method,
    path,
    body,
    type,
  });
  return [
    b('invalid JSON', '{"description": '),
    b('a text body with a JSON type', 'hello'),
    b('valid JSON as text/plain', json(valid), 'text/plain'),
    b('valid JSON as a form', json(valid), 'application/x-www-form-urlencoded'),
    b('no content type', json(valid), null),
    b('an array', '[]'),
    b('null', 'null'),
    b('a string', '"take"'),
    b('a number', '42'),
    b('a body over 1 MB', json({ ...valid, description: 'y'.repeat(1_100_000) })),
    ...required.map((key) => {
      const { [key]: _dropped, ...rest } = valid;
      return b(`${key} missing`, json(rest));
    }),
    ...Object.keys(valid).flatMap((key) => [
      b(`${key} as an object`, json({ ...valid, [key]: { $gt: '' } })),
      b(`${key} as an array`, json({ ...valid, [key]: [1, 2] })),
      b(`${key} as a huge string`, json({ ...valid, [key]: HUGE })),
      ...(typeof valid[key] !== 'number' || POSITIVE.test(key)
        ? [b(`${key} negative`, json({ ...valid, [key]: -5 }))]
        : []),
      ...(typeof valid[key] !== 'boolean' ? [b(`${key} as true`, json({ ...valid, [key]: true }))] : []),
    ]),
  ];
}

const now = () => w.clock.now();

function cases(): Bad[] {
  const t = `/api/tickets/${ticketId}`;
  const q = (path: string, query: string, who: PersonKey = 'admin'): Bad => ({
    name: query,
    method: 'GET',
    path: `${path}?${query}`,
    who,
  });
  const ticketQueries = [
    'status=bogus',
    'status=new,bogus',
    `status=${'new,'.repeat(300)}`,
    'priority=P9',
    'channel=pigeon',
    'line=line9',
    'categoryId=abc',
    'categoryId=-1',
    'companyId=0',
    'companyId=1.5',
    'companyId=99999999999999999999',
    'requesterId=-3',
    'assigneeId=nobody',
    'assigneeId=-1',
    'from=yesterday',
    'to=1e9',
    `q=${'z'.repeat(5000)}`,
    'mine=maybe',
    'before=-1',
    'before=abc',
    'limit=0',
    'limit=-1',
    'limit=201',
    'limit=abc',
    'tz=Mars/Phobos',
  ];
  const reportQueries = [
    '',
    `from=${now()}`,
    `to=${now()}`,
    `from=abc&to=${now()}`,
    `from=${now()}&to=${now() - DAY}`,
    `from=${now() - 6 * 366 * DAY}&to=${now()}`,
    `from=${now() - DAY}&to=${now()}&companyId=-1`,
    `from=${now() - DAY}&to=${now()}&companyId=abc`,
    `from=${now() - DAY}&to=${now()}&tz=Not/AZone`,
    `from=${now() - DAY}&to=${now()}&tz=${'Europe/'.repeat(40)}`,
  ];
  const paths = ['-1', '0', 'abc', '1.5', '1e3', '99999999999999999999', '%00', '1;drop'];
  return [
    // tz is a parameter of the exports only (the list ignores it like any unknown one).
    ...ticketQueries.filter((x) => !x.startsWith('tz')).map((x) => q('/api/tickets', x)),
    ...ticketQueries
      .filter((x) => !x.startsWith('limit') && !x.startsWith('before'))
      .map((x) => q('/api/tickets/export.csv', x)),
    ...ticketQueries
      .filter((x) => !x.startsWith('limit') && !x.startsWith('before'))
      .map((x) => q('/api/tickets/export.xlsx', x)),
    ...['line=line9', 'categoryId=x', 'companyId=-2', 'assigneeId=someone', 'limit=501', 'limit=0'].map((x) =>
      q('/api/board', x, 'line1'),
    ),
    ...reportQueries.map((x) => q('/api/reports', x)),
    ...reportQueries.map((x) => q('/api/reports/export.csv', x)),
    ...reportQueries.map((x) => q('/api/reports/export.xlsx', x)),
    ...['line=line7', 'line='].map((x) => q('/api/staff', x, 'line1')),
    ...[
      '',
      'number=',
      'number=abc',
      'number=12',
      `number=${'9'.repeat(300)}`,
      `number=${encodeURIComponent('8 916 123-45-67 доб. абв')}`,
    ].map((x) => q('/api/phone/callers', x, 'line1')),
    ...['role=king', 'companyId=-1', 'before=x', 'limit=1000', `q=${'q'.repeat(500)}`].map((x) =>
      q('/api/admin/people', x),
    ),
    ...paths.flatMap((id) => [
      { name: `ticket ${id}`, method: 'GET', path: `/api/tickets/${id}` },
      { name: `attachment of ${id}`, method: 'GET', path: `/api/tickets/${id}/attachments/1` },
      { name: `attachment ${id}`, method: 'GET', path: `${t}/attachments/${id}` },
      {
        name: `comment on ${id}`,
        method: 'POST',
        path: `/api/tickets/${id}/comments`,
        body: json({ body: 'hi' }),
      },
      {
        name: `action on ${id}`,
        method: 'POST',
        path: `/api/tickets/${id}/actions`,
        body: json({ action: 'take' }),
      },
      {
        name: `company ${id}`,
        method: 'PATCH',
        path: `/api/admin/companies/${id}`,
        body: json({ name: 'X' }),
      },
      {
        name: `contract ${id}`,
        method: 'PATCH',
        path: `/api/admin/contracts/${id}`,
        body: json({ name: 'X' }),
      },
      {
        name: `calendar ${id}`,
        method: 'PATCH',
        path: `/api/admin/calendars/${id}`,
        body: json({ name: 'X' }),
      },
      {
        name: `category ${id}`,
        method: 'PATCH',
        path: `/api/admin/categories/${id}`,
        body: json({ sort: 1 }),
      },
      { name: `person ${id}`, method: 'PATCH', path: `/api/admin/people/${id}`, body: json({ name: 'X' }) },
      {
        name: `roles of ${id}`,
        method: 'POST',
        path: `/api/admin/people/${id}/roles`,
        body: json({ role: 'line1' }),
      },
      { name: `role ${id}`, method: 'DELETE', path: `/api/admin/people/1/roles/${id}` },
      { name: `roles of person ${id}`, method: 'DELETE', path: `/api/admin/people/${id}/roles/1` },
    ]),
    ...badBodies(
      'POST',
      '/api/tickets',
      { description: 'Broken', impact: 'person', urgency: 'low', categoryId: 1, companyId: 1 },
      ['description', 'impact', 'urgency'],
    ),
    ...[
      { impact: 'everyone', urgency: 'low', description: 'x' },
      { impact: 'person', urgency: 'yesterday', description: 'x' },
      { impact: 'person', urgency: 'low', description: '   ' },
      { impact: 'person', urgency: 'low', description: 'x', categoryId: 999 },
      { impact: 'person', urgency: 'low', description: 'x', companyId: 2 },
      { impact: 'person', urgency: 'low', description: 'x', requesterId: 999 },
      { impact: 'person', urgency: 'low', description: 'x', subject: HUGE },
      { impact: 'person', urgency: 'low', description: 'x', location: HUGE },
    ].map((body) => ({
      name: json(body).slice(0, 60),
      method: 'POST',
      path: '/api/tickets',
      body: json(body),
      who: 'clientA' as const,
    })),
    ...badBodies(
      'POST',
      '/api/phone/calls',
      {
        number: '+7 916 123-45-67',
        description: 'Broken',
        impact: 'person',
        urgency: 'low',
        categoryId: 1,
        companyId: 1,
      },
      ['number', 'description', 'impact', 'urgency'],
    ),
    ...[
      { number: 'позвонить Ивану', description: 'x', impact: 'person', urgency: 'low' },
      { number: '+79161234567', description: 'x', impact: 'person', urgency: 'low', categoryId: 999 },
      {
        number: '+79161234567',
        name: 'New',
        description: 'x',
        impact: 'person',
        urgency: 'low',
        companyId: 999,
      },
      { number: '+79161234567', ticketId },
      { number: '+79161234567', ticketId: 999_999, text: 'x' },
      { number: '+79161234567', ticketId, text: 'x', uploads: ['0123456789abcdef0123456789abcdef'] },
      { number: '+79161234567', ticketId, text: 'x', uploads: ['../../etc/passwd'] },
    ].map((body) => ({
      name: `call ${json(body).slice(0, 60)}`,
      method: 'POST',
      path: '/api/phone/calls',
      body: json(body),
      who: 'line1' as const,
    })),
    {
      name: 'a call taken by a client',
      method: 'POST',
      path: '/api/phone/calls',
      body: json({ number: '+79161234567', description: 'x', impact: 'person', urgency: 'low' }),
      who: 'clientA',
    },
    ...badBodies('POST', `${t}/comments`, { body: 'Any news?', internal: false, expectedVersion: 1 }, [
      'body',
    ]),
    {
      name: 'internal note by a client',
      method: 'POST',
      path: `${t}/comments`,
      body: json({ body: 'x', internal: true }),
      who: 'clientA',
    },
    { name: 'empty comment', method: 'POST', path: `${t}/comments`, body: json({ body: '' }) },
    {
      name: 'stale comment',
      method: 'POST',
      path: `${t}/comments`,
      body: json({ body: 'x', expectedVersion: 99 }),
    },
    ...badBodies('POST', `${t}/actions`, { action: 'resolve', resolution: 'Replaced the toner' }),
    ...[
      { action: 'fly' },
      { action: 'take', expectedVersion: 99 },
      { action: 'take', expectedVersion: -1 },
      { action: 'take', expectedVersion: 'one' },
      { action: 'rate', rating: 7 },
      { action: 'rate', rating: 4.5 },
      { action: 'resolve' },
      { action: 'resolve', resolution: HUGE },
      { action: 'assign', assigneeId: w?.ids?.clientB ?? 4 },
      { action: 'assign', assigneeId: -1 },
      { action: 'triage', line: 'line9' },
      { action: 'triage', impact: 'galaxy' },
      { action: 'categorize', categoryId: 999 },
      { action: 'offer_visit', slots: [] },
      { action: 'offer_visit', slots: [{ startsAt: 1, endsAt: 0 }] },
      { action: 'schedule_visit', startsAt: 0, endsAt: 1 },
      { action: 'pick_visit', slotId: 12345 },
      { action: 'auto_close' },
      { action: 'confirm' },
    ].map((body) => ({
      name: json(body).slice(0, 60),
      method: 'POST',
      path: `${t}/actions`,
      body: json(body),
    })),
    ...badBodies(
      'POST',
      '/api/reports/send',
      { from: now() - DAY, to: now(), format: 'xlsx', companyId: 1 },
      ['from', 'to', 'format'],
    ),
    {
      name: 'send as pdf',
      method: 'POST',
      path: '/api/reports/send',
      body: json({ from: 0, to: 1, format: 'pdf' }),
    },
    {
      name: 'send backwards',
      method: 'POST',
      path: '/api/reports/send',
      body: json({ from: 5, to: 1, format: 'csv' }),
    },
    ...badBodies(
      'POST',
      '/api/admin/companies',
      { name: 'Gamma', emailDomain: 'gamma.ru', phone: '+7 900' },
      ['name'],
    ),
    {
      name: 'bad domain',
      method: 'POST',
      path: '/api/admin/companies',
      body: json({ name: 'G', emailDomain: 'not a domain' }),
    },
    ...badBodies('PATCH', '/api/admin/companies/1', { name: 'Alpha', emailDomain: 'alpha.ru' }, []),
    ...badBodies('POST', '/api/admin/contracts', {
      companyId: 1,
      name: 'C',
      startsAt: 0,
      autoCloseBusinessDays: 3,
      slaTargets: { P1: { firstResponse: 1, resolution: 2 } },
      priorityMatrix: {},
    }),
    {
      name: 'contract for no company',
      method: 'POST',
      path: '/api/admin/contracts',
      body: json({ companyId: 999 }),
    },
    ...badBodies(
      'PATCH',
      '/api/admin/contracts/1',
      { name: 'C', calendarId: 1, autoCloseBusinessDays: 2 },
      [],
    ),
    {
      name: 'contract ending before it starts',
      method: 'PATCH',
      path: '/api/admin/contracts/1',
      body: json({ endsAt: -5 }),
    },
    {
      name: 'contract on no calendar',
      method: 'PATCH',
      path: '/api/admin/contracts/1',
      body: json({ calendarId: 999 }),
    },
    {
      name: 'targets upside down',
      method: 'PATCH',
      path: '/api/admin/contracts/1',
      body: json({
        slaTargets: {
          P1: { firstResponse: 100, resolution: 1 },
          P2: { firstResponse: 1, resolution: 2 },
          P3: { firstResponse: 1, resolution: 2 },
          P4: { firstResponse: 1, resolution: 2 },
        },
      }),
    },
    ...badBodies(
      'POST',
      '/api/admin/calendars',
      {
        name: 'Cal',
        timeZone: 'Europe/Moscow',
        week: { mon: ['09:00-18:00'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
        exceptions: [],
      },
      ['name', 'timeZone', 'week'],
    ),
    ...badBodies('PATCH', '/api/admin/calendars/1', { timeZone: 'Europe/Moscow', exceptions: [] }, []),
    {
      name: 'unknown zone',
      method: 'PATCH',
      path: '/api/admin/calendars/1',
      body: json({ timeZone: 'Europe/Atlantis' }),
    },
    {
      name: 'hours backwards',
      method: 'PATCH',
      path: '/api/admin/calendars/1',
      body: json({ week: { mon: ['18:00-09:00'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }),
    },
    {
      name: 'no hours at all',
      method: 'PATCH',
      path: '/api/admin/calendars/1',
      body: json({ week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }),
    },
    {
      name: 'February 30',
      method: 'PATCH',
      path: '/api/admin/calendars/1',
      body: json({ exceptions: [{ date: '2026-02-30', hours: [] }] }),
    },
    {
      name: 'a day twice',
      method: 'PATCH',
      path: '/api/admin/calendars/1',
      body: json({
        exceptions: [
          { date: '2026-03-08', hours: [] },
          { date: '2026-03-08', hours: [] },
        ],
      }),
    },
    ...badBodies(
      'POST',
      '/api/admin/categories',
      { code: 'mail', nameRu: 'Почта', nameEn: 'Mail', sort: 1, active: true },
      ['code', 'nameRu', 'nameEn'],
    ),
    {
      name: 'code taken',
      method: 'POST',
      path: '/api/admin/categories',
      body: json({ code: 'printer', nameRu: 'П', nameEn: 'P' }),
    },
    {
      name: 'code in capitals',
      method: 'POST',
      path: '/api/admin/categories',
      body: json({ code: 'MAIL', nameRu: 'П', nameEn: 'P' }),
    },
    {
      name: 'rename to a taken code',
      method: 'PATCH',
      path: '/api/admin/categories/1',
      body: json({ code: 'network' }),
    },
    ...badBodies('PATCH', '/api/admin/categories/1', { nameRu: 'Принтер', active: false }, []),
    ...badBodies(
      'PATCH',
      '/api/admin/people/1',
      { name: 'Anna', phone: '+7 900 123-45-67', email: 'a@b.ru', language: 'en' },
      [],
    ),
    { name: 'not a phone', method: 'PATCH', path: '/api/admin/people/1', body: json({ phone: '12' }) },
    { name: 'not an e-mail', method: 'PATCH', path: '/api/admin/people/1', body: json({ email: 'nobody' }) },
    { name: 'klingon', method: 'PATCH', path: '/api/admin/people/1', body: json({ language: 'tlh' }) },
    ...badBodies('POST', '/api/admin/people/1/roles', { role: 'client_manager', companyId: 1 }, ['role']),
    {
      name: 'staff role with a company',
      method: 'POST',
      path: '/api/admin/people/1/roles',
      body: json({ role: 'line1', companyId: 1 }),
    },
    {
      name: 'client role without one',
      method: 'POST',
      path: '/api/admin/people/1/roles',
      body: json({ role: 'client' }),
    },
    {
      name: 'a role held already',
      method: 'POST',
      path: '/api/admin/people/1/roles',
      body: json({ role: 'client', companyId: 1 }),
    },
    {
      name: 'a role at no company',
      method: 'POST',
      path: '/api/admin/people/1/roles',
      body: json({ role: 'client', companyId: 999 }),
    },
    { name: "someone else's role", method: 'DELETE', path: '/api/admin/people/1/roles/2' },
    { name: 'the last admin', method: 'DELETE', path: `/api/admin/people/11/roles/11` },
    ...badBodies('POST', '/api/admin/invites', { role: 'client', companyId: 1, maxUses: 5, validDays: 7 }, [
      'role',
    ]),
    {
      name: 'invite for a staff role with a company',
      method: 'POST',
      path: '/api/admin/invites',
      body: json({ role: 'admin', companyId: 1 }),
    },
    ...badBodies('PATCH', '/api/admin/desk', { name: 'Служба ИТ', timeZone: 'Europe/Moscow' }, []),
    { name: 'not a zone', method: 'PATCH', path: '/api/admin/desk', body: json({ timeZone: 'Mars/Phobos' }) },
    { name: 'a blank name', method: 'PATCH', path: '/api/admin/desk', body: json({ name: '   ' }) },
    {
      name: 'a good name with a bad zone',
      method: 'PATCH',
      path: '/api/admin/desk',
      body: json({ name: 'Служба ИТ', timeZone: 'Europe/Atlantis' }),
    },
    ...directoryFiles(),
  ];
}

/** Client directory files the import refuses as a whole, and imports the admin did not confirm. */
function directoryFiles(): Bad[] {
  const good = 'company;name;phone\r\nBeta JSC;Probe Person;+79161112299\r\n';
  const file = (name: string, body: string, type: string | null = 'text/csv'): Bad[] => [
    { name: `preview: ${name}`, method: 'POST', path: '/api/admin/directory/preview', body, type },
    {
      name: `import: ${name}`,
      method: 'POST',
      path: `/api/admin/directory/import?confirm=${'a'.repeat(64)}`,
      body,
      type,
    },
  ];
  return [
    ...file('an empty file', ''),
    ...file('no known columns', 'Фамилия;Отдел\r\nИванов;IT\r\n'),
    ...file('an unclosed quote', 'company;name\r\n"Alpha;Ivan\r\n'),
    ...file('a broken workbook', 'PK\u0003\u0004 not really a zip', 'application/octet-stream'),
    ...file('binary junk', '\u0000\u0001\u0002', 'application/octet-stream'),
    ...file('over 5 MB', `company;name\r\n${'Alpha;x\r\n'.repeat(700_000)}`),
    ...file('a form that does not parse', 'not a form', 'multipart/form-data; boundary=xyz'),
    ...file('a form without a boundary', good, 'multipart/form-data'),
    ...file('as JSON', json({ file: good }), 'application/json'),
    ...file('as a form', good, 'application/x-www-form-urlencoded'),
    ...file('no content type', good, null),
    {
      name: 'import unconfirmed',
      method: 'POST',
      path: '/api/admin/directory/import',
      body: good,
      type: 'text/csv',
    },
    {
      name: 'import confirmed with junk',
      method: 'POST',
      path: '/api/admin/directory/import?confirm=yes',
      body: good,
      type: 'text/csv',
    },
    {
      name: 'import of a plan nobody previewed',
      method: 'POST',
      path: `/api/admin/directory/import?confirm=${'0'.repeat(64)}`,
      body: good,
      type: 'text/csv',
    },
  ];
}

describe('bad input', { timeout: 60_000 }, () => {
  it('is a 4xx JSON error with a code on every route, and writes nothing', async () => {
    const list = cases();
    expect(list.length).toBeGreaterThan(300);
    const statuses = new Map<number, number>();
    const start = await storeSnapshot(w.ctx.db);
    for (const bad of list) {
      const before = await changes();
      const rows = await counts(w);
      const headers: Record<string, string> = {};
      // No type at all: fetch then sends a string as text/plain.
      if (bad.body !== undefined)
        headers['Content-Type'] = bad.type === null ? '' : (bad.type ?? 'application/json');
      const res = await call(w, bad.who ?? 'admin', bad.method, bad.path, bad.body, headers);
      const where = `${bad.method} ${bad.path.slice(0, 80)}: ${bad.name}`;
      expect(res.status, where).toBeGreaterThanOrEqual(400);
      expect(res.status, where).toBeLessThan(500);
      expect(res.headers.get('content-type'), where).toContain('application/json');
      expect(res.json?.error?.code, where).toMatch(/^[a-z_]+$/);
      expect(res.json?.error?.message, where).toEqual(expect.any(String));
      expect(res.text, where).not.toMatch(/at .*\.ts:\d+/);
      expect(await counts(w), `${where} added rows`).toEqual(rows);
      expect(await changes(), `${where} wrote something`).toBe(before);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect(await storeSnapshot(w.ctx.db)).toBe(start);
    // Each kind of refusal was met, so the table exercises what it claims to.
    for (const status of [400, 404, 409, 413, 415])
      expect(statuses.get(status), String(status)).toBeGreaterThan(0);
  });

  it('names the field at fault', async () => {
    const res = await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'x',
      impact: 'galaxy',
      urgency: 'low',
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_input');
    expect(res.json.error.issues).toEqual([expect.objectContaining({ path: ['impact'] })]);
    const bad = await call(w, 'admin', 'GET', '/api/tickets?status=new,bogus');
    expect(bad.json.error.issues[0].path).toEqual(['status', 1]);
  });

  it('ignores unknown fields', async () => {
    const res = await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'Scanner',
      impact: 'person',
      urgency: 'low',
      channel: 'phone',
      status: 'closed',
      number: 1,
      isAdmin: true,
    });
    expect(res.status).toBe(201);
    expect(res.json.ticket).toMatchObject({ channel: 'miniapp', status: 'new' });
    expect(res.json.ticket.number).not.toBe(1);
  });

  it('answers unknown routes and methods with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['DELETE', '/api/tickets'],
      ['PUT', `/api/tickets/${ticketId}`],
      ['GET', '/api'],
      ['GET', '/elsewhere'],
    ] as const) {
      const res = await call(w, 'admin', method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
  });
});

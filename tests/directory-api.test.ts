// The directory routes over HTTP: only admins may preview, import or export; the file comes as the body
// or as a multipart form, bigger than the API's 1 MB for JSON but within its own limit; a bad file is a
// 4xx JSON error with a reason and leaves the store alone; the import runs only the previewed plan.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DIRECTORY_MAX_BYTES } from '../core/directory/columns.ts';
import { queryOne } from '../db/access.ts';
import { people } from '../db/schema.ts';
import { type ApiWorld, apiWorld, initData } from './api-harness.ts';
import { type PersonKey, storeSnapshot } from './fixtures.ts';

const CSV = [
  'Компания;ИНН;Домен;ФИО;Телефон;Почта;Роль',
  'ООО «Ромашка»;7701234567;romashka.ru;Иванов Иван;8 916 123-45-67;ivanov@romashka.ru;руководитель',
  'ООО «Ромашка»;;;Петрова Анна;+7 (916) 222-33-44;;клиент',
  'ООО «Ромашка»;;;Сидоров;12345;;клиент',
].join('\r\n');

type Body = string | Uint8Array<ArrayBuffer> | Blob | FormData;

interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies of several shapes, checked by the assertions
  json: any;
  bytes: Uint8Array;
}

async function send(
  w: ApiWorld,
  who: PersonKey | null,
  method: string,
  path: string,
  body?: Body,
  type?: string,
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (who) headers.Authorization = `tma ${await initData(w, who)}`;
  if (type) headers['Content-Type'] = type;
  const res = await w.app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('json')
    ? JSON.parse(new TextDecoder().decode(bytes))
    : undefined;
  return { status: res.status, headers: res.headers, json, bytes };
}

const preview = async (w: ApiWorld, body: Body, type = 'text/csv', who: PersonKey = 'admin') =>
  send(w, who, 'POST', '/api/admin/directory/preview', body, type);

describe('directory routes', () => {
  it('preview row by row with the reasons in the admin language, then import exactly that plan', async () => {
    const w = await apiWorld();
    const before = await storeSnapshot(w.ctx.db);
    const p = await preview(w, CSV);
    expect(p.status).toBe(200);
    expect(p.json.counts).toEqual({ total: 3, new: 2, changed: 0, unchanged: 0, error: 1 });
    expect(p.json.rows[2]).toMatchObject({
      line: 4,
      status: 'error',
      reasons: [{ code: 'bad_phone', text: 'телефон не похож на номер' }],
    });
    expect(p.json.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await storeSnapshot(w.ctx.db)).toBe(before);

    // The import needs the digest of what the admin saw.
    for (const query of ['', '?confirm=abc', `?confirm=${'0'.repeat(64)}`]) {
      const refused = await send(w, 'admin', 'POST', `/api/admin/directory/import${query}`, CSV, 'text/csv');
      expect(refused.status, query).toBe(query.length > 20 ? 409 : 400);
      expect(refused.json.error.code).toEqual(query.length > 20 ? 'stale' : 'invalid_input');
      expect(await storeSnapshot(w.ctx.db)).toBe(before);
    }
    const done = await send(
      w,
      'admin',
      'POST',
      `/api/admin/directory/import?confirm=${p.json.digest}`,
      CSV,
      'text/csv',
    );
    expect(done.status).toBe(200);
    expect(done.json.written).toMatchObject({ companiesCreated: 1, peopleCreated: 2, rolesAdded: 2 });
    expect(
      (await queryOne(w.ctx.db.select().from(people).where(eq(people.phone, '+79162223344'))))?.name,
    ).toBe('Петрова Анна');
    // The same file again: nothing to write, nothing written.
    const again = await preview(w, CSV);
    expect(again.json.counts).toMatchObject({ new: 0, changed: 0, unchanged: 2, error: 1 });
    const after = await storeSnapshot(w.ctx.db);
    const second = await send(
      w,
      'admin',
      'POST',
      `/api/admin/directory/import?confirm=${again.json.digest}`,
      CSV,
      'text/csv',
    );
    expect(Object.values(second.json.written)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await storeSnapshot(w.ctx.db)).toBe(after);
  });

  it('takes the file as a multipart form, and files over 1 MB', async () => {
    const w = await apiWorld();
    const form = new FormData();
    form.append('file', new Blob([CSV], { type: 'application/vnd.ms-excel' }), 'clients.csv');
    const multipart = await send(w, 'admin', 'POST', '/api/admin/directory/preview', form);
    expect(multipart.status).toBe(200);
    expect(multipart.json.counts.total).toBe(3);

    // About 1.5 MB: over the API's limit for JSON, within the directory's.
    const big = [
      CSV,
      ...Array.from({ length: 9000 }, (_, i) => `Gamma;;;Person ${i} ${'x'.repeat(150)};;;`),
    ].join('\r\n');
    expect(big.length).toBeGreaterThan(1_100_000);
    const large = await preview(w, big);
    expect(large.status).toBe(200);
    expect(large.json.counts.total).toBe(9003);
  });

  it('exports CSV and XLSX that import back as no change', async () => {
    const w = await apiWorld();
    const p = await preview(w, CSV);
    await send(w, 'admin', 'POST', `/api/admin/directory/import?confirm=${p.json.digest}`, CSV, 'text/csv');
    for (const type of ['csv', 'xlsx']) {
      const file = await send(w, 'admin', 'GET', `/api/admin/directory/export.${type}`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toMatch(
        new RegExp(`directory-\\d{4}-\\d\\d-\\d\\d\\.${type}`),
      );
      if (type === 'csv') {
        expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(file.bytes);
        expect(text.startsWith('\uFEFFкомпания;инн;домен;фио;телефон;почта;роль\r\n')).toBe(true);
        expect(text).toContain(";'+79161234567;");
      } else expect(file.headers.get('content-type')).toContain('spreadsheetml');
      const back = await preview(w, file.bytes as Uint8Array<ArrayBuffer>, 'application/octet-stream');
      expect(back.status).toBe(200);
      expect(back.json.counts.unchanged, type).toBe(back.json.counts.total);
      const before = await storeSnapshot(w.ctx.db);
      const again = await send(
        w,
        'admin',
        'POST',
        `/api/admin/directory/import?confirm=${back.json.digest}`,
        file.bytes as Uint8Array<ArrayBuffer>,
        'application/octet-stream',
      );
      expect(Object.values(again.json.written)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(await storeSnapshot(w.ctx.db)).toBe(before);
    }
  });

  it('is refused to everyone but admins, and writes nothing', async () => {
    const w = await apiWorld();
    const admin = await preview(w, CSV);
    for (const who of [
      'clientA',
      'managerA',
      'clientB',
      'line1',
      'line2',
      'field',
      'supervisor',
      'stranger',
    ] as const) {
      await send(w, who, 'GET', '/api/me'); // signing in creates the person the first time
      const before = await storeSnapshot(w.ctx.db);
      for (const [method, path, body] of [
        ['POST', '/api/admin/directory/preview', CSV],
        ['POST', `/api/admin/directory/import?confirm=${admin.json.digest}`, CSV],
        ['GET', '/api/admin/directory/export.csv'],
        ['GET', '/api/admin/directory/export.xlsx'],
      ] as const) {
        const res = await send(w, who, method, path, body, body ? 'text/csv' : undefined);
        expect(res.status, `${who} ${path}`).toBe(403);
        expect(res.json.error.code).toBe('forbidden');
      }
      expect(await storeSnapshot(w.ctx.db), who).toBe(before);
    }
    const anonymous = await send(w, null, 'GET', '/api/admin/directory/export.csv');
    expect(anonymous.status).toBe(401);
  });

  it('answers a bad file with a 4xx JSON error and its reason, and writes nothing', async () => {
    const w = await apiWorld();
    await send(w, 'admin', 'GET', '/api/me');
    const before = await storeSnapshot(w.ctx.db);
    const noFile = new FormData();
    noFile.append('note', 'hello');
    const cases: [string, Body, string, number, string][] = [
      ['empty', new Uint8Array(), 'text/csv', 400, 'empty'],
      ['no header', 'Фамилия;Отдел\r\nИванов;IT', 'text/csv', 400, 'no_header'],
      ['unclosed quote', 'company;name\r\n"Alpha;Ivan', 'text/csv', 400, 'bad_csv'],
      [
        'an old .xls',
        Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0]),
        'application/vnd.ms-excel',
        400,
        'unreadable',
      ],
      [
        'a broken xlsx',
        Uint8Array.from([0x50, 0x4b, 3, 4, 9, 9, 9]),
        'application/octet-stream',
        400,
        'unreadable',
      ],
      ['over 5 MB', new Uint8Array(DIRECTORY_MAX_BYTES + 100_000).fill(65), 'text/csv', 413, 'too_large'],
      ['a form without the file', noFile, '', 400, 'no_file'],
    ];
    for (const [name, body, type, status, reason] of cases) {
      const res = await send(w, 'admin', 'POST', '/api/admin/directory/preview', body, type || undefined);
      expect(res.status, name).toBe(status);
      expect(res.json.error, name).toMatchObject({ reason, text: expect.any(String) });
      expect(res.json.error.code, name).toBe(status === 413 ? 'too_large' : 'invalid_input');
      expect(res.json.error.text, name).not.toMatch(/^directory-/);
    }
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'image/png']) {
      const res = await preview(w, CSV, type);
      expect(res.status, type).toBe(415);
      expect(res.json.error.code).toBe('unsupported_media_type');
    }
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });
});

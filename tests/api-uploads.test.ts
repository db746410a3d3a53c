// Files uploaded from the Mini App (issue 10, item 6): POST /api/uploads checks the size and what the bytes
// are (not the type the browser claims), stores them by content hash under FILES_DIR, and filing a request
// or a comment links them in the same transaction; the attachment route serves them with their real type,
// inline for images, with safe names and nosniff, to those who may see the ticket only.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { detectType } from '../core/files/detect.ts';
import { MAX_FILE_BYTES, safeFileName } from '../core/files/store.ts';
import { queryAll } from '../db/access.ts';
import { attachments, tickets } from '../db/schema.ts';
import { type ApiWorld, apiWorld, call, initData } from './api-harness.ts';
import type { PersonKey } from './fixtures.ts';

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 1, 2, 3,
]);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);

async function world(): Promise<ApiWorld & { filesDir: string }> {
  const filesDir = mkdtempSync(join(tmpdir(), 'tgdesk-uploads-'));
  return { ...(await apiWorld({ start: '2026-11-09T10:00:00+03:00' }, { filesDir })), filesDir };
}

async function upload(
  w: ApiWorld,
  who: PersonKey,
  bytes: Uint8Array,
  name: string,
  type = 'application/octet-stream',
) {
  const form = new FormData();
  form.append('file', new File([bytes], name, { type }));
  const res = await w.app.request('/api/uploads', {
    method: 'POST',
    headers: { Authorization: `tma ${await initData(w, who)}` },
    body: form,
  });
  // biome-ignore lint/suspicious/noExplicitAny: checked by the assertions
  return { status: res.status, json: (await res.json()) as any };
}

async function uploaded(w: ApiWorld, who: PersonKey, bytes: Uint8Array, name: string, type?: string) {
  const res = await upload(w, who, bytes, name, type);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.upload as { id: string; fileName: string; mimeType: string; kind: string; size: number };
}

describe('uploading files from the Mini App', () => {
  it('takes a file by what its bytes are, stores it by content hash, and links it when the request is filed', async () => {
    const w = await world();
    // The browser says HTML; the bytes are a PNG.
    const photo = await uploaded(w, 'clientA', PNG, 'screen', 'text/html');
    expect(photo).toMatchObject({
      fileName: 'screen.png',
      mimeType: 'image/png',
      kind: 'photo',
      size: PNG.length,
    });
    const hash = createHash('sha256').update(PNG).digest('hex');
    expect(readFileSync(join(w.filesDir, hash.slice(0, 2), hash))).toEqual(Buffer.from(PNG));
    const pdf = await uploaded(w, 'clientA', PDF, 'Счёт №5.pdf', 'application/pdf');
    expect(pdf).toMatchObject({ fileName: 'Счёт №5.pdf', mimeType: 'application/pdf', kind: 'document' });
    // Nothing is linked yet.
    expect(await queryAll(w.ctx.db.select().from(attachments))).toEqual([]);

    const filed = await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'Scanner shows an error',
      impact: 'person',
      urgency: 'medium',
      uploads: [photo.id, pdf.id],
    });
    expect(filed.status).toBe(201);
    const id = filed.json.ticket.id as number;
    const page = await call(w, 'clientA', 'GET', `/api/tickets/${id}`);
    expect(page.json.attachments).toMatchObject([
      { kind: 'photo', fileName: 'screen.png', mimeType: 'image/png', size: PNG.length },
      { kind: 'document', fileName: 'Счёт №5.pdf', mimeType: 'application/pdf' },
    ]);
    const [image, doc] = page.json.attachments as { url: string }[];

    const shown = await call(w, 'clientA', 'GET', image?.url as string);
    expect(shown.status).toBe(200);
    expect(shown.bytes).toEqual(PNG);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(shown.headers.get('content-disposition')).toBe(
      `inline; filename="screen.png"; filename*=UTF-8''screen.png`,
    );
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    const got = await call(w, 'managerA', 'GET', doc?.url as string);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="____ _5.pdf"; filename*=UTF-8''${encodeURIComponent('Счёт №5.pdf')}`,
    );
    // Another company's client, and staff.
    expect((await call(w, 'clientB', 'GET', image?.url as string)).status).toBe(404);
    expect((await call(w, 'line1', 'GET', image?.url as string)).status).toBe(200);

    // An upload is used once: naming it again is refused and files nothing.
    const count = async () => (await queryAll(w.ctx.db.select().from(tickets))).length;
    const before = await count();
    const again = await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'Again',
      impact: 'person',
      urgency: 'low',
      uploads: [photo.id],
    });
    expect(again.status).toBe(400);
    expect(again.json.error.issues[0].path).toEqual(['uploads', 0]);
    expect(await count()).toBe(before);
  });

  it('refuses what is not an accepted kind, too big, or not the person’s own', async () => {
    const w = await world();
    // A program named and typed as a PDF.
    const exe = await upload(w, 'clientA', EXE, 'invoice.pdf', 'application/pdf');
    expect(exe.status).toBe(415);
    expect(exe.json.error).toMatchObject({ code: 'unsupported_media_type', reason: 'bad_type' });
    const big = new Uint8Array(MAX_FILE_BYTES + 1);
    big.set(PNG);
    const tooBig = await upload(w, 'clientA', big, 'huge.png', 'image/png');
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatchObject({
      code: 'too_large',
      reason: 'too_large',
      limit: MAX_FILE_BYTES,
    });
    const empty = await upload(w, 'clientA', new Uint8Array(0), 'empty.txt', 'text/plain');
    expect(empty.json.error.reason).toBe('no_file');
    const notMultipart = await call(w, 'clientA', 'POST', '/api/uploads', { file: 'x' });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.json.error.reason).toBe('no_file');
    const anonymous = await w.app.request('/api/uploads', { method: 'POST', body: new FormData() });
    expect(anonymous.status).toBe(401);

    // Client B cannot file with client A's upload.
    const mine = await uploaded(w, 'clientA', PDF, 'a.pdf');
    const stolen = await call(w, 'clientB', 'POST', '/api/tickets', {
      description: 'Stolen',
      impact: 'person',
      urgency: 'low',
      uploads: [mine.id],
    });
    expect(stolen.status).toBe(400);
    // At most ten files to a request.
    const eleven = await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'Eleven',
      impact: 'person',
      urgency: 'low',
      uploads: Array.from({ length: 11 }, (_, i) => `${i}`.padStart(32, 'a')),
    });
    expect(eleven.status).toBe(400);
    expect(await queryAll(w.ctx.db.select().from(tickets))).toEqual([]);
  });

  it('keeps HTML and scripts from ever being served as a page', async () => {
    const w = await world();
    const html = await uploaded(
      w,
      'clientA',
      new TextEncoder().encode('<html><script>alert(1)</script>'),
      'x.html',
      'text/html',
    );
    expect(html).toMatchObject({ mimeType: 'text/plain', fileName: 'x.html.txt' });
    const svg = await uploaded(
      w,
      'clientA',
      new TextEncoder().encode('<svg onload="alert(1)"/>'),
      'a.svg',
      'image/svg+xml',
    );
    expect(svg).toMatchObject({ mimeType: 'text/plain', kind: 'document', fileName: 'a.svg.txt' });
    const filed = await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'Look',
      impact: 'person',
      urgency: 'low',
      uploads: [html.id],
    });
    const [file] = (await call(w, 'clientA', 'GET', `/api/tickets/${filed.json.ticket.id}`)).json.attachments;
    const served = await call(w, 'clientA', 'GET', file.url);
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('links files to a comment (files alone are a comment); an internal note’s files stay with staff', async () => {
    const w = await world();
    const filed = await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'Printer',
      impact: 'person',
      urgency: 'low',
    });
    const id = filed.json.ticket.id as number;
    const photo = await uploaded(w, 'clientA', PNG, 'label.png', 'image/png');
    const comment = await call(w, 'clientA', 'POST', `/api/tickets/${id}/comments`, {
      body: '',
      uploads: [photo.id],
    });
    expect(comment.status).toBe(201);
    expect(comment.json.comment.attachments).toMatchObject([{ fileName: 'label.png', kind: 'photo' }]);

    const log = await uploaded(w, 'line1', new TextEncoder().encode('error 5 at 10:02\n'), 'printer.log');
    const note = await call(w, 'line1', 'POST', `/api/tickets/${id}/comments`, {
      body: 'Driver log',
      internal: true,
      uploads: [log.id],
    });
    expect(note.status).toBe(201);
    const noteFile = note.json.comment.attachments[0];
    expect(noteFile).toMatchObject({ internal: true, mimeType: 'text/plain', fileName: 'printer.log' });
    expect((await call(w, 'clientA', 'GET', noteFile.url)).status).toBe(404);
    expect((await call(w, 'line2', 'GET', noteFile.url)).status).toBe(200);
    const clientPage = await call(w, 'clientA', 'GET', `/api/tickets/${id}`);
    expect(clientPage.text).not.toContain('printer.log');
  });

  it('holds at most twenty pending uploads per person', async () => {
    const w = await world();
    for (let i = 0; i < 20; i++)
      await uploaded(w, 'clientA', new TextEncoder().encode(`note ${i}`), `n${i}.txt`);
    const more = await upload(w, 'clientA', PDF, 'more.pdf');
    expect(more.status).toBe(429);
    expect(more.json.error.reason).toBe('too_many');
    // A day later the old ones have expired.
    w.clock.advance(25 * 3_600_000);
    expect((await upload(w, 'clientA', PDF, 'more.pdf')).status).toBe(201);
  });
});

describe('file types and names', () => {
  it('finds the type by the bytes', () => {
    const zip = (names: string) =>
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode(names)]);
    expect(detectType(zip('[Content_Types].xml word/document.xml'))?.extension).toBe('docx');
    expect(detectType(zip('[Content_Types].xml xl/workbook.xml'))?.extension).toBe('xlsx');
    expect(detectType(zip('readme.txt'))?.mimeType).toBe('application/zip');
    expect(
      detectType(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'Отчёт.xls')?.mimeType,
    ).toBe('application/vnd.ms-excel');
    expect(detectType(new Uint8Array([0x1f, 0x8b, 8, 0]))?.mimeType).toBe('application/gzip');
    expect(detectType(new TextEncoder().encode('a;b\n1;2\n'), 'x.csv')?.mimeType).toBe('text/csv');
    expect(detectType(EXE)).toBeNull();
    expect(detectType(new Uint8Array([0x00, 0x01, 0x02]))).toBeNull();
  });

  it('keeps names safe', () => {
    const text = { extension: 'txt', mimeType: 'text/plain' };
    expect(safeFileName('../../etc/passwd', text)).toBe('passwd.txt');
    expect(safeFileName('C:\\Users\\me\\notes.txt', text)).toBe('notes.txt');
    expect(safeFileName('evil\u202Etxt.exe', text)).toBe('eviltxt.exe.txt');
    expect(safeFileName('...', text)).toBe('file.txt');
    expect(safeFileName('a"b<c>.log', text)).toBe('a_b_c_.log');
    expect(safeFileName(`${'я'.repeat(300)}.txt`, text)).toHaveLength(200);
  });
});

describe('where files are kept', () => {
  it('is FILES_DIR, by content hash; the same file twice is kept once', async () => {
    const w = await world();
    await uploaded(w, 'clientA', PDF, 'one.pdf');
    await uploaded(w, 'clientA2', PDF, 'two.pdf');
    const hash = createHash('sha256').update(PDF).digest('hex');
    expect(existsSync(join(w.filesDir, hash.slice(0, 2), hash))).toBe(true);
    const rows = await queryAll(
      w.ctx.db
        .select()
        .from(attachments)
        .where(eq(attachments.storagePath, `${hash.slice(0, 2)}/${hash}`)),
    );
    expect(rows).toEqual([]);
  });
});

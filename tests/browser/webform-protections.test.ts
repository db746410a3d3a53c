// The website form's protections in Chromium on a phone, as a person meets them: sent too fast, a page left
// open too long, the honeypot a bot fills, the "not a robot" check skipped, the address's limit, the form
// switched off under an open page — each shows a clear message and files nothing. Then the file limits
// (checked in the page before any byte is sent, and again by the desk), a good file stored byte for byte,
// a lost answer sent again, and the form embedded in another site's page (another origin) by embed.js. The
// desk's clock (never a sleep) covers the fill times. Nothing is fetched from anywhere but 127.0.0.1.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore, MAX_FILE_BYTES, MAX_FILES_PER_MESSAGE } from '../../core/files/store.ts';
import { MAX_FILL_MS, MIN_FILL_MS } from '../../core/webform/protect.ts';
import { setWebformEnabled, webformForAdmin } from '../../core/webform/settings.ts';
import { queryAll, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { attachments, tickets } from '../../db/schema.ts';
import { makeWorld, storeSnapshot } from '../fixtures.ts';
import { ARTIFACTS, type Desk, PHONE, startDesk } from './harness.ts';

/** Enough for every attempt of this file from 127.0.0.1: the address's limit has its own desk below. */
const ROOMY = { perIpHour: 1000, perIpDay: 1000, perFormDay: 1000 };

/**
 * The store but for the submission counters (public_hits): every attempt is counted there, refused or
 * not, and a refusal must leave everything else — tickets, people, events, attachments — as it was.
 */
async function filed(db: Db): Promise<string> {
  const tables = JSON.parse(await storeSnapshot(db)) as [string, unknown][];
  return JSON.stringify(tables.filter(([name]) => name !== 'public_hits'));
}

/** The files in the attachment store's folder, by their path in it. */
function storedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

interface Visit {
  page: Page;
  form: Frame;
  context: BrowserContext;
  /** Submissions the page sent to the desk. */
  posts: string[];
  pageErrors: string[];
}

/** A phone's browser whose requests may go to these origins only; anything else is recorded and aborted. */
async function phone(desk: Desk, origins: string[], locale = 'en-US') {
  const context = await desk.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (!origins.includes(new URL(url).origin)) {
      desk.foreignRequests.push(url);
      await route.abort();
    } else await route.continue();
  });
  const page = await context.newPage();
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.url());
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return { context, page, posts, pageErrors };
}

async function waitForToken(form: Frame): Promise<void> {
  await form.waitForFunction("document.querySelector('input[name=token]').value !== ''");
}

async function openForm(desk: Desk, key: string, lang: 'en' | 'ru' = 'en'): Promise<Visit> {
  const visit = await phone(desk, [desk.origin], lang === 'ru' ? 'ru-RU' : 'en-US');
  const response = await visit.page.goto(`${desk.origin}/form/${key}?lang=${lang}`);
  expect(response?.status()).toBe(200);
  const form = visit.page.mainFrame();
  await waitForToken(form);
  return { ...visit, form };
}

async function fill(form: Frame): Promise<void> {
  await form.fill('#name', 'Olga Web');
  await form.fill('#email', 'olga@example.org');
  await form.fill('#description', 'The VPN drops every hour');
}

const value = (form: Frame, name: string) => form.inputValue(`input[name=${name}]`);

/** Ticks the widget's box and waits until the browser has solved the challenge. */
async function proveHuman(form: Frame): Promise<void> {
  await form.locator('altcha-widget label').first().click();
  await form.waitForFunction("document.querySelector('input[name=altcha]').value !== ''", undefined, {
    timeout: 20_000,
  });
}

/** Presses "Send" and waits until the page has the desk's answer (the button is pressable again). */
async function send(form: Frame): Promise<void> {
  await form.click('button[type="submit"]');
  await form.waitForFunction(
    "document.querySelector('form').hidden || !document.querySelector('button[type=submit]').disabled",
  );
}

/** Waits for `text` in the element, visible to the person, and answers the element's whole text. */
async function shown(form: Frame, selector: string, text: string): Promise<string> {
  const element = form.locator(selector).filter({ hasText: text });
  await element.waitFor({ state: 'visible' });
  return (await element.textContent()) ?? '';
}

/** The number the page shows after sending, and the ticket behind it. */
async function filedTicket(desk: Desk, form: Frame) {
  await form.waitForSelector('#done:visible');
  const done = (await form.textContent('#done')) ?? '';
  const number = Number(/[#№](\d+)/.exec(done)?.[1]);
  const ticket = await queryOne(desk.world.ctx.db.select().from(tickets).where(eq(tickets.number, number)));
  return { done, number, ticket };
}

const ticketCount = async (db: Db) => (await queryAll(db.select().from(tickets))).length;

describe('the website form refusing, in a browser', { timeout: 90_000 }, () => {
  let desk: Desk;
  let key: string;
  let filesDir: string;

  beforeAll(async () => {
    const world = await makeWorld();
    key = (await webformForAdmin(world.ctx, world.as.admin)).key;
    filesDir = mkdtempSync(join(tmpdir(), 'tgdesk-webform-files-'));
    desk = await startDesk(world, { filesDir, webformLimits: ROOMY });
  });

  afterAll(async () => {
    await desk?.close();
    expect(desk.foreignRequests).toEqual([]);
  });

  it('refuses a form sent too fast, keeps what was typed and the check, and takes it a moment later', async () => {
    const { db } = desk.world.ctx;
    const v = await openForm(desk, key);
    await fill(v.form);
    await proveHuman(v.form);
    const token = await value(v.form, 'token');
    const proof = await value(v.form, 'altcha');
    const before = await filed(db);
    // The desk's clock has not moved since the page got its token: under the minimum fill time.
    await send(v.form);
    expect(await shown(v.form, '#error-token', 'quick')).toBe(
      'That was too quick. Please check the form and send it again.',
    );
    expect(await filed(db)).toBe(before);
    // Nothing to do again: the same token becomes good with time, the same check stays solved.
    expect(await value(v.form, 'token')).toBe(token);
    expect(await value(v.form, 'altcha')).toBe(proof);
    await v.page.screenshot({ path: `${ARTIFACTS}/webform-too-fast.png`, fullPage: true });
    desk.world.clock.advance(MIN_FILL_MS);
    await send(v.form);
    const { ticket } = await filedTicket(desk, v.form);
    expect(ticket).toMatchObject({ channel: 'web' });
    expect(v.pageErrors).toEqual([]);
    await v.context.close();
  });

  it('renews a page left open too long by itself: the person confirms again and sends, nothing typed lost', async () => {
    const { db } = desk.world.ctx;
    const v = await openForm(desk, key);
    await fill(v.form);
    await proveHuman(v.form);
    const token = await value(v.form, 'token');
    desk.world.clock.advance(MAX_FILL_MS + 1);
    const before = await filed(db);
    await send(v.form);
    expect(await shown(v.form, '#error-token', 'renewed')).toBe(
      'The form was out of date and has been renewed. Confirm again that you are not a robot, then send it.',
    );
    expect(await filed(db)).toBe(before);
    // A new token from the desk, the old check cleared, the person's text still there.
    const renewed = await value(v.form, 'token');
    expect(renewed).not.toBe('');
    expect(renewed).not.toBe(token);
    expect(await value(v.form, 'altcha')).toBe('');
    expect(await v.form.inputValue('#description')).toBe('The VPN drops every hour');
    await v.page.screenshot({ path: `${ARTIFACTS}/webform-renewed.png`, fullPage: true });
    await proveHuman(v.form);
    desk.world.clock.advance(MIN_FILL_MS);
    await send(v.form);
    const { ticket } = await filedTicket(desk, v.form);
    expect(ticket?.description).toContain('The VPN drops every hour');
    expect(v.pageErrors).toEqual([]);
    await v.context.close();
  });

  it('refuses a filled honeypot, as a bot fills every field', async () => {
    const { db } = desk.world.ctx;
    const v = await openForm(desk, key);
    await fill(v.form);
    // Hidden from people (off screen, out of the tab order): only a script puts anything there.
    const trap = await v.form.locator('#website').boundingBox();
    expect((trap?.x ?? 0) + (trap?.width ?? 0)).toBeLessThanOrEqual(0);
    expect(await v.form.getAttribute('#website', 'tabindex')).toBe('-1');
    await v.form.evaluate("document.querySelector('input[name=website]').value = 'http://spam.example'");
    await proveHuman(v.form);
    desk.world.clock.advance(MIN_FILL_MS);
    const before = await filed(db);
    const tickets = await ticketCount(db);
    await send(v.form);
    expect(await shown(v.form, '#error-general', 'could not')).toBe('The form could not be sent.');
    expect(v.posts).toHaveLength(1);
    expect(await filed(db)).toBe(before);
    expect(await ticketCount(db)).toBe(tickets);
    await v.context.close();
  });

  it('asks to confirm "not a robot" when the check was skipped, then takes the form once it is done', async () => {
    const { db } = desk.world.ctx;
    const v = await openForm(desk, key);
    await fill(v.form);
    desk.world.clock.advance(MIN_FILL_MS);
    const token = await value(v.form, 'token');
    const before = await filed(db);
    await send(v.form);
    expect(await shown(v.form, '#error-altcha', 'robot')).toBe('Please confirm you are not a robot.');
    expect(await filed(db)).toBe(before);
    // The token stays: the time already spent on the form still counts.
    expect(await value(v.form, 'token')).toBe(token);
    await proveHuman(v.form);
    await send(v.form);
    const { ticket } = await filedTicket(desk, v.form);
    expect(ticket).toMatchObject({ channel: 'web' });
    await v.context.close();
  });

  it('tells a page already open that the form was switched off, and the form is gone (404)', async () => {
    const { db } = desk.world.ctx;
    const { world } = desk;
    const v = await openForm(desk, key);
    await fill(v.form);
    await proveHuman(v.form);
    desk.world.clock.advance(MIN_FILL_MS);
    await setWebformEnabled(world.ctx, world.as.admin, false);
    try {
      const before = await filed(db);
      await send(v.form);
      expect(await shown(v.form, '#error-general', 'not taking')).toBe(
        'This form is not taking requests now. Please contact support another way.',
      );
      expect(await filed(db)).toBe(before);
      const again = await v.page.goto(`${desk.origin}/form/${key}?lang=en`);
      expect(again?.status()).toBe(404);
    } finally {
      await setWebformEnabled(world.ctx, world.as.admin, true);
    }
    await v.context.close();
  });

  it('refuses too many, too large and refused files under the field, then stores a good one byte for byte', async () => {
    const { db } = desk.world.ctx;
    const v = await openForm(desk, key);
    await fill(v.form);
    await proveHuman(v.form);
    desk.world.clock.advance(MIN_FILL_MS);
    const before = await filed(db);
    const note = (i: number) => ({
      name: `note${i}.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`n${i}`),
    });
    const tooMany = 'Too many files (at most 10).';
    const tooLarge = 'A file is too large (at most 20 MB).';

    // Too many: said as soon as they are picked, and again on "Send"; not a byte is sent.
    await v.page.setInputFiles(
      '#files',
      Array.from({ length: MAX_FILES_PER_MESSAGE + 1 }, (_, i) => note(i)),
    );
    expect(await shown(v.form, '#error-files', 'Too many')).toBe(tooMany);
    expect(await v.form.getAttribute('#files', 'aria-invalid')).toBe('true');
    await v.form.click('button[type="submit"]');
    expect(await shown(v.form, '#error-files', 'Too many')).toBe(tooMany);
    await v.page.screenshot({ path: `${ARTIFACTS}/webform-too-many-files.png`, fullPage: true });

    // Over the size limit: the same in the page.
    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0x61);
    await v.page.setInputFiles('#files', [{ name: 'dump.log', mimeType: 'text/plain', buffer: big }]);
    expect(await shown(v.form, '#error-files', 'too large')).toBe(tooLarge);
    await v.form.click('button[type="submit"]');
    expect(await shown(v.form, '#error-files', 'too large')).toBe(tooLarge);
    expect(v.posts).toEqual([]);

    // The desk checks again what a script sends past the page.
    const bypass = (await v.form.evaluate(`(async () => {
      const form = document.getElementById('form');
      const data = new FormData(form);
      data.delete('altcha_widget');
      data.delete('files');
      data.append('files', new Blob([new Uint8Array(${MAX_FILE_BYTES + 1})]), 'big.log');
      const res = await fetch(form.action, { method: 'POST', body: data });
      return { status: res.status, body: await res.json() };
    })()`)) as { status: number; body: { error: { fields: unknown[] } } };
    expect(bypass.status).toBe(400);
    expect(bypass.body.error.fields).toEqual([{ path: 'files', message: tooLarge }]);

    // A type the desk does not take (a Windows program): the desk says so under the field.
    const program = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0xff, 0xff]);
    await v.page.setInputFiles('#files', [
      { name: 'setup.exe', mimeType: 'application/octet-stream', buffer: program },
    ]);
    expect(await v.form.textContent('#error-files')).toBe('');
    await send(v.form);
    expect(await shown(v.form, '#error-files', 'type')).toBe("A file's type is not accepted.");
    expect(v.posts).toHaveLength(2);
    expect(await filed(db)).toBe(before);
    expect(storedFiles(filesDir)).toEqual([]);

    // A picture and a log: filed with the request, their bytes kept exactly.
    const picture = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    ]);
    const log = Buffer.from('2026-11-02 10:00 vpn: tunnel down\r\nошибка 42\n', 'utf8');
    await v.page.setInputFiles('#files', [
      { name: 'screen.png', mimeType: 'image/png', buffer: picture },
      { name: 'vpn.log', mimeType: 'text/plain', buffer: log },
    ]);
    await send(v.form);
    const { ticket } = await filedTicket(desk, v.form);
    const rows = await queryAll(
      db
        .select()
        .from(attachments)
        .where(eq(attachments.ticketId, ticket?.id ?? 0)),
    );
    expect(rows.map((r) => [r.fileName, r.mimeType, r.kind, r.size])).toEqual([
      ['screen.png', 'image/png', 'photo', picture.byteLength],
      ['vpn.log', 'text/plain', 'document', log.byteLength],
    ]);
    const store = new FileStore(filesDir);
    for (const [row, bytes] of [
      [rows[0], picture],
      [rows[1], log],
    ] as const) {
      const path = row?.storagePath ?? '';
      expect(Buffer.from((await store.read(path)) ?? [])).toEqual(bytes);
      expect(readFileSync(join(filesDir, path))).toEqual(bytes);
    }
    expect(storedFiles(filesDir)).toEqual(rows.map((r) => r.storagePath).sort());
    expect(v.pageErrors).toEqual([]);
    await v.context.close();
  });

  it('shows the number when the first answer was lost and the person sends again: one request', async () => {
    const { db } = desk.world.ctx;
    const v = await openForm(desk, key);
    await fill(v.form);
    await proveHuman(v.form);
    desk.world.clock.advance(MIN_FILL_MS);
    const count = await ticketCount(db);
    // The desk files the request, but the answer never reaches the phone (the connection drops).
    let firstNumber = 0;
    await v.page.route(
      `${desk.origin}/form/${key}`,
      async (route) => {
        const response = await route.fetch();
        firstNumber = ((await response.json()) as { ticket: { number: number } }).ticket.number;
        await route.abort('connectionreset');
      },
      { times: 1 },
    );
    await send(v.form);
    expect(await shown(v.form, '#error-general', 'could not')).toBe(
      'The request could not be sent. Please try again.',
    );
    expect(await ticketCount(db)).toBe(count + 1);
    await send(v.form);
    const { number } = await filedTicket(desk, v.form);
    expect(number).toBe(firstNumber);
    expect(await ticketCount(db)).toBe(count + 1);
    await v.context.close();
  });

  it('works inside another site: embed.js on a page of another origin, the form in its frame', async () => {
    const hostPage = (deskOrigin: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outsourcer Ltd</title></head>
<body><h1>Outsourcer Ltd</h1><p>Something broken? Write to our support:</p>
<script src="${deskOrigin}/form/${key}/embed.js" data-lang="en"></script>
<footer>Outsourcer Ltd, 2026</footer></body></html>`;
    // The outsourcer's own site: another port, so another origin; no CSP or other special headers.
    const site = createServer((req, res) => {
      if (req.url === '/support') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(hostPage(desk.origin));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    expect(siteOrigin).not.toBe(desk.origin);
    try {
      const v = await phone(desk, [desk.origin, siteOrigin]);
      const formResponse = v.page.waitForResponse((r) => r.url() === `${desk.origin}/form/${key}?lang=en`);
      await v.page.goto(`${siteOrigin}/support`);
      const headers = await (await formResponse).allHeaders();
      // Nothing forbids the framing: the desk's form may be put into any site.
      expect(headers['x-frame-options']).toBeUndefined();
      expect(headers['content-security-policy'] ?? '').not.toContain('frame-ancestors');
      const form = await (await v.page.waitForSelector('iframe')).contentFrame();
      if (!form) throw new Error('the iframe has no frame');
      expect(new URL(form.url()).origin).toBe(desk.origin);
      await waitForToken(form);
      expect(await form.textContent('h1')).toBe('Request to IT support');
      // The frame grows to the form's height, told by the form through postMessage.
      await expect
        .poll(async () => {
          const height = await form.evaluate('document.body.scrollHeight');
          return (await v.page.getAttribute('iframe', 'style'))?.includes(`height: ${height}px`);
        })
        .toBe(true);
      await fill(form);
      await form.selectOption('#category', { label: 'Network' });
      await proveHuman(form);
      desk.world.clock.advance(MIN_FILL_MS);
      await send(form);
      const { ticket } = await filedTicket(desk, form);
      expect(ticket).toMatchObject({ channel: 'web', categoryId: desk.world.category.network });
      expect(ticket?.description).toContain('The VPN drops every hour');
      // Still on the outsourcer's page, its own content around the frame.
      expect(v.page.url()).toBe(`${siteOrigin}/support`);
      expect(await v.page.textContent('footer')).toBe('Outsourcer Ltd, 2026');
      await v.page.screenshot({ path: `${ARTIFACTS}/webform-embedded.png`, fullPage: true });
      expect(v.pageErrors).toEqual([]);
      await v.context.close();
    } finally {
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });
});

describe('the website form over its address limit, in a browser', { timeout: 90_000 }, () => {
  let desk: Desk;
  let key: string;

  beforeAll(async () => {
    const world = await makeWorld();
    key = (await webformForAdmin(world.ctx, world.as.admin)).key;
    desk = await startDesk(world, { webformLimits: { perIpHour: 2, perIpDay: 10, perFormDay: 100 } });
  });

  afterAll(async () => {
    await desk?.close();
    expect(desk.foreignRequests).toEqual([]);
  });

  it('says so in Russian when an address has sent too often, files nothing, and takes it an hour later', async () => {
    const { db } = desk.world.ctx;
    const v = await openForm(desk, key, 'ru');
    await fill(v.form);
    await v.form.fill('#email', 'olga(at)example.org');
    await proveHuman(v.form);
    desk.world.clock.advance(MIN_FILL_MS);
    const before = await filed(db);
    // Two tries with a typo: each counts for the address.
    for (let i = 0; i < 2; i++) {
      await send(v.form);
      expect(await shown(v.form, '#error-email', 'адрес')).toBe('Это не адрес электронной почты.');
    }
    await v.form.fill('#email', 'olga@example.org');
    await send(v.form);
    expect(await shown(v.form, '#error-general', 'Слишком много')).toBe(
      'Слишком много заявок с вашего адреса. Попробуйте позже.',
    );
    expect(v.posts).toHaveLength(3);
    expect(await filed(db)).toBe(before);
    await v.page.screenshot({ path: `${ARTIFACTS}/webform-too-many.png`, fullPage: true });
    desk.world.clock.advance(3_600_000);
    await send(v.form);
    const { done, ticket } = await filedTicket(desk, v.form);
    expect(done).toMatch(/^Спасибо! Ваша заявка №\d+ принята\.$/);
    expect(ticket).toMatchObject({ channel: 'web' });
    await v.context.close();
  });
});

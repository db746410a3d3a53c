// Issue 10 in the Mini App (items 6 and 19), in Chromium as Telegram opens it: files uploaded with a
// progress bar and shown inline with a full-screen viewer; a phone 360 px wide never scrolls sideways;
// search as one types; a new screen opens at its top; English outside Telegram; a reopened ticket hides
// its old resolution; the rating's comment shows.
import { deflateSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../core/tickets/act.ts';
import { createTicket } from '../../core/tickets/create.ts';
import { queryAll, queryOne } from '../../db/access.ts';
import { attachments, contracts, tickets } from '../../db/schema.ts';
import { makeWorld, type PersonKey } from '../fixtures.ts';
import {
  ARTIFACTS,
  type Desk,
  type MiniApp,
  openMiniApp,
  rawKeysShown,
  startDesk,
  waitForMainButton,
  waitForScreen,
} from './harness.ts';
import { type Seeded, seedHistory } from './seed.ts';

let desk: Desk;
let seeded: Seeded;
const opened: MiniApp[] = [];

beforeAll(async () => {
  const world = await makeWorld();
  seeded = await seedHistory(world);
  desk = await startDesk(world);
});

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  await desk?.close();
  expect(desk?.foreignRequests ?? []).toEqual([]);
});

async function open(...args: Parameters<typeof openMiniApp>) {
  const app = await openMiniApp(...args);
  opened.push(app);
  return app;
}

/** A real PNG of one colour (the viewer must draw it). */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(require_crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function require_crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);

async function noSidewaysScroll(app: MiniApp, where: string) {
  const widths = (await app.page.evaluate(
    '({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth })',
  )) as { page: number; body: number; view: number };
  expect(
    widths.page,
    `${where}: page ${widths.page} px wide in a ${widths.view} px screen`,
  ).toBeLessThanOrEqual(widths.view);
  expect(widths.body, where).toBeLessThanOrEqual(widths.view);
}

/** Every tab and filter is within the screen: nothing hides past its right edge. */
async function allOnScreen(app: MiniApp, where: string) {
  const off =
    (await app.page.evaluate(`[...document.querySelectorAll('.tabs > *, .filters > *, .search input')]
    .map((e) => ({ what: e.getAttribute('name') || e.getAttribute('data-tab') || e.getAttribute('data-section') || e.textContent, right: e.getBoundingClientRect().right, left: e.getBoundingClientRect().left }))
    .filter((r) => r.right > window.innerWidth + 0.5 || r.left < -0.5)`)) as { what: string }[];
  expect(
    off.map((r) => r.what),
    `${where}: off screen`,
  ).toEqual([]);
}

describe('files in the Mini App', () => {
  it('a client attaches photos and a PDF to a new request, with progress; a wrong type is refused in words', async () => {
    const { world } = desk;
    const app = await open(desk, 'clientA', { path: '/' });
    const { page } = app;
    await waitForScreen(app, '[data-screen="my"]');
    await waitForMainButton(app, 'Новая заявка');
    await app.pressMainButton();
    await waitForScreen(app, '[data-screen="new"]');

    // Hold the uploads' answers to see them in flight.
    const held: Route[] = [];
    await page.route('**/api/uploads', (route) => {
      held.push(route);
    });
    await page.setInputFiles('input[name="files"]', [
      { name: 'наклейка.png', mimeType: 'image/png', buffer: png(40, 30, [200, 30, 30]) },
      { name: 'серийник.png', mimeType: 'image/png', buffer: png(30, 40, [30, 30, 200]) },
      { name: 'акт.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'setup.pdf', mimeType: 'application/pdf', buffer: EXE },
    ]);
    await expect.poll(() => held.length).toBe(4);
    const row = (name: string) => page.locator(`[data-file="${name}"]`);
    expect(await row('акт.pdf').getAttribute('data-state')).toBe('uploading');
    expect(await row('акт.pdf').locator('progress').count()).toBe(1);
    expect(await row('акт.pdf').textContent()).toMatch(/Загрузка: \d+ %/);
    await page.screenshot({ path: `${ARTIFACTS}/client-upload-progress.png` });
    for (const route of held.splice(0)) await route.continue();
    await expect.poll(() => row('акт.pdf').getAttribute('data-state')).toBe('done');
    await expect.poll(() => row('наклейка.png').getAttribute('data-state')).toBe('done');
    await expect.poll(() => row('setup.pdf').getAttribute('data-state')).toBe('error');
    expect(await row('setup.pdf').textContent()).toContain('такие файлы не принимаем');
    // Too big for the limit: refused before it travels.
    await page.unroute('**/api/uploads');
    const before = app.apiRequests.filter((r) => r.path === '/api/uploads').length;
    await page.setInputFiles('input[name="files"]', [
      { name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(20 * 1024 * 1024 + 1) },
    ]);
    await expect.poll(() => row('big.png').textContent()).toContain('файл больше 20 МБ');
    expect(app.apiRequests.filter((r) => r.path === '/api/uploads').length).toBe(before);
    await page.click(`[aria-label="Убрать big.png"]`);
    await page.click(`[aria-label="Убрать setup.pdf"]`);

    await page.fill('textarea[name="description"]', 'Принтер пишет ошибку, фото наклейки прилагаю');
    await page.click('[data-name="impact"] [data-value="person"]');
    await page.click('[data-name="urgency"] [data-value="medium"]');
    await waitForMainButton(app, 'Отправить');
    await app.pressMainButton();
    await waitForScreen(app, '[data-screen="my"]');
    const newest = async () =>
      (await queryAll(world.ctx.db.select().from(tickets).where(eq(tickets.channel, 'miniapp')))).at(-1);
    await expect
      .poll(async () => (await newest())?.description)
      .toBe('Принтер пишет ошибку, фото наклейки прилагаю');
    const ticket = await newest();
    if (!ticket) throw new Error('not filed');
    const files = await queryAll(
      world.ctx.db.select().from(attachments).where(eq(attachments.ticketId, ticket.id)),
    );
    expect(files.map((f) => [f.fileName, f.mimeType, f.commentId])).toEqual([
      ['наклейка.png', 'image/png', null],
      ['серийник.png', 'image/png', null],
      ['акт.pdf', 'application/pdf', null],
    ]);

    // The ticket shows them: the photos inline, the PDF as a row with its size.
    await page.click(`[data-number="${ticket.number}"]`);
    await waitForScreen(app, '[data-ticket-files] [data-thumbnail]');
    const thumbs = page.locator('[data-ticket-files] [data-thumbnail] img');
    await expect.poll(() => thumbs.count()).toBe(2);
    await expect
      .poll(() => thumbs.first().evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(40);
    const pdfRow = page.locator('[data-ticket-files] [data-attachment]');
    expect(await pdfRow.textContent()).toContain('акт.pdf');
    expect(await pdfRow.textContent()).toMatch(/\d+ Б/);
    await page.screenshot({ path: `${ARTIFACTS}/client-ticket-files.png` });

    // Tap: the full-screen viewer; swipe left for the next photo; ✕ closes it.
    await page.locator('[data-ticket-files] [data-thumbnail]').first().tap();
    const viewer = page.locator('[role="dialog"][data-viewer]');
    await viewer.waitFor();
    await expect
      .poll(() => viewer.locator('img').evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(40);
    const box = await viewer.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    expect(await viewer.textContent()).toContain('1 из 2');
    await viewer.dispatchEvent('touchstart', { touches: [{ identifier: 1, clientX: 300, clientY: 400 }] });
    await viewer.dispatchEvent('touchmove', { touches: [{ identifier: 1, clientX: 120, clientY: 410 }] });
    await viewer.dispatchEvent('touchend', { touches: [] });
    await expect.poll(() => viewer.textContent()).toContain('2 из 2');
    await expect
      .poll(() => viewer.locator('img').evaluate((img) => (img as { naturalWidth: number }).naturalWidth))
      .toBe(30);
    await page.screenshot({ path: `${ARTIFACTS}/client-image-viewer.png` });
    await page.click('[aria-label="Закрыть"]');
    await expect.poll(() => viewer.count()).toBe(0);

    // A comment with a file alone.
    await page.setInputFiles('input[name="comment-files"]', [
      { name: 'лог.txt', mimeType: 'text/plain', buffer: Buffer.from('ошибка 5\n') },
    ]);
    await expect.poll(() => row('лог.txt').getAttribute('data-state')).toBe('done');
    await waitForMainButton(app, 'Отправить комментарий');
    await app.pressMainButton();
    await expect.poll(() => page.locator('[data-timeline] [data-attachment]').count()).toBe(1);
    expect(await page.locator('[data-timeline] [data-attachment]').textContent()).toContain('лог.txt');
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});

describe('the Mini App on a phone 360 px wide', () => {
  const screens: [PersonKey, string, string][] = [
    ['clientA', '/my', '[data-screen="my"]'],
    ['clientA', '/new', '[data-screen="new"]'],
    ['managerA', '/company', '[data-screen="company"]'],
    ['managerA', '/reports', '[data-screen="reports"]'],
    ['line1', '/board', '[data-screen="board"]'],
    ['admin', '/admin/contracts', '[data-screen="admin"]'],
    ['admin', '/admin/people', '[data-screen="admin"]'],
  ];
  it('keeps every tab and filter in sight (the strips wrap) and never scrolls sideways', async () => {
    for (const [who, path, selector] of screens) {
      const app = await open(desk, who);
      await app.page.setViewportSize({ width: 360, height: 740 });
      await waitForScreen(app, '#root > *');
      await app.page.evaluate(`location.hash = '#${path}'`);
      await waitForScreen(app, selector);
      await app.page.waitForTimeout(300);
      await noSidewaysScroll(app, `${who} ${path}`);
      await allOnScreen(app, `${who} ${path}`);
      const ticket = seeded.companyA[0];
      if (path === '/my' && ticket) {
        await app.page.evaluate(`location.hash = '#/t/${ticket.id}'`);
        await waitForScreen(app, '[data-screen="ticket"]');
        await noSidewaysScroll(app, `${who} ticket`);
      }
      if (path === '/company') await app.page.screenshot({ path: `${ARTIFACTS}/manager-360.png` });
      await app.close();
    }
  });
});

describe('lists and screens', () => {
  it('searches as one types, ~300 ms after the last key; the status filter names each choice once', async () => {
    const app = await open(desk, 'managerA');
    const { page } = app;
    await waitForScreen(app, '[data-screen="company"] .ticket-row');
    const options = await page.locator('select[name="status"] option').allTextContents();
    expect(new Set(options).size).toBe(options.length);
    await page.locator('input[name="q"]').pressSequentially('1С', { delay: 20 });
    await page.clock.runFor(350);
    const rows = page.locator('[data-screen="company"] .ticket-row');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('1С не запускается');
    expect(app.apiRequests.some((r) => r.path.includes(`q=${encodeURIComponent('1С')}`))).toBe(true);
    await page.locator('input[name="q"]').fill('');
    await page.clock.runFor(350);
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
  });

  it('opens a new screen at its top and goes back to where the list was', async () => {
    const { world } = desk;
    for (let i = 0; i < 14; i++)
      await createTicket(world.ctx, world.as.clientA2, {
        channel: 'miniapp',
        description: `Заявка для прокрутки ${i}`,
        impact: 'person',
        urgency: 'low',
      });
    const app = await open(desk, 'clientA2');
    const { page } = app;
    await page.setViewportSize({ width: 360, height: 500 });
    await waitForScreen(app, '[data-screen="my"] .ticket-row');
    await page.evaluate('window.scrollTo(0, 400)');
    await expect.poll(() => page.evaluate('window.scrollY')).toBe(400);
    const row = page.locator('[data-screen="my"] .ticket-row').nth(8);
    await row.click();
    await waitForScreen(app, '[data-screen="ticket"]');
    expect(await page.evaluate('window.scrollY')).toBe(0);
    await app.pressBackButton();
    await waitForScreen(app, '[data-screen="my"] .ticket-row');
    await expect.poll(() => page.evaluate('window.scrollY')).toBe(400);
  });

  it('hides the resolution of a reopened ticket and shows the comment given with the rating', async () => {
    const { world } = desk;
    const t = await createTicket(world.ctx, world.as.clientA, {
      channel: 'miniapp',
      description: 'Монитор мерцает',
      impact: 'person',
      urgency: 'low',
    });
    await act(world.ctx, world.as.line1, t.id, { action: 'take' });
    await act(world.ctx, world.as.line1, t.id, {
      action: 'resolve',
      resolution: 'СТАРОЕ-РЕШЕНИЕ заменили кабель',
    });
    await act(world.ctx, world.as.clientA, t.id, { action: 'reopen', reason: 'Снова мерцает' });
    const rated = await createTicket(world.ctx, world.as.clientA, {
      channel: 'miniapp',
      description: 'Не работает мышь',
      impact: 'person',
      urgency: 'low',
    });
    await act(world.ctx, world.as.line1, rated.id, { action: 'take' });
    await act(world.ctx, world.as.line1, rated.id, { action: 'resolve', resolution: 'Заменили мышь' });
    await act(world.ctx, world.as.clientA, rated.id, { action: 'confirm' });
    await act(world.ctx, world.as.clientA, rated.id, {
      action: 'rate',
      rating: 4,
      comment: 'Быстро, но долго ждали',
    });

    const app = await open(desk, 'clientA', { path: `/?ticket=${t.id}` });
    await waitForScreen(app, `[data-screen="ticket"][data-ticket="${t.id}"]`);
    const shown = String(await app.page.evaluate('document.body.innerText'));
    expect(shown).not.toContain('Решение\n');
    expect(await app.page.locator('.section-title', { hasText: 'Решение' }).count()).toBe(0);
    await app.page.evaluate(`location.hash = '#/t/${rated.id}'`);
    await waitForScreen(app, `[data-screen="ticket"][data-ticket="${rated.id}"]`);
    expect(await app.page.locator('[data-rating-comment]').textContent()).toBe('Быстро, но долго ждали');
    expect(await app.page.locator('.section-title', { hasText: 'Решение' }).count()).toBe(1);
  });
});

describe('the report of a quarter', () => {
  it('draws a bar per week, not a hairline per day', async () => {
    const app = await open(desk, 'managerA');
    const { page } = app;
    await waitForScreen(app, '[data-screen="company"]');
    await page.click('[data-tab="reports"]');
    await waitForScreen(app, '[data-screen="reports"] [data-chart]');
    // This month (November, 30 days): a bar per day.
    await expect.poll(() => page.locator('[data-chart]').first().getAttribute('data-days')).toBe('30');
    await page.click('[data-preset="this_quarter"]');
    // October to December 2026: from the Monday of 28 September to that of 28 December, 14 weeks.
    await expect.poll(() => page.locator('[data-chart]').first().getAttribute('data-days')).toBe('14');
    await page.locator('[data-chart] canvas').first().waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/manager-quarter-weeks.png`, fullPage: true });
  });
});

describe('the admin contract form', () => {
  it('takes SLA targets as hours and minutes, and shows a refusal where one can see it', async () => {
    const { world } = desk;
    const app = await open(desk, 'admin');
    const { page } = app;
    await page.setViewportSize({ width: 360, height: 740 });
    await waitForScreen(app, '[data-screen="board"]');
    await page.evaluate(`location.hash = '#/admin/contracts'`);
    await page.getByText('A business hours').click();
    await waitForScreen(app, 'input[name="P2-resolution-hours"]');
    await noSidewaysScroll(app, 'contract form');
    // P2 resolution: 8 h (480 business minutes) → 9 h 30 min.
    expect(await page.locator('input[name="P2-resolution-hours"]').inputValue()).toBe(
      String(Math.floor(((await contractA()).slaTargets.P2.resolution ?? 0) / 60)),
    );
    await page.fill('input[name="P2-resolution-hours"]', '9');
    await page.fill('input[name="P2-resolution-minutes"]', '30');
    // A first response of nothing at all: the server refuses, and the refusal is in sight.
    await page.fill('input[name="P1-firstResponse-minutes"]', '0');
    // Said at once, under the targets.
    expect(await page.locator('[data-field-error="slaTargets"]').textContent()).toContain(
      'не может быть нулевым',
    );
    await waitForMainButton(app, 'Сохранить');
    await app.pressMainButton();
    const error = page.locator('[data-screen="admin"] .error[role="alert"]:not([data-field-error])');
    await error.waitFor();
    await expect
      .poll(async () => {
        const box = await error.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 740;
      })
      .toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/admin-contract-error.png` });
    await page.fill('input[name="P1-firstResponse-minutes"]', '15');
    await app.pressMainButton();
    await expect.poll(async () => (await contractA()).slaTargets.P2.resolution).toBe(570);
    expect((await contractA()).slaTargets.P1.firstResponse).toBe(15);

    async function contractA() {
      const row = await queryOne(
        world.ctx.db.select().from(contracts).where(eq(contracts.companyId, world.companyA)),
      );
      if (!row) throw new Error('no contract');
      return row;
    }
  });
});

describe('outside Telegram', () => {
  it('an English browser reads, in English, where to open the app, and nothing technical', async () => {
    const context = await desk.browser.newContext({ locale: 'en-US', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${desk.origin}/`);
    await page.locator('[data-screen="outside"]').waitFor();
    const text = String(await page.evaluate('document.body.innerText'));
    expect(text).toContain('Open in Telegram');
    expect(text).toContain('This service desk app works inside Telegram');
    expect(text).not.toMatch(/[а-яё]/i);
    expect(text).not.toMatch(/unauthorized|init data|app-|error/i);
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.screenshot({ path: `${ARTIFACTS}/outside-telegram-en.png` });
    await context.close();
    // A Russian browser reads it in Russian.
    const ru = await desk.browser.newContext({ locale: 'ru-RU' });
    const pageRu = await ru.newPage();
    await pageRu.goto(`${desk.origin}/`);
    await pageRu.locator('[data-screen="outside"]').waitFor();
    expect(String(await pageRu.evaluate('document.body.innerText'))).toContain('Откройте в Telegram');
    await ru.close();
  });
});

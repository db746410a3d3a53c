// The sandbox's website form panel in Chromium: the desk's real public form in a phone-sized frame beside
// the people, with the line that embeds it in a site (copied to the clipboard); a visitor fills it in with an
// address the desk does not know, ticks the proof of work and sends it; the frame shows the request's
// number, the store has it on the 'web' channel, and the 1st line's chat gets the notice. Nothing the page
// loads comes from anywhere but the desk itself. On a phone's width the panel is a pane of its own.
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkFormToken } from '../../core/webform/protect.ts';
import { webformSettings } from '../../core/webform/settings.ts';
import { queryOne } from '../../db/access.ts';
import { people, tickets } from '../../db/schema.ts';
import { sandboxDesk } from '../support/sandbox-desk.ts';
import { launchChromium } from './launch.ts';
import { SCREENSHOTS } from './paths.ts';

const desk = sandboxDesk('sandbox-webform');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

it('a visitor sends the website form beside the chat: a request on the web channel, told to the 1st line', async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: desk.origin() });
  // Every request of the page and its frames, the form's widget included, stays on the desk's own address.
  const elsewhere: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.hostname !== '127.0.0.1')
      elsewhere.push(request.url());
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(`${desk.origin()}/sandbox/`);

  await expect.poll(() => page.locator('#open-webform-title').textContent()).toBe('🌐 Форма на сайте');
  await page.locator('#open-webform').click();
  const { key, tokenSecret } = await webformSettings(desk.app().desk);
  const snippet = `<script src="${desk.origin()}/form/${key}/embed.js"></script>`;
  await expect.poll(() => page.locator('#webform-snippet').textContent()).toBe(snippet);
  await page.locator('#webform-copy').click();
  await expect.poll(() => page.locator('#webform-copied').textContent()).toBe('Скопировано.');
  await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(snippet);
  await expect(page.locator('#chat').isVisible()).resolves.toBe(false);
  const box = await page.locator('#webform-frame').boundingBox();
  expect(box?.width).toBeLessThanOrEqual(400);

  // The visitor fills the form in, as on a phone.
  const form = page.frameLocator('#webform-frame');
  const email = `visitor-${Date.now()}@example.net`;
  await form.locator('#name').fill('Ольга Посетитель');
  await form.locator('#email').fill(email);
  await form.locator('#description').fill('Не открывается сайт компании с рабочих компьютеров.');
  await form.locator('altcha-widget label').click();
  await expect.poll(() => form.locator('input[name=altcha]').inputValue(), { timeout: 20_000 }).not.toBe('');
  // The desk refuses a form filled in faster than a person could: wait for its clock to pass that mark.
  const token = await form.locator('input[name=token]').inputValue();
  await expect
    .poll(() => checkFormToken(tokenSecret, key, token, desk.app().desk.clock.now()), { timeout: 10_000 })
    .toBeNull();
  await form.locator('button[type=submit]').click();

  const done = form.locator('#done');
  await expect
    .poll(() => done.textContent(), { timeout: 10_000 })
    .toMatch(/^Спасибо! Ваша заявка №\d+ принята\.$/);
  const number = Number(/№(\d+)/.exec((await done.textContent()) ?? '')?.[1]);
  const ticket = await queryOne(
    desk
      .app()
      .desk.db.select({ id: tickets.id, channel: tickets.channel, email: people.email })
      .from(tickets)
      .innerJoin(people, eq(people.id, tickets.requesterId))
      .where(eq(tickets.number, number)),
  );
  expect(ticket).toMatchObject({ channel: 'web', email });
  await page.screenshot({ path: `${SCREENSHOTS}/sandbox-webform.png` });

  // The 1st line hears of it in their chat with the bot, shown beside the people.
  await page.locator('#webform-open-chat').click();
  await expect.poll(() => page.locator('#chat-subtitle').textContent()).toContain('Дмитрий Орлов');
  await page
    .locator('#messages .message', { hasText: `#${number} ·` })
    .filter({ hasText: 'Ольга Посетитель' })
    .first()
    .waitFor({ timeout: 10_000 });
  await page.screenshot({ path: 'test-artifacts/sandbox-webform-line1.png' });

  // On a phone the panel is a pane of its own, and the form fills in anew.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#pane-webform').click();
  await expect(page.locator('#webform').isVisible()).resolves.toBe(true);
  await page.locator('#webform-reload').click();
  await form.locator('#name').waitFor();
  await page.screenshot({ path: 'test-artifacts/sandbox-webform-phone.png' });
  await page.locator('#pane-people').click();
  await expect(page.locator('#webform').isVisible()).resolves.toBe(false);

  expect(elsewhere).toEqual([]);
  expect(pageErrors).toEqual([]);
  await context.close();
});

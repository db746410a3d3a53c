// The sandbox's call box in Chromium: a demo client rings the desk, the page says the 1st line got the
// card, and the 1st line's chat shows it (the bot's real message); hung up unanswered it is missed; a free
// number answered by the 1st line ends as a call.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryAll } from '../../db/access.ts';
import { calls } from '../../db/schema.ts';
import { sandboxDesk } from '../support/sandbox-desk.ts';
import { launchChromium } from './launch.ts';
import { SCREENSHOTS } from './paths.ts';

const desk = sandboxDesk('sandbox-call');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const states = async () =>
  (await queryAll(desk.app().desk.db.select({ state: calls.state, from: calls.fromNumber }).from(calls))).map(
    (c) => `${c.from} ${c.state}`,
  );

it('a client rings the desk: the 1st line’s chat gets the card; unanswered it is missed', async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(desk.app().sandboxUrl ?? '');

  await expect.poll(() => page.locator('#call-title').textContent()).toBe('📞 Позвонить в службу');
  const anna = await page.locator('#call-from option', { hasText: '+79161112233' }).getAttribute('value');
  await page.locator('#call-from').selectOption(anna ?? '');
  await page.locator('#call-ring').click();
  const status = page.locator('#call-status');
  await expect.poll(() => status.textContent()).toBe('Звонит: в чаты 1-й линии пришла карточка звонка.');
  expect(await states()).toEqual(['+79161112233 ringing']);

  // The card is the bot's message in the 1st line's chat, with its button to file a request.
  await page.locator('#call-open-chat').click();
  await expect.poll(() => page.locator('#chat-subtitle').textContent()).toContain('Дмитрий Орлов');
  const card = page.locator('#messages', { hasText: 'Входящий звонок: Анна Смирнова' });
  await card.waitFor();
  await page.getByRole('button', { name: 'Создать заявку' }).last().waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}/sandbox-call.png` });

  await page.locator('#call-hangup').click();
  await expect.poll(() => status.textContent()).toMatch(/^Пропущен: звонок в очереди на перезвон/);
  expect(await states()).toEqual(['+79161112233 missed']);
  await expect(page.locator('#call-ring').isVisible()).resolves.toBe(true);

  // A number of nobody's, answered by the 1st line, then over.
  await page.locator('#call-from').selectOption('other');
  await page.getByLabel('Номер').fill('+7 999 123-45-67');
  await page.locator('#call-ring').click();
  await expect.poll(() => status.textContent()).toMatch(/^Звонит/);
  await page.locator('#call-answer').click();
  await expect.poll(() => status.textContent()).toBe('Разговор идёт, ответил(а): Дмитрий Орлов');
  await page.locator('#call-hangup').click();
  await expect.poll(() => status.textContent()).toBe('Звонок окончен.');
  expect(await states()).toContain('+79991234567 ended');

  expect(pageErrors).toEqual([]);
  await context.close();
});

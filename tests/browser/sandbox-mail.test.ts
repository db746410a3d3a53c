// The sandbox's mail panel in Chromium: a demo client writes to the desk by e-mail, the page says which
// request it became, the desk's acknowledgement with that number appears under the form, and "Reply"
// answers it as a mail program would, landing on the same request; the desk's own address is dropped;
// on a phone's width the panel is a pane of its own.
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryAll, queryOne } from '../../db/access.ts';
import { comments, tickets } from '../../db/schema.ts';
import { sandboxDesk } from '../support/sandbox-desk.ts';
import { launchChromium } from './launch.ts';
import { SCREENSHOTS } from './paths.ts';

const desk = sandboxDesk('sandbox-mail');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

it('a client writes to the desk by e-mail, sees the numbered answer and replies to it', async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(desk.app().sandboxUrl ?? '');

  await page.locator('#open-mail').click();
  await expect.poll(() => page.locator('#mail-to').textContent()).toBe('support@tgdesk.example');
  const anna = await page
    .locator('#mail-from option', { hasText: 'a.smirnova@romashka.ru' })
    .getAttribute('value');
  await page.locator('#mail-from').selectOption(anna ?? '');
  await page.getByText('Писем с этого адреса и на него пока нет.').waitFor();

  await page.getByLabel('Тема').fill('Не работает сканер');
  await page.getByLabel('Текст').fill('Сканер на втором этаже не отправляет файлы на почту.');
  await page.locator('#mail-send').click();
  const result = page.locator('#mail-result');
  await expect.poll(() => result.textContent()).toMatch(/^Новая заявка #\d+$/);
  const number = Number(/#(\d+)/.exec((await result.textContent()) ?? '')?.[1]);
  const ticket = await queryOne(desk.app().desk.db.select().from(tickets).where(eq(tickets.number, number)));
  expect(ticket?.channel).toBe('email');

  // The desk's acknowledgement, as its sender sent it, under the form; the page's own mail beside it.
  const answer = page.locator('.mail-item.theirs', { hasText: `[#${number}]` });
  await answer.waitFor();
  await expect(answer.textContent()).resolves.toContain(`#${number}`);
  await expect(page.locator('.mail-item.mine').first().textContent()).resolves.toContain(
    `Новая заявка #${number}`,
  );
  await page.screenshot({ path: 'test-artifacts/sandbox-mail.png' });
  await page.screenshot({ path: `${SCREENSHOTS}/sandbox-mail.png` });

  await answer.getByRole('button', { name: /Ответить/ }).click();
  await expect(page.getByLabel('Тема').inputValue()).resolves.toMatch(new RegExp(`^Re: \\[#${number}\\]`));
  await expect(page.locator('#mail-reply-bar').isVisible()).resolves.toBe(true);
  await page.getByLabel('Текст').fill('Перезагрузили сканер, всё равно не отправляет.');
  await page.locator('#mail-send').click();
  await expect.poll(() => result.textContent()).toBe(`Комментарий к заявке #${number}`);
  await expect(page.locator('#mail-reply-bar').isVisible()).resolves.toBe(false);
  const said = (
    await queryAll(
      desk
        .app()
        .desk.db.select({ body: comments.body })
        .from(comments)
        .where(eq(comments.ticketId, ticket?.id ?? 0)),
    )
  ).map((c) => c.body);
  expect(said).toContain('Перезагрузили сканер, всё равно не отправляет.');

  // Any address: the desk's own, come back, is dropped and the page says so.
  await page.locator('#mail-from').selectOption('other');
  await page.getByLabel('Адрес').fill('support@tgdesk.example');
  await page.getByLabel('Тема').fill('Петля?');
  await page.getByLabel('Текст').fill('Письмо самой службы.');
  await page.locator('#mail-send').click();
  await expect
    .poll(() => result.textContent())
    .toBe('Отброшено: это письмо самой службы, вернувшееся назад.');
  await page.locator('#mail-from').selectOption(anna ?? '');

  // On a phone the panel is a pane of its own.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#pane-people').click();
  await expect(page.locator('#mail').isVisible()).resolves.toBe(false);
  await page.locator('#pane-mail').click();
  await expect(page.locator('#mail').isVisible()).resolves.toBe(true);
  await expect(page.locator('.mail-item.theirs').first().isVisible()).resolves.toBe(true);
  await page.screenshot({ path: 'test-artifacts/sandbox-mail-phone.png' });

  expect(pageErrors).toEqual([]);
  await context.close();
});

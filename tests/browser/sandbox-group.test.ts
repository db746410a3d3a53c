// The sandbox's client group in Chromium: the demo company's Telegram group, bound to it when the sandbox
// starts, is a chat of its own in the list; the page posts in it as any member. A demo client's request
// becomes a ticket (channel telegram_group, the demo company) and the bot's "accepted" answers it in the
// group as a reply; a colleague's thanks makes nothing; a reply joins the ticket; a photo shows. Nothing
// leaves 127.0.0.1.
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { boundGroup } from '../../core/groups/binding.ts';
import { queryAll, queryOne } from '../../db/access.ts';
import { comments, companies, tickets } from '../../db/schema.ts';
import type { SessionView } from '../../sandbox/types.ts';
import { sandboxDesk } from '../support/sandbox-desk.ts';
import { launchChromium } from './launch.ts';
import { SCREENSHOTS } from './paths.ts';

const desk = sandboxDesk('sandbox-group');
let browser: Browser;

beforeAll(async () => {
  mkdirSync('test-artifacts', { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** The demo's history has requests from groups too: the test counts those made now. */
const groupTickets = async () =>
  await queryAll(desk.app().desk.db.select().from(tickets).where(eq(tickets.channel, 'telegram_group')));

it('the demo company group: a client request becomes a ticket answered in the group, thanks make nothing', async () => {
  const db = desk.app().desk.db;
  const session = (await (await fetch(`${desk.origin()}/sandbox/api/session?lang=ru`)).json()) as SessionView;
  const [group] = session.groups;
  if (!group) throw new Error('the sandbox has no client group');
  const romashka = await queryOne(db.select().from(companies).where(eq(companies.name, 'ООО «Ромашка»')));
  expect((await boundGroup(desk.app().desk, group.id))?.companyId).toBe(romashka?.id);
  expect(group.members.map((m) => m.name)).toEqual(['Анна Смирнова', 'Олег Петров', 'Дмитрий Орлов']);
  const before = (await groupTickets()).length;

  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
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

  const item = page.locator(`[data-group="${group.id}"]`);
  await expect.poll(() => item.textContent()).toContain(group.title);
  await item.click();
  await expect.poll(() => page.locator('#bot-name').textContent()).toBe(group.title);
  await expect(page.locator('#speaker-row').isVisible()).resolves.toBe(true);
  await expect(page.locator('#open-app').isVisible()).resolves.toBe(false);
  const anna = page.locator('#speaker option', { hasText: 'Анна Смирнова' });
  await page.locator('#speaker').selectOption((await anna.getAttribute('value')) ?? '');

  const input = page.locator('#input');
  await input.fill('Не печатает принтер в бухгалтерии');
  await input.press('Enter');
  const request = page.locator('.message.mine', { hasText: 'Не печатает принтер в бухгалтерии' });
  await request.waitFor();
  // The bot's answer, as a reply to Anna's message, under the bot's name.
  const accepted = page.locator('.message.theirs', { hasText: /Заявка #\d+ принята/ });
  await accepted.waitFor();
  await expect(accepted.locator('.sender').textContent()).resolves.toBe(session.bot.name);
  await expect(accepted.locator('.quote').textContent()).resolves.toContain('Анна Смирнова');
  const number = Number(/#(\d+)/.exec((await accepted.textContent()) ?? '')?.[1]);
  expect(await groupTickets()).toHaveLength(before + 1);
  const ticket = await queryOne(db.select().from(tickets).where(eq(tickets.number, number)));
  expect(ticket).toMatchObject({
    channel: 'telegram_group',
    companyId: romashka?.id,
    subject: 'Не печатает принтер в бухгалтерии',
  });
  await page.screenshot({ path: 'test-artifacts/sandbox-group.png' });
  await page.screenshot({ path: `${SCREENSHOTS}/sandbox-group.png` });

  // Another member's thanks: chatter, no ticket. Oleg's later reply to the bot's answer joins the ticket;
  // the bot takes a chat's messages in order, so once the reply is in, the thanks was taken (and left alone).
  const oleg = await page.locator('#speaker option', { hasText: 'Олег Петров' }).getAttribute('value');
  await page.locator('#speaker').selectOption(oleg ?? '');
  // Anna's message is someone else's now: her name shows on it.
  await expect(request.isVisible()).resolves.toBe(false);
  await page.locator('.message.theirs > .bubble > .sender', { hasText: 'Анна Смирнова' }).waitFor();
  await input.fill('спасибо');
  await input.press('Enter');
  await page.locator('.message.mine', { hasText: 'спасибо' }).waitFor();
  await accepted.hover();
  await accepted.locator('.reply-action').click();
  await expect(page.locator('#reply-bar').isVisible()).resolves.toBe(true);
  await input.fill('У меня тоже не печатает с этого принтера');
  await input.press('Enter');
  const reply = page.locator('.message.mine', { hasText: 'У меня тоже не печатает' });
  await reply.waitFor();
  await expect(reply.locator('.quote').textContent()).resolves.toContain(session.bot.name);
  await expect
    .poll(async () =>
      (
        await queryAll(
          db
            .select({ body: comments.body })
            .from(comments)
            .where(eq(comments.ticketId, ticket?.id ?? 0)),
        )
      ).map((c) => c.body),
    )
    .toContain('У меня тоже не печатает с этого принтера');
  expect(await groupTickets()).toHaveLength(before + 1);

  // A photo, drawn by the page, posted as Anna and shown from the group's files.
  await page.locator('#speaker').selectOption((await anna.getAttribute('value')) ?? '');
  await page.locator('#attach-button').click();
  await expect(page.locator('#attach-sticker').isVisible()).resolves.toBe(false);
  await page.locator('#attach-photo').click();
  const photo = page.locator('.message.mine img.photo');
  await photo.waitFor();
  await expect
    .poll(() => photo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBeGreaterThan(0);

  expect(elsewhere).toEqual([]);
  expect(pageErrors).toEqual([]);
  await context.close();
});

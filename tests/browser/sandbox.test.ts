// The offline sandbox in Chromium, as `npm start` serves it without a bot token: a demo client chats with
// the real bot (through the local Bot API emulator) to file a request, then opens the Mini App beside the
// chat and finds the new ticket there; the layout at 1,024 px and on a phone (one pane at a time); the
// attach menu, a stranger made up on the spot, and the language switch. The Mini App is built by this
// project's browser global setup.
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { type RunningApp, startApp } from '../../app/run.ts';
import { people, tickets } from '../../db/schema.ts';
import { SCREENSHOTS } from './paths.ts';

let app: RunningApp;
let browser: Browser;
/** The number of the ticket the first test files (the second works on it). */
let filed = 0;
const errors: unknown[] = [];

beforeAll(async () => {
  mkdirSync('test-artifacts', { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  app = await startApp(loadConfig({ DATABASE_PATH: ':memory:', PORT: '0' }), {
    log: () => {},
    onError: (error) => errors.push(error),
    limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  expect(errors).toEqual([]);
});

/** The bot's latest message containing `text`, once it is there. */
async function openSandbox(): Promise<{
  page: Page;
  say(text: string): Promise<void>;
  close(): Promise<void>;
}> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  await page.goto(app.sandboxUrl ?? '');
  const input = page.locator('#input');
  return {
    page,
    async say(text) {
      await input.fill(text);
      await input.press('Enter');
    },
    close: () => context.close(),
  };
}

async function botSays(page: Page, text: string): Promise<Locator> {
  const message = page.locator('.message.theirs', { hasText: text }).last();
  await message.waitFor();
  return message;
}

it('a client files a request by chatting with the bot, then sees it in the Mini App beside the chat', async () => {
  expect(app.miniAppBuilt).toBe(true);
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  const miniAppCalls: { path: string; status: number; authorization: string | null }[] = [];
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/')) {
      miniAppCalls.push({
        path: url.pathname,
        status: response.status(),
        authorization: await response.request().headerValue('authorization'),
      });
    }
  });
  await page.goto(app.sandboxUrl ?? '');

  // Pick the demo client.
  await page.locator('.person', { hasText: 'Анна Смирнова' }).click();
  await page.getByText('Сообщений пока нет').waitFor();
  await expect(page.locator('.person[aria-pressed="true"]').textContent()).resolves.toContain('Клиент');

  const input = page.locator('#input');
  const say = async (text: string) => {
    await input.fill(text);
    await input.press('Enter');
  };

  await say('/start');
  await botSays(page, 'Здравствуйте, Анна');
  // The reply keyboard under the input field.
  await page.locator('#reply-keyboard').getByRole('button', { name: '📝 Новая заявка' }).click();

  const categories = await botSays(page, 'Выберите категорию');
  await categories.getByRole('button', { name: 'Принтер, сканер' }).click();
  await botSays(page, 'Опишите проблему');

  await say('Принтер в бухгалтерии печатает пустые листы');
  await botSays(page, 'Добавлено');
  // A photo: drawn by the page, sent as a real JPEG, shown from the emulator's copy.
  await page.locator('#attach-button').click();
  await page.locator('#attach-photo').click();
  const photo = page.locator('.message.mine img.photo');
  await photo.waitFor();
  await expect
    .poll(() =>
      photo.evaluate(
        (img) => (img as { complete: boolean }).complete && (img as { naturalWidth: number }).naturalWidth,
      ),
    )
    .toBe(960);
  await expect.poll(() => page.locator('.message.theirs', { hasText: 'Добавлено' }).count()).toBe(2);
  await (await botSays(page, 'Добавлено')).getByRole('button', { name: '✅ Готово' }).click();

  await (await botSays(page, 'Сколько людей')).getByRole('button', { name: 'Отдел' }).click();
  await (await botSays(page, 'Насколько срочно')).getByRole('button', { name: 'Работа стоит' }).click();
  await (await botSays(page, 'Где это')).getByRole('button', { name: 'Пропустить' }).click();
  const summary = await botSays(page, 'Проверьте заявку');
  await expect(summary.textContent()).resolves.toContain('Файлов: 1');
  await summary.getByRole('button', { name: '✅ Отправить' }).click();
  const accepted = await botSays(page, 'принята');
  const number = Number(/Заявка #(\d+) принята/.exec((await accepted.textContent()) ?? '')?.[1]);
  expect(number).toBeGreaterThan(0);
  filed = number;

  // The ticket is in the store, filed by the demo client through Telegram.
  const row = app.desk.db
    .select({ channel: tickets.channel, requester: people.name, description: tickets.description })
    .from(tickets)
    .innerJoin(people, eq(people.id, tickets.requesterId))
    .where(eq(tickets.number, number))
    .get();
  expect(row).toMatchObject({ channel: 'telegram', requester: 'Анна Смирнова' });
  expect(row?.description).toContain('Принтер в бухгалтерии печатает пустые листы');

  // The Mini App beside the chat, signed in as the same person, lists the new ticket.
  await page.locator('#open-app').click();
  const miniApp = page.frameLocator('#miniapp-frame');
  const ticket = miniApp.locator(`.ticket-row[data-number="${number}"]`);
  await ticket.waitFor();
  await expect(ticket.textContent()).resolves.toContain(`#${number}`);
  const me = miniAppCalls.find((call) => call.path === '/api/me');
  expect(me).toMatchObject({ status: 200 });
  expect(me?.authorization).toMatch(/^tma auth_date=\d+&user=/);
  expect(miniAppCalls.filter((call) => call.status === 401)).toEqual([]);

  await page.screenshot({ path: 'test-artifacts/sandbox.png' });
  await page.screenshot({ path: `${SCREENSHOTS}/sandbox.png` });
  expect(pageErrors).toEqual([]);
  await context.close();
});

it('the 1st line answers it through a force-reply prompt in its own chat, and the client reads the answer', async () => {
  expect(filed).toBeGreaterThan(0);
  const { page, say, close } = await openSandbox();
  await page.locator('.person', { hasText: 'Дмитрий Орлов' }).click();
  // Without a staff group, the new ticket's card came to the 1st line's private chat.
  const card = await botSays(page, `#${filed} ·`);
  await card.getByRole('button', { name: '💬 Ответить' }).click();
  await botSays(page, `ответьте на это сообщение текстом для клиента по #${filed}`);
  // As a Telegram client does, the page starts a reply to the prompt, with its placeholder.
  await page.locator('#reply-bar').waitFor();
  await expect(page.locator('#reply-text').textContent()).resolves.toContain(`для клиента по #${filed}`);
  await expect(page.locator('#input').getAttribute('placeholder')).resolves.toBe('Ответ клиенту');
  await say('Уже едем, будем через час');
  const reply = page.locator('.message.mine', { hasText: 'Уже едем, будем через час' });
  await expect(reply.locator('.quote').textContent()).resolves.toContain(`для клиента по #${filed}`);
  await botSays(page, 'Отправлено клиенту');

  await page.locator('.person', { hasText: 'Анна Смирнова' }).click();
  await botSays(page, 'Уже едем, будем через час');
  await close();
});

/** The page's width beyond the viewport (0 when nothing sticks out sideways). */
const overflow = (page: Page) =>
  page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  ) as Promise<number>;
const widthOf = async (locator: Locator) => (await locator.boundingBox())?.width ?? 0;

it('at 1,024 px the chat keeps a usable input beside the Mini App, which is titled with its own name', async () => {
  const context = await browser.newContext({
    viewport: { width: 1024, height: 768 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  await page.goto(app.sandboxUrl ?? '');
  await page.locator('.person', { hasText: 'Олег Петров' }).click();
  const input = page.locator('#input');
  await input.fill('/start');
  await input.press('Enter');
  await botSays(page, 'Здравствуйте, Олег');
  // The bot's menu button (the Mini App's) is beside the field now, and the Mini App opens from it.
  const menu = page.locator('#menu-button');
  await menu.waitFor();
  await menu.click();
  await page.locator('#miniapp').waitFor();
  await page.frameLocator('#miniapp-frame').locator('.ticket-row, .empty, [data-screen]').first().waitFor();
  expect(await widthOf(input)).toBeGreaterThanOrEqual(200);
  expect(await overflow(page)).toBe(0);
  // The panel is the Mini App's, named as the app names itself, not after the button that opened it.
  await expect.poll(() => page.locator('#miniapp-title').textContent()).toBe('Служба поддержки');
  expect(await menu.textContent()).not.toBe('Служба поддержки');
  await page.screenshot({ path: 'test-artifacts/sandbox-1024.png' });
  await context.close();
});

it('on a phone shows one pane at a time with a switcher, and nothing sticks out sideways', async () => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(app.sandboxUrl ?? '');
  const [people, chat, miniApp] = [page.locator('.people'), page.locator('#chat'), page.locator('#miniapp')];
  const switcher = page.locator('#panes');
  await switcher.waitFor();
  await page.locator('.person', { hasText: 'Ирина Кузнецова' }).waitFor();
  expect(await people.isVisible()).toBe(true);
  expect(await chat.isVisible()).toBe(false);
  expect(await overflow(page)).toBe(0);

  // Picking a person opens their chat, full width.
  await page.locator('.person', { hasText: 'Ирина Кузнецова' }).click();
  await chat.waitFor();
  expect(await people.isVisible()).toBe(false);
  expect(await widthOf(chat)).toBe(390);
  const input = page.locator('#input');
  await input.fill('/start');
  await input.press('Enter');
  await botSays(page, 'Здравствуйте, Ирина');
  await page.locator('#menu-button').waitFor();
  expect(await widthOf(input)).toBeGreaterThanOrEqual(140);
  expect(await overflow(page)).toBe(0);
  await page.screenshot({ path: 'test-artifacts/sandbox-phone.png' });

  // The Mini App takes the screen; the switcher goes back to the chat and to the people.
  await page.locator('#open-app').click();
  await miniApp.waitFor();
  expect(await chat.isVisible()).toBe(false);
  expect(await widthOf(miniApp)).toBe(390);
  expect(await overflow(page)).toBe(0);
  await switcher.getByRole('button', { name: 'Чат' }).click();
  await chat.waitFor();
  expect(await miniApp.isVisible()).toBe(false);
  await switcher.getByRole('button', { name: 'Люди' }).click();
  await people.waitFor();
  expect(await chat.isVisible()).toBe(false);
  await switcher.getByRole('button', { name: 'Мини-приложение' }).click();
  await miniApp.waitFor();
  expect(await overflow(page)).toBe(0);
  // Closing the Mini App comes back to the chat, and its tab goes.
  await page.locator('#miniapp-close').click();
  await chat.waitFor();
  expect(await switcher.getByRole('button', { name: 'Мини-приложение' }).isVisible()).toBe(false);
  expect(pageErrors).toEqual([]);
  await context.close();
});

it('attaches a sticker, a voice message and a document, acts as a stranger, and switches the bot to English', async () => {
  const { page, say, close } = await openSandbox();
  await page.locator('#new-stranger').click();
  // A new person, picked at once, with an empty chat.
  const picked = page.locator('.person[aria-pressed="true"]');
  await expect.poll(() => picked.textContent()).toContain('Незнакомец');
  await page.getByText('Сообщений пока нет').waitFor();
  await say('/start');
  await botSays(page, 'Мы пока не знаем, из какой вы компании');
  await page.locator('#reply-keyboard').getByRole('button', { name: /номер/i }).click();
  await botSays(page, 'В справочнике его нет');

  const attach = async (item: string) => {
    await page.locator('#attach-button').click();
    await page.locator('#attach-menu').waitFor();
    await page.locator(item).click();
    await expect.poll(() => page.locator('#attach-menu').isVisible()).toBe(false);
  };
  await attach('#attach-sticker');
  await page.locator('.message.mine', { hasText: 'Стикер' }).waitFor();
  await attach('#attach-voice');
  await page.locator('.message.mine', { hasText: 'Голосовое сообщение' }).waitFor();
  await page.locator('#input').fill('Вот счёт');
  await attach('#attach-document');
  const document = page.locator('.message.mine', { hasText: 'счёт-фактура.pdf' });
  await document.waitFor();
  await expect(document.textContent()).resolves.toContain('Вот счёт');

  // EN: the page in English, and the bot too, for the person in view — as they would do it in Telegram.
  await page.locator('#languages').getByRole('button', { name: 'EN' }).click();
  await page.locator('.message.mine', { hasText: '/language' }).waitFor();
  await botSays(page, 'Done, I speak English now.');
  await expect(page.locator('#people-title').textContent()).resolves.toBe('Demo people');
  await say('/help');
  await page.locator('.message.theirs', { hasText: /\/new/ }).last().waitFor();
  await close();
});

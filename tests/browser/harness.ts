// The Mini App in a real Chromium, as Telegram opens it: the API (createApi over an in-memory world) on
// 127.0.0.1, the built app from miniapp/dist, signed init data and theme params in the URL hash, and a
// stand-in for the Android client's TelegramWebviewProxy that records what the app asks of Telegram.
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type ApiDeps, createApi } from '../../api/app.ts';
import { signInitData } from '../../api/init-data.ts';
import { makeWorld, type PersonKey, type World } from '../fixtures.ts';

export const BOT_TOKEN = '123456:TEST-miniapp-token';
export const ARTIFACTS = 'test-artifacts';

import { queryOne } from '../../db/access.ts';
import { SCREENSHOTS } from './paths.ts';

export { SCREENSHOTS };
export const PHONE = { width: 390, height: 844 };

export const LIGHT_THEME = {
  bg_color: '#ffffff',
  secondary_bg_color: '#efeff3',
  section_bg_color: '#ffffff',
  text_color: '#000000',
  hint_color: '#999999',
  link_color: '#2481cc',
  button_color: '#2481cc',
  button_text_color: '#ffffff',
  section_header_text_color: '#6d6d72',
  subtitle_text_color: '#999999',
  destructive_text_color: '#ff3b30',
};

export const DARK_THEME = {
  bg_color: '#17212b',
  secondary_bg_color: '#0e1621',
  section_bg_color: '#17212b',
  text_color: '#f5f5f5',
  hint_color: '#708499',
  link_color: '#6ab3f3',
  button_color: '#5288c1',
  button_text_color: '#ffffff',
  section_header_text_color: '#6ab3f3',
  subtitle_text_color: '#708499',
  destructive_text_color: '#ec3942',
};

export interface SentDocument {
  chatId: number;
  fileName: string;
  bytes: Uint8Array;
}

export interface Desk {
  world: World;
  origin: string;
  browser: Browser;
  /** Every request the pages tried to send anywhere but the API. */
  foreignRequests: string[];
  sentDocuments: SentDocument[];
  close(): Promise<void>;
}

/** `deps`: more of createApi's dependencies (e.g. `miniAppUrl` for the set-up checklist). */
export async function startDesk(given?: World, deps: Partial<ApiDeps> = {}): Promise<Desk> {
  const world = given ?? (await makeWorld());
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const sentDocuments: SentDocument[] = [];
  const app = createApi({
    desk: world.ctx,
    botToken: BOT_TOKEN,
    botUsername: 'tgdesk_test_bot',
    miniappDir: 'miniapp/dist',
    filesDir: mkdtempSync(join(tmpdir(), 'tgdesk-files-')),
    sendDocument: async (chatId, file) => {
      sentDocuments.push({ chatId, fileName: file.fileName, bytes: file.bytes });
    },
    ...deps,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
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
  return {
    world,
    origin: `http://127.0.0.1:${port}`,
    browser,
    foreignRequests: [],
    sentDocuments,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function telegramUserOf(world: World, who: PersonKey) {
  const row = (await queryOne(
    world.ctx.db.$client.prepare('select telegram_user_id as tg, name, language from people where id = ?'),
    world.ids[who],
  )) as { tg: number; name: string; language: string };
  return { id: row.tg, first_name: row.name, language_code: row.language };
}

/** The raw init data Telegram would sign for this person now (by the desk's clock). */
export async function initDataFor(desk: Desk, who: PersonKey, startParam?: string): Promise<string> {
  return signInitData(BOT_TOKEN, await telegramUserOf(desk.world, who), {
    authDate: Math.floor(desk.world.clock.now() / 1000),
    ...(startParam === undefined ? {} : { startParam }),
  });
}

/** A call the API answers for this person, from the test itself (to compare with what the app shows). */
export async function apiAs<T>(desk: Desk, who: PersonKey, path: string): Promise<T> {
  const res = await fetch(`${desk.origin}${path}`, {
    headers: { Authorization: `tma ${await initDataFor(desk, who)}` },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface TelegramEvent {
  type: string;
  data: Record<string, unknown> | null;
}

export interface MiniApp {
  page: Page;
  context: BrowserContext;
  /** What the app asked of Telegram (web_app_ready, web_app_setup_main_button, …), in order. */
  events(): Promise<TelegramEvent[]>;
  /** The last Main Button set-up the app sent. */
  mainButton(): Promise<Record<string, unknown> | null>;
  /** Presses the native Main Button, as the Telegram client reports it. */
  pressMainButton(): Promise<void>;
  pressBackButton(): Promise<void>;
  /** Requests the app sent to the API, with their Authorization header. */
  apiRequests: {
    method: string;
    path: string;
    authorization: string | null;
    idempotencyKey: string | null;
  }[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  theme?: Record<string, string>;
  startParam?: string;
  /** Path and query before the hash, e.g. "/?ticket=3". */
  path?: string;
  /** Runs on the new page before it navigates (the benchmark throttles the CPU here). */
  beforeNavigate?: (page: Page) => Promise<void>;
}

// Runs in the page before the SDK: the Android client's bridge, recording every event the app posts.
const BRIDGE = `
  window.__tgEvents = [];
  window.TelegramWebviewProxy = {
    postEvent(type, data) {
      let parsed = null;
      try { parsed = data ? JSON.parse(data) : null; } catch { parsed = data; }
      window.__tgEvents.push({ type, data: parsed });
    },
  };
`;

export async function openMiniApp(desk: Desk, who: PersonKey, options: OpenOptions = {}): Promise<MiniApp> {
  const context = await desk.browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
    acceptDownloads: true,
  });
  const apiRequests: MiniApp['apiRequests'] = [];
  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.origin !== desk.origin) {
      desk.foreignRequests.push(request.url());
      await route.abort();
      return;
    }
    if (url.pathname.startsWith('/api/'))
      apiRequests.push({
        method: request.method(),
        path: url.pathname + url.search,
        authorization: await request.headerValue('authorization'),
        idempotencyKey: await request.headerValue('idempotency-key'),
      });
    await route.continue();
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.clock.install({ time: desk.world.clock.now() });
  await page.addInitScript(BRIDGE);
  await options.beforeNavigate?.(page);
  const hash = [
    `tgWebAppData=${encodeURIComponent(await initDataFor(desk, who, options.startParam))}`,
    'tgWebAppVersion=8.0',
    'tgWebAppPlatform=android',
    `tgWebAppThemeParams=${encodeURIComponent(JSON.stringify(options.theme ?? LIGHT_THEME))}`,
  ].join('&');
  await page.goto(`${desk.origin}${options.path ?? '/'}#${hash}`);
  const events = () => page.evaluate('window.__tgEvents') as Promise<TelegramEvent[]>;
  return {
    page,
    context,
    events,
    async mainButton() {
      const setups = (await events()).filter((e) => e.type === 'web_app_setup_main_button');
      return setups.at(-1)?.data ?? null;
    },
    async pressMainButton() {
      await page.evaluate("window.Telegram.WebView.receiveEvent('main_button_pressed')");
    },
    async pressBackButton() {
      await page.evaluate("window.Telegram.WebView.receiveEvent('back_button_pressed')");
    },
    apiRequests,
    pageErrors,
    close: () => context.close(),
  };
}

/** Waits until the native Main Button shows `text` and is active. */
export async function waitForMainButton(app: MiniApp, text: string, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  let last: Record<string, unknown> | null = null;
  while (Date.now() < until) {
    last = await app.mainButton();
    if (last?.is_visible && last.is_active && last.text === text) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Main Button never showed "${text}" (last: ${JSON.stringify(last)})`);
}

/** Waits for a screen of the app; on failure says what the page showed instead, and what it asked for. */
export async function waitForScreen(app: MiniApp, selector: string, timeout = 15_000): Promise<void> {
  try {
    await app.page.locator(selector).first().waitFor({ timeout });
  } catch (e) {
    const body = await app.page.evaluate('document.body.innerText').catch(() => '?');
    throw new Error(
      `${selector} did not appear. Page: ${JSON.stringify(String(body).slice(0, 500))}; errors: ${JSON.stringify(
        app.pageErrors,
      )}; API calls: ${JSON.stringify(app.apiRequests.map((r) => r.path))}`,
      { cause: e },
    );
  }
}

/** A missing text shows as its key ("app-…"): none may be on screen. */
export async function rawKeysShown(app: MiniApp): Promise<string[]> {
  const text = String(await app.page.evaluate('document.body.innerText'));
  return (
    text.match(
      /\b(?:app|status|priority|impact|urgency|line|role|event|intake|staff|report|error|duration)-[a-z0-9_-]+/g,
    ) ?? []
  );
}

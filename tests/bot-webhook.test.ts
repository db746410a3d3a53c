// Webhook mode: the bot registers its URL with a secret token, and its webhook is a route of the one HTTP
// server (beside the API and /healthz); a post without the right secret is refused and changes nothing.
// With a real bot token there is no sandbox, and MINIAPP_URL puts the Mini App on the chat menu button.
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { type RunningApp, startApp } from '../app/run.ts';
import { type Emulator, startEmulator } from '../emulator/index.ts';

let emu: Emulator | undefined;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  await emu?.close();
  app = undefined;
  emu = undefined;
});

async function start(env: Record<string, string>): Promise<{ e: Emulator; a: RunningApp }> {
  emu = await startEmulator();
  const config = loadConfig({
    BOT_TOKEN: emu.token,
    BOT_API_ROOT: emu.apiRoot,
    DATABASE_PATH: ':memory:',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  app = await startApp(config, { log: () => {}, logger: createLogger({ level: 'silent' }) });
  return { e: emu, a: app };
}

it('registers the webhook with its secret and handles only posts that carry it, on the API server', async () => {
  const secret = 'a-secret-of-the-right-length-123';
  const { e, a } = await start({ WEBHOOK_URL: 'https://desk.example.org/telegram', WEBHOOK_SECRET: secret });
  const setWebhook = e.calls.find((c) => c.method === 'setWebhook');
  expect(setWebhook?.params).toMatchObject({
    url: 'https://desk.example.org/telegram',
    secret_token: secret,
  });

  const user = e.user({ id: 777001, first_name: 'Webhook' });
  const update = (id: number) => ({
    update_id: id,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.chatId, type: 'private', first_name: 'Webhook' },
      from: { id: user.id, is_bot: false, first_name: 'Webhook' },
      text: '/help',
      entities: [{ type: 'bot_command', offset: 0, length: 5 }],
    },
  });
  const post = (body: unknown, token?: string, path = '/telegram') =>
    fetch(`http://127.0.0.1:${a.port}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { 'x-telegram-bot-api-secret-token': token } : {}),
      },
      body: JSON.stringify(body),
    });

  const forged = await post(update(1), 'wrong-secret');
  expect(forged.status).toBe(401);
  expect((await post(update(2))).status).toBe(401);
  expect((await post(update(3), secret, '/not-the-webhook')).status).not.toBe(200);
  expect(user.inbox()).toEqual([]);

  const genuine = await post(update(4), secret);
  expect(genuine.status).toBe(200);
  await user.waitForMessage('/new — Новая заявка');
  expect(user.inbox()).toHaveLength(1);

  // The same port serves the API; the sandbox exists only without a bot token.
  const health = await fetch(`http://127.0.0.1:${a.port}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({
    ok: true,
    checks: { bot: { ok: true, mode: 'webhook', running: true, lastUpdateAt: expect.any(String) } },
  });
  expect((await fetch(`http://127.0.0.1:${a.port}/sandbox/`)).status).toBe(404);
  expect((await fetch(`http://127.0.0.1:${a.port}/sandbox/api/session`)).status).toBe(404);
  expect(a).toMatchObject({ mode: 'telegram', sandboxUrl: undefined, emulator: undefined });
});

it('polls without WEBHOOK_URL, and with MINIAPP_URL the chat menu button opens the Mini App', async () => {
  const { e } = await start({ MINIAPP_URL: 'https://desk.example.org/app/' });
  expect(e.calls.some((c) => c.method === 'setWebhook')).toBe(false);
  await e.waitFor(() => e.polling);
  const user = e.user({ id: 777002, first_name: 'Menu' });
  expect(user.menuButton()).toEqual({
    type: 'web_app',
    text: 'Мини-приложение',
    web_app: { url: 'https://desk.example.org/app/' },
  });
  user.send('/help');
  await user.waitForMessage('/new — Новая заявка');
});

// Webhook mode: the bot registers its URL with a secret token and answers Telegram's posts; a post
// without the right secret is refused and changes nothing.
import { afterEach, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../bot/run.ts';
import { type Emulator, startEmulator } from '../emulator/index.ts';
import { makeWorld } from './fixtures.ts';

let emu: Emulator | undefined;
let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.stop();
  await emu?.close();
});

it('registers the webhook with its secret and handles only posts that carry it', async () => {
  const w = makeWorld();
  emu = await startEmulator();
  const e = emu;
  const secret = 'a-secret-of-the-right-length-123';
  bot = await startBot({
    desk: w.ctx,
    token: e.token,
    apiRoot: e.apiRoot,
    webhook: { url: 'https://desk.example.org/telegram', secret, port: 0 },
  });
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
    },
  });
  const post = (body: unknown, token?: string) =>
    fetch(`http://127.0.0.1:${bot?.webhookPort}/`, {
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
  expect(user.inbox()).toEqual([]);

  const genuine = await post(update(3), secret);
  expect(genuine.status).toBe(200);
  await user.waitForMessage('/new — новая заявка');
  expect(user.inbox()).toHaveLength(1);
});

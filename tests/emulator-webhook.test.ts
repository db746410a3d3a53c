// The emulator's webhook, as Telegram's: once set, waiting and new updates are POSTed as JSON with the secret
// header to the URL (routed by the test to a local server); getUpdates answers 409 meanwhile; a non-2xx
// answer or a refused connection means the update comes again later; at most max_connections posts at once;
// the updates of one chat one at a time and in order; deleteWebhook stops the posts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/index.ts';

const SECRET = 'the-webhook-secret_123';
const URL_ = 'https://desk.example/telegram/hook';

interface Received {
  update: Update;
  secret: string | undefined;
  path: string;
  at: number;
}

/** A local webhook server: records each post, and answers what `respond` says (after it resolves). */
class Hook {
  readonly received: Received[] = [];
  respond: (update: Update, attempt: number) => number | Promise<number> = () => 200;
  /** Posts being answered now, and the most at once. */
  open = 0;
  maxOpen = 0;
  readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => this.#handle(req, res));
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  texts(): string[] {
    return this.received.map((r) => r.update.message?.text ?? '');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
    const secret = req.headers['x-telegram-bot-api-secret-token'];
    this.received.push({
      update,
      secret: typeof secret === 'string' ? secret : undefined,
      path: req.url ?? '',
      at: Date.now(),
    });
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    const attempt = this.received.filter((r) => r.update.update_id === update.update_id).length;
    const status = await this.respond(update, attempt);
    this.open--;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{}');
  }
}

let emu: Emulator;
let hook: Hook;

beforeEach(async () => {
  hook = new Hook();
  const port = await hook.listen();
  emu = await startEmulator({
    webhookTarget: (url) => `http://127.0.0.1:${port}${new URL(url).pathname}`,
  });
});

afterEach(async () => {
  await emu.close();
  await hook.close();
});

async function call(method: string, params: Record<string, unknown> = {}) {
  const res = await fetch(`${emu.apiRoot}/bot${emu.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; result?: unknown; description?: string },
  };
}

const setWebhook = (extra: Record<string, unknown> = {}) =>
  call('setWebhook', { url: URL_, secret_token: SECRET, ...extra });

/** A promise and its resolver: a post held until the test lets it go. */
function gate(): { promise: Promise<number>; open(status?: number): void } {
  let open: (status: number) => void = () => undefined;
  const promise = new Promise<number>((resolve) => {
    open = resolve;
  });
  return { promise, open: (status = 200) => open(status) };
}

describe('the emulator’s webhook', () => {
  it('posts waiting and new updates as JSON with the secret header, and refuses getUpdates meanwhile', async () => {
    const ann = emu.user({ id: 601, first_name: 'Ann' });
    ann.send('before the webhook');
    expect(await setWebhook()).toMatchObject({ status: 200, body: { description: 'Webhook was set' } });
    ann.send('after it');
    await emu.waitFor(() => hook.received.length === 2);
    expect(hook.texts()).toEqual(['before the webhook', 'after it']);
    expect(hook.received.map((r) => [r.secret, r.path])).toEqual([
      [SECRET, '/telegram/hook'],
      [SECRET, '/telegram/hook'],
    ]);
    expect(hook.received[0]?.update).toMatchObject({ message: { chat: { id: 601 }, from: { id: 601 } } });

    const polled = await call('getUpdates');
    expect(polled.status).toBe(409);
    expect(polled.body.description).toMatch(/can't use getUpdates method while webhook is active/);
    await emu.waitFor(() => emu.webhook.stats.delivered === 2);
    const info = await call('getWebhookInfo');
    expect(info.body.result).toMatchObject({ url: URL_, pending_update_count: 0, max_connections: 40 });
    expect(info.body.result).not.toHaveProperty('last_error_message');
    expect(emu.webhook.stats).toMatchObject({ posts: 2, delivered: 2, retries: 0, failed: 0, refused: 0 });
  });

  it('sends one chat’s updates one at a time in update-id order, other chats meanwhile', async () => {
    const gates = new Map<number, ReturnType<typeof gate>>();
    hook.respond = (update) => {
      const held = gate();
      gates.set(update.update_id, held);
      return held.promise;
    };
    await setWebhook();
    const ann = emu.user({ id: 611, first_name: 'Ann' });
    const bob = emu.user({ id: 612, first_name: 'Bob' });
    ann.send('a1');
    ann.send('a2');
    bob.send('b1');
    ann.send('a3');
    bob.send('b2');
    // The first of each chat is under way; the rest of each chat waits for its answer.
    await emu.waitFor(() => hook.received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hook.texts()).toEqual(['a1', 'b1']);
    const id = (text: string) => {
      const found = hook.received.find((r) => r.update.message?.text === text)?.update.update_id;
      if (found === undefined) throw new Error(`${text} was not posted`);
      return found;
    };
    gates.get(id('a1'))?.open();
    await emu.waitFor(() => hook.texts().includes('a2'));
    expect(hook.texts()).toEqual(['a1', 'b1', 'a2']);
    gates.get(id('a2'))?.open();
    await emu.waitFor(() => hook.texts().includes('a3'));
    gates.get(id('b1'))?.open();
    await emu.waitFor(() => hook.texts().includes('b2'));
    gates.get(id('a3'))?.open();
    gates.get(id('b2'))?.open();
    await emu.waitFor(() => emu.webhook.stats.delivered === 5);

    const ofChat = (chat: number) =>
      hook.received.filter((r) => r.update.message?.chat.id === chat).map((r) => r.update.update_id);
    for (const chat of [611, 612]) {
      const ids = ofChat(chat);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    // Never two posts of one chat at once, by the emulator's own record.
    for (const chat of [611, 612]) {
      const spans = emu.webhook.stats.attempts.filter((a) => a.chatId === chat);
      for (let i = 1; i < spans.length; i++) {
        expect(spans[i]?.startedAt).toBeGreaterThanOrEqual(spans[i - 1]?.endedAt ?? Number.POSITIVE_INFINITY);
      }
    }
  });

  it('posts an update answered 500 again later, and the chat’s next one only after it', async () => {
    hook.respond = (update, attempt) => (update.message?.text === 'first' && attempt <= 2 ? 500 : 200);
    await setWebhook();
    const cid = emu.user({ id: 621, first_name: 'Cid' });
    cid.send('first');
    cid.send('second');
    await emu.waitFor(() => emu.webhook.stats.delivered === 2, 10_000);
    expect(hook.texts()).toEqual(['first', 'first', 'first', 'second']);
    expect(emu.webhook.stats).toMatchObject({ posts: 4, delivered: 2, failed: 2, retries: 2, refused: 0 });
    // Backing off: 100 ms, then 200 ms.
    const at = hook.received.map((r) => r.at);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(90);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('posts again after a refused connection, once the server is there', async () => {
    // A port nothing listens on yet: found free, then the same server comes up on it.
    const later = new Hook();
    const port = await later.listen();
    await later.close();
    emu.webhook.route(() => `http://127.0.0.1:${port}/hook`);
    await setWebhook();
    emu.user({ id: 631, first_name: 'Dee' }).send('are you there?');
    await emu.waitFor(() => emu.webhook.stats.refused >= 2, 10_000);
    const info = await call('getWebhookInfo');
    expect(info.body.result).toMatchObject({
      pending_update_count: 1,
      last_error_message: expect.any(String),
    });

    const back = new Hook();
    await back.listen(port);
    try {
      await emu.waitFor(() => back.received.length === 1, 10_000);
      expect(back.received[0]?.update.message?.text).toBe('are you there?');
      expect(back.received[0]?.secret).toBe(SECRET);
      await emu.waitFor(() => emu.webhook.stats.delivered === 1);
      expect(emu.webhook.stats.retries).toBe(emu.webhook.stats.refused);
    } finally {
      await back.close();
    }
  });

  it('keeps at most max_connections posts under way', async () => {
    hook.respond = () => new Promise((resolve) => setTimeout(() => resolve(200), 50));
    await setWebhook({ max_connections: 3 });
    for (let i = 0; i < 12; i++) emu.user({ id: 640 + i, first_name: `P${i}` }).send(`hello ${i}`);
    await emu.waitFor(() => emu.webhook.stats.delivered === 12, 10_000);
    expect(hook.maxOpen).toBe(3);
    expect(emu.webhook.stats.maxInFlight).toBe(3);
    expect((await call('getWebhookInfo')).body.result).toMatchObject({ max_connections: 3 });
  });

  it('stops posting at deleteWebhook: what comes after waits for getUpdates', async () => {
    await setWebhook();
    const eve = emu.user({ id: 651, first_name: 'Eve' });
    eve.send('posted');
    await emu.waitFor(() => emu.webhook.stats.delivered === 1);
    expect((await call('deleteWebhook')).body.description).toBe('Webhook was deleted');
    eve.send('polled');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hook.texts()).toEqual(['posted']);
    const polled = await call('getUpdates');
    expect((polled.body.result as Update[]).map((u) => u.message?.text)).toEqual(['polled']);
  });

  it('refuses a webhook that is not https, and leaves the updates waiting when its URL is not routed', async () => {
    expect(await call('setWebhook', { url: 'http://desk.example/hook' })).toMatchObject({
      status: 400,
      body: { description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' },
    });
    emu.webhook.route(() => undefined);
    await setWebhook();
    emu.user({ id: 661, first_name: 'Fay' }).send('nobody serves this');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hook.received).toEqual([]);
    expect((await call('getWebhookInfo')).body.result).toMatchObject({
      pending_update_count: 1,
      last_error_message: expect.stringMatching(/Connection refused/),
    });
  });
});

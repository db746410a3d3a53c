// The offline sandbox as `npm start` runs it without a bot token (startApp, on port 0 and an in-memory
// store): the demo people and strangers made up on the spot, a chat with the real bot through the page's
// routes with updates over server-sent events, button presses, photos, documents, voice messages and
// stickers, force-reply prompts, the language switch, init data the API accepts, and what a restart over
// the same store tells the page.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { type RunningApp, startApp } from '../app/run.ts';
import { ROLES } from '../core/model.ts';
import { clientGroups, tickets } from '../db/schema.ts';
import type { ChatView, PersonView, SessionView } from '../sandbox/types.ts';

let app: RunningApp;
let origin: string;
let people: SessionView['people'];
const errors: unknown[] = [];

beforeAll(async () => {
  app = await startApp(loadConfig({ DATABASE_PATH: ':memory:', PORT: '0' }), {
    log: () => {},
    logger: createLogger({ level: 'silent' }),
    onError: (error) => errors.push(error),
    // These tests are about the sandbox, not Telegram's flood limits.
    limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
  });
  origin = `http://127.0.0.1:${app.port}`;
  people = (await json<SessionView>('/sandbox/api/session?lang=en')).people;
}, 60_000);

afterAll(async () => {
  await app?.stop();
  expect(errors).toEqual([]);
});

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${origin}${path}`, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const post = <T>(path: string, body: unknown) =>
  json<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const personOf = (role: string) => {
  const person = people.find((p) => p.role === role);
  if (!person) throw new Error(`No demo ${role}`);
  return person;
};

/**
 * Reads the chat's event stream (as the page does) until `check` passes on a pushed view; fails with the
 * last view after `timeoutMs`.
 */
async function waitForChat<T>(
  chatId: number,
  check: (view: ChatView) => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let last: ChatView | undefined;
  try {
    const response = await fetch(`${origin}/sandbox/api/chats/${chatId}/events`, {
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    if (!response.body) throw new Error('no event stream');
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        if (!event.startsWith('event: chat\n')) continue;
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        last = JSON.parse(data) as ChatView;
        const result = check(last);
        if (result) return result;
      }
    }
    throw new Error('the event stream ended');
  } catch (error) {
    if (controller.signal.aborted) {
      throw new Error(`The chat never got there; last view: ${JSON.stringify(last?.messages.slice(-3))}`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

const botMessage =
  (pattern: RegExp, after = 0) =>
  (view: ChatView) =>
    view.messages.find((m) => !m.mine && m.id > after && pattern.test(m.text ?? m.caption ?? ''));

describe('the sandbox', () => {
  it('serves its page at /sandbox/ beside the API, on one port', async () => {
    expect(app.mode).toBe('sandbox');
    expect(app.sandboxUrl).toBe(`http://localhost:${app.port}/sandbox/`);
    // The whole desk runs: the store, the outbox, the bot (polling the local Telegram), the SLA scheduler.
    expect(await json('/healthz')).toMatchObject({
      ok: true,
      checks: {
        store: { ok: true },
        outbox: { ok: true },
        bot: { ok: true, mode: 'polling', running: true },
        scheduler: { ok: true, intervalSeconds: 30 },
      },
    });
    const page = await fetch(`${origin}/sandbox/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const script = /src="(\/sandbox\/assets\/[\w-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const code = await fetch(`${origin}${script}`);
    expect(code.headers.get('content-type')).toMatch(/javascript/);
    expect(await code.text()).toContain('/sandbox/api');
    expect((await fetch(`${origin}/sandbox/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${origin}/sandbox`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/sandbox/',
    );
  });

  it('lists the demo people with Telegram ids, one of every role, and the page texts in both languages', async () => {
    expect([...new Set(people.map((p) => p.role))]).toEqual([...ROLES]);
    expect(personOf('client')).toMatchObject({
      name: 'Анна Смирнова',
      roleName: 'Client',
      company: 'ООО «Ромашка»',
      language: 'ru',
    });
    expect(personOf('admin')).toMatchObject({ roleName: 'Administrator', company: null });
    const en = await json<SessionView>('/sandbox/api/session?lang=en');
    const ru = await json<SessionView>('/sandbox/api/session?lang=ru');
    expect(Object.keys(ru.texts).sort()).toEqual(Object.keys(en.texts).sort());
    expect(en.texts['sandbox-open-miniapp']).toBe('Open Mini App');
    expect(ru.texts['sandbox-open-miniapp']).toBe('Открыть мини-приложение');
    expect(ru.people[0]?.roleName).toBe('Клиент');
    expect(en.bot).toEqual({ name: 'tgdesk', username: 'tgdesk_sandbox_bot' });
    expect((await fetch(`${origin}/sandbox/api/chats/12345`)).status).toBe(404);
  });

  it("chats as the client: /start gets the bot's greeting and menu, a button press moves the request on", async () => {
    const client = personOf('client');
    const sent = await post<{ id: number }>(`/sandbox/api/chats/${client.id}/messages`, { text: '/start' });
    const greeting = await waitForChat(client.id, botMessage(/Здравствуйте, Анна/));
    const view = await json<ChatView>(`/sandbox/api/chats/${client.id}`);
    expect(view.messages.find((m) => m.id === sent.id)).toMatchObject({ mine: true, text: '/start' });
    expect(greeting.id).toBeGreaterThan(sent.id);
    expect(view.keyboard?.rows.flat().map((b) => b.text)).toContain('📝 Новая заявка');
    // The bot set the chat menu button to the Mini App on this server.
    expect(view.menuButton).toEqual({ text: 'Мини-приложение', url: `http://localhost:${app.port}/` });

    await post(`/sandbox/api/chats/${client.id}/messages`, { text: '📝 Новая заявка' });
    const categories = await waitForChat(client.id, (v) =>
      v.messages.find((m) => !m.mine && m.text?.startsWith('Что случилось?') && m.buttons),
    );
    const printer = categories.buttons?.flat().find((b) => b.text === 'Принтер, сканер');
    expect(printer?.kind).toBe('callback');
    const { queryId } = await post<{ queryId: string }>(`/sandbox/api/chats/${client.id}/presses`, {
      messageId: categories.id,
      data: printer?.kind === 'callback' ? printer.data : '',
    });
    expect(queryId).toMatch(/^\d+$/);
    await waitForChat(client.id, botMessage(/^Опишите проблему/, categories.id));
    await waitForChat(client.id, (v) => v.answers.some((a) => a.queryId === queryId));

    const stale = await fetch(`${origin}/sandbox/api/chats/${client.id}/presses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: 99_999, data: 'x' }),
    });
    expect(stale.status).toBe(404);
  });

  it('sends a photo the person made, and serves its bytes back for the page', async () => {
    const manager = personOf('client_manager');
    const picture = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 2, 3, 0xff, 0xd9]);
    const { id } = await json<{ id: number }>(
      `/sandbox/api/chats/${manager.id}/photos?caption=${encodeURIComponent('Экран с ошибкой')}`,
      { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: picture },
    );
    const photo = await waitForChat(manager.id, (v) => v.messages.find((m) => m.id === id));
    expect(photo).toMatchObject({ mine: true, caption: 'Экран с ошибкой', photo: { width: 1280 } });
    const file = await fetch(`${origin}/sandbox/api/chats/${manager.id}/files/${photo.photo?.fileId}`);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(picture);
    // Only images, and only files of this chat.
    const text = await fetch(`${origin}/sandbox/api/chats/${manager.id}/photos`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: 'not a picture',
    });
    expect(text.status).toBe(400);
    const client = personOf('client');
    expect(
      (await fetch(`${origin}/sandbox/api/chats/${client.id}/files/${photo.photo?.fileId}`)).status,
    ).toBe(404);
  });

  it('makes a stranger with a random id and name, whom the bot greets as someone it does not know', async () => {
    const stranger = await post<PersonView>('/sandbox/api/people', { language: 'ru' });
    const other = await post<PersonView>('/sandbox/api/people', { language: 'en' });
    expect(stranger).toMatchObject({ role: 'stranger', roleName: 'Незнакомец: его нет в справочнике' });
    expect(stranger.language).toBe('ru');
    expect(stranger.name).toMatch(/^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$/);
    expect(other).toMatchObject({
      role: 'stranger',
      roleName: 'Stranger: not in the directory',
      language: 'en',
    });
    expect(other.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(other.id).not.toBe(stranger.id);
    expect(people.map((p) => p.id)).not.toContain(stranger.id);
    const session = await json<SessionView>('/sandbox/api/session?lang=ru');
    expect(session.people.map((p) => p.id)).toEqual(expect.arrayContaining([stranger.id, other.id]));

    await post(`/sandbox/api/chats/${stranger.id}/messages`, { text: '/start' });
    const greeting = await waitForChat(stranger.id, botMessage(/Мы пока не знаем, из какой вы компании/));
    const view = await json<ChatView>(`/sandbox/api/chats/${stranger.id}`);
    expect(view.keyboard?.rows.flat().some((b) => b.kind === 'contact')).toBe(true);
    // Their own number, which no company's directory has.
    await post(`/sandbox/api/chats/${stranger.id}/contact`, {});
    await waitForChat(stranger.id, botMessage(/В справочнике его нет/, greeting.id));
    const en = await post<{ id: number }>(`/sandbox/api/chats/${other.id}/messages`, { text: '/start' });
    await waitForChat(other.id, botMessage(/We don't know your company yet/, en.id));
    expect(
      (await post<{ status?: number }>('/sandbox/api/people', { language: 'de' }).catch((e) => e)).message,
    ).toMatch(/400/);
  });

  it('sends a sticker, a voice message and a document, which reach the bot and get its answers', async () => {
    const stranger = await post<PersonView>('/sandbox/api/people', { language: 'ru' });
    await post(`/sandbox/api/chats/${stranger.id}/messages`, { text: '/new' });
    const categories = await waitForChat(stranger.id, (v) =>
      v.messages.find((m) => !m.mine && m.text?.startsWith('Что случилось?') && m.buttons),
    );
    const other = categories.buttons?.flat().find((b) => b.kind === 'callback' && b.text === 'Другое');
    await post(`/sandbox/api/chats/${stranger.id}/presses`, {
      messageId: categories.id,
      data: other?.kind === 'callback' ? other.data : '',
    });
    const asked = await waitForChat(stranger.id, botMessage(/^Опишите проблему/, categories.id));

    // A sticker is no description: a polite word, and the step stands.
    const sticker = await post<{ id: number }>(`/sandbox/api/chats/${stranger.id}/attachments`, {
      kind: 'sticker',
    });
    expect(sticker.id).toBeGreaterThan(asked.id);
    await waitForChat(stranger.id, botMessage(/^Я жду текст/, sticker.id));
    const mine = (await json<ChatView>(`/sandbox/api/chats/${stranger.id}`)).messages.find(
      (m) => m.id === sticker.id,
    );
    expect(mine).toMatchObject({ mine: true, sticker: { emoji: '👍' } });

    // A voice message and a document are parts of the description.
    const voice = await post<{ id: number }>(`/sandbox/api/chats/${stranger.id}/attachments`, {
      kind: 'voice',
    });
    await waitForChat(stranger.id, botMessage(/^Добавлено/, voice.id));
    const document = await post<{ id: number }>(`/sandbox/api/chats/${stranger.id}/attachments`, {
      kind: 'document',
      fileName: 'счёт.pdf',
      caption: 'Счёт с ошибкой',
    });
    await waitForChat(stranger.id, botMessage(/^Добавлено/, document.id));
    const view = await json<ChatView>(`/sandbox/api/chats/${stranger.id}`);
    expect(view.messages.find((m) => m.id === voice.id)).toMatchObject({
      mine: true,
      voice: { duration: 4 },
    });
    expect(view.messages.find((m) => m.id === document.id)).toMatchObject({
      mine: true,
      caption: 'Счёт с ошибкой',
      document: { fileName: 'счёт.pdf' },
    });
    // What the page may not send.
    const refused = async (body: unknown) =>
      (
        await fetch(`${origin}/sandbox/api/chats/${stranger.id}/attachments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    expect(await refused({ kind: 'video' })).toBe(400);
    expect(await refused({ kind: 'sticker', caption: 'x' })).toBe(400);
    expect(await refused({ kind: 'voice', replyTo: asked.id })).toBe(400);
    expect(await refused({ kind: 'document', fileName: '../etc/passwd' })).toBe(400);
  });

  it("switches the bot's language for the person in view as they would: /language and a press", async () => {
    const manager = personOf('client_manager');
    expect(manager.language).toBe('ru');
    const { queryId } = await post<{ queryId: string }>(`/sandbox/api/chats/${manager.id}/language`, {
      language: 'en',
    });
    const view = await waitForChat(manager.id, (v) =>
      v.messages.some((m) => !m.mine && m.text === 'Done, I speak English now.') &&
      v.answers.some((a) => a.queryId === queryId)
        ? v
        : undefined,
    );
    expect(view.messages.filter((m) => m.mine).map((m) => m.text)).toContain('/language');
    // The bot now answers in English, and the session (and the Mini App's init data) says so.
    const help = await post<{ id: number }>(`/sandbox/api/chats/${manager.id}/messages`, { text: '/help' });
    await waitForChat(manager.id, (v) =>
      v.messages.find((m) => !m.mine && m.id > help.id && /new/i.test(m.text ?? '')),
    );
    const session = await json<SessionView>('/sandbox/api/session?lang=en');
    expect(session.people.find((p) => p.id === manager.id)?.language).toBe('en');
    const { src } = await json<{ src: string }>(`/sandbox/api/chats/${manager.id}/mini-app`);
    const initData = new URLSearchParams(src.slice(src.indexOf('#') + 1)).get('tgWebAppData') ?? '';
    expect(JSON.parse(new URLSearchParams(initData).get('user') ?? '{}')).toMatchObject({
      language_code: 'en',
    });
    // And back.
    await post(`/sandbox/api/chats/${manager.id}/language`, { language: 'ru' });
    await waitForChat(manager.id, botMessage(/^Готово, теперь говорю по-русски/));
  });

  it('shows a force-reply prompt of the bot as one, and sends the reply to it', async () => {
    const engineer = personOf('line2');
    const emulator = app.emulator;
    if (!emulator) throw new Error('the sandbox has an emulator');
    // What the bot does when it asks staff something (a question, a resolution): force_reply.
    const asked = await fetch(`${emulator.apiRoot}/bot${emulator.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        chat_id: engineer.id,
        text: 'Your question to the client about #1:',
        reply_markup: { force_reply: true, input_field_placeholder: 'Question' },
      }),
    });
    const prompt = ((await asked.json()) as { result: { message_id: number } }).result;
    const view = await waitForChat(engineer.id, (v) => v.messages.find((m) => m.id === prompt.message_id));
    expect(view.forceReply).toEqual({ placeholder: 'Question' });

    const { id } = await post<{ id: number }>(`/sandbox/api/chats/${engineer.id}/messages`, {
      text: 'Which printer is it?',
      replyTo: prompt.message_id,
    });
    const reply = await waitForChat(engineer.id, (v) => v.messages.find((m) => m.id === id));
    expect(reply.replyTo).toEqual({
      id: prompt.message_id,
      mine: false,
      text: 'Your question to the client about #1:',
    });
    const missing = await fetch(`${origin}/sandbox/api/chats/${engineer.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'to nothing', replyTo: 99_999 }),
    });
    expect(missing.status).toBe(400);
  });

  it('opens the Mini App with init data signed for the person, which the API accepts', async () => {
    const client = personOf('client');
    const { src } = await json<{ src: string }>(`/sandbox/api/chats/${client.id}/mini-app`);
    expect(src).toMatch(/^\/#tgWebAppData=/);
    const hash = new URLSearchParams(src.slice(src.indexOf('#') + 1));
    expect(hash.get('tgWebAppVersion')).toBe('8.0');
    expect(hash.get('tgWebAppPlatform')).toBe('web');
    expect(JSON.parse(hash.get('tgWebAppThemeParams') ?? '{}')).toMatchObject({ bg_color: '#ffffff' });
    const initData = hash.get('tgWebAppData') ?? '';
    expect(JSON.parse(new URLSearchParams(initData).get('user') ?? '{}')).toMatchObject({ id: client.id });

    const me = await json<{ name: string; roles: { role: string; companyName: string }[] }>('/api/me', {
      headers: { authorization: `tma ${initData}` },
    });
    expect(me.name).toBe('Анна Смирнова');
    expect(me.roles).toEqual([expect.objectContaining({ role: 'client', companyName: 'ООО «Ромашка»' })]);

    // Someone else's id under the same signature is refused.
    const forged = initData.replace(`%22id%22%3A${client.id}`, `%22id%22%3A${personOf('admin').id}`);
    expect(forged).not.toBe(initData);
    const refused = await fetch(`${origin}/api/me`, { headers: { authorization: `tma ${forged}` } });
    expect(refused.status).toBe(401);

    // A web_app button's URL opens at its path on this server.
    const button = await json<{ src: string }>(
      `/sandbox/api/chats/${client.id}/mini-app?url=${encodeURIComponent('https://desk.example.org/?ticket=3')}`,
    );
    expect(button.src).toMatch(/^\/\?ticket=3#tgWebAppData=/);
  });

  it("lists the bot's commands for the person's chat, staff ones for staff", async () => {
    type Command = { command: string };
    const client = await json<Command[]>(`/sandbox/api/chats/${personOf('client').id}/commands`);
    const staff = await json<Command[]>(`/sandbox/api/chats/${personOf('line1').id}/commands`);
    expect(client.map((c) => c.command)).toContain('new');
    expect(client.map((c) => c.command)).not.toContain('queue');
    expect(staff.map((c) => c.command)).toContain('queue');
  });

  it("type-checks the page's own TypeScript (outside the root tsconfig, which has no DOM types)", () => {
    let problems = '';
    try {
      execFileSync(
        process.execPath,
        ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'sandbox/client'],
        {
          encoding: 'utf8',
          stdio: 'pipe',
        },
      );
    } catch (error) {
      problems = String((error as { stdout?: string }).stdout || error);
    }
    expect(problems).toBe('');
  }, 60_000);
});

describe('the sandbox started again over the same store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgdesk-sandbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const start = async () =>
    startApp(loadConfig({ DATABASE_PATH: join(dir, 'sandbox.sqlite'), PORT: '0' }), {
      log: () => {},
      logger: createLogger({ level: 'silent' }),
      limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
    });

  it('tells the page that the chats the person had are not kept, and only theirs', async () => {
    let running = await start();
    const at = (path: string) => `http://127.0.0.1:${running.port}${path}`;
    const read = async (chatId: number) =>
      (await (await fetch(at(`/sandbox/api/chats/${chatId}`))).json()) as ChatView;
    const { people: demo } = (await (await fetch(at('/sandbox/api/session'))).json()) as SessionView;
    const [client, admin] = [demo.find((p) => p.role === 'client'), demo.find((p) => p.role === 'admin')];
    if (!client || !admin) throw new Error('no demo client or admin');
    expect((await read(client.id)).restarted).toBeUndefined();
    await fetch(at(`/sandbox/api/chats/${client.id}/messages`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '/start' }),
    });
    await running.emulator?.waitFor(() =>
      running.emulator?.user({ id: client.id, first_name: 'Анна' }).last(),
    );
    expect((await read(client.id)).restarted).toBeUndefined();
    await running.stop();

    running = await start();
    try {
      const again = await read(client.id);
      expect(again).toMatchObject({ messages: [], restarted: true });
      expect((await read(admin.id)).restarted).toBeUndefined();
    } finally {
      await running.stop();
    }
  }, 60_000);

  it('keeps the client group: the same chat, bound once, its message ids going on', async () => {
    let running = await start();
    const at = (path: string) => `http://127.0.0.1:${running.port}${path}`;
    const session = async () => (await (await fetch(at('/sandbox/api/session'))).json()) as SessionView;
    const groupTickets = () =>
      running.desk.db.select().from(tickets).where(eq(tickets.channel, 'telegram_group')).all().length;
    const postAsClient = async (groupId: number, memberId: number, text: string) => {
      const response = await fetch(at(`/sandbox/api/groups/${groupId}/messages`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: memberId, text }),
      });
      expect(response.status).toBe(201);
    };
    const [group] = (await session()).groups;
    const [client, colleague] = group?.members ?? [];
    if (!group || !client || !colleague) throw new Error('no client group');
    const filed = groupTickets();
    await postAsClient(group.id, client.id, 'Не работает сканер на втором этаже');
    await running.emulator?.waitFor(() => groupTickets() === filed + 1);
    await running.stop();

    running = await start();
    try {
      const [again] = (await session()).groups;
      expect(again).toEqual(group);
      expect(running.desk.db.select().from(clientGroups).all()).toHaveLength(1);
      const view = (await (await fetch(at(`/sandbox/api/groups/${group.id}`))).json()) as ChatView;
      expect(view).toMatchObject({ messages: [], restarted: true });
      // A colleague's request after the restart is new: its message id is not the one the store already took
      // (that would be a duplicate delivery, and nothing).
      await postAsClient(group.id, colleague.id, 'Не включается проектор в переговорной');
      await running.emulator?.waitFor(() => groupTickets() === filed + 2);
    } finally {
      await running.stop();
    }
  }, 60_000);
});

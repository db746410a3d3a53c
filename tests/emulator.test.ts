// The local Bot API emulator, over real HTTP: the wire format, updates and long polling, messages and
// their validations, files, callback queries, forum topics, faults, flood limits, and a grammY bot.
import { Bot, InlineKeyboard, InputFile } from 'grammy';
import type { Message, Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/index.ts';

interface Answer {
  status: number;
  body: {
    ok: boolean;
    result?: unknown;
    error_code?: number;
    description?: string;
    parameters?: { retry_after?: number };
  };
}

/** One Bot API call with a JSON body, as grammY makes it. */
async function call(emu: Emulator, method: string, params: Record<string, unknown> = {}): Promise<Answer> {
  const res = await fetch(`${emu.apiRoot}/bot${emu.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

async function result<T>(emu: Emulator, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const answer = await call(emu, method, params);
  if (!answer.body.ok) throw new Error(`${method} failed: ${answer.status} ${answer.body.description}`);
  return answer.body.result as T;
}

const updates = (emu: Emulator, params: Record<string, unknown> = {}) =>
  result<Update[]>(emu, 'getUpdates', params);

/** Drains the queue so each test sees only its own updates. */
async function confirmAll(emu: Emulator): Promise<void> {
  const pending = await updates(emu);
  const last = pending.at(-1);
  if (last) await updates(emu, { offset: last.update_id + 1 });
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

describe('the wire format', () => {
  it('answers a wrong token with 401 and an unknown method with 404, as Telegram words them', async () => {
    const wrong = await fetch(`${emu.apiRoot}/bot1:nope/getMe`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });

    const unknown = await call(emu, 'sendTelepathy');
    expect(unknown).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
  });

  it('reads GET query strings and url-encoded forms, with method names in any case', async () => {
    const me = await fetch(`${emu.apiRoot}/bot${emu.token}/GETME`);
    expect(await me.json()).toEqual({ ok: true, result: emu.botInfo });
    expect(emu.botInfo).toMatchObject({ id: 123456, is_bot: true, username: 'tgdesk_test_bot' });

    const ada = emu.user({ id: 501, first_name: 'Ada' });
    const form = await fetch(`${emu.apiRoot}/bot${emu.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '501', text: '42', reply_markup: '{"remove_keyboard":true}' }),
    });
    const sent = ((await form.json()) as { result: Message }).result;
    expect(sent.text).toBe('42'); // form values stay strings: a numeric text is not turned into a number
    expect(ada.last()?.message_id).toBe(sent.message_id);
  });
});

describe('updates', () => {
  it('delivers a message once confirmed by offset, with limit, and increasing update ids', async () => {
    await confirmAll(emu);
    const grace = emu.user({ id: 502, first_name: 'Grace', username: 'grace', language_code: 'en' });
    const sent = grace.send('/start ticket-7');

    const [first] = await updates(emu);
    expect(first?.message).toEqual(sent);
    expect(first?.message).toMatchObject({
      from: { id: 502, is_bot: false, first_name: 'Grace', username: 'grace', language_code: 'en' },
      chat: { id: 502, type: 'private', first_name: 'Grace', username: 'grace' },
      text: '/start ticket-7',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(Number.isInteger(sent.date) && Math.abs(sent.date - Date.now() / 1000) < 5).toBe(true);

    // Unconfirmed updates come again; an offset past them confirms them.
    expect((await updates(emu)).map((u) => u.update_id)).toEqual([first?.update_id]);
    grace.send('two');
    grace.send('three');
    const batch = await updates(emu, { offset: (first?.update_id ?? 0) + 1, limit: 1 });
    expect(batch.map((u) => u.message?.text)).toEqual(['two']);
    const rest = await updates(emu, { offset: (batch[0]?.update_id ?? 0) + 1 });
    expect(rest.map((u) => u.message?.text)).toEqual(['three']);
    expect(rest[0]?.update_id).toBe((batch[0]?.update_id ?? 0) + 1);
    expect(rest[0]?.message?.message_id).toBe((batch[0]?.message?.message_id ?? 0) + 1);
    await updates(emu, { offset: (rest[0]?.update_id ?? 0) + 1 });
    expect(await updates(emu)).toEqual([]);
  });

  it('splits what a person types over 4096 characters into several messages, as clients do', async () => {
    await confirmAll(emu);
    const first = emu.user({ id: 503, first_name: 'Linus' }).send(`${'a'.repeat(4096)}${'b'.repeat(10)}`);
    expect(first.text).toBe('a'.repeat(4096));
    expect((await updates(emu)).map((u) => u.message?.text)).toEqual(['a'.repeat(4096), 'b'.repeat(10)]);
  });

  it('wakes a long poll as soon as an update arrives', async () => {
    await confirmAll(emu);
    const started = Date.now();
    const poll = updates(emu, { timeout: 10 });
    await emu.waitFor(() => emu.polling);
    emu.user({ id: 503, first_name: 'Linus' }).send('hello');
    const got = await poll;
    expect(got.map((u) => u.message?.text)).toEqual(['hello']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ends the older of two long polls with 409 Conflict, as Telegram does', async () => {
    await confirmAll(emu);
    const older = call(emu, 'getUpdates', { timeout: 5 });
    await emu.waitFor(() => emu.polling);
    const newer = call(emu, 'getUpdates', { timeout: 5 });
    expect(await older).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      },
    });
    await emu.waitFor(() => emu.polling);
    emu.user({ id: 503, first_name: 'Linus' }).send('for the newer one');
    const answer = await newer;
    expect((answer.body.result as Update[]).map((u) => u.message?.text)).toEqual(['for the newer one']);
  });

  it('records a webhook without calling it, and refuses getUpdates while it is set', async () => {
    const set = await fetch(`${emu.apiRoot}/bot${emu.token}/setWebhook?url=https://desk.example/hook`);
    expect(await set.json()).toEqual({ ok: true, result: true, description: 'Webhook was set' });
    expect(await result(emu, 'getWebhookInfo')).toMatchObject({ url: 'https://desk.example/hook' });
    expect((await call(emu, 'getUpdates')).body).toEqual({
      ok: false,
      error_code: 409,
      description:
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
    expect((await call(emu, 'deleteWebhook')).body.description).toBe('Webhook was deleted');
    expect((await call(emu, 'deleteWebhook')).body.description).toBe('Webhook is already deleted');
    expect((await call(emu, 'getUpdates')).status).toBe(200);
  });

  it('drops update types left out of allowed_updates, and keeps the list until changed', async () => {
    await confirmAll(emu);
    const ken = emu.user({ id: 504, first_name: 'Ken' });
    const menu = await result<Message>(emu, 'sendMessage', {
      chat_id: ken.id,
      text: 'Pick',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    await updates(emu, { allowed_updates: ['callback_query'] });
    ken.send('ignored');
    ken.press(menu, 'a');
    expect((await updates(emu)).map((u) => Object.keys(u)[1])).toEqual(['callback_query']);
    await confirmAll(emu);
    await updates(emu, { allowed_updates: [] });
    ken.send('seen');
    expect((await updates(emu)).map((u) => u.message?.text)).toEqual(['seen']);
  });
});

describe('sending and editing messages', () => {
  it('keeps what was sent: markup, replies one level deep, parse_mode entities, reply keyboards', async () => {
    const mia = emu.user({ id: 510, first_name: 'Mia' });
    const question = mia.send('My printer is on fire');
    const earlier = await result<Message>(emu, 'sendMessage', {
      chat_id: mia.id,
      text: 'First',
      reply_parameters: { message_id: question.message_id },
    });
    expect(earlier.reply_to_message).toMatchObject({
      message_id: question.message_id,
      text: 'My printer is on fire',
    });

    const reply = await result<Message>(emu, 'sendMessage', {
      chat_id: mia.id,
      text: '<b>Ticket #12</b> opened &lt;3 /help',
      parse_mode: 'HTML',
      reply_to_message_id: earlier.message_id,
      reply_markup: { inline_keyboard: [[{ text: 'Close', callback_data: 'close:12' }]] },
    });
    expect(reply).toMatchObject({
      message_id: earlier.message_id + 1,
      from: { id: emu.botInfo.id, is_bot: true },
      chat: { id: 510, type: 'private' },
      text: 'Ticket #12 opened <3 /help',
      entities: [
        { type: 'bold', offset: 0, length: 10 },
        { type: 'bot_command', offset: 21, length: 5 },
      ],
      reply_markup: { inline_keyboard: [[{ text: 'Close', callback_data: 'close:12' }]] },
    });
    expect(reply.reply_to_message?.message_id).toBe(earlier.message_id);
    expect(reply.reply_to_message?.reply_to_message).toBeUndefined(); // one level deep, as Telegram

    const md = await result<Message>(emu, 'sendMessage', {
      chat_id: mia.id,
      text: '*P1* incident \\- see [the runbook](https://wiki.example/runbook)',
      parse_mode: 'MarkdownV2',
      reply_markup: { keyboard: [[{ text: 'Share phone', request_contact: true }]], one_time_keyboard: true },
    });
    expect(md.text).toBe('P1 incident - see the runbook');
    expect(md.entities).toEqual([
      { type: 'bold', offset: 0, length: 2 },
      { type: 'text_link', offset: 18, length: 11, url: 'https://wiki.example/runbook' },
    ]);
    expect(md.reply_markup).toBeUndefined(); // a Message carries inline keyboards only
    expect(mia.keyboard()?.keyboard[0]?.[0]).toEqual({ text: 'Share phone', request_contact: true });
    expect(mia.inbox().map((m) => m.message_id)).toEqual([
      earlier.message_id,
      reply.message_id,
      md.message_id,
    ]);
  });

  it("refuses what Telegram refuses, with Telegram's words", async () => {
    const leo = emu.user({ id: 511, first_name: 'Leo' });
    const bad = (params: Record<string, unknown>) => call(emu, 'sendMessage', { chat_id: leo.id, ...params });
    const description = async (params: Record<string, unknown>) => (await bad(params)).body.description;

    expect((await bad({ text: 'x'.repeat(4097) })).body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message is too long',
    });
    const emoji = await bad({ text: '🙂'.repeat(4096) }); // characters count, not UTF-16 units
    expect(emoji.status).toBe(200);
    expect(await description({ text: '' })).toBe('Bad Request: message text is empty');
    expect(await description({ chat_id: 999, text: 'hi' })).toBe('Bad Request: chat not found');
    // callback_data is limited to 64 bytes (UTF-8), not 64 characters.
    const button = (data: string) => ({
      text: 'x',
      reply_markup: { inline_keyboard: [[{ text: 'B', callback_data: data }]] },
    });
    expect(await description(button('x'.repeat(65)))).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect(await description(button('é'.repeat(33)))).toBe('Bad Request: BUTTON_DATA_INVALID');
    const fits = await bad(button('é'.repeat(32)));
    expect(fits.status).toBe(200);
    expect(
      await description({ text: 'x', reply_markup: { inline_keyboard: [[{ text: 'No action' }]] } }),
    ).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
    expect(await description({ text: 'Ticket from <Bob>', parse_mode: 'HTML' })).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "bob" at byte offset 12`,
    );
    expect(await description({ text: 'Done. Thanks!', parse_mode: 'MarkdownV2' })).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect(await description({ text: 'x', reply_parameters: { message_id: 9999 } })).toBe(
      'Bad Request: message to be replied not found',
    );
    const accepted = [emoji, fits].map((a) => (a.body.result as Message).message_id);
    expect(leo.inbox().map((m) => m.message_id)).toEqual(accepted);
  });

  it('edits and deletes: the keyboard goes unless resent, unchanged edits are refused', async () => {
    const ivy = emu.user({ id: 512, first_name: 'Ivy' });
    const keyboard = { inline_keyboard: [[{ text: 'Take', callback_data: 'take' }]] };
    const sent = await result<Message>(emu, 'sendMessage', {
      chat_id: ivy.id,
      text: 'New ticket',
      reply_markup: keyboard,
    });

    const edited = await result<Message>(emu, 'editMessageText', {
      chat_id: ivy.id,
      message_id: sent.message_id,
      text: 'Ticket taken',
    });
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'Ticket taken' });
    expect(edited.edit_date).toBeGreaterThanOrEqual(sent.date);
    expect(edited.reply_markup).toBeUndefined();
    expect(ivy.inbox()).toEqual([edited]);

    const same = await call(emu, 'editMessageText', {
      chat_id: ivy.id,
      message_id: sent.message_id,
      text: 'Ticket taken',
    });
    expect(same.body.description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    const withKeyboard = await result<Message>(emu, 'editMessageReplyMarkup', {
      chat_id: ivy.id,
      message_id: sent.message_id,
      reply_markup: keyboard,
    });
    expect(withKeyboard).toMatchObject({ text: 'Ticket taken', reply_markup: keyboard });
    expect(
      (
        await call(emu, 'editMessageReplyMarkup', {
          chat_id: ivy.id,
          message_id: sent.message_id,
          reply_markup: keyboard,
        })
      ).status,
    ).toBe(400);

    const missing = await call(emu, 'editMessageText', { chat_id: ivy.id, message_id: 9999, text: 'x' });
    expect(missing.body.description).toBe('Bad Request: message to edit not found');
    const own = ivy.send('mine');
    expect(
      (await call(emu, 'editMessageText', { chat_id: ivy.id, message_id: own.message_id, text: 'x' })).body
        .description,
    ).toBe("Bad Request: message can't be edited");
    expect(
      (await call(emu, 'editMessageCaption', { chat_id: ivy.id, message_id: sent.message_id, caption: 'x' }))
        .body.description,
    ).toBe('Bad Request: there is no caption in the message to edit');

    expect(await result(emu, 'deleteMessage', { chat_id: ivy.id, message_id: sent.message_id })).toBe(true);
    expect(ivy.inbox()).toEqual([]);
    expect(
      (await call(emu, 'deleteMessage', { chat_id: ivy.id, message_id: sent.message_id })).body.description,
    ).toBe('Bad Request: message to delete not found');
  });

  it('answers a callback query once, and records the answer for the person who pressed', async () => {
    await confirmAll(emu);
    const sam = emu.user({ id: 513, first_name: 'Sam' });
    const menu = await result<Message>(emu, 'sendMessage', {
      chat_id: sam.id,
      text: 'Rate us',
      reply_markup: { inline_keyboard: [[{ text: '👍', callback_data: 'rate:5' }]] },
    });
    const queryId = sam.press(menu, 'rate:5');
    const forged = sam.press(menu, 'rate:1000'); // on no button: what a stale or crafted press sends

    const [update, forgedUpdate] = await updates(emu);
    expect(update?.callback_query).toMatchObject({
      id: queryId,
      from: { id: 513 },
      data: 'rate:5',
      message: { message_id: menu.message_id, text: 'Rate us' },
    });
    expect(typeof update?.callback_query?.chat_instance).toBe('string');
    expect(forgedUpdate?.callback_query).toMatchObject({ id: forged, data: 'rate:1000' });

    expect(await result(emu, 'answerCallbackQuery', { callback_query_id: queryId, text: 'Thanks!' })).toBe(
      true,
    );
    const again = await call(emu, 'answerCallbackQuery', { callback_query_id: queryId });
    const tooOld = 'Bad Request: query is too old and response timeout expired or query ID is invalid';
    expect(again.body).toEqual({ ok: false, error_code: 400, description: tooOld });
    expect((await call(emu, 'answerCallbackQuery', { callback_query_id: '12345' })).body.description).toBe(
      tooOld,
    );
    expect(sam.answers()).toEqual([{ queryId, text: 'Thanks!' }]);
    await result(emu, 'deleteMessage', { chat_id: sam.id, message_id: menu.message_id });
    expect(() => sam.press(menu, 'rate:5')).toThrow(/deleted/);
  });

  it('refuses to send to a person who blocked the bot, and tells the bot', async () => {
    await confirmAll(emu);
    const zoe = emu.user({ id: 514, first_name: 'Zoe' });
    zoe.block();
    const [update] = await updates(emu);
    expect(update?.my_chat_member).toMatchObject({
      chat: { id: 514 },
      from: { id: 514 },
      old_chat_member: { status: 'member' },
      new_chat_member: { status: 'kicked', user: { id: emu.botInfo.id } },
    });
    const refused = await call(emu, 'sendMessage', { chat_id: zoe.id, text: 'Your ticket was closed' });
    expect(refused).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    expect((await call(emu, 'sendChatAction', { chat_id: zoe.id, action: 'typing' })).status).toBe(403);
    expect(() => zoe.send('hi')).toThrow(/blocked the bot/);
    zoe.unblock();
    expect((await call(emu, 'sendMessage', { chat_id: zoe.id, text: 'Welcome back' })).status).toBe(200);
  });

  it('keeps commands per scope and language, and menu buttons per chat', async () => {
    const ru = { commands: [{ command: 'new', description: 'Новая заявка' }], language_code: 'ru' };
    expect(
      await result(emu, 'setMyCommands', { commands: [{ command: '/new', description: 'New ticket' }] }),
    ).toBe(true);
    expect(await result(emu, 'setMyCommands', ru)).toBe(true);
    expect(await result(emu, 'getMyCommands')).toEqual([{ command: 'new', description: 'New ticket' }]);
    expect(await result(emu, 'getMyCommands', { language_code: 'ru' })).toEqual(ru.commands);
    expect(await result(emu, 'getMyCommands', { scope: { type: 'all_group_chats' } })).toEqual([]);
    expect(
      (await call(emu, 'setMyCommands', { commands: [{ command: 'New', description: 'x' }] })).body
        .description,
    ).toBe('Bad Request: BOT_COMMAND_INVALID');
    await result(emu, 'deleteMyCommands', { language_code: 'ru' });
    expect(await result(emu, 'getMyCommands', { language_code: 'ru' })).toEqual([]);

    const button = { type: 'web_app', text: 'Tickets', web_app: { url: 'https://desk.example/app' } };
    await result(emu, 'setChatMenuButton', { chat_id: 501, menu_button: button });
    expect(await result(emu, 'getChatMenuButton', { chat_id: 501 })).toEqual(button);
    expect(await result(emu, 'getChatMenuButton', { chat_id: 502 })).toEqual({ type: 'commands' });
    expect(await result(emu, 'getChat', { chat_id: 502 })).toMatchObject({
      id: 502,
      type: 'private',
      first_name: 'Grace',
      username: 'grace',
    });
  });
});

describe('files', () => {
  it("serves a person's photo through getFile and the file URL", async () => {
    const kim = emu.user({ id: 520, first_name: 'Kim' });
    const message = kim.sendPhoto({ caption: 'Error on screen' });
    expect(message.photo).toHaveLength(3);
    expect(message.photo?.map((p) => p.width)).toEqual([90, 320, 1280]);
    const largest = message.photo?.at(-1);
    const file = await result<{ file_id: string; file_size: number; file_path: string }>(emu, 'getFile', {
      file_id: largest?.file_id,
    });
    expect(file).toMatchObject({ file_id: largest?.file_id, file_size: largest?.file_size });
    expect(file.file_path).toMatch(/^photos\/file_\d+\.jpg$/);

    const download = await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.file_path}`);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(bytes.length).toBe(file.file_size);
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect((await fetch(`${emu.apiRoot}/file/bot1:nope/${file.file_path}`)).status).toBe(401);
    expect((await call(emu, 'getFile', { file_id: 'nonsense' })).body.description).toBe(
      'Bad Request: invalid file_id',
    );
  });

  it('takes uploads from grammY (multipart) and from plain FormData, and relays a photo by copy', async () => {
    const kim = emu.user({ id: 520, first_name: 'Kim' });
    const api = new Bot(emu.token, { client: { apiRoot: emu.apiRoot }, botInfo: emu.botInfo }).api;
    const picture = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
    const sent = await api.sendPhoto(kim.id, new InputFile(picture, 'screen.jpg'), {
      caption: '<i>Screenshot</i>',
      parse_mode: 'HTML',
    });
    expect(sent.caption).toBe('Screenshot');
    expect(sent.caption_entities).toEqual([{ type: 'italic', offset: 0, length: 10 }]);
    const file = await api.getFile(sent.photo.at(-1)?.file_id ?? '');
    const download = await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.file_path}`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(picture);

    const form = new FormData();
    form.set('chat_id', String(kim.id));
    form.set('document', new Blob([new TextEncoder().encode('disk full\n')]), 'server.log');
    const res = await fetch(`${emu.apiRoot}/bot${emu.token}/sendDocument`, { method: 'POST', body: form });
    const document = ((await res.json()) as { result: Message }).result.document;
    expect(document).toMatchObject({ file_name: 'server.log', mime_type: 'text/plain', file_size: 10 });

    const group = emu.group({ title: 'IT support' });
    const fromKim = kim.sendPhoto();
    const copy = await api.copyMessage(group.id, kim.id, fromKim.message_id, { caption: 'From Kim' });
    const relayed = group.messages().find((m) => m.message_id === copy.message_id);
    expect(relayed).toMatchObject({
      photo: fromKim.photo,
      caption: 'From Kim',
      from: { id: emu.botInfo.id },
    });
    const forwarded = await api.forwardMessage(group.id, kim.id, fromKim.message_id);
    expect(forwarded.forward_origin).toMatchObject({ type: 'user', sender_user: { id: kim.id } });
    expect(forwarded.photo).toEqual(fromKim.photo);
  });

  it('gives documents, voice notes, stickers and contacts their realistic shapes', () => {
    const kim = emu.user({ id: 520, first_name: 'Kim' });
    expect(kim.sendDocument({ fileName: 'invoice.xlsx' }).document).toMatchObject({
      file_name: 'invoice.xlsx',
      mime_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(kim.sendVoice({ duration: 4 }).voice).toMatchObject({ duration: 4, mime_type: 'audio/ogg' });
    expect(kim.sendSticker().sticker).toMatchObject({ type: 'regular', width: 512, height: 512 });
    expect(kim.shareContact('+15550100').contact).toEqual({
      phone_number: '+15550100',
      first_name: 'Kim',
      user_id: kim.id,
    });
    expect(kim.shareContact('+15550101', { ownContact: false }).contact?.user_id).toBeUndefined();
  });
});

describe('forum topics', () => {
  it('creates, uses, renames, closes, reopens topics and pins in them', async () => {
    const desk = emu.group({ title: 'Service desk', forum: true });
    const ana = emu.user({ id: 530, first_name: 'Ana' });

    const topic = await result<{ message_thread_id: number; name: string; icon_color: number }>(
      emu,
      'createForumTopic',
      { chat_id: desk.id, name: 'Ticket #7: VPN' },
    );
    expect(topic).toEqual({
      message_thread_id: expect.any(Number),
      name: 'Ticket #7: VPN',
      icon_color: 0x6fb9f0,
    });
    const thread = topic.message_thread_id;

    const note = await result<Message>(emu, 'sendMessage', {
      chat_id: desk.id,
      message_thread_id: thread,
      text: 'Assigned to Ana',
    });
    expect(note).toMatchObject({
      message_thread_id: thread,
      is_topic_message: true,
      chat: { id: desk.id, type: 'supergroup', is_forum: true },
      reply_to_message: { message_id: thread, forum_topic_created: { name: 'Ticket #7: VPN' } },
    });
    const post = desk.post(ana, 'On it', { threadId: thread });
    expect(post).toMatchObject({ message_thread_id: thread, is_topic_message: true, from: { id: ana.id } });
    const reply = desk.post(ana, 'Fixed', { replyTo: note });
    expect(reply.message_thread_id).toBe(thread); // a reply stays in the replied message's topic

    await result(emu, 'editForumTopic', {
      chat_id: desk.id,
      message_thread_id: thread,
      name: 'Ticket #7: VPN (P2)',
    });
    await result(emu, 'pinChatMessage', { chat_id: desk.id, message_id: note.message_id });
    await result(emu, 'closeForumTopic', { chat_id: desk.id, message_thread_id: thread });
    expect(desk.topics()).toEqual([
      { threadId: thread, name: 'Ticket #7: VPN (P2)', closed: true, pinned: note.message_id },
    ]);
    expect(
      (await call(emu, 'closeForumTopic', { chat_id: desk.id, message_thread_id: thread })).body.description,
    ).toBe('Bad Request: TOPIC_NOT_MODIFIED');
    expect(() => desk.post(ana, 'Hello?', { threadId: thread })).toThrow(/closed/);
    await result(emu, 'reopenForumTopic', { chat_id: desk.id, message_thread_id: thread });
    await result(emu, 'unpinChatMessage', { chat_id: desk.id, message_id: note.message_id });
    expect(desk.topics()).toEqual([{ threadId: thread, name: 'Ticket #7: VPN (P2)', closed: false }]);

    const service = desk.messages(thread).filter((m) => m.from?.is_bot && m.text === undefined);
    expect(
      service.map((m) => Object.keys(m).find((k) => k.startsWith('forum_topic') || k === 'pinned_message')),
    ).toEqual([
      'forum_topic_created',
      'forum_topic_edited',
      'pinned_message',
      'forum_topic_closed',
      'forum_topic_reopened',
    ]);

    const plain = emu.group({ title: 'No topics' });
    expect((await call(emu, 'createForumTopic', { chat_id: plain.id, name: 'x' })).body.description).toBe(
      'Bad Request: the chat is not a forum',
    );
    expect(
      (await call(emu, 'sendMessage', { chat_id: desk.id, message_thread_id: 424242, text: 'x' })).body
        .description,
    ).toBe('Bad Request: message thread not found');
  });
});

describe('staff groups', () => {
  type Member = {
    status: string;
    user: { id: number };
    can_manage_topics?: boolean;
    can_pin_messages?: boolean;
  };

  it("answers getChatMember and getChatAdministrators from the bot's rights and people's statuses", async () => {
    const owner = emu.user({ id: 580, first_name: 'Olive' });
    const lead = emu.user({ id: 581, first_name: 'Lars' });
    const tech = emu.user({ id: 582, first_name: 'Tess' });
    const stranger = emu.user({ id: 583, first_name: 'Stan' });
    const staff = emu.group({ title: 'Staff', forum: true });
    staff.addMember(owner, { status: 'creator' });
    staff.addMember(lead, { status: 'administrator', can_promote_members: true });
    staff.post(tech, 'Hi all'); // posting makes a person a member

    const bot = await result<Member>(emu, 'getChatMember', { chat_id: staff.id, user_id: emu.botInfo.id });
    expect(bot).toMatchObject({
      status: 'administrator',
      user: { id: emu.botInfo.id, is_bot: true },
      can_manage_topics: true,
      can_pin_messages: true,
      can_delete_messages: true,
      can_promote_members: false,
    });
    const member = (userId: number) =>
      result<Member>(emu, 'getChatMember', { chat_id: staff.id, user_id: userId });
    expect((await member(tech.id)).status).toBe('member');
    expect(await member(lead.id)).toMatchObject({ status: 'administrator', can_promote_members: true });
    expect((await member(stranger.id)).status).toBe('left');
    expect((await call(emu, 'getChatMember', { chat_id: staff.id, user_id: 999_999 })).body.description).toBe(
      'Bad Request: user not found',
    );

    const admins = await result<Member[]>(emu, 'getChatAdministrators', { chat_id: staff.id });
    expect(admins.map((m) => [m.status, m.user.id])).toEqual([
      ['creator', owner.id],
      ['administrator', emu.botInfo.id],
      ['administrator', lead.id],
    ]);
    expect(await result(emu, 'getChatMemberCount', { chat_id: staff.id })).toBe(4);
    expect((await call(emu, 'getChatAdministrators', { chat_id: tech.id })).body.description).toBe(
      'Bad Request: there are no administrators in the private chat',
    );
    expect(() => staff.addMember(lead, { status: 'creator' })).toThrow(/already has a creator/);
  });

  it('refuses topics and pins to a bot without the rights, and tells it when its rights change', async () => {
    await confirmAll(emu);
    const owner = emu.user({ id: 584, first_name: 'Omar' });
    const plain = emu.group({ title: 'Staff (bot as member)', forum: true, botRights: { status: 'member' } });
    const noTopics = emu.group({
      title: 'Staff (no topics right)',
      forum: true,
      botRights: { can_manage_topics: false },
      addedBy: owner,
    });
    const [added] = await updates(emu);
    expect(added?.my_chat_member).toMatchObject({
      chat: { id: noTopics.id, type: 'supergroup' },
      from: { id: owner.id },
      old_chat_member: { status: 'left' },
      new_chat_member: { status: 'administrator', can_manage_topics: false, can_pin_messages: true },
    });
    expect(
      await result<Member>(emu, 'getChatMember', { chat_id: plain.id, user_id: emu.botInfo.id }),
    ).toEqual({ status: 'member', user: expect.objectContaining({ id: emu.botInfo.id }) });

    const createIn = (chatId: number) =>
      call(emu, 'createForumTopic', { chat_id: chatId, name: 'Ticket #1' });
    for (const group of [plain, noTopics]) {
      expect((await createIn(group.id)).body).toEqual({
        ok: false,
        error_code: 400,
        description: 'Bad Request: not enough rights to create a topic',
      });
    }
    const note = await result<Message>(emu, 'sendMessage', { chat_id: plain.id, text: 'I am here' });
    expect(
      (await call(emu, 'pinChatMessage', { chat_id: plain.id, message_id: note.message_id })).body
        .description,
    ).toBe('Bad Request: not enough rights to manage pinned messages in the chat');
    const post = plain.post(owner, 'spam');
    expect(
      (await call(emu, 'deleteMessage', { chat_id: plain.id, message_id: post.message_id })).body.description,
    ).toBe("Bad Request: message can't be deleted");
    expect(await result(emu, 'deleteMessage', { chat_id: plain.id, message_id: note.message_id })).toBe(true);

    await confirmAll(emu);
    noTopics.setBotRights({ can_manage_topics: true }, owner);
    const [promoted] = await updates(emu);
    expect(promoted?.my_chat_member).toMatchObject({
      old_chat_member: { can_manage_topics: false },
      new_chat_member: { status: 'administrator', can_manage_topics: true },
    });
    expect((await createIn(noTopics.id)).status).toBe(200);

    noTopics.setBotRights({ status: 'kicked' }, owner);
    const kicked = await call(emu, 'sendMessage', { chat_id: noTopics.id, text: 'still here?' });
    expect(kicked).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' },
    });
    expect((await call(emu, 'getChatMember', { chat_id: noTopics.id, user_id: owner.id })).status).toBe(403);
    await confirmAll(emu);
    noTopics.post(owner, 'the bot does not see this');
    expect(await updates(emu)).toEqual([]);
  });

  it('runs a ticket topic: card with buttons, pin, edits in the thread, relayed files, close and reopen', async () => {
    const client = emu.user({ id: 585, first_name: 'Cleo' });
    const desk = emu.group({ title: 'Service desk staff', forum: true });
    const screenshot = client.sendPhoto({ caption: 'The error' });
    const log = client.sendDocument({ fileName: 'vpn.log' });

    const topic = await result<{ message_thread_id: number }>(emu, 'createForumTopic', {
      chat_id: desk.id,
      name: '#41 VPN drops',
    });
    const thread = topic.message_thread_id;
    const keyboard = { inline_keyboard: [[{ text: 'Take', callback_data: 't:41' }]] };
    const card = await result<Message>(emu, 'sendMessage', {
      chat_id: desk.id,
      message_thread_id: thread,
      text: '<b>#41</b> VPN drops',
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
    expect(card).toMatchObject({ message_thread_id: thread, is_topic_message: true, reply_markup: keyboard });
    await result(emu, 'pinChatMessage', { chat_id: desk.id, message_id: card.message_id });

    const edited = await result<Message>(emu, 'editMessageText', {
      chat_id: desk.id,
      message_id: card.message_id,
      text: '#41 VPN drops: taken by Tess',
      reply_markup: { inline_keyboard: [[{ text: 'Resolve', callback_data: 'r:41' }]] },
    });
    expect(edited).toMatchObject({
      message_id: card.message_id,
      message_thread_id: thread,
      is_topic_message: true,
      reply_to_message: { message_id: thread },
      reply_markup: { inline_keyboard: [[{ text: 'Resolve', callback_data: 'r:41' }]] },
    });
    const stripped = await result<Message>(emu, 'editMessageReplyMarkup', {
      chat_id: desk.id,
      message_id: card.message_id,
    });
    expect(stripped.reply_markup).toBeUndefined();
    expect(stripped.message_thread_id).toBe(thread);

    // Files a client sent in private go into the topic by file_id.
    const photo = await result<Message>(emu, 'sendPhoto', {
      chat_id: desk.id,
      message_thread_id: thread,
      photo: screenshot.photo?.at(-1)?.file_id,
      caption: 'From Cleo',
    });
    expect(photo).toMatchObject({ message_thread_id: thread, photo: screenshot.photo, caption: 'From Cleo' });
    const document = await result<Message>(emu, 'sendDocument', {
      chat_id: desk.id,
      message_thread_id: thread,
      document: log.document?.file_id,
    });
    expect(document).toMatchObject({ message_thread_id: thread, document: { file_name: 'vpn.log' } });
    const copy = await result<{ message_id: number }>(emu, 'copyMessage', {
      chat_id: desk.id,
      message_thread_id: thread,
      from_chat_id: client.id,
      message_id: screenshot.message_id,
    });
    expect(desk.messages(thread).find((m) => m.message_id === copy.message_id)).toMatchObject({
      is_topic_message: true,
      caption: 'The error',
    });
    for (const method of ['sendMessage', 'sendPhoto', 'sendDocument', 'copyMessage']) {
      const missing = await call(emu, method, {
        chat_id: desk.id,
        message_thread_id: 999_999,
        text: 'x',
        photo: screenshot.photo?.at(-1)?.file_id,
        document: log.document?.file_id,
        from_chat_id: client.id,
        message_id: screenshot.message_id,
      });
      expect([method, missing.body.description]).toEqual([method, 'Bad Request: message thread not found']);
    }

    await result(emu, 'editForumTopic', {
      chat_id: desk.id,
      message_thread_id: thread,
      name: '#41 VPN (P1)',
    });
    await result(emu, 'closeForumTopic', { chat_id: desk.id, message_thread_id: thread });
    // An administrator that manages topics still writes into a closed topic, as on Telegram.
    const late = await result<Message>(emu, 'sendMessage', {
      chat_id: desk.id,
      message_thread_id: thread,
      text: 'Closed: resolved',
    });
    expect(late.message_thread_id).toBe(thread);
    expect(desk.topics()).toEqual([
      { threadId: thread, name: '#41 VPN (P1)', closed: true, pinned: card.message_id },
    ]);
    await result(emu, 'reopenForumTopic', { chat_id: desk.id, message_thread_id: thread });

    const memberBot = emu.group({ title: 'Member bot', forum: true, botRights: { status: 'member' } });
    memberBot.setBotRights({}, client);
    const memberTopic = await result<{ message_thread_id: number }>(emu, 'createForumTopic', {
      chat_id: memberBot.id,
      name: 'Closed soon',
    });
    await result(emu, 'closeForumTopic', {
      chat_id: memberBot.id,
      message_thread_id: memberTopic.message_thread_id,
    });
    memberBot.setBotRights({ status: 'member' }, client);
    const refused = await call(emu, 'sendMessage', {
      chat_id: memberBot.id,
      message_thread_id: memberTopic.message_thread_id,
      text: 'x',
    });
    expect(refused.body.description).toBe('Bad Request: TOPIC_CLOSED');
    // Its own topic is still its to reopen without the right.
    expect(
      (
        await call(emu, 'reopenForumTopic', {
          chat_id: memberBot.id,
          message_thread_id: memberTopic.message_thread_id,
        })
      ).status,
    ).toBe(200);
  });

  it('keeps force_reply prompts beside the message, and people reply, press and post files in a topic', async () => {
    await confirmAll(emu);
    const tess = emu.user({ id: 586, first_name: 'Tess' });
    const olaf = emu.user({ id: 587, first_name: 'Olaf' });
    const desk = emu.group({ title: 'Desk staff', forum: true });
    desk.addMember(tess, { status: 'administrator' });
    const { message_thread_id: thread } = await result<{ message_thread_id: number }>(
      emu,
      'createForumTopic',
      {
        chat_id: desk.id,
        name: '#42 Printer',
      },
    );
    const card = await result<Message>(emu, 'sendMessage', {
      chat_id: desk.id,
      message_thread_id: thread,
      text: '#42 Printer',
      reply_markup: { inline_keyboard: [[{ text: 'Comment', callback_data: 'c:42' }]] },
    });

    const queryId = desk.press(tess, card, 'c:42');
    const forged = desk.press(olaf, card, 'close:1'); // Olaf joins by pressing, as a member
    const pressed = await updates(emu);
    expect(pressed.map((u) => u.callback_query)).toMatchObject([
      {
        id: queryId,
        from: { id: tess.id },
        data: 'c:42',
        message: { message_id: card.message_id, chat: { id: desk.id }, message_thread_id: thread },
      },
      { id: forged, from: { id: olaf.id }, data: 'close:1' },
    ]);
    expect((await result<Member>(emu, 'getChatMember', { chat_id: desk.id, user_id: olaf.id })).status).toBe(
      'member',
    );
    await result(emu, 'answerCallbackQuery', { callback_query_id: queryId, text: 'Type your comment' });
    await result(emu, 'answerCallbackQuery', {
      callback_query_id: forged,
      text: 'Not allowed',
      show_alert: true,
    });
    expect(tess.answers()).toEqual([{ queryId, text: 'Type your comment' }]);
    expect(olaf.answers()).toEqual([{ queryId: forged, text: 'Not allowed', show_alert: true }]);

    const forceReply = { force_reply: true, selective: true, input_field_placeholder: 'Comment on #42' };
    const prompt = await result<Message>(emu, 'sendMessage', {
      chat_id: desk.id,
      message_thread_id: thread,
      text: '@tess, your comment?',
      reply_markup: forceReply,
    });
    expect(prompt.reply_markup).toBeUndefined(); // the Bot API's Message carries inline keyboards only
    expect(desk.forceReply(prompt)).toEqual(forceReply);
    expect(desk.forceReply(card)).toBeUndefined();

    await confirmAll(emu);
    const answer = desk.post(tess, 'Toner replaced', { replyTo: prompt });
    expect(answer).toMatchObject({
      message_thread_id: thread,
      is_topic_message: true,
      reply_to_message: { message_id: prompt.message_id, text: '@tess, your comment?' },
    });
    const photo = desk.postPhoto(tess, { caption: 'Done', threadId: thread });
    expect(photo).toMatchObject({ message_thread_id: thread, is_topic_message: true, caption: 'Done' });
    expect(photo.photo).toHaveLength(3);
    const doc = desk.postDocument(olaf, { fileName: 'invoice.pdf', replyTo: card });
    expect(doc).toMatchObject({
      message_thread_id: thread,
      reply_to_message: { message_id: card.message_id },
      document: { file_name: 'invoice.pdf', mime_type: 'application/pdf' },
    });
    const general = desk.postPhoto(olaf);
    expect(general.message_thread_id).toBeUndefined();
    expect((await updates(emu)).map((u) => u.message?.message_id)).toEqual([
      answer.message_id,
      photo.message_id,
      doc.message_id,
      general.message_id,
    ]);

    await result(emu, 'closeForumTopic', { chat_id: desk.id, message_thread_id: thread });
    expect(() => desk.postPhoto(olaf, { threadId: thread })).toThrow(/closed/);
    expect(desk.post(tess, 'Admins may still write', { threadId: thread }).message_thread_id).toBe(thread);
    await result(emu, 'deleteMessage', { chat_id: desk.id, message_id: prompt.message_id });
    expect(desk.forceReply(prompt.message_id)).toBeUndefined();
  });

  it('waits for the bot in a group, per topic, past service messages, and reports what came', async () => {
    const tess = emu.user({ id: 586, first_name: 'Tess' });
    const desk = emu.group({ title: 'Waiting room', forum: true });
    const topic = (name: string) =>
      result<{ message_thread_id: number }>(emu, 'createForumTopic', { chat_id: desk.id, name });
    const [a, b] = [(await topic('A')).message_thread_id, (await topic('B')).message_thread_id];
    const card = await result<Message>(emu, 'sendMessage', {
      chat_id: desk.id,
      message_thread_id: a,
      text: 'Card A',
    });

    const next = desk.waitForMessage(undefined, { threadId: b });
    await result(emu, 'pinChatMessage', { chat_id: desk.id, message_id: card.message_id });
    await result(emu, 'sendMessage', { chat_id: desk.id, message_thread_id: a, text: 'Elsewhere' });
    await result(emu, 'sendMessage', { chat_id: desk.id, message_thread_id: b, text: 'In B' });
    expect((await next).text).toBe('In B');

    // With a match: edits since the latest action in the group count, even made before the call.
    desk.press(tess, card, 'take');
    await result(emu, 'editMessageText', {
      chat_id: desk.id,
      message_id: card.message_id,
      text: 'Card A: taken',
    });
    expect((await desk.waitForMessage(/taken/, { threadId: a })).message_id).toBe(card.message_id);
    await expect(desk.waitForMessage('In B', { timeoutMs: 50 })).rejects.toThrow(
      /a bot message in Waiting room matching In B \(now: \["Card A: taken","Elsewhere","In B"\]\)/,
    );
  });
});

describe('faults', () => {
  const to = 540;
  beforeAll(() => {
    emu.user({ id: to, first_name: 'Faye' });
  });

  it('answers 429 with retry_after, then recovers', async () => {
    emu.faults.inject({ kind: 'too_many_requests', retryAfter: 7, method: 'sendMessage' });
    expect(await call(emu, 'sendMessage', { chat_id: to, text: 'one' })).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    });
    expect((await call(emu, 'sendMessage', { chat_id: to, text: 'two' })).status).toBe(200);
    expect(emu.calls.at(-2)).toMatchObject({ method: 'sendMessage', status: 429, params: { text: 'one' } });
  });

  it('answers 5xx for the next `count` calls, and spares getUpdates unless named', async () => {
    emu.faults.inject({ kind: 'server_error', status: 502, count: 2 });
    expect((await call(emu, 'getUpdates')).status).toBe(200);
    const first = await call(emu, 'getMe');
    const second = await call(emu, 'sendMessage', { chat_id: to, text: 'x' });
    expect([first.status, second.status]).toEqual([502, 502]);
    expect(first.body).toEqual({ ok: false, error_code: 502, description: 'Bad Gateway' });
    expect((await call(emu, 'getMe')).status).toBe(200);
  });

  it('delays a slow call and then answers it', async () => {
    emu.faults.inject({ kind: 'slow', delayMs: 150, method: 'getMe' });
    const started = Date.now();
    expect((await call(emu, 'getMe')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('drops the connection before or after the call takes effect', async () => {
    const faye = emu.user({ id: to, first_name: 'Faye' });
    const before = faye.inbox().length;
    emu.faults.inject({ kind: 'drop', method: 'sendMessage' });
    await expect(call(emu, 'sendMessage', { chat_id: to, text: 'lost' })).rejects.toThrow();
    expect(faye.inbox()).toHaveLength(before);

    emu.faults.inject({ kind: 'drop', method: 'sendMessage', afterApplying: true });
    await expect(call(emu, 'sendMessage', { chat_id: to, text: 'sent, answer lost' })).rejects.toThrow();
    expect(faye.last()?.text).toBe('sent, answer lost');
    expect(emu.calls.at(-1)).toMatchObject({ method: 'sendMessage', status: 0, dropped: true });
  });

  it('holds an answer on the wire until released, before or after the call takes effect', async () => {
    const faye = emu.user({ id: to, first_name: 'Faye' });
    // Only the call it names: another chat's message and another text pass.
    emu.faults.inject({
      kind: 'hold',
      method: 'sendMessage',
      chatId: to,
      textIncludes: 'held',
      afterApplying: true,
    });
    expect((await call(emu, 'sendMessage', { chat_id: to, text: 'not this one' })).status).toBe(200);
    const answered = call(emu, 'sendMessage', { chat_id: to, text: 'held after' });
    await emu.waitFor(() => emu.faults.held() === 1);
    expect(faye.last()?.text).toBe('held after'); // delivered, its answer still on the wire
    emu.faults.release();
    expect((await answered).status).toBe(200);

    emu.faults.inject({ kind: 'hold', method: 'sendMessage', chatId: to });
    const later = call(emu, 'sendMessage', { chat_id: to, text: 'held before' });
    await emu.waitFor(() => emu.faults.held() === 1);
    expect(faye.last()?.text).toBe('held after'); // not yet applied
    emu.faults.release();
    expect((await later).status).toBe(200);
    expect(faye.last()?.text).toBe('held before');

    // A client that goes away while its call is held: the call never takes effect.
    emu.faults.inject({ kind: 'hold', method: 'sendMessage', chatId: to });
    const abort = new AbortController();
    const gone = fetch(`${emu.apiRoot}/bot${emu.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: to, text: 'never' }),
      signal: abort.signal,
    });
    await emu.waitFor(() => emu.faults.held() === 1);
    abort.abort();
    await expect(gone).rejects.toThrow();
    await emu.waitFor(() => emu.faults.held() === 0);
    expect(emu.calls.at(-1)).toMatchObject({ status: 0, dropped: true });
    expect(faye.last()?.text).toBe('held before');
  });

  it('hits calls at random with a seeded, repeatable probability', async () => {
    const run = async () => {
      emu.faults.clear();
      emu.faults.seed(42);
      emu.faults.inject({ kind: 'server_error', method: 'sendChatAction', probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) {
        statuses.push((await call(emu, 'sendChatAction', { chat_id: to, action: 'typing' })).status);
      }
      emu.faults.clear();
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });
});

describe('flood limits', () => {
  it('refuses a private chat past its burst, and counts only sending methods', async () => {
    const limited = await startEmulator({ limits: { perChatPerSecond: 1, perChatBurst: 3 } });
    try {
      const olga = limited.user({ id: 550, first_name: 'Olga' });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await call(limited, 'sendMessage', { chat_id: olga.id, text: `${i}` })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = limited.calls.at(-1);
      expect(refused?.error?.parameters?.retry_after).toBeGreaterThanOrEqual(1);
      expect(limited.violations).toEqual([{ kind: 'per_chat', chatId: olga.id, at: expect.any(Number) }]);
      expect((await call(limited, 'sendChatAction', { chat_id: olga.id, action: 'typing' })).status).toBe(
        200,
      );
      expect((await call(limited, 'getChat', { chat_id: olga.id })).status).toBe(200);
      expect(limited.violations).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it('refuses a group past its per-minute limit and everyone past the global rate', async () => {
    const limited = await startEmulator({ limits: { groupPerMinute: 2, globalPerSecond: 4 } });
    try {
      const group = limited.group({ title: 'Ops' });
      const send = async (chatId: number) =>
        (await call(limited, 'sendMessage', { chat_id: chatId, text: 'x' })).status;
      expect([await send(group.id), await send(group.id), await send(group.id)]).toEqual([200, 200, 429]);
      const people = [561, 562, 563].map((id) => limited.user({ id, first_name: `P${id}` }).id);
      expect([await send(people[0] ?? 0), await send(people[1] ?? 0), await send(people[2] ?? 0)]).toEqual([
        200, 200, 429,
      ]);
      expect(limited.violations.map((v) => v.kind)).toEqual(['group', 'global']);
    } finally {
      await limited.close();
    }
  });

  it('counts every sending method into a forum topic against the group', async () => {
    const limited = await startEmulator({ limits: { groupPerMinute: 3 } });
    try {
      const desk = limited.group({ title: 'Staff', forum: true });
      const client = limited.user({ id: 564, first_name: 'Cara' });
      const photo = client.sendPhoto();
      const log = client.sendDocument();
      const { message_thread_id } = await result<{ message_thread_id: number }>(limited, 'createForumTopic', {
        chat_id: desk.id,
        name: '#1',
      });
      const into = { chat_id: desk.id, message_thread_id };
      const statuses = [
        (await call(limited, 'sendMessage', { ...into, text: 'card' })).status,
        (await call(limited, 'sendPhoto', { ...into, photo: photo.photo?.[0]?.file_id })).status,
        (await call(limited, 'copyMessage', { ...into, from_chat_id: client.id, message_id: log.message_id }))
          .status,
        (await call(limited, 'sendDocument', { ...into, document: log.document?.file_id })).status,
      ];
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(limited.violations).toEqual([{ kind: 'group', chatId: desk.id, at: expect.any(Number) }]);
    } finally {
      await limited.close();
    }
  });

  it('records no violations when limits are off', async () => {
    for (let i = 0; i < 8; i++) await result(emu, 'sendMessage', { chat_id: 501, text: `burst ${i}` });
    expect(emu.violations).toEqual([]);
  });
});

describe('a grammY bot', () => {
  it('answers /start and a button over long polling', async () => {
    const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
    bot.command('start', (ctx) =>
      ctx.reply(`Hello, ${ctx.from?.first_name}! What happened?`, {
        reply_markup: new InlineKeyboard().text('Report an outage', 'outage'),
      }),
    );
    bot.callbackQuery('outage', async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Got it' });
      await ctx.editMessageText('Outage reported: ticket #1');
    });
    await confirmAll(emu);
    const running = bot.start({ timeout: 10 });
    try {
      const nora = emu.user({ id: 570, first_name: 'Nora' });
      nora.send('/start');
      const greeting = await nora.waitForMessage(/Hello, Nora/);
      const queryId = nora.press(greeting, 'outage');
      const edited = await nora.waitForMessage((m) => m.text === 'Outage reported: ticket #1');
      expect(edited.message_id).toBe(greeting.message_id);
      expect(nora.inbox()).toHaveLength(1);
      await emu.waitFor(() => nora.answers().length > 0);
      expect(nora.answers()).toEqual([{ queryId, text: 'Got it' }]);
    } finally {
      await bot.stop();
      await running;
    }
    expect(emu.calls.some((c) => c.method === 'getMe' && c.status === 200)).toBe(true);
    // grammY aborts its pending long poll on stop; the emulator notices the closed connection.
    await emu.waitFor(() => !emu.polling);
  });

  it('sets up a staff forum and works a ticket there: rights check, topic, card, press, prompt, reply', async () => {
    const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
    const staffChats = new Set<number>();
    bot.command('staffgroup', async (ctx) => {
      const me = await ctx.getChatMember(ctx.me.id);
      const ok = me.status === 'administrator' && me.can_manage_topics && me.can_pin_messages;
      if (!ok) return void (await ctx.reply('Make me an admin who can manage topics and pin'));
      staffChats.add(ctx.chat.id);
      const topic = await ctx.api.createForumTopic(ctx.chat.id, '#7 Laptop');
      const card = await ctx.api.sendMessage(ctx.chat.id, '#7 Laptop: new', {
        message_thread_id: topic.message_thread_id,
        reply_markup: new InlineKeyboard().text('Comment', 'comment:7'),
      });
      await ctx.api.pinChatMessage(ctx.chat.id, card.message_id);
    });
    bot.callbackQuery('comment:7', async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.reply(`@${ctx.from.username} comment on #7:`, {
        message_thread_id: ctx.msg?.message_thread_id,
        reply_markup: { force_reply: true, selective: true, input_field_placeholder: 'Comment' },
      });
    });
    bot.on('message:text', async (ctx) => {
      if (!staffChats.has(ctx.chat.id) || !ctx.msg.reply_to_message?.text?.includes('comment on #7')) return;
      await ctx.reply(`Saved: ${ctx.msg.text}`, { message_thread_id: ctx.msg.message_thread_id });
    });
    await confirmAll(emu);
    const running = bot.start({ timeout: 10 });
    try {
      const owner = emu.user({ id: 571, first_name: 'Pia' });
      const tech = emu.user({ id: 572, first_name: 'Ray', username: 'ray' });
      const weak = emu.group({ title: 'Weak', forum: true, botRights: { can_pin_messages: false } });
      weak.post(owner, '/staffgroup');
      expect((await weak.waitForMessage()).text).toMatch(/Make me an admin/);

      const staff = emu.group({ title: 'Staff', forum: true });
      staff.addMember(owner, { status: 'creator' });
      staff.post(owner, '/staffgroup');
      const card = await staff.waitForMessage('#7 Laptop');
      const thread = card.message_thread_id ?? 0;
      await emu.waitFor(() => staff.topics()[0]?.pinned);
      expect(staff.topics()).toEqual([
        { threadId: thread, name: '#7 Laptop', closed: false, pinned: card.message_id },
      ]);

      staff.press(tech, card, 'comment:7');
      const prompt = await staff.waitForMessage(/comment on #7/, { threadId: thread });
      expect(prompt.text).toBe('@ray comment on #7:');
      expect(staff.forceReply(prompt)).toMatchObject({ force_reply: true, selective: true });
      await emu.waitFor(() => tech.answers().length === 1);

      staff.post(tech, 'Battery swapped', { replyTo: prompt });
      expect((await staff.waitForMessage('Saved', { threadId: thread })).text).toBe('Saved: Battery swapped');
    } finally {
      await bot.stop();
      await running;
    }
  });
});

describe('a live chat (what the sandbox page shows)', () => {
  let live: Emulator;
  beforeAll(async () => {
    live = await startEmulator();
  });
  afterAll(() => live.close());

  /** Resolves at the next change of the person's chat. */
  const nextChange = (user: { watch(listener: () => void): () => void }) =>
    new Promise<void>((resolve) => {
      const off = user.watch(() => {
        off();
        resolve();
      });
    });

  it("lists both sides of a private chat as it is now: the person's messages and the bot's, edited and deleted", async () => {
    const eva = live.user({ id: 530, first_name: 'Eva' });
    const hello = eva.send('/start');
    const menu = await result<Message>(live, 'sendMessage', {
      chat_id: eva.id,
      text: 'Hello',
      reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] },
    });
    const answer = eva.send('Thanks', { replyTo: menu });
    const gone = await result<Message>(live, 'sendMessage', { chat_id: eva.id, text: 'Temporary' });
    await result(live, 'editMessageText', {
      chat_id: eva.id,
      message_id: menu.message_id,
      text: 'Hello again',
      reply_markup: { inline_keyboard: [[{ text: 'Went', callback_data: 'went' }]] },
    });
    await result(live, 'deleteMessage', { chat_id: eva.id, message_id: gone.message_id });

    const all = eva.messages();
    expect(all.map((m) => [m.message_id, m.from?.id, m.text])).toEqual([
      [hello.message_id, eva.id, '/start'],
      [menu.message_id, live.botInfo.id, 'Hello again'],
      [answer.message_id, eva.id, 'Thanks'],
    ]);
    expect(all[1]?.edit_date).toBeTypeOf('number');
    expect(all[1]?.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Went', callback_data: 'went' }]] });
    expect(all[2]?.reply_to_message?.message_id).toBe(menu.message_id);
    expect(eva.inbox().map((m) => m.message_id)).toEqual([menu.message_id]); // inbox: the bot's only
  });

  it('tells a watcher once per change, a message and its reply keyboard together, until unsubscribed', async () => {
    const max = live.user({ id: 531, first_name: 'Max' });
    let calls = 0;
    const off = max.watch(() => {
      calls++;
    });

    let changed = nextChange(max);
    const sent = await result<Message>(live, 'sendMessage', {
      chat_id: max.id,
      text: 'Pick',
      reply_markup: { keyboard: [[{ text: 'A' }]] },
    });
    await changed;
    expect(calls).toBe(1);
    expect(max.keyboard()?.keyboard[0]?.[0]).toEqual({ text: 'A' }); // already there when told

    // A press changes nothing in the chat; its answer does (the toast a client shows).
    changed = nextChange(max);
    const query = max.press(sent, 'a');
    await result(live, 'answerCallbackQuery', { callback_query_id: query, text: 'Noted' });
    await changed;
    expect(calls).toBe(2);
    expect(max.answers()).toEqual([{ queryId: query, text: 'Noted' }]);

    changed = nextChange(max);
    await result(live, 'deleteMessage', { chat_id: max.id, message_id: sent.message_id });
    await changed;
    expect(max.messages()).toEqual([]);

    off();
    const before = calls;
    changed = nextChange(max);
    max.send('still here');
    await changed;
    expect(calls).toBe(before);
  });

  it('stores the bytes of a photo the person sends, and shows the menu button of their chat', async () => {
    const ida = live.user({ id: 532, first_name: 'Ida' });
    const picture = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);
    const photo = ida.sendPhoto({ caption: 'Screen', bytes: picture });
    const largest = photo.photo?.at(-1);
    expect(largest).toMatchObject({ width: 1280, file_size: picture.length });
    const file = await result<{ file_path: string }>(live, 'getFile', { file_id: largest?.file_id });
    const download = await fetch(`${live.apiRoot}/file/bot${live.token}/${file.file_path}`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(picture);
    expect(() => ida.sendPhoto({ bytes: new Uint8Array() })).toThrow(/bytes/);

    expect(ida.menuButton()).toEqual({ type: 'commands' });
    const app = { type: 'web_app', text: 'Desk', web_app: { url: 'https://desk.example/' } };
    const changed = nextChange(ida);
    await result(live, 'setChatMenuButton', { menu_button: app }); // the default, for every chat
    await changed;
    expect(ida.menuButton()).toEqual(app);
    await result(live, 'setChatMenuButton', { chat_id: ida.id, menu_button: { type: 'commands' } });
    expect(ida.menuButton()).toEqual({ type: 'commands' });
  });
});

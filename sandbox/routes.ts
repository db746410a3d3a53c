// The sandbox's HTTP side, mounted at /sandbox: the page, and what it needs to be a Telegram client for
// the demo people and for strangers made up on the spot — their chats with the bot (live, over
// server-sent events), sending text, photos, documents, voice messages and stickers, pressing buttons,
// sharing a contact, switching the bot's language as a person would (/language and a press), the bot's
// commands, and the Mini App opened with init data signed with the emulator bot's token, which the API
// checks as it would Telegram's. And the mail panel: mails written as anyone go through the desk's real
// intake (sandbox/mailbox.ts), the desk's own mails listed as they were sent, live over server-sent events.
// And the phone: a call rung, answered and hung up as the desk's PBX would report it (sandbox/calls.ts).
// And the website form: where the desk's real public form page is, for the page's form panel.
// And client companies' groups (sandbox/group.ts): the page posts in them as any member, text, replies and
// photos, and shows everyone's messages and the bot's, live.
import { randomInt } from 'node:crypto';
import type { Message } from 'grammy/types';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { signInitData } from '../api/init-data.ts';
import { LANGUAGES, type Language } from '../core/model.ts';
import type { Emulator, TestUser } from '../emulator/index.ts';
import { DEFAULT_LANGUAGE, messageKeys, translator } from '../locales/index.ts';
import type { PageFile } from './build.ts';
import { CallInputError, type SandboxCalls } from './calls.ts';
import { chatView, fileInChat, fileInGroup, groupChatView } from './chat-view.ts';
import type { SandboxGroup } from './group.ts';
import type { ChatHistory } from './history.ts';
import { MailInputError, type SandboxMail } from './mailbox.ts';
import { type SandboxPerson, strangerPerson, telegramProfile } from './people.ts';
import { THEME } from './theme.ts';
import type {
  ChatView,
  GroupView,
  MailPersonView,
  MiniAppView,
  PersonView,
  SessionView,
  WebformView,
} from './types.ts';

export interface SandboxOptions {
  emulator: Emulator;
  people: SandboxPerson[];
  /** The page's files (sandbox/build.ts). */
  page: Map<string, PageFile>;
  /** Whether miniapp/dist is there to open. */
  miniAppBuilt: () => boolean;
  /** Between two keep-alive comments on an idle event stream. */
  keepAliveMs?: number;
  /** What the store knows of chats before this run (the page says when they were emptied by a restart). */
  history?: ChatHistory;
  /** How long the language switch waits for the bot's language buttons. */
  botTimeoutMs?: number;
  /** The mail panel's side: mails into the desk's intake, and the desk's mails kept in memory. */
  mail: SandboxMail;
  /** Calls to the desk, posted as CTI events to its webhook. */
  calls: SandboxCalls;
  /** The desk's website form (sandbox/webform.ts); without it the form panel has nothing to show. */
  webform?: () => Promise<WebformView>;
  /** Client companies' groups the page posts in as their members. */
  groups?: SandboxGroup[];
}

const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

const messageBody = z.object({
  text: z.string().min(1).max(20_000),
  replyTo: z.number().int().positive().optional(),
});
const pressBody = z.object({
  messageId: z.number().int().positive(),
  data: z.string().min(1).max(64),
});
const photoQuery = z.object({
  caption: z.string().max(1024).optional(),
  replyTo: z.coerce.number().int().positive().optional(),
});
const attachmentBody = z
  .object({
    kind: z.enum(['document', 'voice', 'sticker']),
    caption: z.string().max(1024).optional(),
    replyTo: z.number().int().positive().optional(),
    fileName: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\]+$/, 'a file name, not a path')
      .optional(),
  })
  .refine((a) => a.kind === 'document' || a.replyTo === undefined, {
    message: 'only a document goes as a reply here',
    path: ['replyTo'],
  })
  .refine((a) => a.kind !== 'sticker' || a.caption === undefined, {
    message: 'a sticker has no caption',
    path: ['caption'],
  });
const languageBody = z.object({ language: z.enum(LANGUAGES) });
/** Who speaks in a group: a member's Telegram id. */
const from = z.number().int();
const groupMessageBody = messageBody.extend({ from });
const groupPressBody = pressBody.extend({ from });
const groupPhotoQuery = photoQuery.extend({ from: z.coerce.number().int() });
const groupDocumentBody = z.object({
  from,
  caption: z.string().max(1024).optional(),
  replyTo: z.number().int().positive().optional(),
  fileName: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\]+$/, 'a file name, not a path')
    .optional(),
});

/** A file attached to a mail written on the page, before base64. */
const MAX_MAIL_FILE_BYTES = 5 * 1024 * 1024;
/** A header's text on one line: a line break in a subject or a name would be a header of its own. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
const mailBody = z.object({
  from: z.union([
    z.object({ personId: z.number().int().positive() }).strict(),
    z
      .object({
        address: z.email().max(254),
        name: z.string().max(200).transform(oneLine).optional(),
      })
      .strict(),
  ]),
  subject: z.string().max(500).transform(oneLine),
  text: z.string().max(20_000),
  replyTo: z.number().int().positive().optional(),
  file: z
    .object({
      name: z
        .string()
        .min(1)
        .max(255)
        .regex(/^[^/\\\r\n]+$/, 'a file name, not a path'),
      data: z.base64().max(Math.ceil(MAX_MAIL_FILE_BYTES / 3) * 4, 'the file is over 5 MB'),
    })
    .optional(),
});

const callBody = z
  .object({
    from: z.union([
      z.object({ personId: z.number().int().positive() }).strict(),
      z
        .object({
          number: z
            .string()
            .trim()
            .regex(/^\+?[\d\s()-]{3,30}$/, 'a phone number'),
        })
        .strict(),
    ]),
    /** The whole call at once: newCall, then `answeredBy` answers (and hangs up), or it is missed. */
    outcome: z.enum(['answered', 'missed']).optional(),
    answeredBy: z.number().int().positive().optional(),
  })
  .refine((b) => (b.outcome === 'answered') === (b.answeredBy !== undefined), {
    message: 'answeredBy goes with outcome "answered", and only with it',
    path: ['answeredBy'],
  });
const answerBody = z.object({ by: z.number().int().positive() });
const callIdParam = z.string().min(1).max(100);

const bad = (message: string) =>
  new HTTPException(400, {
    res: Response.json({ error: { code: 'invalid_input', message } }, { status: 400 }),
  });
const notFound = (message: string) =>
  new HTTPException(404, {
    res: Response.json({ error: { code: 'not_found', message } }, { status: 404 }),
  });

async function parse<T>(schema: z.ZodType<T>, value: unknown | Promise<unknown>): Promise<T> {
  const parsed = schema.safeParse(await Promise.resolve(value).catch(() => undefined));
  if (!parsed.success)
    throw bad(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** What the emulator refuses (a reply to a deleted message, an empty text…) is the page's mistake: 400. */
function attempt<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw bad(error instanceof Error ? error.message : String(error));
  }
}

const isImage = (bytes: Uint8Array) =>
  (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) ||
  (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47);

function personView(person: SandboxPerson, t: (key: string) => string): PersonView {
  return {
    id: person.telegramId,
    name: person.name,
    role: person.role ?? 'stranger',
    roleName: person.role ? t(`role-${person.role}`) : t('sandbox-stranger'),
    company: person.company,
    language: person.language,
  };
}

export interface Sandbox {
  /** Every route under /sandbox/: mount them on the API app with `api.route('/', routes)`. */
  routes: Hono;
  /** Ends the pages' event streams (they never end by themselves), so the server can close. */
  close(): void;
}

interface GroupChat extends SandboxGroup {
  /** The store knew of messages here that this run's (empty) group does not have. */
  restarted: boolean;
}

interface Chat {
  person: SandboxPerson;
  user: TestUser;
  /** The store knew of messages here that this run's (empty) chat does not have. */
  restarted: boolean;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const { emulator, page, history, mail, calls } = options;
  const keepAliveMs = options.keepAliveMs ?? 20_000;
  const botTimeoutMs = options.botTimeoutMs ?? 10_000;
  const chats = new Map<number, Chat>();
  const addChat = (person: SandboxPerson): Chat => {
    const user = emulator.user(telegramProfile(person));
    const chat: Chat = {
      person,
      user,
      restarted: user.messages().length === 0 && (history?.had(person.telegramId) ?? false),
    };
    chats.set(person.telegramId, chat);
    if (history) {
      const off = user.watch(() => {
        if (user.messages().length === 0) return;
        off();
        // A convenience of the page (a note over a chat emptied by a restart): a failed write loses only it.
        history.remember(person.telegramId).catch(() => undefined);
      });
    }
    return chat;
  };
  for (const person of options.people) addChat(person);
  const groups = new Map<number, GroupChat>();
  for (const sandboxGroup of options.groups ?? []) {
    const { group } = sandboxGroup;
    groups.set(group.id, {
      ...sandboxGroup,
      restarted: group.messages().length === 0 && (history?.had(group.id) ?? false),
    });
    if (history) {
      const off = group.watch(() => {
        if (group.messages().length === 0) return;
        off();
        history.remember(group.id).catch(() => undefined);
      });
    }
  }
  const botApi = async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
    const response = await fetch(`${emulator.apiRoot}/bot${emulator.token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    const body = (await response.json()) as { ok: boolean; result?: T; description?: string };
    if (!body.ok) throw notFound(body.description ?? method);
    return body.result as T;
  };

  const small = bodyLimit({ maxSize: 64 * 1024, onError: () => Promise.reject(bad('Body too large')) });
  const streams = new Set<SSEStreamingApi>();
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    console.error('tgdesk sandbox:', error);
    return c.json({ error: { code: 'internal', message: 'Something went wrong' } }, 500);
  });

  /**
   * Pushes `view()` as `event` at once and again after every change `watch` reports, a keep-alive
   * comment between while nothing changes; the stream ends when the page goes or the sandbox closes.
   */
  const live = (c: Context, event: string, watch: (changed: () => void) => () => void, view: () => unknown) =>
    streamSSE(c, async (stream) => {
      streams.add(stream);
      let changed = true;
      let wake: (() => void) | undefined;
      const off = watch(() => {
        changed = true;
        wake?.();
      });
      stream.onAbort(() => wake?.());
      try {
        while (!stream.aborted && !stream.closed) {
          if (changed) {
            changed = false;
            await stream.writeSSE({ event, data: JSON.stringify(view()) });
          } else {
            await stream.write(': keep-alive\n\n');
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, keepAliveMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
            if (changed || stream.aborted) wake();
          });
        }
      } finally {
        off();
        streams.delete(stream);
      }
    });

  const chatOf = (id: string) => {
    const chat = chats.get(Number(id));
    if (!chat) throw notFound('No demo person with this Telegram id');
    return chat;
  };

  // ------------------------------------------------------------------------------------------- page

  const serve = (file: PageFile | undefined, cache: string) =>
    file
      ? new Response(file.body, { headers: { 'content-type': file.type, 'cache-control': cache } })
      : undefined;
  app.get('/sandbox', (c) => c.redirect('/sandbox/'));
  app.get(
    '/sandbox/',
    () => serve(page.get('index.html'), 'no-cache') ?? new Response('Not built', { status: 500 }),
  );
  app.get('/sandbox/assets/:name', (c) => {
    const response = serve(page.get(`assets/${c.req.param('name')}`), 'public, max-age=31536000, immutable');
    if (!response) throw notFound('No such file');
    return response;
  });

  // ---------------------------------------------------------------------------------------- session

  app.get('/sandbox/api/session', (c) => {
    const wanted = c.req.query('lang');
    const language: Language = LANGUAGES.find((l) => l === wanted) ?? DEFAULT_LANGUAGE;
    const t = translator(language);
    const texts = Object.fromEntries(
      messageKeys(language)
        .filter((key) => key.startsWith('sandbox-'))
        .map((key) => [key, t(key)]),
    );
    const session: SessionView = {
      language,
      texts,
      bot: { name: emulator.botInfo.first_name, username: emulator.botInfo.username },
      people: [...chats.values()].map(({ person }) => personView(person, t)),
      miniAppBuilt: options.miniAppBuilt(),
      mailPeople: mail.people().map(
        ({ role, ...person }): MailPersonView => ({
          ...person,
          roleName: role ? t(`role-${role}`) : t('sandbox-stranger'),
        }),
      ),
      callPeople: calls.people().map(({ role, ...person }) => ({
        ...person,
        roleName: role ? t(`role-${role}`) : t('sandbox-stranger'),
      })),
      line1: calls.line1().map(({ telegramId, ...person }) => ({ ...person, chatId: telegramId })),
      groups: [...groups.values()].map(
        ({ group, title, company, members }): GroupView => ({
          id: group.id,
          title,
          company,
          members: members.map((p) => ({
            id: p.telegramId,
            name: p.name,
            roleName: p.role ? t(`role-${p.role}`) : t('sandbox-stranger'),
          })),
        }),
      ),
    };
    return c.json(session);
  });

  /** Someone new to the desk: a fresh Telegram user with a random id and name, in the page's language. */
  app.post('/sandbox/api/people', small, async (c) => {
    const { language } = await parse(languageBody, c.req.json());
    const person = strangerPerson(language, (id) => chats.has(id), randomInt);
    addChat(person);
    return c.json(personView(person, translator(language)), 201);
  });

  // ------------------------------------------------------------------------------------------ chats

  const viewOf = (chat: Chat): ChatView => ({
    ...chatView(chat.user),
    ...(chat.restarted ? { restarted: true } : {}),
  });

  app.get('/sandbox/api/chats/:id', (c) => c.json(viewOf(chatOf(c.req.param('id')))));

  app.get('/sandbox/api/chats/:id/events', (c) => {
    const chat = chatOf(c.req.param('id'));
    return live(
      c,
      'chat',
      (changed) => chat.user.watch(changed),
      () => viewOf(chat),
    );
  });

  app.post('/sandbox/api/chats/:id/messages', small, async (c) => {
    const { user } = chatOf(c.req.param('id'));
    const body = await parse(messageBody, c.req.json());
    const message = attempt(() => user.send(body.text, body.replyTo ? { replyTo: body.replyTo } : {}));
    return c.json({ id: message.message_id }, 201);
  });

  app.post(
    '/sandbox/api/chats/:id/photos',
    bodyLimit({ maxSize: MAX_PHOTO_BYTES, onError: () => Promise.reject(bad('The photo is over 10 MB')) }),
    async (c) => {
      const { user } = chatOf(c.req.param('id'));
      const query = await parse(photoQuery, c.req.query());
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (!isImage(bytes)) throw bad('A photo must be a JPEG or PNG image');
      const message = attempt(() =>
        user.sendPhoto({
          bytes,
          ...(query.caption ? { caption: query.caption } : {}),
          ...(query.replyTo ? { replyTo: query.replyTo } : {}),
        }),
      );
      return c.json({ id: message.message_id }, 201);
    },
  );

  /** A document (stand-in bytes under the given name), a voice message or a sticker, as a client sends them. */
  app.post('/sandbox/api/chats/:id/attachments', small, async (c) => {
    const { user } = chatOf(c.req.param('id'));
    const body = await parse(attachmentBody, c.req.json());
    const caption = body.caption?.trim() ? { caption: body.caption } : {};
    const message = attempt(() => {
      if (body.kind === 'voice') return user.sendVoice({ duration: 4, ...caption });
      if (body.kind === 'sticker') return user.sendSticker();
      return user.sendDocument({
        fileName: body.fileName ?? 'report.pdf',
        ...caption,
        ...(body.replyTo ? { replyTo: body.replyTo } : {}),
      });
    });
    return c.json({ id: message.message_id }, 201);
  });

  app.post('/sandbox/api/chats/:id/presses', small, async (c) => {
    const chat = chatOf(c.req.param('id'));
    const { user } = chat;
    const body = await parse(pressBody, c.req.json());
    const message = user.messages().find((m) => m.message_id === body.messageId);
    if (!message) throw notFound('No such message in this chat');
    const queryId = attempt(() => user.press(message, body.data));
    const chosen = LANGUAGES.find((l) => body.data === `lang:${l}`);
    if (chosen) chat.person = { ...chat.person, language: chosen };
    return c.json({ queryId }, 201);
  });

  /**
   * The page's language switch, for the person in view: what they would do in Telegram — send /language
   * and press the button of that language under the bot's answer. The bot then stores the choice, answers
   * in it and renames its menu; the Mini App opens in it too.
   */
  app.post('/sandbox/api/chats/:id/language', small, async (c) => {
    const chat = chatOf(c.req.param('id'));
    const { user } = chat;
    const { language } = await parse(languageBody, c.req.json());
    const data = `lang:${language}`;
    const offers = (m: Message) =>
      m.reply_markup?.inline_keyboard.some((row) =>
        row.some((b) => 'callback_data' in b && b.callback_data === data),
      ) ?? false;
    const asked = attempt(() => user.send('/language'));
    let choices: Message;
    try {
      choices = await user.waitForMessage((m) => m.message_id > asked.message_id && offers(m), botTimeoutMs);
    } catch {
      throw new HTTPException(504, {
        res: Response.json(
          { error: { code: 'timeout', message: 'The bot did not offer the languages' } },
          { status: 504 },
        ),
      });
    }
    const queryId = attempt(() => user.press(choices, data));
    chat.person = { ...chat.person, language };
    return c.json({ queryId }, 201);
  });

  app.post('/sandbox/api/chats/:id/contact', (c) => {
    const { person, user } = chatOf(c.req.param('id'));
    if (!person.phone) throw bad('This person has no phone number');
    const phone = person.phone;
    const message = attempt(() => user.shareContact(phone));
    return c.json({ id: message.message_id }, 201);
  });

  /** The commands a Telegram client lists for this chat: the most specific scope and language set. */
  app.get('/sandbox/api/chats/:id/commands', async (c) => {
    const { person, user } = chatOf(c.req.param('id'));
    const scopes = [
      { type: 'chat', chat_id: user.chatId },
      { type: 'all_private_chats' },
      { type: 'default' },
    ];
    for (const scope of scopes) {
      for (const language_code of [person.language, '']) {
        const commands = await botApi<{ command: string; description: string }[]>('getMyCommands', {
          scope,
          language_code,
        });
        if (commands.length > 0) return c.json(commands);
      }
    }
    return c.json([]);
  });

  app.get('/sandbox/api/chats/:id/files/:fileId', async (c) => {
    const { user } = chatOf(c.req.param('id'));
    const fileId = c.req.param('fileId');
    if (!fileInChat(user, fileId)) throw notFound('No such file in this chat');
    return fileResponse(c, fileId);
  });

  /** A file of a chat, fetched from the local Telegram as the bot would. */
  const fileResponse = async (c: Context, fileId: string) => {
    const file = await botApi<{ file_path: string }>('getFile', { file_id: fileId });
    const download = await fetch(`${emulator.apiRoot}/file/bot${emulator.token}/${file.file_path}`);
    if (!download.ok) throw notFound('The file is gone');
    const bytes = new Uint8Array(await download.arrayBuffer());
    const type = isImage(bytes)
      ? bytes[0] === 0xff
        ? 'image/jpeg'
        : 'image/png'
      : 'application/octet-stream';
    return c.body(bytes, 200, { 'content-type': type, 'cache-control': 'private, max-age=3600' });
  };

  /**
   * Where the page's iframe opens the Mini App: the path of the button's URL (or '/') on this server,
   * with the launch parameters in the hash as Telegram passes them, init data signed just now.
   */
  app.get('/sandbox/api/chats/:id/mini-app', (c) => {
    const { person } = chatOf(c.req.param('id'));
    let path = '/';
    const url = c.req.query('url');
    if (url) {
      try {
        const parsed = new URL(url);
        path = `${parsed.pathname}${parsed.search}`;
      } catch {
        throw bad('url: not a URL');
      }
    }
    const initData = signInitData(emulator.token, telegramProfile(person));
    const hash = new URLSearchParams({
      tgWebAppData: initData,
      tgWebAppVersion: '8.0',
      tgWebAppPlatform: 'web',
      tgWebAppThemeParams: JSON.stringify(THEME),
    });
    const view: MiniAppView = { src: `${path}#${hash}` };
    return c.json(view);
  });

  // ----------------------------------------------------------------------------------------- groups

  const groupOf = (id: string) => {
    const group = groups.get(Number(id));
    if (!group) throw notFound('No sandbox group with this chat id');
    return group;
  };
  /** The member who speaks: one of the group's people (the page's choice), as the local Telegram knows them. */
  const speaker = (group: GroupChat, id: number): TestUser => {
    const person = group.members.find((p) => p.telegramId === id);
    if (!person) throw bad('from: not a member of this group');
    return emulator.user(telegramProfile(person));
  };
  const groupViewOf = (group: GroupChat): ChatView => ({
    ...groupChatView(
      group.group,
      group.members.map((p) => emulator.user(telegramProfile(p))),
    ),
    ...(group.restarted ? { restarted: true } : {}),
  });

  app.get('/sandbox/api/groups/:id', (c) => c.json(groupViewOf(groupOf(c.req.param('id')))));

  app.get('/sandbox/api/groups/:id/events', (c) => {
    const group = groupOf(c.req.param('id'));
    return live(
      c,
      'chat',
      (changed) => group.group.watch(changed),
      () => groupViewOf(group),
    );
  });

  app.post('/sandbox/api/groups/:id/messages', small, async (c) => {
    const group = groupOf(c.req.param('id'));
    const body = await parse(groupMessageBody, c.req.json());
    const user = speaker(group, body.from);
    const message = attempt(() =>
      group.group.post(user, body.text, body.replyTo ? { replyTo: body.replyTo } : {}),
    );
    return c.json({ id: message.message_id }, 201);
  });

  app.post(
    '/sandbox/api/groups/:id/photos',
    bodyLimit({ maxSize: MAX_PHOTO_BYTES, onError: () => Promise.reject(bad('The photo is over 10 MB')) }),
    async (c) => {
      const group = groupOf(c.req.param('id'));
      const query = await parse(groupPhotoQuery, c.req.query());
      const user = speaker(group, query.from);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (!isImage(bytes)) throw bad('A photo must be a JPEG or PNG image');
      const message = attempt(() =>
        group.group.postPhoto(user, {
          bytes,
          ...(query.caption ? { caption: query.caption } : {}),
          ...(query.replyTo ? { replyTo: query.replyTo } : {}),
        }),
      );
      return c.json({ id: message.message_id }, 201);
    },
  );

  /** A document (stand-in bytes under the given name) posted in the group. */
  app.post('/sandbox/api/groups/:id/documents', small, async (c) => {
    const group = groupOf(c.req.param('id'));
    const body = await parse(groupDocumentBody, c.req.json());
    const user = speaker(group, body.from);
    const message = attempt(() =>
      group.group.postDocument(user, {
        fileName: body.fileName ?? 'report.pdf',
        ...(body.caption?.trim() ? { caption: body.caption } : {}),
        ...(body.replyTo ? { replyTo: body.replyTo } : {}),
      }),
    );
    return c.json({ id: message.message_id }, 201);
  });

  app.post('/sandbox/api/groups/:id/presses', small, async (c) => {
    const group = groupOf(c.req.param('id'));
    const body = await parse(groupPressBody, c.req.json());
    const user = speaker(group, body.from);
    const message = group.group.messages().find((m) => m.message_id === body.messageId);
    if (!message) throw notFound('No such message in this group');
    const queryId = attempt(() => group.group.press(user, message, body.data));
    return c.json({ queryId }, 201);
  });

  app.get('/sandbox/api/groups/:id/files/:fileId', async (c) => {
    const group = groupOf(c.req.param('id'));
    const fileId = c.req.param('fileId');
    if (!fileInGroup(group.group, fileId)) throw notFound('No such file in this group');
    return fileResponse(c, fileId);
  });

  // ------------------------------------------------------------------------------------------- mail

  app.get('/sandbox/api/mail', (c) => c.json(mail.view()));

  app.get('/sandbox/api/mail/events', (c) =>
    live(
      c,
      'mail',
      (changed) => mail.watch(changed),
      () => mail.view(),
    ),
  );

  /** A mail from a demo person or any address to the desk, taken in as the desk's mailbox would. */
  app.post(
    '/sandbox/api/mail',
    bodyLimit({
      maxSize: 8 * 1024 * 1024,
      onError: () => Promise.reject(bad('The mail is over 8 MB')),
    }),
    async (c) => {
      const body = await parse(mailBody, c.req.json());
      const from =
        'personId' in body.from
          ? mail.personAddress(body.from.personId)
          : { address: body.from.address, name: body.from.name ?? '' };
      if (!from) throw bad('from.personId: no such person with an e-mail address');
      try {
        const written = await mail.write({
          from,
          subject: body.subject,
          text: body.text,
          ...(body.replyTo === undefined ? {} : { replyTo: body.replyTo }),
          ...(body.file
            ? { file: { name: body.file.name, bytes: Buffer.from(body.file.data, 'base64') } }
            : {}),
        });
        return c.json(written, 201);
      } catch (error) {
        if (error instanceof MailInputError) throw bad(error.message);
        throw error;
      }
    },
  );

  // ------------------------------------------------------------------------------------------ calls

  const calling = async <T>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (error instanceof CallInputError) throw bad(error.message);
      throw error;
    }
  };

  /** A call to the desk: it rings (the 1st line's chats get the card); with `outcome`, it also ends. */
  app.post('/sandbox/api/calls', small, async (c) => {
    const body = await parse(callBody, c.req.json());
    if (body.answeredBy !== undefined && !calls.line1().some((p) => p.id === body.answeredBy))
      throw bad('answeredBy: not a 1st-line person');
    const view = await calling(async () => {
      const rung = await calls.ring(body.from);
      if (!body.outcome) return rung;
      if (body.answeredBy !== undefined) await calls.answer(rung.callId, body.answeredBy);
      return calls.hangUp(rung.callId);
    });
    return c.json(view, 201);
  });

  app.post('/sandbox/api/calls/:callId/answer', small, async (c) => {
    const callId = await parse(callIdParam, c.req.param('callId'));
    const { by } = await parse(answerBody, c.req.json());
    return c.json(await calling(async () => calls.answer(callId, by)));
  });

  app.post('/sandbox/api/calls/:callId/hangup', async (c) => {
    const callId = await parse(callIdParam, c.req.param('callId'));
    return c.json(await calling(async () => calls.hangUp(callId)));
  });

  // ---------------------------------------------------------------------------------------- webform

  /** Where the form panel's frame goes: the desk's public form page, and its embed script. */
  app.get('/sandbox/api/webform', async (c) => {
    if (!options.webform) throw notFound('No website form in this sandbox');
    return c.json(await options.webform());
  });

  // Unknown sandbox paths are the sandbox's 404, not the Mini App's page the API serves for other paths.
  app.all('/sandbox/*', () => {
    throw notFound('No such route');
  });
  return {
    routes: app,
    close() {
      for (const stream of streams) stream.abort();
    },
  };
}

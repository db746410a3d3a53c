// The Bot API methods: the registry (names are case-insensitive, as on Telegram's server) and the
// methods about the bot itself, updates, webhooks, files, commands, menu buttons and chats (members,
// messages and forum topics have their own modules).
import type { BotCommand, ChatFullInfo, MenuButton } from 'grammy/types';
import { forumMethods } from './forum.ts';
import { memberMethods } from './members.ts';
import { messageMethods } from './messages.ts';
import { badRequest, conflict, Described, type Params } from './protocol.ts';
import { commandsKey, type World } from './state.ts';

export interface Call {
  world: World;
  params: Params;
  /** Aborted when the client goes away (a long poll then stops waiting). */
  signal: AbortSignal;
}

/** Returns the result (or a promise of it), or throws an ApiError. */
export type Handler = (call: Call) => unknown;

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

/** Simultaneous webhook posts when setWebhook gives no max_connections, as on Telegram. */
export const DEFAULT_MAX_CONNECTIONS = 40;

const getMe: Handler = ({ world }) => world.botInfo;

const getUpdates: Handler = ({ world, params, signal }) => {
  const allowed = params.json('allowed_updates', 'allowed updates');
  // Telegram keeps the last list given; omitting it keeps the previous one.
  if (Array.isArray(allowed))
    world.allowedUpdates = allowed.filter((t): t is string => typeof t === 'string');
  return world.getUpdates(
    params.integer('offset') ?? 0,
    clamp(params.integer('limit') ?? 100, 1, 100),
    clamp(params.integer('timeout') ?? 0, 0, 50),
    signal,
  );
};

/**
 * From now on updates are posted to `url` (emulator/webhook.ts) instead of waiting for getUpdates, which
 * answers 409 while a webhook is set; the updates waiting now are posted too.
 */
const setWebhook: Handler = ({ world, params }) => {
  const url = params.string('url') ?? '';
  if (params.boolean('drop_pending_updates')) world.dropPendingUpdates();
  if (url === '') return deleteWebhook({ world, params, signal: new AbortController().signal });
  if (!/^https:\/\//i.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  const allowed = params.json('allowed_updates', 'allowed updates');
  const maxConnections = params.integer('max_connections');
  const secret = params.string('secret_token');
  const same = world.webhook?.url === url;
  // One list for both ways of getting updates; omitted, the previous one stays.
  if (Array.isArray(allowed))
    world.allowedUpdates = allowed.filter((t): t is string => typeof t === 'string');
  world.webhook = {
    url,
    ...(secret ? { secret_token: secret } : {}),
    ...(world.allowedUpdates ? { allowed_updates: world.allowedUpdates } : {}),
    ...(maxConnections ? { max_connections: clamp(maxConnections, 1, 100) } : {}),
  };
  if (!same) world.webhookError = undefined;
  world.abortLongPoll(conflict('terminated by setWebhook request'));
  world.updatesChanged();
  return new Described(true, same ? 'Webhook is already set' : 'Webhook was set');
};

/** Posting stops (a post under way finishes); what was not delivered waits for getUpdates. */
const deleteWebhook: Handler = ({ world, params }) => {
  if (params.boolean('drop_pending_updates')) world.dropPendingUpdates();
  const had = world.webhook !== undefined;
  world.webhook = undefined;
  world.webhookError = undefined;
  world.updatesChanged();
  return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
};

const getWebhookInfo: Handler = ({ world }) => ({
  url: world.webhook?.url ?? '',
  has_custom_certificate: false,
  pending_update_count: world.pendingUpdateCount(),
  ...(world.webhook && world.webhookError
    ? { last_error_date: world.webhookError.date, last_error_message: world.webhookError.message }
    : {}),
  ...(world.webhook ? { max_connections: world.webhook.max_connections ?? DEFAULT_MAX_CONNECTIONS } : {}),
  ...(world.webhook?.allowed_updates ? { allowed_updates: world.webhook.allowed_updates } : {}),
});

const getFile: Handler = ({ world, params }) => {
  const stored = world.files.get(params.string('file_id') ?? '');
  if (!stored) throw badRequest('invalid file_id');
  return stored.file;
};

// ------------------------------------------------------------------------------------------ commands

const SCOPE_TYPES = new Set([
  'default',
  'all_private_chats',
  'all_group_chats',
  'all_chat_administrators',
  'chat',
  'chat_administrators',
  'chat_member',
]);

/** The storage key of (scope, language_code), validated as Telegram does. */
function commandsTarget(world: World, params: Params): string {
  const scope = params.json('scope', 'BotCommandScope');
  if (scope !== undefined) {
    const { type, chat_id } = (typeof scope === 'object' && scope !== null ? scope : {}) as Record<
      string,
      unknown
    >;
    if (typeof type !== 'string' || !SCOPE_TYPES.has(type)) {
      throw badRequest("can't parse BotCommandScope: Unsupported type specified");
    }
    if (type.startsWith('chat')) world.chat(typeof chat_id === 'string' ? chat_id : Number(chat_id));
  }
  const language = params.string('language_code') ?? '';
  if (language !== '' && !/^[a-z]{2}$/.test(language)) throw badRequest('invalid language code specified');
  return commandsKey(scope, language);
}

const setMyCommands: Handler = ({ world, params }) => {
  const given = params.json('commands', 'commands');
  if (!Array.isArray(given)) throw badRequest('expected an Array of BotCommand');
  if (given.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
  const commands: BotCommand[] = given.map((item: unknown) => {
    const fields = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const command = String(fields.command ?? '')
      .trim()
      .replace(/^\//, '');
    const description = String(fields.description ?? '').trim();
    if (command === '') throw badRequest('command must be non-empty');
    if ([...command].length > 32) throw badRequest('command length must not exceed 32');
    if (description === '') throw badRequest('command description must be non-empty');
    if ([...description].length > 256) throw badRequest('command description length must not exceed 256');
    if (!/^[a-z0-9_]+$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
    return { command, description };
  });
  const key = commandsTarget(world, params);
  if (commands.length === 0) world.commands.delete(key);
  else world.commands.set(key, commands);
  return true;
};

const getMyCommands: Handler = ({ world, params }) => world.commands.get(commandsTarget(world, params)) ?? [];

const deleteMyCommands: Handler = ({ world, params }) => {
  world.commands.delete(commandsTarget(world, params));
  return true;
};

// -------------------------------------------------------------------------------- menu button, chats

function readMenuButton(params: Params): MenuButton {
  const button = params.json('menu_button', 'menu button');
  if (button === undefined) return { type: 'default' };
  const fields = (typeof button === 'object' && button !== null ? button : {}) as Record<string, unknown>;
  if (fields.type === 'default' || fields.type === 'commands') return { type: fields.type };
  const webApp = fields.web_app as Record<string, unknown> | undefined;
  if (fields.type === 'web_app' && typeof fields.text === 'string' && typeof webApp?.url === 'string') {
    return { type: 'web_app', text: fields.text, web_app: { url: webApp.url } };
  }
  throw badRequest("can't parse menu button: MenuButton has unsupported type");
}

/** Menu buttons are per person: chat_id must be a private chat. */
function menuChat(world: World, params: Params) {
  if (!params.has('chat_id')) return undefined;
  const record = world.chat(params.chatId());
  if (record.chat.type !== 'private') throw badRequest('chat not found');
  return record;
}

const setChatMenuButton: Handler = ({ world, params }) => {
  const button = readMenuButton(params);
  const record = menuChat(world, params);
  if (record) {
    record.menuButton = button;
    world.changed(record);
  } else {
    world.defaultMenuButton = button;
    for (const chat of world.chats.values()) if (chat.chat.type === 'private') world.changed(chat);
  }
  return true;
};

const getChatMenuButton: Handler = ({ world, params }) =>
  menuChat(world, params)?.menuButton ?? world.defaultMenuButton ?? { type: 'commands' };

const getChat: Handler = ({ world, params }): ChatFullInfo => {
  const record = world.chat(params.chatId());
  const pinnedId = record.pinned.at(-1);
  const pinned = pinnedId === undefined ? undefined : record.messages.get(pinnedId);
  const common = {
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
      gifts_from_channels: false,
    },
    ...(pinned ? { pinned_message: pinned } : {}),
  };
  return { ...record.chat, ...common };
};

const ok: Handler = () => true;

const coreMethods = {
  getMe,
  logOut: ok,
  close: ok,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  getFile,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  setChatMenuButton,
  getChatMenuButton,
  getChat,
} satisfies Record<string, Handler>;

const METHODS: Record<string, Handler> = {
  ...coreMethods,
  ...messageMethods,
  ...forumMethods,
  ...memberMethods,
};
const BY_LOWER_NAME = new Map(Object.keys(METHODS).map((name) => [name.toLowerCase(), name]));

export const METHOD_NAMES = Object.keys(METHODS);

/** The method and its canonical spelling; Telegram matches method names case-insensitively. */
export function findMethod(name: string): { name: string; handler: Handler } | undefined {
  const canonical = BY_LOWER_NAME.get(name.toLowerCase());
  const handler = canonical === undefined ? undefined : METHODS[canonical];
  return canonical === undefined || !handler ? undefined : { name: canonical, handler };
}

/** Methods that put a message in a chat, and so count against Telegram's flood limits. */
export const SENDING_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendVoice',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
]);

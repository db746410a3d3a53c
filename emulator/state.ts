// Everything the emulated Telegram knows: the bot, people, chats with their messages and forum topics,
// files, callback queries, commands, and the queue of updates the bot fetches with getUpdates.
import type {
  BotCommand,
  Chat,
  ChatMember,
  File,
  ForceReply,
  InlineKeyboardMarkup,
  MenuButton,
  Message,
  PhotoSize,
  ReplyKeyboardMarkup,
  Update,
  User,
  UserFromGetMe,
} from 'grammy/types';
import { FILE_FOLDER, FILE_ID_PREFIX, type FileKind, fakeJpeg, hashText, PHOTO_SIZES } from './media.ts';
import { ApiError, badRequest, conflict, forbidden } from './protocol.ts';

export interface StoredFile {
  kind: FileKind;
  file: File & { file_path: string; file_size: number };
  bytes: Uint8Array;
  /** What a Document or Voice built from this file says about it. */
  fileName?: string;
  mimeType?: string;
  duration?: number;
}

export interface Topic {
  threadId: number;
  name: string;
  iconColor: number;
  iconCustomEmojiId?: string;
  closed: boolean;
  /** The forum_topic_created service message; its id is the thread id, as in Telegram. */
  created: Message;
}

export interface ChatRecord {
  chat: Chat.PrivateChat | Chat.SupergroupChat;
  /** Current messages in the order they were sent; edits replace, deletions remove. */
  messages: Map<number, Message>;
  nextMessageId: number;
  /** Bumped whenever a message is stored (sent or edited); `changedAt` keeps each message's value. */
  revision: number;
  changedAt: Map<number, number>;
  topics: Map<number, Topic>;
  /** Pinned message ids, most recent last. */
  pinned: number[];
  /** Who is in a group and as what, the bot included, by user id (empty for private chats). */
  members: Map<number, ChatMember>;
  /** `revision` at the latest thing a person did here (a message, a press): what waitForMessage looks past. */
  lastAction: number;
  /**
   * force_reply markups the bot sent, by message id. Like reply keyboards they are client-side state:
   * the Bot API's Message carries inline keyboards only, so they are kept here for tests to read.
   */
  forceReplies: Map<number, ForceReply>;
  /** The reply keyboard shown under the person's input field (not part of any Message in the Bot API). */
  replyKeyboard?: ReplyKeyboardMarkup;
  menuButton?: MenuButton;
  chatInstance: string;
  /** Called after anything here changed (see World.changed); what a live chat view subscribes to. */
  watchers: Set<() => void>;
  watchScheduled: boolean;
}

export interface CallbackQueryRecord {
  id: string;
  from: User;
  /** The chat of the pressed message. */
  chatId: number;
  answer?: { text?: string; show_alert?: boolean; url?: string };
}

type UpdateBody = Omit<Update, 'update_id'>;

/** What a message says, as opposed to where and by whom. */
export type MessageContent = Omit<Partial<Message>, 'message_id' | 'from' | 'chat' | 'date'>;

/** A message as stored here: always with a sender, never in a channel. */
export type ChatMessage = Message & { chat: ChatRecord['chat']; from: User };

/** What setWebhook registered. */
export interface WebhookSetting {
  url: string;
  /** Sent back in X-Telegram-Bot-Api-Secret-Token with every post. */
  secret_token?: string;
  allowed_updates?: string[];
  max_connections?: number;
}

/** Sent by default when allowed_updates is empty or was never given. */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export class World {
  readonly bot: User;
  readonly users = new Map<number, { user: User; blocked: boolean }>();
  readonly chats = new Map<number, ChatRecord>();
  readonly files = new Map<string, StoredFile>();
  readonly callbackQueries = new Map<string, CallbackQueryRecord>();
  /** By scope and language code, see `commandsKey`. */
  readonly commands = new Map<string, BotCommand[]>();
  defaultMenuButton: MenuButton | undefined;
  webhook: WebhookSetting | undefined;
  allowedUpdates: string[] | undefined;
  /** The latest failure to deliver to the webhook (for getWebhookInfo). */
  webhookError: { date: number; message: string } | undefined;

  #updates: Update[] = [];
  /** Telegram's ids do not start at 1; bots must not assume they do. */
  #nextUpdateId: number;
  #poll: { limit: number; finish(result: Update[] | ApiError): void; waking: boolean } | undefined;
  /** Told when an update is queued or the webhook changes (the webhook's delivery, emulator/webhook.ts). */
  #updateListeners = new Set<() => void>();
  #fileCount = 0;
  #queryCount = 0;
  /** Every size of a photo by the file_id of any of them, so re-sending a photo keeps its sizes. */
  #photos = new Map<string, PhotoSize[]>();

  constructor(
    readonly botInfo: UserFromGetMe,
    /** The first message id of a new chat (1, as on Telegram, unless told otherwise). */
    private readonly firstMessageId: (chatId: number) => number = () => 1,
    firstUpdateId = 730_000_001,
  ) {
    this.#nextUpdateId = firstUpdateId;
    this.bot = { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username };
  }

  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  // --------------------------------------------------------------------------------- people and chats

  addUser(user: User): ChatRecord {
    const known = this.users.get(user.id);
    this.users.set(user.id, { user, blocked: known?.blocked ?? false });
    const { id, first_name, last_name, username } = user;
    const chat: Chat.PrivateChat = {
      id,
      first_name,
      ...(last_name ? { last_name } : {}),
      ...(username ? { username } : {}),
      type: 'private',
    };
    const existing = this.chats.get(id);
    if (existing) {
      existing.chat = chat;
      return existing;
    }
    return this.addChat(chat);
  }

  addChat(chat: ChatRecord['chat']): ChatRecord {
    const record: ChatRecord = {
      chat,
      messages: new Map(),
      nextMessageId: this.firstMessageId(chat.id),
      revision: 0,
      changedAt: new Map(),
      topics: new Map(),
      pinned: [],
      members: new Map(),
      lastAction: 0,
      forceReplies: new Map(),
      watchers: new Set(),
      watchScheduled: false,
      chatInstance: (5_000_000_000_000_000_000n + BigInt(chat.id) * 7_919n).toString(),
    };
    this.chats.set(chat.id, record);
    return record;
  }

  /**
   * The chat a method addresses; unknown ids and usernames are "chat not found", and a group the bot
   * left or was kicked from is 403 for every method, as in Telegram.
   */
  chat(chatId: number | string): ChatRecord {
    const record =
      typeof chatId === 'number'
        ? this.chats.get(chatId)
        : [...this.chats.values()].find(
            (c) => `@${c.chat.username ?? ''}`.toLowerCase() === chatId.toLowerCase(),
          );
    if (!record) throw badRequest('chat not found');
    const bot = record.members.get(this.bot.id)?.status;
    if (bot === 'kicked') throw forbidden('bot was kicked from the supergroup chat');
    if (bot === 'left') throw forbidden('bot is not a member of the supergroup chat');
    return record;
  }

  isBlocked(chatId: number): boolean {
    return this.users.get(chatId)?.blocked ?? false;
  }

  // ------------------------------------------------------------------------------------------ messages

  addMessage(
    record: ChatRecord,
    options: {
      from: User;
      content: MessageContent;
      threadId?: number | undefined;
      replyTo?: Message | undefined;
      replyMarkup?: InlineKeyboardMarkup | undefined;
    },
  ): ChatMessage {
    const { from, content, replyTo, replyMarkup } = options;
    const message_id = record.nextMessageId++;
    // A reply lands in the replied message's topic; a topic message without a reply answers the topic's
    // creation message, which is how Telegram marks topic membership in reply_to_message.
    const threadId = options.threadId ?? (replyTo?.is_topic_message ? replyTo.message_thread_id : undefined);
    const topic = threadId === undefined ? undefined : record.topics.get(threadId);
    const repliedTo = replyTo ?? topic?.created;
    const message: ChatMessage = {
      message_id,
      ...(topic ? { message_thread_id: topic.threadId } : {}),
      from,
      chat: record.chat,
      date: this.now(),
      ...(repliedTo ? { reply_to_message: { ...repliedTo, reply_to_message: undefined } } : {}),
      ...(topic ? { is_topic_message: true } : {}),
      ...content,
      ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    };
    this.store(record, message);
    return message;
  }

  /** Saves a new or edited message. */
  store(record: ChatRecord, message: Message): void {
    record.messages.set(message.message_id, message);
    record.changedAt.set(message.message_id, ++record.revision);
    this.changed(record);
  }

  /**
   * Tells the chat's watchers that something in it changed (a message sent, edited or deleted, a press
   * answered): once, on the next turn, so what one call changes together (a message and the reply
   * keyboard sent with it) arrives as one change.
   */
  changed(record: ChatRecord): void {
    if (record.watchers.size === 0 || record.watchScheduled) return;
    record.watchScheduled = true;
    setImmediate(() => {
      record.watchScheduled = false;
      for (const watcher of [...record.watchers]) watcher();
    });
  }

  /** The bot's messages in a chat, as they are now. */
  botMessages(record: ChatRecord): Message[] {
    return [...record.messages.values()].filter((m) => m.from?.id === this.bot.id);
  }

  // --------------------------------------------------------------------------------------------- files

  addFile(kind: FileKind, bytes: Uint8Array, extension: string): StoredFile {
    const n = ++this.#fileCount;
    const seed = `${kind}:${n}:${this.bot.id}`;
    const stored: StoredFile = {
      kind,
      bytes,
      file: {
        file_id: `${FILE_ID_PREFIX[kind]}${hashText(seed, 56)}`,
        file_unique_id: `AgAD${hashText(`unique:${seed}`, 12)}`,
        file_size: bytes.length,
        file_path: `${FILE_FOLDER[kind]}/file_${n}.${extension}`,
      },
    };
    this.files.set(stored.file.file_id, stored);
    return stored;
  }

  /** Three sizes of one photo; the largest keeps the uploaded bytes when there are some. */
  addPhoto(original?: Uint8Array): PhotoSize[] {
    const n = this.#fileCount;
    const sizes = PHOTO_SIZES.map((size, i) => {
      const last = i === PHOTO_SIZES.length - 1;
      const bytes = last && original ? original : fakeJpeg(size.bytes, `photo:${n}:${i}`);
      const { file_id, file_unique_id, file_size } = this.addFile('photo', bytes, 'jpg').file;
      return { file_id, file_unique_id, file_size, width: size.width, height: size.height };
    });
    for (const size of sizes) this.#photos.set(size.file_id, sizes);
    return sizes;
  }

  fileByPath(path: string): StoredFile | undefined {
    for (const stored of this.files.values()) if (stored.file.file_path === path) return stored;
    return undefined;
  }

  photoSizesOf(fileId: string): PhotoSize[] | undefined {
    return this.#photos.get(fileId);
  }

  // ----------------------------------------------------------------------------------- callback queries

  newCallbackQueryId(): string {
    // Telegram's ids are 64-bit numbers sent as strings.
    return (4_216_000_000_000_000_000n + BigInt(++this.#queryCount) * 7_919n).toString();
  }

  // ------------------------------------------------------------------------------------------- updates

  /** Queues an update for the bot, unless allowed_updates excludes its type (Telegram drops those). */
  deliver(body: UpdateBody): Update | undefined {
    const type = Object.keys(body)[0] ?? '';
    const allowed = this.allowedUpdates?.length
      ? this.allowedUpdates.includes(type)
      : !NOT_BY_DEFAULT.has(type);
    if (!allowed) return undefined;
    const update: Update = { update_id: this.#nextUpdateId++, ...body };
    this.#updates.push(update);
    this.#wake();
    this.updatesChanged();
    return update;
  }

  /** Updates not confirmed yet, oldest first (the webhook's delivery reads them; do not change them). */
  pendingUpdates(): readonly Update[] {
    return this.#updates;
  }

  /** A webhook post of this update was answered 2xx: it is delivered. */
  confirmUpdate(updateId: number): void {
    const at = this.#updates.findIndex((u) => u.update_id === updateId);
    if (at !== -1) this.#updates.splice(at, 1);
  }

  /** Calls `listener` whenever an update is queued or the webhook is set or deleted; returns the unsubscribe. */
  onUpdates(listener: () => void): () => void {
    this.#updateListeners.add(listener);
    return () => {
      this.#updateListeners.delete(listener);
    };
  }

  updatesChanged(): void {
    for (const listener of this.#updateListeners) listener();
  }

  /** True while a getUpdates long poll is waiting for updates. */
  get polling(): boolean {
    return this.#poll !== undefined;
  }

  pendingUpdateCount(): number {
    return this.#updates.length;
  }

  dropPendingUpdates(): void {
    this.#updates = [];
  }

  /**
   * getUpdates: confirms everything before `offset`, then answers at once when updates are waiting,
   * otherwise waits up to `timeout` seconds. A newer long poll ends the older one with 409, as Telegram
   * does; a poll whose client went away is forgotten.
   */
  getUpdates(offset: number, limit: number, timeout: number, signal: AbortSignal): Promise<Update[]> {
    if (this.webhook) {
      throw conflict(
        "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    if (offset > 0) this.#updates = this.#updates.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.#updates = this.#updates.slice(offset);
    const ready = this.#updates.slice(0, limit);
    if (ready.length > 0 || timeout <= 0) return Promise.resolve(ready);

    this.abortLongPoll(
      conflict('terminated by other getUpdates request; make sure that only one bot instance is running'),
    );
    if (signal.aborted) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const finish = (result: Update[] | ApiError) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.#poll === poll) this.#poll = undefined;
        if (result instanceof ApiError) reject(result);
        else resolve(result);
      };
      const poll = { limit, finish, waking: false };
      const timer = setTimeout(() => finish([]), timeout * 1000);
      const onAbort = () => finish([]);
      signal.addEventListener('abort', onAbort);
      this.#poll = poll;
    });
  }

  /** Ends the pending long poll, if any: with an error (409) or with nothing (shutdown). */
  abortLongPoll(reason: ApiError | 'empty'): void {
    this.#poll?.finish(reason === 'empty' ? [] : reason);
  }

  #wake(): void {
    const poll = this.#poll;
    if (!poll || poll.waking) return;
    poll.waking = true;
    // Answer on the next turn so updates delivered together travel in one batch.
    setImmediate(() => {
      if (this.#poll === poll) poll.finish(this.#updates.slice(0, poll.limit));
    });
  }
}

/** Commands are stored per exact scope and language, and getMyCommands does no fallback. */
export function commandsKey(scope: unknown, languageCode: string): string {
  const s = (typeof scope === 'object' && scope !== null ? scope : {}) as Record<string, unknown>;
  const type = typeof s.type === 'string' ? s.type : 'default';
  const chat = s.chat_id === undefined ? '' : String(s.chat_id);
  const user = s.user_id === undefined ? '' : String(s.user_id);
  return `${type}|${chat}|${user}|${languageCode}`;
}

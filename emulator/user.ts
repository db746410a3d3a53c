// The test side: a person chatting with the bot, and a supergroup people post in. Their actions become
// updates the bot fetches; what the bot did is read back from the chat as it is now.
import type { ForceReply, MenuButton, Message, ReplyKeyboardMarkup, User } from 'grammy/types';
import { plainText } from './formatting.ts';
import { extensionOf, fakeDocument, fakeOgg, fakeWebp, mimeTypeOf } from './media.ts';
import {
  type BotRights,
  chatMember,
  isPresent,
  joinGroup,
  type Membership,
  setBotMembership,
} from './members.ts';
import type { ChatRecord, World } from './state.ts';
import { waitFor } from './wait.ts';

export interface UserProfile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

type ReplyTo = Message | number;
type MessageMatch = string | RegExp | ((message: Message) => boolean);

export interface TestUser {
  id: number;
  chatId: number;
  /**
   * A text message; '/cmd args' gets a bot_command entity, as Telegram detects it. Text over 4096
   * characters goes as several messages, as clients split it; the first is returned.
   */
  send(text: string, opts?: { replyTo?: ReplyTo }): Message;
  /** A photo; `bytes` is the picture itself (its largest size), else stand-in JPEG bytes are stored. */
  sendPhoto(opts?: { caption?: string; replyTo?: ReplyTo; bytes?: Uint8Array }): Message;
  sendDocument(opts?: { fileName?: string; mimeType?: string; caption?: string; replyTo?: ReplyTo }): Message;
  sendVoice(opts?: { duration?: number; caption?: string }): Message;
  sendSticker(): Message;
  /** Shares a phone number; the person's own contact carries their user_id (default: own). */
  shareContact(phone: string, opts?: { ownContact?: boolean }): Message;
  /**
   * A callback_query from this person on a message as it is now; returns the query id. `data` need not
   * be on a current button, so stale presses (a keyboard edited away) and forged data can be tested.
   */
  press(message: Message, data: string): string;
  /** The bot gets my_chat_member (kicked / member); while blocked, sending to this chat is 403. */
  block(): void;
  unblock(): void;
  /** The bot's messages in this person's chat, in order, as they are now (after edits and deletions). */
  inbox(): Message[];
  /** Every message of this person's chat, theirs and the bot's, in order, as they are now. */
  messages(): Message[];
  last(): Message | undefined;
  /**
   * Without `match`: the first bot message sent after this call began. With `match` (text or caption
   * contains the string, matches the RegExp, or passes the function): the first matching bot message
   * sent or edited since this person's latest action (send, press…), even one that came before the call.
   */
  waitForMessage(match?: MessageMatch, timeoutMs?: number): Promise<Message>;
  /**
   * answerCallbackQuery calls for this person's presses, in the order of the presses: in their own chat
   * and in groups alike.
   */
  answers(): { queryId: string; text?: string; show_alert?: boolean }[];
  /** The reply keyboard under the input field (Telegram keeps it as chat state, not on a Message). */
  keyboard(): ReplyKeyboardMarkup | undefined;
  /**
   * The force_reply markup the bot sent with one of its messages in this chat, if it asked for a reply
   * (kept beside the Message: the Bot API's Message carries inline keyboards only).
   */
  forceReply(message: ReplyTo): ForceReply | undefined;
  /** The menu button beside the input field: this chat's, else the bot's default, else the commands list. */
  menuButton(): MenuButton;
  /**
   * Calls `listener` after anything in this chat changed: a message sent, edited or deleted, a press
   * answered. Changes made together arrive as one call, on the next turn. Returns the unsubscribe.
   */
  watch(listener: () => void): () => void;
}

export interface TopicSummary {
  threadId: number;
  name: string;
  closed: boolean;
  /** The most recently pinned message of the topic. */
  pinned?: number;
}

/** Where a group message goes: into a topic, or as a reply (which stays in the replied message's topic). */
export interface GroupPostOptions {
  threadId?: number;
  replyTo?: ReplyTo;
}

export interface TestGroup {
  id: number;
  /**
   * A text message from `from`, who joins the group as a member if not in it yet. Only admins who may
   * manage topics post in a closed topic. Split over 4096 characters as a client does; the first message
   * is returned.
   */
  post(from: TestUser, text: string, opts?: GroupPostOptions): Message;
  /** A photo; `bytes` is the picture itself (its largest size), else stand-in JPEG bytes are stored. */
  postPhoto(from: TestUser, opts?: { caption?: string; bytes?: Uint8Array } & GroupPostOptions): Message;
  postDocument(
    from: TestUser,
    opts?: { fileName?: string; mimeType?: string; caption?: string } & GroupPostOptions,
  ): Message;
  /**
   * A callback_query from `from` on a message of this group as it is now; returns the query id. As with
   * TestUser.press, `data` need not be on a current button; the answer shows in `from.answers()`.
   */
  press(from: TestUser, message: Message, data: string): string;
  /** Puts a person in the group (default: as a member), or changes their status; no update is sent. */
  addMember(user: TestUser, membership?: Membership): void;
  /** Changes the bot's status or rights; the bot gets my_chat_member from `by`, as on Telegram. */
  setBotRights(rights: BotRights, by: TestUser): void;
  /** Every message in the group (people's, the bot's, service messages), optionally of one topic. */
  messages(threadId?: number): Message[];
  topics(): TopicSummary[];
  /**
   * Like TestUser.waitForMessage, for the bot's messages in this group (service messages such as
   * forum_topic_created or pinned_message left out), optionally in one topic. With `match`, it looks
   * at messages sent or edited since anyone's latest action here (post, press).
   */
  waitForMessage(match?: MessageMatch, opts?: { threadId?: number; timeoutMs?: number }): Promise<Message>;
  /** The force_reply markup the bot sent with one of its messages here, if it asked for a reply. */
  forceReply(message: ReplyTo): ForceReply | undefined;
  /** Like TestUser.watch, for this group: `listener` runs after anything here changed. */
  watch(listener: () => void): () => void;
}

export interface GroupOptions {
  id: number;
  title: string;
  forum?: boolean;
  /** The bot's membership; default an administrator with the rights in ADMIN_DEFAULTS. */
  botRights?: BotRights;
  /** Who added the bot: the bot then gets my_chat_member (left → its membership) from them. */
  addedBy?: TestUser;
}

function resolveReply(record: ChatRecord, replyTo: ReplyTo | undefined): Message | undefined {
  if (replyTo === undefined) return undefined;
  const id = typeof replyTo === 'number' ? replyTo : replyTo.message_id;
  const target = record.messages.get(id);
  if (!target) throw new Error(`There is no message ${id} in chat ${record.chat.id} to reply to`);
  return target;
}

/** Text as a Telegram client sends it: never empty, and split into messages of at most 4096 characters. */
function typedMessages(text: string): [string, ...string[]] {
  if (text.trim() === '') throw new Error('A Telegram client does not send an empty message');
  const characters = [...text];
  const rest: string[] = [];
  for (let i = 4096; i < characters.length; i += 4096) rest.push(characters.slice(i, i + 4096).join(''));
  return [characters.slice(0, 4096).join(''), ...rest];
}

const textContent = (text: string): Partial<Message> => {
  const { entities } = plainText(text);
  return { text, ...(entities.length ? { entities } : {}) };
};

const captionContent = (caption: string | undefined): Partial<Message> => {
  if (!caption) return {};
  const { entities } = plainText(caption);
  return { caption, ...(entities.length ? { caption_entities: entities } : {}) };
};

const photoContent = (world: World, caption: string | undefined, bytes?: Uint8Array): Partial<Message> => {
  if (bytes?.length === 0) throw new Error('A photo must have some bytes');
  return { photo: world.addPhoto(bytes), ...captionContent(caption) };
};

/** A document as a client uploads it: named, typed by its name unless told, with stand-in bytes. */
function documentContent(
  world: World,
  senderId: number,
  opts: { fileName?: string; mimeType?: string; caption?: string } | undefined,
): Partial<Message> {
  const fileName = opts?.fileName ?? 'report.pdf';
  const bytes = fakeDocument(fileName, 24_576, `document:${senderId}:${fileName}:${world.files.size}`);
  const stored = world.addFile('document', bytes, extensionOf(fileName) ?? 'dat');
  stored.fileName = fileName;
  stored.mimeType = opts?.mimeType ?? mimeTypeOf(fileName);
  const { file_id, file_unique_id, file_size } = stored.file;
  const document = { file_name: fileName, mime_type: stored.mimeType, file_id, file_unique_id, file_size };
  return { document, ...captionContent(opts?.caption) };
}

function matcher(match: MessageMatch | undefined): (message: Message) => boolean {
  if (match === undefined) return () => true;
  if (typeof match === 'function') return match;
  return (message) => {
    const text = message.text ?? message.caption ?? '';
    return typeof match === 'string' ? text.includes(match) : match.test(text);
  };
}

const SERVICE_FIELDS = [
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'pinned_message',
] as const;

const isServiceMessage = (message: Message) => SERVICE_FIELDS.some((field) => field in message);

/**
 * The waitForMessage rule, for a chat and the bot messages worth waiting for in it: without `match`,
 * the first sent after the call began; with it, the first matching one sent or edited since the
 * chat's latest action.
 */
function waitForBotMessage(
  record: ChatRecord,
  candidates: () => Message[],
  match: MessageMatch | undefined,
  timeoutMs: number,
  what: string,
): Promise<Message> {
  const firstNew = record.nextMessageId;
  const since = record.lastAction;
  const matches = matcher(match);
  const eligible =
    match === undefined
      ? (m: Message) => m.message_id >= firstNew
      : (m: Message) => (record.changedAt.get(m.message_id) ?? 0) > since && matches(m);
  return waitFor(
    () => candidates().find(eligible),
    timeoutMs,
    () =>
      `${what}${match === undefined ? '' : ` matching ${String(match)}`} (now: ${JSON.stringify(
        candidates().map((m) => m.text ?? m.caption ?? '[media]'),
      )})`,
  );
}

/** A callback_query on a message as it is now; a person pressing in a group is in it. */
function pressOn(world: World, user: User, message: Message, data: string): string {
  const record = world.chats.get(message.chat.id);
  const current = record?.messages.get(message.message_id);
  if (!record || !current)
    throw new Error(`Message ${message.message_id} was deleted; there is nothing to press`);
  if (record.chat.type !== 'private') {
    if (!isPresent(record.members.get(world.bot.id))) {
      throw new Error(`The bot is not in group ${record.chat.id}; nothing would answer the press`);
    }
    joinGroup(record, user);
  }
  const id = world.newCallbackQueryId();
  world.callbackQueries.set(id, { id, from: user, chatId: record.chat.id });
  record.lastAction = record.revision;
  world.deliver({
    callback_query: { id, from: user, message: current, chat_instance: record.chatInstance, data },
  });
  return id;
}

function forceReplyOf(record: ChatRecord, message: ReplyTo): ForceReply | undefined {
  const id = typeof message === 'number' ? message : message.message_id;
  return record.messages.has(id) ? record.forceReplies.get(id) : undefined;
}

function watchChat(record: ChatRecord, listener: () => void): () => void {
  // A wrapper per call: the same function watching twice is two subscriptions.
  const watcher = () => listener();
  record.watchers.add(watcher);
  return () => {
    record.watchers.delete(watcher);
  };
}

export class Person implements TestUser {
  readonly id: number;
  readonly chatId: number;
  readonly user: User;
  readonly #world: World;
  readonly #record: ChatRecord;

  constructor(world: World, profile: UserProfile) {
    const { id, first_name, last_name, username, language_code } = profile;
    this.user = {
      id,
      is_bot: false,
      first_name,
      ...(last_name ? { last_name } : {}),
      ...(username ? { username } : {}),
      ...(language_code ? { language_code } : {}),
    };
    this.id = id;
    this.chatId = id;
    this.#world = world;
    this.#record = world.addUser(this.user);
  }

  send(text: string, opts?: { replyTo?: ReplyTo }): Message {
    const [first, ...rest] = typedMessages(text);
    const message = this.#post(textContent(first), opts?.replyTo);
    for (const part of rest) this.#post(textContent(part));
    return message;
  }

  sendPhoto(opts?: { caption?: string; replyTo?: ReplyTo; bytes?: Uint8Array }): Message {
    return this.#post(photoContent(this.#world, opts?.caption, opts?.bytes), opts?.replyTo);
  }

  sendDocument(opts?: {
    fileName?: string;
    mimeType?: string;
    caption?: string;
    replyTo?: ReplyTo;
  }): Message {
    return this.#post(documentContent(this.#world, this.id, opts), opts?.replyTo);
  }

  sendVoice(opts?: { duration?: number; caption?: string }): Message {
    const duration = opts?.duration ?? 3;
    const stored = this.#world.addFile(
      'voice',
      fakeOgg(duration * 4_000, `voice:${this.#world.files.size}`),
      'oga',
    );
    stored.duration = duration;
    const { file_id, file_unique_id, file_size } = stored.file;
    const voice = { duration, mime_type: 'audio/ogg', file_id, file_unique_id, file_size };
    return this.#post({ voice, ...captionContent(opts?.caption) });
  }

  sendSticker(): Message {
    const stored = this.#world.addFile(
      'sticker',
      fakeWebp(18_000, `sticker:${this.#world.files.size}`),
      'webp',
    );
    const { file_id, file_unique_id, file_size } = stored.file;
    const sticker = {
      file_id,
      file_unique_id,
      type: 'regular' as const,
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: '👍',
      set_name: 'EmulatorStickers',
      file_size,
    };
    return this.#post({ sticker });
  }

  shareContact(phone: string, opts?: { ownContact?: boolean }): Message {
    const own = opts?.ownContact ?? true;
    const { first_name, last_name } = this.user;
    const contact = own
      ? { phone_number: phone, first_name, ...(last_name ? { last_name } : {}), user_id: this.id }
      : { phone_number: phone, first_name: 'Contact' };
    return this.#post({ contact });
  }

  press(message: Message, data: string): string {
    this.#checkNotBlocked(message.chat.id);
    return pressOn(this.#world, this.user, message, data);
  }

  block(): void {
    this.#setBlocked(true);
  }

  unblock(): void {
    this.#setBlocked(false);
  }

  inbox(): Message[] {
    return this.#world.botMessages(this.#record);
  }

  last(): Message | undefined {
    return this.inbox().at(-1);
  }

  messages(): Message[] {
    return [...this.#record.messages.values()];
  }

  waitForMessage(match?: MessageMatch, timeoutMs = 5000): Promise<Message> {
    return waitForBotMessage(
      this.#record,
      () => this.inbox(),
      match,
      timeoutMs,
      `a bot message to ${this.user.first_name}`,
    );
  }

  answers(): { queryId: string; text?: string; show_alert?: boolean }[] {
    return [...this.#world.callbackQueries.values()].flatMap(({ id: queryId, from, answer }) => {
      if (from.id !== this.id || !answer) return [];
      return [
        {
          queryId,
          ...(answer.text !== undefined ? { text: answer.text } : {}),
          ...(answer.show_alert ? { show_alert: true } : {}),
        },
      ];
    });
  }

  keyboard(): ReplyKeyboardMarkup | undefined {
    return this.#record.replyKeyboard;
  }

  forceReply(message: ReplyTo): ForceReply | undefined {
    return forceReplyOf(this.#record, message);
  }

  menuButton(): MenuButton {
    return this.#record.menuButton ?? this.#world.defaultMenuButton ?? { type: 'commands' };
  }

  watch(listener: () => void): () => void {
    return watchChat(this.#record, listener);
  }

  #checkNotBlocked(chatId: number): void {
    if (chatId === this.id && this.#world.isBlocked(this.id)) {
      throw new Error(`${this.user.first_name} has blocked the bot; call unblock() first`);
    }
  }

  #post(content: Partial<Message>, replyTo?: ReplyTo): Message {
    this.#checkNotBlocked(this.id);
    const message = this.#world.addMessage(this.#record, {
      from: this.user,
      content,
      replyTo: resolveReply(this.#record, replyTo),
    });
    this.#record.lastAction = this.#record.revision;
    this.#world.deliver({ message });
    return message;
  }

  #setBlocked(blocked: boolean): void {
    const entry = this.#world.users.get(this.id);
    if (!entry || entry.blocked === blocked) return;
    entry.blocked = blocked;
    const bot = this.#world.bot;
    const member = { status: 'member' as const, user: bot };
    const kicked = { status: 'kicked' as const, user: bot, until_date: 0 };
    this.#world.deliver({
      my_chat_member: {
        chat: this.#record.chat,
        from: this.user,
        date: this.#world.now(),
        old_chat_member: blocked ? member : kicked,
        new_chat_member: blocked ? kicked : member,
      },
    });
  }
}

export class Group implements TestGroup {
  readonly id: number;
  readonly #world: World;
  readonly #record: ChatRecord;

  constructor(world: World, options: GroupOptions) {
    this.id = options.id;
    this.#world = world;
    this.#record = world.addChat({
      id: options.id,
      title: options.title,
      ...(options.forum ? { is_forum: true as const } : {}),
      type: 'supergroup',
    });
    const adder = options.addedBy && this.#userOf(options.addedBy);
    setBotMembership(world, this.#record, options.botRights ?? {}, adder);
  }

  post(from: TestUser, text: string, opts?: GroupPostOptions): Message {
    const [first, ...rest] = typedMessages(text);
    return this.#post(from, textContent(first), opts, rest.map(textContent));
  }

  postPhoto(from: TestUser, opts?: { caption?: string; bytes?: Uint8Array } & GroupPostOptions): Message {
    return this.#post(from, photoContent(this.#world, opts?.caption, opts?.bytes), opts);
  }

  postDocument(
    from: TestUser,
    opts?: { fileName?: string; mimeType?: string; caption?: string } & GroupPostOptions,
  ): Message {
    return this.#post(from, documentContent(this.#world, from.id, opts), opts);
  }

  press(from: TestUser, message: Message, data: string): string {
    if (message.chat.id !== this.id) {
      throw new Error(`Message ${message.message_id} is in chat ${message.chat.id}, not in group ${this.id}`);
    }
    return pressOn(this.#world, this.#userOf(from), message, data);
  }

  addMember(user: TestUser, membership: Membership = { status: 'member' }): void {
    const member = chatMember(this.#userOf(user), membership);
    const creator = [...this.#record.members.values()].find((m) => m.status === 'creator');
    if (member.status === 'creator' && creator && creator.user.id !== user.id) {
      throw new Error(`Group ${this.id} already has a creator (${creator.user.first_name})`);
    }
    this.#record.members.set(user.id, member);
  }

  setBotRights(rights: BotRights, by: TestUser): void {
    setBotMembership(this.#world, this.#record, rights, this.#userOf(by));
  }

  messages(threadId?: number): Message[] {
    return [...this.#record.messages.values()].filter(
      (m) => threadId === undefined || m.message_thread_id === threadId,
    );
  }

  topics(): TopicSummary[] {
    return [...this.#record.topics.values()].map((topic) => {
      const pinned = this.#record.pinned.findLast(
        (id) => this.#record.messages.get(id)?.message_thread_id === topic.threadId,
      );
      return {
        threadId: topic.threadId,
        name: topic.name,
        closed: topic.closed,
        ...(pinned !== undefined ? { pinned } : {}),
      };
    });
  }

  waitForMessage(match?: MessageMatch, opts?: { threadId?: number; timeoutMs?: number }): Promise<Message> {
    const threadId = opts?.threadId;
    const title = 'title' in this.#record.chat ? this.#record.chat.title : String(this.id);
    return waitForBotMessage(
      this.#record,
      () =>
        this.#world
          .botMessages(this.#record)
          .filter(
            (m) => !isServiceMessage(m) && (threadId === undefined || m.message_thread_id === threadId),
          ),
      match,
      opts?.timeoutMs ?? 5000,
      `a bot message in ${title}${threadId === undefined ? '' : ` (topic ${threadId})`}`,
    );
  }

  forceReply(message: ReplyTo): ForceReply | undefined {
    return forceReplyOf(this.#record, message);
  }

  watch(listener: () => void): () => void {
    return watchChat(this.#record, listener);
  }

  #userOf(person: TestUser): User {
    const user = this.#world.users.get(person.id)?.user;
    if (!user) throw new Error(`Unknown user ${person.id}: create it with emulator.user() first`);
    return user;
  }

  /**
   * Posts as `from` (who joins the group) into the topic given or the replied message's; `more` are the
   * further parts of a long text, in the same topic without the reply. The bot gets them only while it
   * is in the group.
   */
  #post(
    from: TestUser,
    content: Partial<Message>,
    opts: GroupPostOptions | undefined,
    more: Partial<Message>[] = [],
  ): Message {
    const user = this.#userOf(from);
    const record = this.#record;
    const replyTo = resolveReply(record, opts?.replyTo);
    const threadId = opts?.threadId ?? (replyTo?.is_topic_message ? replyTo.message_thread_id : undefined);
    if (threadId !== undefined) {
      const topic = record.topics.get(threadId);
      if (!topic) throw new Error(`Group ${this.id} has no topic ${threadId}`);
      const member = record.members.get(user.id);
      const manages =
        member?.status === 'creator' || (member?.status === 'administrator' && member.can_manage_topics);
      if (topic.closed && !manages) {
        throw new Error(`Topic "${topic.name}" is closed; only admins who manage topics can post in it`);
      }
    }
    joinGroup(record, user);
    const botIsHere = isPresent(record.members.get(this.#world.bot.id));
    const add = (part: Partial<Message>, reply?: Message) => {
      const message = this.#world.addMessage(record, { from: user, content: part, threadId, replyTo: reply });
      if (botIsHere) this.#world.deliver({ message });
      return message;
    };
    const message = add(content, replyTo);
    for (const part of more) add(part);
    record.lastAction = record.revision;
    return message;
  }
}

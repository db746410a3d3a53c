// The test side: a person chatting with the bot, and a supergroup people post in. Their actions become
// updates the bot fetches; what the bot did is read back from the chat as it is now.
import type { Message, ReplyKeyboardMarkup, User } from 'grammy/types';
import { plainText } from './formatting.ts';
import { extensionOf, fakeDocument, fakeOgg, fakeWebp, mimeTypeOf } from './media.ts';
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
  sendPhoto(opts?: { caption?: string; replyTo?: ReplyTo }): Message;
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
  last(): Message | undefined;
  /**
   * Without `match`: the first bot message sent after this call began. With `match` (text or caption
   * contains the string, matches the RegExp, or passes the function): the first matching bot message
   * sent or edited since this person's latest action (send, press…), even one that came before the call.
   */
  waitForMessage(match?: MessageMatch, timeoutMs?: number): Promise<Message>;
  /** answerCallbackQuery calls for this person's presses, in the order of the presses. */
  answers(): { queryId: string; text?: string; show_alert?: boolean }[];
  /** The reply keyboard under the input field (Telegram keeps it as chat state, not on a Message). */
  keyboard(): ReplyKeyboardMarkup | undefined;
}

export interface TopicSummary {
  threadId: number;
  name: string;
  closed: boolean;
  /** The most recently pinned message of the topic. */
  pinned?: number;
}

export interface TestGroup {
  id: number;
  post(from: TestUser, text: string, opts?: { threadId?: number; replyTo?: ReplyTo }): Message;
  /** Every message in the group (people's, the bot's, service messages), optionally of one topic. */
  messages(threadId?: number): Message[];
  topics(): TopicSummary[];
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

function matcher(match: MessageMatch | undefined): (message: Message) => boolean {
  if (match === undefined) return () => true;
  if (typeof match === 'function') return match;
  return (message) => {
    const text = message.text ?? message.caption ?? '';
    return typeof match === 'string' ? text.includes(match) : match.test(text);
  };
}

export class Person implements TestUser {
  readonly id: number;
  readonly chatId: number;
  readonly user: User;
  readonly #world: World;
  readonly #record: ChatRecord;
  /** The chat's revision at this person's latest action (a message, or a press in their chat). */
  #lastAction = 0;
  readonly #queries: string[] = [];

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

  sendPhoto(opts?: { caption?: string; replyTo?: ReplyTo }): Message {
    return this.#post({ photo: this.#world.addPhoto(), ...captionContent(opts?.caption) }, opts?.replyTo);
  }

  sendDocument(opts?: {
    fileName?: string;
    mimeType?: string;
    caption?: string;
    replyTo?: ReplyTo;
  }): Message {
    const fileName = opts?.fileName ?? 'report.pdf';
    const bytes = fakeDocument(fileName, 24_576, `document:${this.id}:${fileName}:${this.#world.files.size}`);
    const stored = this.#world.addFile('document', bytes, extensionOf(fileName) ?? 'dat');
    stored.fileName = fileName;
    stored.mimeType = opts?.mimeType ?? mimeTypeOf(fileName);
    const { file_id, file_unique_id, file_size } = stored.file;
    const document = { file_name: fileName, mime_type: stored.mimeType, file_id, file_unique_id, file_size };
    return this.#post({ document, ...captionContent(opts?.caption) }, opts?.replyTo);
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
    const record = this.#world.chats.get(message.chat.id);
    const current = record?.messages.get(message.message_id);
    if (!record || !current)
      throw new Error(`Message ${message.message_id} was deleted; there is nothing to press`);
    const id = this.#world.newCallbackQueryId();
    this.#world.callbackQueries.set(id, { id, from: this.user });
    this.#queries.push(id);
    if (record === this.#record) this.#lastAction = record.revision;
    this.#world.deliver({
      callback_query: { id, from: this.user, message: current, chat_instance: record.chatInstance, data },
    });
    return id;
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

  waitForMessage(match?: MessageMatch, timeoutMs = 5000): Promise<Message> {
    const record = this.#record;
    const firstNew = record.nextMessageId;
    const since = this.#lastAction;
    const matches = matcher(match);
    const eligible =
      match === undefined
        ? (m: Message) => m.message_id >= firstNew
        : (m: Message) => (record.changedAt.get(m.message_id) ?? 0) > since && matches(m);
    const what = `a bot message to ${this.user.first_name}${match === undefined ? '' : ` matching ${String(match)}`}`;
    return waitFor(
      () => this.inbox().find(eligible),
      timeoutMs,
      `${what} (inbox: ${JSON.stringify(this.inbox().map((m) => m.text ?? m.caption ?? '[media]'))})`,
    );
  }

  answers(): { queryId: string; text?: string; show_alert?: boolean }[] {
    return this.#queries.flatMap((queryId) => {
      const answer = this.#world.callbackQueries.get(queryId)?.answer;
      if (!answer) return [];
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
    this.#lastAction = this.#record.revision;
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

  constructor(world: World, options: { id: number; title: string; forum?: boolean }) {
    this.id = options.id;
    this.#world = world;
    this.#record = world.addChat({
      id: options.id,
      title: options.title,
      ...(options.forum ? { is_forum: true as const } : {}),
      type: 'supergroup',
    });
  }

  post(from: TestUser, text: string, opts?: { threadId?: number; replyTo?: ReplyTo }): Message {
    const [first, ...rest] = typedMessages(text);
    const user = this.#world.users.get(from.id)?.user;
    if (!user) throw new Error(`Unknown user ${from.id}: create it with emulator.user() first`);
    const replyTo = resolveReply(this.#record, opts?.replyTo);
    const threadId = opts?.threadId ?? (replyTo?.is_topic_message ? replyTo.message_thread_id : undefined);
    if (threadId !== undefined) {
      const topic = this.#record.topics.get(threadId);
      if (!topic) throw new Error(`Group ${this.id} has no topic ${threadId}`);
      if (topic.closed) throw new Error(`Topic "${topic.name}" is closed; members cannot post in it`);
    }
    const post = (part: string, reply?: Message) => {
      const message = this.#world.addMessage(this.#record, {
        from: user,
        content: textContent(part),
        threadId,
        replyTo: reply,
      });
      this.#world.deliver({ message });
      return message;
    };
    const message = post(first, replyTo);
    for (const part of rest) post(part);
    return message;
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
}

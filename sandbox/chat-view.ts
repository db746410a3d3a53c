// The person's chat with the bot as the page shows it: every message (theirs and the bot's, as it is
// now, after edits), the inline and reply keyboards, force-reply prompts, the menu button, and answers
// to presses. Built from the emulator's view of the chat.
import type {
  InlineKeyboardButton,
  KeyboardButton,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
} from 'grammy/types';
import type { TestGroup, TestUser } from '../emulator/index.ts';
import type { ButtonView, ChatView, EntityView, KeyButtonView, MessageView } from './types.ts';

/** A demo chat stays short; the page shows the latest messages. */
export const MAX_MESSAGES = 300;

const entities = (list: MessageEntity[] | undefined): EntityView[] | undefined =>
  list?.length
    ? list.map((e) => ({
        type: e.type,
        offset: e.offset,
        length: e.length,
        ...('url' in e && e.url ? { url: e.url } : {}),
      }))
    : undefined;

function inlineButton(button: InlineKeyboardButton): ButtonView {
  if ('callback_data' in button && button.callback_data !== undefined) {
    return { kind: 'callback', text: button.text, data: button.callback_data };
  }
  if ('web_app' in button && button.web_app)
    return { kind: 'web_app', text: button.text, url: button.web_app.url };
  if ('url' in button && button.url) return { kind: 'url', text: button.text, url: button.url };
  return { kind: 'other', text: button.text };
}

function keyButton(button: KeyboardButton): KeyButtonView {
  if (typeof button === 'string') return { kind: 'text', text: button };
  if ('request_contact' in button && button.request_contact) return { kind: 'contact', text: button.text };
  if ('web_app' in button && button.web_app)
    return { kind: 'web_app', text: button.text, url: button.web_app.url };
  return { kind: 'text', text: button.text };
}

/** One line about a message, for the quote above a reply. */
export function summary(message: Pick<Message, 'text' | 'caption' | 'photo' | 'document' | 'voice'>): string {
  const text = message.text ?? message.caption;
  if (text) return text.split('\n')[0] ?? '';
  if (message.photo) return '🖼';
  if (message.document) return `📄 ${message.document.file_name ?? ''}`.trim();
  if (message.voice) return '🎤';
  return '…';
}

export function messageView(message: Message, person: TestUser): MessageView {
  const mine = message.from?.id === person.id;
  const reply = message.reply_to_message;
  return viewOf(
    message,
    mine,
    reply ? { mine: reply.from?.id === person.id } : undefined,
    mine ? undefined : person.forceReply(message),
  );
}

const senderName = (from: Message['from']) =>
  [from?.first_name, from?.last_name].filter(Boolean).join(' ') || '…';

/** A message of a group: its sender named (the page picks who it speaks as, and so which are its own). */
export function groupMessageView(message: Message, group: TestGroup): MessageView {
  const reply = message.reply_to_message;
  const bot = message.from?.is_bot === true;
  return {
    ...viewOf(
      message,
      false,
      reply ? { mine: false, name: senderName(reply.from) } : undefined,
      bot ? group.forceReply(message) : undefined,
    ),
    sender: { id: message.from?.id ?? 0, name: senderName(message.from), bot },
  };
}

/** Topic and pin notices: a client shows them as a line, the sandbox's group has nothing to say of them. */
const SERVICE = ['forum_topic_created', 'forum_topic_edited', 'forum_topic_closed', 'pinned_message'];

/** A group as the page shows it: its messages, and the answers to its members' presses. */
export function groupChatView(group: TestGroup, members: TestUser[]): ChatView {
  return {
    messages: group
      .messages()
      .filter((m) => !SERVICE.some((field) => field in m))
      .slice(-MAX_MESSAGES)
      .map((m) => groupMessageView(m, group)),
    keyboard: null,
    menuButton: null,
    answers: members
      .flatMap((member) => member.answers().slice(-20))
      .map((a) => ({
        queryId: a.queryId,
        ...(a.text !== undefined ? { text: a.text } : {}),
        ...(a.show_alert ? { alert: true } : {}),
      })),
  };
}

/** Whether a file belongs to this group (the page may fetch only those). */
export function fileInGroup(group: TestGroup, fileId: string): boolean {
  return group.messages().some((m) => hasFile(m, fileId));
}

function viewOf(
  message: Message,
  mine: boolean,
  replied: { mine: boolean; name?: string } | undefined,
  forceReply: ReturnType<TestUser['forceReply']>,
): MessageView {
  const largest = message.photo?.at(-1);
  const reply = message.reply_to_message;
  const text = entities(message.entities);
  const caption = entities(message.caption_entities);
  return {
    id: message.message_id,
    mine,
    date: message.date,
    edited: message.edit_date !== undefined,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(text ? { entities: text } : {}),
    ...(message.caption !== undefined ? { caption: message.caption } : {}),
    ...(caption ? { captionEntities: caption } : {}),
    ...(largest ? { photo: { fileId: largest.file_id, width: largest.width, height: largest.height } } : {}),
    ...(message.document
      ? {
          document: {
            fileId: message.document.file_id,
            fileName: message.document.file_name ?? 'file',
            ...(message.document.file_size ? { size: message.document.file_size } : {}),
          },
        }
      : {}),
    ...(message.voice ? { voice: { duration: message.voice.duration } } : {}),
    ...(message.sticker ? { sticker: message.sticker.emoji ? { emoji: message.sticker.emoji } : {} } : {}),
    ...(message.contact
      ? { contact: { phone: message.contact.phone_number, name: message.contact.first_name } }
      : {}),
    ...(reply && replied ? { replyTo: { id: reply.message_id, ...replied, text: summary(reply) } } : {}),
    ...(message.reply_markup?.inline_keyboard.length
      ? { buttons: message.reply_markup.inline_keyboard.map((row) => row.map(inlineButton)) }
      : {}),
    ...(forceReply
      ? {
          forceReply: forceReply.input_field_placeholder
            ? { placeholder: forceReply.input_field_placeholder }
            : {},
        }
      : {}),
  };
}

function keyboardView(markup: ReplyKeyboardMarkup | undefined): ChatView['keyboard'] {
  if (!markup) return null;
  return {
    rows: markup.keyboard.map((row) => row.map(keyButton)),
    ...(markup.input_field_placeholder ? { placeholder: markup.input_field_placeholder } : {}),
    oneTime: markup.one_time_keyboard === true,
  };
}

export function chatView(person: TestUser): ChatView {
  const menu = person.menuButton();
  return {
    messages: person
      .messages()
      .slice(-MAX_MESSAGES)
      .map((m) => messageView(m, person)),
    keyboard: keyboardView(person.keyboard()),
    menuButton: menu.type === 'web_app' ? { text: menu.text, url: menu.web_app.url } : null,
    answers: person
      .answers()
      .slice(-20)
      .map((a) => ({
        queryId: a.queryId,
        ...(a.text !== undefined ? { text: a.text } : {}),
        ...(a.show_alert ? { alert: true } : {}),
      })),
  };
}

/** Whether a file belongs to this chat (the page may fetch only those). */
export function fileInChat(person: TestUser, fileId: string): boolean {
  return person.messages().some((m) => hasFile(m, fileId));
}

const hasFile = (m: Message, fileId: string) =>
  m.photo?.some((p) => p.file_id === fileId) || m.document?.file_id === fileId || m.voice?.file_id === fileId;

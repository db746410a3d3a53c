// Sending, copying, editing and deleting messages, chat actions and callback answers.
import type { Document, Message, MessageId, PhotoSize, Voice } from 'grammy/types';
import { characterCount, type FormattedText, formatText } from './formatting.ts';
import {
  applyReplyKeyboard,
  forceReplyOf,
  inlineKeyboardOf,
  readEntities,
  readReplyMarkup,
  readReplyTarget,
  readThread,
  sameJson,
} from './markup.ts';
import { extensionOf, FILE_TYPE_NAME, type FileKind, fakeDocument, fakeOgg, mimeTypeOf } from './media.ts';
import { botCan } from './members.ts';
import type { Call, Handler } from './methods.ts';
import { badRequest, forbidden, type Params } from './protocol.ts';
import type { ChatRecord, StoredFile, World } from './state.ts';

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

// ------------------------------------------------------------------------------------------- reading

function readText(params: Params): FormattedText {
  const raw = params.string('text') ?? '';
  if (raw === '') throw badRequest('message text is empty');
  const formatted = formatText(raw, params.string('parse_mode'), readEntities(params, 'entities'));
  if (formatted.text.trim() === '') throw badRequest('text must be non-empty');
  if (characterCount(formatted.text) > MAX_TEXT) throw badRequest('message is too long');
  return formatted;
}

function readCaption(params: Params): Partial<Message> {
  const raw = params.string('caption');
  if (!raw) return {};
  const { text, entities } = formatText(
    raw,
    params.string('parse_mode'),
    readEntities(params, 'caption_entities'),
  );
  if (characterCount(text) > MAX_CAPTION) throw badRequest('message caption is too long');
  return { caption: text, ...(entities.length ? { caption_entities: entities } : {}) };
}

const textContent = ({ text, entities }: FormattedText): Partial<Message> => ({
  text,
  ...(entities.length ? { entities } : {}),
});

/** A file parameter: an upload, a known file_id, or an HTTP URL (never fetched: a stand-in is stored). */
function readFile(
  world: World,
  params: Params,
  field: string,
  kind: FileKind,
): { stored?: StoredFile; bytes?: Uint8Array; fileName?: string; url?: string } {
  const ref = params.file(field);
  if (!ref) throw badRequest(`there is no ${field} in the request`);
  if ('upload' in ref) {
    if (ref.upload.bytes.length === 0) throw badRequest('file must be non-empty');
    return { bytes: ref.upload.bytes, fileName: ref.upload.fileName };
  }
  if (/^https?:\/\//i.test(ref.id)) return { url: ref.id };
  const stored = world.files.get(ref.id);
  if (!stored) throw badRequest('wrong file identifier/HTTP URL specified');
  if (stored.kind !== kind) {
    throw badRequest(`can't use file of type ${FILE_TYPE_NAME[stored.kind]} as ${FILE_TYPE_NAME[kind]}`);
  }
  return { stored };
}

// ------------------------------------------------------------------------------------------- sending

/** The chat a sending method writes to; a person who blocked the bot refuses every message. */
function writableChat(call: Call): ChatRecord {
  const record = call.world.chat(call.params.chatId());
  if (call.world.isBlocked(record.chat.id)) throw forbidden('bot was blocked by the user');
  return record;
}

/**
 * Common to every send*: thread, reply, keyboard, protect_content; arguments are read before the chat.
 * A closed topic takes messages only from a bot that may manage topics (Telegram's TOPIC_CLOSED).
 */
function send(call: Call, content: Partial<Message>): Message {
  const { world, params } = call;
  const markup = readReplyMarkup(params);
  const record = writableChat(call);
  const threadId = readThread(params, record);
  const replyTo = readReplyTarget(params, record);
  const topicId = threadId ?? (replyTo?.is_topic_message ? replyTo.message_thread_id : undefined);
  const topic = topicId === undefined ? undefined : record.topics.get(topicId);
  if (topic?.closed && !botCan(world, record, 'can_manage_topics')) throw badRequest('TOPIC_CLOSED');
  const message = world.addMessage(record, {
    from: world.bot,
    content: { ...content, ...(params.boolean('protect_content') ? { has_protected_content: true } : {}) },
    threadId,
    replyTo,
    replyMarkup: inlineKeyboardOf(markup),
  });
  applyReplyKeyboard(record, markup);
  const forceReply = forceReplyOf(markup);
  if (forceReply) record.forceReplies.set(message.message_id, forceReply);
  return message;
}

const sendMessage: Handler = (call) => send(call, textContent(readText(call.params)));

const sendPhoto: Handler = (call) => {
  const { world, params } = call;
  const caption = readCaption(params);
  const file = readFile(world, params, 'photo', 'photo');
  let photo: PhotoSize[] | undefined;
  if (file.stored) photo = world.photoSizesOf(file.stored.file.file_id);
  photo ??= world.addPhoto(file.bytes);
  return send(call, {
    photo,
    ...caption,
    ...(params.boolean('has_spoiler') ? { has_media_spoiler: true } : {}),
  });
};

const sendDocument: Handler = (call) => {
  const { world, params } = call;
  const caption = readCaption(params);
  const file = readFile(world, params, 'document', 'document');
  let stored = file.stored;
  if (!stored) {
    const fileName =
      file.fileName ?? decodeURIComponent(file.url?.split(/[?#]/)[0]?.split('/').pop() || 'file');
    const bytes = file.bytes ?? fakeDocument(fileName, 24_576, `url:${file.url}`);
    stored = world.addFile('document', bytes, extensionOf(fileName) ?? 'dat');
    stored.fileName = fileName;
    stored.mimeType = mimeTypeOf(fileName);
  }
  return send(call, { document: documentOf(stored), ...caption });
};

/** A stored file as a message's document. */
function documentOf(stored: StoredFile): Document {
  const { file_id, file_unique_id, file_size } = stored.file;
  return {
    ...(stored.fileName ? { file_name: stored.fileName } : {}),
    ...(stored.mimeType ? { mime_type: stored.mimeType } : {}),
    file_id,
    file_unique_id,
    file_size,
  };
}

const sendVoice: Handler = (call) => {
  const { world, params } = call;
  const caption = readCaption(params);
  const file = readFile(world, params, 'voice', 'voice');
  const stored =
    file.stored ?? world.addFile('voice', file.bytes ?? fakeOgg(8_000, `url:${file.url}`), 'oga');
  const { file_id, file_unique_id, file_size } = stored.file;
  const voice: Voice = {
    duration:
      params.integer('duration') ?? stored.duration ?? Math.max(1, Math.round(stored.bytes.length / 4_000)),
    mime_type: 'audio/ogg',
    file_id,
    file_unique_id,
    file_size,
  };
  stored.duration = voice.duration;
  return send(call, { voice, ...caption });
};

/** What copyMessage and forwardMessage carry over; service messages have none of it. */
function copiedContent(original: Message): Partial<Message> | undefined {
  const { text, entities, photo, document, voice, sticker, contact, caption, caption_entities } = original;
  if (text === undefined && !photo && !document && !voice && !sticker && !contact) return undefined;
  return compact({ text, entities, photo, document, voice, sticker, contact, caption, caption_entities });
}

/** Drops keys whose value is undefined, so objects look like Telegram's JSON in tests too. */
function compact<T extends object>(value: T): T {
  for (const [key, field] of Object.entries(value))
    if (field === undefined) Reflect.deleteProperty(value, key);
  return value;
}

function sourceMessage(call: Call, what: string): Message {
  const from = call.world.chat(call.params.chatId('from_chat_id'));
  const messageId = call.params.integer('message_id');
  if (!messageId) throw badRequest('message identifier is not specified');
  const original = from.messages.get(messageId);
  if (!original) throw badRequest(`${what} not found`);
  return original;
}

const copyMessage: Handler = (call): MessageId => {
  const original = sourceMessage(call, 'message to copy');
  const content = copiedContent(original);
  if (!content) throw badRequest("message can't be copied");
  if (call.params.has('caption') && content.text === undefined) {
    delete content.caption;
    delete content.caption_entities;
    Object.assign(content, readCaption(call.params));
  }
  return { message_id: send(call, content).message_id };
};

const forwardMessage: Handler = (call) => {
  const original = sourceMessage(call, 'message to forward');
  const content = copiedContent(original);
  if (!content || !original.from) throw badRequest("message can't be forwarded");
  return send(call, {
    forward_origin: { type: 'user', sender_user: original.from, date: original.date },
    ...content,
  });
};

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const sendChatAction: Handler = (call) => {
  if (!CHAT_ACTIONS.has(call.params.string('action') ?? ''))
    throw badRequest('wrong parameter action in request');
  const record = writableChat(call);
  readThread(call.params, record);
  return true;
};

// ------------------------------------------------------------------------------------------- editing

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

function messageToEdit(call: Call): { record: ChatRecord; message: Message } {
  const { world, params } = call;
  if (!params.has('chat_id') && params.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
  const record = world.chat(params.chatId());
  const messageId = params.integer('message_id');
  if (!messageId) throw badRequest('message identifier is not specified');
  const message = record.messages.get(messageId);
  if (!message) throw badRequest('message to edit not found');
  if (message.from?.id !== world.bot.id) throw badRequest("message can't be edited");
  return { record, message };
}

/**
 * Replaces a message with its edited version. As in Telegram, a reply_markup left out of the edit
 * removes the inline keyboard, and an edit that changes nothing is a 400.
 */
function edit(call: Call, record: ChatRecord, message: Message, changes: Partial<Message>): Message {
  const keyboard = inlineKeyboardOf(readReplyMarkup(call.params));
  const { reply_markup: _oldKeyboard, edit_date: _oldDate, ...rest } = message;
  const unchanged =
    Object.entries(changes).every(([key, value]) => sameJson(value, message[key as keyof Message])) &&
    sameJson(keyboard, message.reply_markup);
  if (unchanged) throw badRequest(NOT_MODIFIED);
  const edited: Message = compact({
    ...rest,
    ...changes,
    edit_date: call.world.now(),
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
  call.world.store(record, edited);
  return edited;
}

const editMessageText: Handler = (call) => {
  const text = readText(call.params);
  const { record, message } = messageToEdit(call);
  if (message.text === undefined) throw badRequest('there is no text in the message to edit');
  return edit(call, record, message, {
    text: text.text,
    entities: text.entities.length ? text.entities : undefined,
  });
};

const editMessageCaption: Handler = (call) => {
  const caption = readCaption(call.params);
  const { record, message } = messageToEdit(call);
  if (!message.photo && !message.document && !message.voice) {
    throw badRequest('there is no caption in the message to edit');
  }
  return edit(call, record, message, {
    caption: caption.caption,
    caption_entities: caption.caption_entities,
  });
};

const editMessageReplyMarkup: Handler = (call) => {
  const { record, message } = messageToEdit(call);
  return edit(call, record, message, {});
};

/** In a group, other people's messages go only with can_delete_messages; the bot's own always do. */
function deletable(world: World, record: ChatRecord, message: Message): boolean {
  return message.from?.id === world.bot.id || botCan(world, record, 'can_delete_messages');
}

function deleteOne(world: World, record: ChatRecord, messageId: number): void {
  record.pinned = record.pinned.filter((id) => id !== messageId);
  record.forceReplies.delete(messageId);
  record.messages.delete(messageId);
  world.changed(record);
}

const deleteMessage: Handler = (call) => {
  const record = call.world.chat(call.params.chatId());
  const messageId = call.params.integer('message_id');
  if (!messageId) throw badRequest('message identifier is not specified');
  const message = record.messages.get(messageId);
  if (!message) throw badRequest('message to delete not found');
  if (!deletable(call.world, record, message)) throw badRequest("message can't be deleted");
  deleteOne(call.world, record, messageId);
  return true;
};

/** Messages that are gone or may not be deleted are skipped, as Telegram does. */
const deleteMessages: Handler = (call) => {
  const record = call.world.chat(call.params.chatId());
  const ids = call.params.json('message_ids', 'message identifiers');
  if (!Array.isArray(ids) || ids.length === 0) throw badRequest('message identifiers are not specified');
  if (ids.length > 100) throw badRequest('too many message identifiers specified');
  for (const id of ids) {
    const message = record.messages.get(Number(id));
    if (message && deletable(call.world, record, message)) deleteOne(call.world, record, message.message_id);
  }
  return true;
};

// ---------------------------------------------------------------------------------- callback queries

const answerCallbackQuery: Handler = (call) => {
  const query = call.world.callbackQueries.get(call.params.string('callback_query_id') ?? '');
  if (!query || query.answer) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  const text = call.params.string('text');
  const url = call.params.string('url');
  query.answer = {
    ...(text ? { text } : {}),
    ...(call.params.boolean('show_alert') ? { show_alert: true } : {}),
    ...(url ? { url } : {}),
  };
  const record = call.world.chats.get(query.chatId);
  if (record) call.world.changed(record);
  return true;
};

let albums = 0;

/**
 * An album: 2–10 photos (or documents) by file id, each a message of the same media_group_id, the caption
 * where given. Every item is checked before any is sent, as Telegram refuses the album whole.
 */
const sendMediaGroup: Handler = (call) => {
  const { world, params } = call;
  const media = params.json('media', 'media');
  if (!Array.isArray(media) || media.length < 2 || media.length > 10) {
    throw badRequest('wrong number of media in the album: 2–10');
  }
  const items = media.map((item: unknown) => {
    const {
      type,
      media: id,
      caption,
    } = (item ?? {}) as { type?: unknown; media?: unknown; caption?: unknown };
    const stored = typeof id === 'string' ? world.files.get(id) : undefined;
    if (!stored) throw badRequest('wrong file identifier/HTTP URL specified');
    if (type !== 'photo' && type !== 'document')
      throw badRequest(`album items of type ${String(type)} are not supported here`);
    if (stored.kind !== type)
      throw badRequest(`can't use file of type ${FILE_TYPE_NAME[stored.kind]} as ${type}`);
    const text = typeof caption === 'string' && caption ? { caption } : {};
    if (type === 'photo') return { photo: world.photoSizesOf(stored.file.file_id) ?? [], ...text };
    return { document: documentOf(stored), ...text };
  });
  const groupId = String(13_000_000_000 + ++albums);
  return items.map((content) => send(call, { ...content, media_group_id: groupId }));
};

export const messageMethods = {
  sendMessage,
  sendPhoto,
  sendDocument,
  sendVoice,
  sendMediaGroup,
  sendChatAction,
  copyMessage,
  forwardMessage,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
  deleteMessage,
  deleteMessages,
  answerCallbackQuery,
} satisfies Record<string, Handler>;

// What travels with a sent message: reply_markup (validated as Telegram does: callback_data of at most
// 64 bytes, no inline button without an action), reply_parameters and message_thread_id.
import type {
  ForceReply,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
} from 'grammy/types';
import { badRequest, type Params } from './protocol.ts';
import type { ChatRecord } from './state.ts';

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isArrayOfArrays = (value: unknown): value is unknown[][] =>
  Array.isArray(value) && value.every((row) => Array.isArray(row));

/** Fields that make an inline button do something; a button with none is a "text button". */
const INLINE_ACTIONS = [
  'callback_data',
  'url',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

export function readReplyMarkup(params: Params): ReplyMarkup | undefined {
  const markup = params.json('reply_markup', 'reply keyboard markup');
  if (markup === undefined) return undefined;
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ('inline_keyboard' in markup) {
    if (!isArrayOfArrays(markup.inline_keyboard)) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    }
    for (const button of markup.inline_keyboard.flat()) checkInlineButton(button);
    return markup as unknown as InlineKeyboardMarkup;
  }
  if ('keyboard' in markup) {
    if (!isArrayOfArrays(markup.keyboard)) throw badRequest('field "keyboard" must be an Array of Arrays');
    for (const button of markup.keyboard.flat()) {
      if (typeof button !== 'string' && !(isObject(button) && typeof button.text === 'string')) {
        throw badRequest(`can't parse keyboard button: Can't find field "text"`);
      }
    }
    return markup as unknown as ReplyKeyboardMarkup;
  }
  if (markup.remove_keyboard === true) return markup as unknown as ReplyKeyboardRemove;
  if (markup.force_reply === true) return markup as unknown as ForceReply;
  return undefined;
}

function checkInlineButton(button: unknown): void {
  const fail = (why: string) => badRequest(`can't parse inline keyboard button: ${why}`);
  if (!isObject(button)) throw fail('InlineKeyboardButton must be an Object');
  if (typeof button.text !== 'string') throw fail(`Can't find field "text"`);
  if (!INLINE_ACTIONS.some((field) => field in button))
    throw fail('Text buttons are unallowed in the inline keyboard');
  if ('callback_data' in button) {
    const data = button.callback_data;
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : 0;
    if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
  }
  if ('url' in button && (typeof button.url !== 'string' || button.url.trim() === '')) {
    throw badRequest('BUTTON_URL_INVALID');
  }
}

export const inlineKeyboardOf = (markup: ReplyMarkup | undefined): InlineKeyboardMarkup | undefined =>
  markup && 'inline_keyboard' in markup ? markup : undefined;

/** A force_reply markup: like reply keyboards, it stays on the person's side, off the Message. */
export const forceReplyOf = (markup: ReplyMarkup | undefined): ForceReply | undefined =>
  markup && 'force_reply' in markup && markup.force_reply === true && !('inline_keyboard' in markup)
    ? (markup as ForceReply)
    : undefined;

/** Reply keyboards are chat state on the person's side, not part of the Message the bot gets back. */
export function applyReplyKeyboard(record: ChatRecord, markup: ReplyMarkup | undefined): void {
  if (markup && 'keyboard' in markup) record.replyKeyboard = markup;
  else if (markup && 'remove_keyboard' in markup) record.replyKeyboard = undefined;
}

export function readReplyTarget(params: Params, record: ChatRecord): Message | undefined {
  const parameters = params.json('reply_parameters', 'reply parameters');
  let messageId: number | undefined;
  let allowWithout: boolean;
  if (isObject(parameters)) {
    messageId = Number(parameters.message_id) || undefined;
    allowWithout = parameters.allow_sending_without_reply === true;
  } else {
    messageId = params.integer('reply_to_message_id') || undefined;
    allowWithout = params.boolean('allow_sending_without_reply');
  }
  if (messageId === undefined) return undefined;
  const target = record.messages.get(messageId);
  if (!target && !allowWithout) throw badRequest('message to be replied not found');
  return target;
}

/** message_thread_id counts only in forums (General, id 1, is not addressable), as in Telegram. */
export function readThread(params: Params, record: ChatRecord): number | undefined {
  const threadId = params.integer('message_thread_id');
  if (!threadId || record.chat.type !== 'supergroup' || !record.chat.is_forum) return undefined;
  if (!record.topics.has(threadId)) throw badRequest('message thread not found');
  return threadId;
}

export function readEntities(params: Params, name: string): MessageEntity[] | undefined {
  const entities = params.json(name, 'entities');
  if (entities === undefined) return undefined;
  if (!Array.isArray(entities)) throw badRequest("can't parse entities JSON object");
  return entities as MessageEntity[];
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

// Telegram splits a text over 4096 characters into several messages sent one after another; only the
// first carries the reply to the bot's message. The rest must land where the first did (the same ticket),
// not be taken for a new, unrelated message.
import type { Message } from 'grammy/types';

/** A part this long is most likely not the whole paste (clients cut near 4096, at a space or line end). */
const SPLIT_PART = 3500;
/** The parts of one paste are sent within the same few seconds (Telegram's dates are in seconds). */
const SAME_PASTE_S = 5;

export class SplitPastes {
  readonly #last = new Map<number, { ticketId: number; date: number }>();

  /** A message was added to a ticket: if it may be the head of a split paste, what follows goes there too. */
  added(chatId: number, message: Message, ticketId: number): void {
    const length = (message.text ?? message.caption ?? '').length;
    if (length >= SPLIT_PART) this.#last.set(chatId, { ticketId, date: message.date });
    else this.#last.delete(chatId);
  }

  /** The ticket this message continues, when it is the next part of a paste whose head went there. */
  continues(chatId: number, message: Message): number | undefined {
    const last = this.#last.get(chatId);
    if (!last || message.reply_to_message || message.text === undefined) return undefined;
    if (message.date - last.date > SAME_PASTE_S) return undefined;
    return last.ticketId;
  }
}

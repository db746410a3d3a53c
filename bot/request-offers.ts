// A message that named no ticket and came outside a guided step is kept as an offer: "Create a request
// with this text?". What follows it (the rest of a split paste, an album's photos) joins the same offer.
// One offer per chat, kept in the store beside the conversations, so a restart loses nothing; filing it
// is one transaction with the offer marked as filed, so a second press (or a repeated update) answers
// "already accepted" instead of filing twice.
import { eq } from 'drizzle-orm';
import { loadActor } from '../core/actors.ts';
import type { DeskContext } from '../core/context.ts';
import { createTicket, DESCRIPTION_MAX } from '../core/tickets/create.ts';
import { inTransaction } from '../core/transaction.ts';
import { execute, queryOne } from '../db/access.ts';
import { conversationState, type TicketRow } from '../db/schema.ts';
import type { TelegramAttachment } from './attachments.ts';

export interface RequestOffer {
  /** The bot's message with the buttons. */
  messageId: number;
  parts: string[];
  files: TelegramAttachment[];
  /** Tickets waiting for this person's answer that the message may answer (the buttons name them). */
  candidates: { id: number; number: number }[];
  /** A reply about a closed ticket: the new request says which one it follows. */
  follows: number | null;
  /** When something was last added (ms). */
  at: number;
  /** Set once filed. */
  ticketNumber?: number;
}

/** An offer nobody answered for this long is not added to any more: a new message starts a new one. */
export const OFFER_OPEN_MS = 30 * 60_000;
/** Files an offer keeps (as many as a request takes). */
const MAX_FILES = 20;

const keyOf = (chatId: number) => `offer:${chatId}`;

/** The message id of an offer kept but not (yet, or not known to be) shown. */
export const UNSHOWN = 0;

/** Whether a press on `messageId` is on the offer's current showing (or on one whose id was never kept). */
export function showsOffer(offer: RequestOffer, messageId: number): boolean {
  return offer.messageId === messageId || offer.messageId === UNSHOWN;
}

export async function readOffer(desk: DeskContext, chatId: number): Promise<RequestOffer | undefined> {
  const row = await queryOne(
    desk.db
      .select({ value: conversationState.value })
      .from(conversationState)
      .where(eq(conversationState.key, keyOf(chatId))),
  );
  return row ? (JSON.parse(row.value) as RequestOffer) : undefined;
}

export async function writeOffer(desk: DeskContext, chatId: number, offer: RequestOffer): Promise<void> {
  const value = JSON.stringify(offer);
  const at = desk.clock.now();
  await execute(
    desk.db
      .insert(conversationState)
      .values({ key: keyOf(chatId), value, updatedAt: at })
      .onConflictDoUpdate({ target: conversationState.key, set: { value, updatedAt: at } }),
  );
}

export async function dropOffer(desk: DeskContext, chatId: number): Promise<void> {
  await execute(desk.db.delete(conversationState).where(eq(conversationState.key, keyOf(chatId))));
}

/** The open offer of a chat that more can join: not filed, not too old. */
export async function openOffer(desk: DeskContext, chatId: number): Promise<RequestOffer | undefined> {
  const offer = await readOffer(desk, chatId);
  if (!offer || offer.ticketNumber !== undefined) return undefined;
  return desk.clock.now() - offer.at <= OFFER_OPEN_MS ? offer : undefined;
}

/** Whether a part fits the description a request can hold (the parts are joined by new lines). */
export function fits(offer: Pick<RequestOffer, 'parts'>, text: string): boolean {
  return [...offer.parts, text].join('\n').length <= DESCRIPTION_MAX;
}

export function withPart(offer: RequestOffer, text: string, file: TelegramAttachment | null, at: number) {
  return {
    ...offer,
    parts: text ? [...offer.parts, text] : offer.parts,
    files: file && offer.files.length < MAX_FILES ? [...offer.files, file] : offer.files,
    at,
  };
}

export type FiledOffer =
  | { outcome: 'filed'; ticket: TicketRow }
  | { outcome: 'already'; number: number }
  | { outcome: 'stale' };

/**
 * Files the chat's offer shown in `messageId` as a request of `personId`, once. `texts` words the parts a
 * person did not write: a request of files alone, and the line naming the closed ticket it follows.
 */
export async function fileOffer(
  desk: DeskContext,
  chatId: number,
  messageId: number,
  personId: number,
  texts: { filesOnly: string; follows: (number: number) => string },
): Promise<FiledOffer> {
  return await inTransaction(desk.db, async (): Promise<FiledOffer> => {
    const offer = await readOffer(desk, chatId);
    if (!offer || !showsOffer(offer, messageId)) return { outcome: 'stale' };
    if (offer.ticketNumber !== undefined) return { outcome: 'already', number: offer.ticketNumber };
    const lines = [...offer.parts];
    if (lines.length === 0) lines.push(texts.filesOnly);
    if (offer.follows !== null) lines.push('', texts.follows(offer.follows));
    const ticket = await createTicket(desk, await loadActor(desk.db, personId), {
      channel: 'telegram',
      description: lines.join('\n').slice(0, DESCRIPTION_MAX),
      attachments: offer.files,
    });
    await writeOffer(desk, chatId, { ...offer, ticketNumber: ticket.number });
    return { outcome: 'filed', ticket };
  });
}

// The one record every way in produces: who wrote, in which channel, what thread it continues, what it says
// and carries. Channel adapters (bot, e-mail, web form, phone) build it; core/intake/receive.ts takes it.
import type { TicketRow } from '../../db/schema.ts';
import type { Channel, Impact, Language, Urgency } from '../model.ts';
import type { Actor } from '../permissions.ts';
import type { AttachmentInput } from '../tickets/create.ts';

/** Who the message is from, as the channel knows them. */
export type SenderRef =
  | { kind: 'telegram'; telegramUserId: number; name: string; languageCode?: string | undefined }
  | { kind: 'email'; address: string; name?: string | undefined }
  | { kind: 'phone'; number: string; name?: string | undefined }
  | { kind: 'person'; personId: number };

/** What the message continues, most specific first; none of it found means a new request. */
export interface ThreadRef {
  /** Already known by the adapter (a reply to the bot's message about it). */
  ticketId?: number | undefined;
  /** A `[#1042]` tag in a subject. */
  ticketNumber?: number | undefined;
  /** The channel's ids of the messages this one answers (In-Reply-To, then References newest first). */
  refs?: readonly string[] | undefined;
}

export interface InboundMessage {
  channel: Channel;
  sender: SenderRef;
  /**
   * Who files it when that is not the sender: an operator taking a call, a person filing for someone.
   * Their permissions decide; the sender becomes the requester.
   */
  filedBy?: Actor | undefined;
  language?: Language | undefined;
  /**
   * The channel's own id of this message (a mail's Message-ID): remembered with what it made, so a second
   * delivery of the same message makes nothing.
   */
  deliveryKey?: string | undefined;
  /** The intake's own name for a request (the bot's draft, the Mini App's Idempotency-Key). */
  intakeKey?: string | undefined;
  thread?: ThreadRef | undefined;
  subject?: string | undefined;
  body: string;
  files?: AttachmentInput[] | undefined;
  /** Files only staff see (the original `.eml` of a mail). */
  internalFiles?: AttachmentInput[] | undefined;
  fields?:
    | {
        /** null: no company, whatever the sender belongs to (the request waits for the 1st line). */
        companyId?: number | null | undefined;
        categoryId?: number | null | undefined;
        impact?: Impact | undefined;
        urgency?: Urgency | undefined;
        location?: string | null | undefined;
      }
    | undefined;
  /**
   * A client's word on a resolved ticket reopens it (while the contract lets it). Channels that can ask
   * first ("solved or not?", as the bot does) leave this off.
   */
  reopensResolved?: boolean | undefined;
  /** At most this many new requests an hour from one sender in this channel (a mail loop's brake). */
  newTicketsPerHour?: number | undefined;
}

/** What the intake did with a message. */
export type IntakeOutcome =
  | {
      kind: 'created';
      ticket: TicketRow;
      requesterId: number;
      /** The closed ticket the message answered: the new one follows it up. */
      followsUp: TicketRow | null;
    }
  | { kind: 'commented'; ticket: TicketRow; commentId: number; authorId: number; reopened: boolean }
  /** Delivered before: nothing written. */
  | { kind: 'duplicate'; ticketId: number }
  /** The sender has filed too many requests this hour: nothing written, the adapter keeps the message. */
  | { kind: 'rate_limited'; requesterId: number };

// A message in a client company's bound Telegram group, through the intake seam (channel 'telegram_group').
// In this order: a reply to a message about a ticket is a comment on it (staff's reply is the public answer);
// a client's message soon after their previous one joins the same ticket; a request opens a new ticket;
// chatter (thanks, "ok", stickers) makes nothing. Someone outside the company's directory is filed with no
// company, for the 1st line to sort out. One transaction; the message's id is its delivery key.
import { and, desc, eq, gt, like, max } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import { groupTickets, messageRefs, outbox, type TicketRow, tickets } from '../../db/schema.ts';
import { loadActor } from '../actors.ts';
import type { DeskContext } from '../context.ts';
import { refOf, ticketOfRefs } from '../intake/message-refs.ts';
import { receiveInbound } from '../intake/receive.ts';
import { identifySender } from '../intake/senders.ts';
import { isFinalStatus } from '../lifecycle.ts';
import { type Language, MINUTE } from '../model.ts';
import { clientCompanies, isStaff, rolesOnTicket } from '../permissions.ts';
import type { AttachmentInput } from '../tickets/create.ts';
import { inTransaction } from '../transaction.ts';
import { boundGroup } from './binding.ts';
import { classifyGroupMessage, type GroupMessageShape } from './chatter.ts';

/** Messages from one person this close together describe one problem. */
export const FOLLOW_ON_WINDOW_MS = 3 * MINUTE;
/** A brake on one person's new tickets from a group (a runaway script, a paste gone wrong). */
const NEW_TICKETS_PER_HOUR = 10;

export interface GroupMessage {
  chatId: number;
  messageId: number;
  from: { telegramUserId: number; name: string; languageCode?: string | undefined };
  /** The message this one replies to, in the same chat. */
  replyTo?: number | undefined;
  text: string;
  media: GroupMessageShape['media'];
  files: AttachmentInput[];
}

export type GroupOutcome =
  | { kind: 'ignored'; reason: 'not_bound' | 'chatter' | 'staff' }
  | { kind: 'created'; ticket: TicketRow; unverified: boolean }
  | { kind: 'commented'; ticket: TicketRow; byStaff: boolean }
  | { kind: 'duplicate'; ticketId: number }
  | { kind: 'rate_limited' };

const refOfMessage = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

export async function takeGroupMessage(ctx: DeskContext, msg: GroupMessage): Promise<GroupOutcome> {
  const db = ctx.db;
  return await inTransaction(db, async (): Promise<GroupOutcome> => {
    const group = await boundGroup(ctx, msg.chatId);
    if (!group) return { kind: 'ignored', reason: 'not_bound' };
    const deliveryKey = refOfMessage(msg.chatId, msg.messageId);
    const seen = await refOf(db, 'telegram', deliveryKey);
    if (seen) return { kind: 'duplicate', ticketId: seen.ticketId };

    const language: Language | undefined =
      msg.from.languageCode === undefined ? undefined : msg.from.languageCode === 'en' ? 'en' : 'ru';
    const { person } = await identifySender(ctx, { kind: 'telegram', ...msg.from }, language);
    const actor = await loadActor(db, person.id);
    const staff = isStaff(actor);
    const verdict = classifyGroupMessage({ text: msg.text, media: msg.media });
    const saysSomething = msg.text.trim() !== '' || msg.files.length > 0;

    // 1. A reply to a message about a ticket the writer may see.
    const replied =
      msg.replyTo === undefined
        ? undefined
        : await ticketOfRefs(db, 'telegram', [refOfMessage(msg.chatId, msg.replyTo)]);
    let followed: TicketRow | undefined;
    if (replied !== undefined) {
      const ticket = await queryOne(db.select().from(tickets).where(eq(tickets.id, replied)));
      if (ticket && rolesOnTicket(actor, ticket).length > 0) followed = ticket;
    }
    if (staff && !followed) return { kind: 'ignored', reason: 'staff' };
    // 2. More words from the same person, right after their last message that went into a ticket.
    if (!followed && verdict.request) followed = await recentTicketOf(ctx, msg.chatId, person.id);
    if (followed && isFinalStatus(followed.status)) followed = undefined;
    if (followed) {
      // A reply carries anything with words or files; a sticker or a lone emoji is nobody's comment.
      if (
        !saysSomething ||
        (!verdict.request && (verdict.reason === 'emoji' || verdict.reason === 'sticker'))
      )
        return { kind: 'ignored', reason: 'chatter' };
      const queuedBefore = await lastOutboxId(ctx);
      const outcome = await receiveInbound(ctx, {
        channel: 'telegram_group',
        sender: { kind: 'person', personId: person.id },
        deliveryKey,
        thread: { ticketId: followed.id },
        body: msg.text,
        files: msg.files,
      });
      await markSender(ctx, deliveryKey, person.id);
      // The requester would hear of these words in the group, where everyone has just read them.
      if (outcome.kind === 'commented') await unqueueRequesterNotices(ctx, outcome.ticket, queuedBefore);
      if (outcome.kind === 'commented') return { kind: 'commented', ticket: outcome.ticket, byStaff: staff };
      if (outcome.kind === 'duplicate') return { kind: 'duplicate', ticketId: outcome.ticketId };
      return { kind: 'ignored', reason: 'chatter' };
    }
    if (!verdict.request || !saysSomething) return { kind: 'ignored', reason: 'chatter' };

    // 3. A new request: the group's company when the writer is its client, else none (unverified).
    const member = clientCompanies(actor).includes(group.companyId);
    const outcome = await receiveInbound(ctx, {
      channel: 'telegram_group',
      sender: { kind: 'person', personId: person.id },
      language,
      deliveryKey,
      body: msg.text,
      files: msg.files,
      fields: { companyId: member ? group.companyId : null },
      newTicketsPerHour: NEW_TICKETS_PER_HOUR,
    });
    if (outcome.kind === 'rate_limited') return { kind: 'rate_limited' };
    if (outcome.kind === 'duplicate') return { kind: 'duplicate', ticketId: outcome.ticketId };
    if (outcome.kind !== 'created') return { kind: 'ignored', reason: 'chatter' };
    await execute(
      db
        .insert(groupTickets)
        .values({ ticketId: outcome.ticket.id, chatId: msg.chatId, messageId: msg.messageId })
        .onConflictDoNothing(),
    );
    await markSender(ctx, deliveryKey, person.id);
    return { kind: 'created', ticket: outcome.ticket, unverified: !member };
  });
}

async function lastOutboxId(ctx: DeskContext): Promise<number> {
  return (await queryOne(ctx.db.select({ id: max(outbox.id) }).from(outbox)))?.id ?? 0;
}

/** Drops what this change queued for the ticket's requester in Telegram (inside the same transaction). */
async function unqueueRequesterNotices(ctx: DeskContext, ticket: TicketRow, after: number): Promise<void> {
  await execute(
    ctx.db
      .delete(outbox)
      .where(
        and(
          gt(outbox.id, after),
          eq(outbox.ticketId, ticket.id),
          eq(outbox.recipientId, ticket.requesterId),
          eq(outbox.channel, 'telegram'),
          like(outbox.kind, 'requester.%'),
        ),
      ),
  );
}

/** The writer of a group message, kept with its reference: the follow-on rule looks for it. */
async function markSender(ctx: DeskContext, ref: string, personId: number): Promise<void> {
  await execute(
    ctx.db
      .update(messageRefs)
      .set({ personId })
      .where(and(eq(messageRefs.channel, 'telegram'), eq(messageRefs.ref, ref))),
  );
}

/** The open ticket the person's previous message in this group went to, if it was within the window. */
async function recentTicketOf(
  ctx: DeskContext,
  chatId: number,
  personId: number,
): Promise<TicketRow | undefined> {
  const last = await queryOne(
    ctx.db
      .select()
      .from(messageRefs)
      .where(
        and(
          eq(messageRefs.channel, 'telegram'),
          eq(messageRefs.personId, personId),
          eq(messageRefs.direction, 'in'),
          like(messageRefs.ref, `${chatId}:%`),
        ),
      )
      .orderBy(desc(messageRefs.createdAt)),
  );
  if (!last || ctx.clock.now() - last.createdAt > FOLLOW_ON_WINDOW_MS) return undefined;
  return await queryOne(ctx.db.select().from(tickets).where(eq(tickets.id, last.ticketId)));
}

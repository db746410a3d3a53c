// The intake: every channel's message ends here. Identify the sender, find the ticket the message follows
// up, then add a comment to it or file a new request — one transaction, with the message's delivery key
// remembered in it, so a message delivered twice (a mail in two mailboxes, a retried webhook) does nothing
// the second time.
import { and, count, eq, gt, inArray } from 'drizzle-orm';
import { queryAll, queryOne } from '../../db/access.ts';
import { companies, type MessageRefChannel, memberships, type TicketRow, tickets } from '../../db/schema.ts';
import { loadActor } from '../actors.ts';
import type { DeskContext } from '../context.ts';
import { InvalidInputError } from '../errors.ts';
import { isFinalStatus } from '../lifecycle.ts';
import type { Channel } from '../model.ts';
import { type Actor, allowedActions, rolesOnTicket } from '../permissions.ts';
import { act } from '../tickets/act.ts';
import { addComment, COMMENT_MAX } from '../tickets/comment.ts';
import { DESCRIPTION_MAX, fileTicket } from '../tickets/create.ts';
import { holdWithin, inTransaction } from '../transaction.ts';
import type { InboundMessage, IntakeOutcome, ThreadRef } from './inbound.ts';
import { refOf, rememberRef, ticketOfRefs } from './message-refs.ts';
import { mailDomain } from './public-mail-domains.ts';
import { identifySender } from './senders.ts';

const HOUR = 3_600_000;

/** Channels whose messages have ids of their own, kept among the message references. */
function refChannelOf(channel: Channel): MessageRefChannel | null {
  if (channel === 'miniapp') return null;
  // A group's messages are Telegram messages: `<chatId>:<messageId>`, the chat's id told apart by its sign.
  return channel === 'telegram_group' ? 'telegram' : channel;
}

export async function receiveInbound(ctx: DeskContext, msg: InboundMessage): Promise<IntakeOutcome> {
  const db = ctx.db;
  const refChannel = refChannelOf(msg.channel);
  return await inTransaction(db, async (): Promise<IntakeOutcome> => {
    if (msg.deliveryKey !== undefined && refChannel !== null) {
      // One message delivered twice at once (one mail in two mailboxes, two instances): the second waits for
      // the first to commit and then finds its reference.
      await holdWithin(db, `delivery:${refChannel}:${msg.deliveryKey}`);
      const seen = await refOf(db, refChannel, msg.deliveryKey);
      if (seen) return { kind: 'duplicate', ticketId: seen.ticketId };
    }
    // Only a mail's sender is placed by their domain; an address typed into a form proves nothing.
    const { person } = await identifySender(ctx, msg.sender, msg.language, msg.channel === 'email');
    const actor = msg.filedBy ?? (await loadActor(db, person.id));
    const followed = await followedTicket(ctx, actor, msg.thread, refChannel);
    const outcome =
      followed && !isFinalStatus(followed.status)
        ? await comment(ctx, actor, followed, msg)
        : await create(ctx, actor, person.id, msg, followed ?? null);
    if (msg.deliveryKey !== undefined && refChannel !== null && outcome.kind !== 'rate_limited') {
      const ticketId = outcome.kind === 'duplicate' ? outcome.ticketId : outcome.ticket.id;
      await rememberRef(db, refChannel, msg.deliveryKey, { ticketId, direction: 'in' }, ctx.clock.now());
    }
    return outcome;
  });
}

/**
 * The ticket the message continues, in this order: the one the adapter knows, the `[#1042]` tag, the
 * channel's thread ids. Only a ticket the writer may see counts: a guessed number from a stranger opens a
 * new request instead of landing on someone else's.
 */
async function followedTicket(
  ctx: DeskContext,
  actor: Actor,
  thread: ThreadRef | undefined,
  refChannel: MessageRefChannel | null,
): Promise<TicketRow | undefined> {
  if (!thread) return undefined;
  const visible = (t: TicketRow | undefined) => (t && rolesOnTicket(actor, t).length > 0 ? t : undefined);
  const byId = async (id: number) => await queryOne(ctx.db.select().from(tickets).where(eq(tickets.id, id)));
  if (thread.ticketId !== undefined) {
    const found = visible(await byId(thread.ticketId));
    if (found) return found;
  }
  if (thread.ticketNumber !== undefined) {
    const found = visible(
      await queryOne(ctx.db.select().from(tickets).where(eq(tickets.number, thread.ticketNumber))),
    );
    if (found) return found;
  }
  if (thread.refs && thread.refs.length > 0 && refChannel !== null) {
    const id = await ticketOfRefs(ctx.db, refChannel, thread.refs);
    if (id !== undefined) return visible(await byId(id));
  }
  return undefined;
}

/** A word on a solved ticket from its client means it is not solved: it reopens while the contract lets it. */
async function comment(
  ctx: DeskContext,
  actor: Actor,
  ticket: TicketRow,
  msg: InboundMessage,
): Promise<IntakeOutcome> {
  const body = msg.body.trim().slice(0, COMMENT_MAX);
  const files = [...(msg.files ?? []), ...(msg.internalFiles ?? [])];
  let reopened = false;
  if (
    msg.reopensResolved &&
    ticket.status === 'resolved' &&
    allowedActions(actor, ticket).includes('reopen')
  ) {
    await act(ctx, actor, ticket.id, {
      action: 'reopen',
      reason: body || msg.subject || `#${ticket.number}`,
    });
    reopened = true;
  }
  const done = await addComment(ctx, actor, ticket.id, { body, attachments: files });
  const authorId = actor.kind === 'person' ? actor.personId : ticket.requesterId;
  return { kind: 'commented', ticket: done.ticket, commentId: done.comment.id, authorId, reopened };
}

async function create(
  ctx: DeskContext,
  actor: Actor,
  requesterId: number,
  msg: InboundMessage,
  closed: TicketRow | null,
): Promise<IntakeOutcome> {
  if (msg.newTicketsPerHour !== undefined) {
    const since = ctx.clock.now() - HOUR;
    const row = await queryOne(
      ctx.db
        .select({ n: count() })
        .from(tickets)
        .where(
          and(
            eq(tickets.requesterId, requesterId),
            eq(tickets.channel, msg.channel),
            gt(tickets.createdAt, since),
          ),
        ),
    );
    if ((row?.n ?? 0) >= msg.newTicketsPerHour) return { kind: 'rate_limited', requesterId };
  }
  const description = (msg.body.trim() || msg.subject?.trim() || '').slice(0, DESCRIPTION_MAX);
  if (description === '' && (msg.files ?? []).length === 0) {
    throw new InvalidInputError('the message says nothing and carries no file');
  }
  const f = msg.fields ?? {};
  const { ticket, created } = await fileTicket(ctx, actor, {
    channel: msg.channel,
    requesterId,
    // null: filed with no company on purpose (someone outside the group's company writing in its group).
    companyId:
      f.companyId === null ? null : (f.companyId ?? (await companyWithoutAsking(ctx, requesterId, msg))),
    categoryId: f.categoryId ?? null,
    ...(msg.subject?.trim() ? { subject: msg.subject.trim().slice(0, 120) } : {}),
    // A file with no words still makes a request: its name says what it is.
    description: description || (msg.files ?? []).map((file) => file.fileName ?? file.kind).join(', '),
    location: f.location ?? null,
    ...(f.impact ? { impact: f.impact } : {}),
    ...(f.urgency ? { urgency: f.urgency } : {}),
    attachments: [...(msg.files ?? []), ...(msg.internalFiles ?? [])],
    ...(msg.intakeKey === undefined ? {} : { intakeKey: msg.intakeKey }),
    ...(closed ? { followsUp: closed.number } : {}),
  });
  if (!created) return { kind: 'duplicate', ticketId: ticket.id };
  return { kind: 'created', ticket, requesterId, followsUp: closed };
}

/**
 * Channels that cannot ask "which company?" (a mail, a form) pick for a person of several companies: the
 * one whose mail domain the sender writes from, else the first they joined. The bot and the Mini App ask.
 */
async function companyWithoutAsking(
  ctx: DeskContext,
  personId: number,
  msg: InboundMessage,
): Promise<number | undefined> {
  if (msg.channel === 'telegram' || msg.channel === 'miniapp' || msg.channel === 'telegram_group')
    return undefined;
  const rows = await queryAll(
    ctx.db
      .select({ companyId: companies.id, emailDomain: companies.emailDomain })
      .from(memberships)
      .innerJoin(companies, eq(companies.id, memberships.companyId))
      .where(and(eq(memberships.personId, personId), inArray(memberships.role, ['client', 'client_manager'])))
      .orderBy(memberships.id),
  );
  if (rows.length < 2) return undefined;
  const domain = msg.sender.kind === 'email' ? mailDomain(msg.sender.address) : '';
  return (rows.find((r) => domain !== '' && r.emailDomain === domain) ?? rows[0])?.companyId;
}

// A person's message added to a ticket as a comment: its text or caption and its file. Staff mark an
// internal note with a leading "!" (as in the staff group's topics).
import { type Filter, InlineKeyboard } from 'grammy';
import { DeskError, TransitionRefusedError } from '../../core/errors.ts';
import { receiveInbound } from '../../core/intake/receive.ts';
import { isFinalStatus } from '../../core/lifecycle.ts';
import { allowedActions, isStaff } from '../../core/permissions.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { getTicket } from '../../core/tickets/read.ts';
import { actorOf, telegramSender } from '../actor.ts';
import { attachmentOf } from '../attachments.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { refusalReason } from '../refusals.ts';
import type { SplitPastes } from '../split-pastes.ts';

type MessageContext = Filter<BotContext, 'message'>;

/**
 * Adds the message to the ticket and says so. Returns the ticket's number when the ticket is closed (the
 * caller offers what to do instead); any other refusal is answered here.
 */
export async function commentFromMessage(
  { desk }: BotDeps,
  ctx: MessageContext,
  ticketId: number,
  pastes: SplitPastes,
): Promise<number | null> {
  const file = attachmentOf(ctx.message);
  const body = ctx.message.text ?? ctx.message.caption ?? '';
  if (!file && !ctx.message.text) {
    await ctx.reply(ctx.t('intake-text-expected'));
    return null;
  }
  const actor = await actorOf(desk, ctx.from);
  const internal = isStaff(actor) && body.startsWith('!');
  try {
    if (internal) {
      await addComment(desk, actor, ticketId, {
        body: body.slice(1).trim(),
        internal,
        attachments: file ? [file] : [],
      });
    } else {
      const before = (await getTicket(desk, actor, ticketId)).ticket;
      // A closed ticket takes no more words: the caller offers a new request instead.
      if (isFinalStatus(before.status)) return before.number;
      await receiveInbound(desk, {
        channel: 'telegram',
        sender: telegramSender(ctx.from),
        thread: { ticketId },
        body,
        files: file ? [file] : [],
      });
    }
    pastes.added(ctx.chat.id, ctx.message, ticketId);
    const { ticket } = await getTicket(desk, actor, ticketId);
    // A word about a solved ticket from its client may mean it is not solved: ask, with the same buttons
    // as the resolution notice (No reopens it, while the contract's window is open).
    const asks = ticket.status === 'resolved' && allowedActions(actor, ticket).includes('reopen');
    await ctx.reply(
      ctx.t(asks ? 'comment-added-resolved' : 'comment-added', { number: String(ticket.number) }),
      {
        reply_parameters: { message_id: ctx.message.message_id },
        ...(asks
          ? {
              reply_markup: new InlineKeyboard()
                .text(ctx.t('notice-solved-yes'), `solved:${ticket.id}:yes`)
                .text(ctx.t('notice-solved-no'), `solved:${ticket.id}:no`),
            }
          : {}),
      },
    );
    return null;
  } catch (error) {
    if (!(error instanceof DeskError)) throw error;
    if (error instanceof TransitionRefusedError && ['closed', 'cancelled'].includes(error.fromStatus)) {
      return (await getTicket(desk, actor, ticketId)).ticket.number;
    }
    await ctx.reply(
      ctx.t('comment-refused', { reason: refusalReason((key, args) => ctx.t(key, args), error) }),
    );
    return null;
  }
}

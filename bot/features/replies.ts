// A reply to any bot message about a ticket becomes a comment on that ticket (text or file). A reply to
// an engineer's question is the client's answer: core puts the ticket back to work.
import { Composer } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { isStaff } from '../../core/permissions.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { getTicket } from '../../core/tickets/read.ts';
import { actorOf } from '../actor.ts';
import { attachmentOf } from '../attachments.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { ticketOfMessage } from '../message-links.ts';

export function replies(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  bot
    .chatType('private')
    .on('message')
    .filter(
      (ctx) => ctx.message.reply_to_message?.from?.id === ctx.me.id,
      async (ctx) => {
        const replyTo = ctx.message.reply_to_message?.message_id ?? 0;
        const ticketId = ticketOfMessage(desk.db, ctx.chat.id, replyTo);
        if (ticketId === undefined) {
          await ctx.reply(ctx.t('comment-unknown-message'));
          return;
        }
        const file = attachmentOf(ctx.message);
        const body = ctx.message.text ?? ctx.message.caption ?? '';
        if (!file && !ctx.message.text) {
          await ctx.reply(ctx.t('intake-text-expected'));
          return;
        }
        const actor = actorOf(desk, ctx.from);
        // Staff mark an internal note with a leading "!" (as in the staff group's topics).
        const internal = isStaff(actor) && body.startsWith('!');
        try {
          addComment(desk, actor, ticketId, {
            body: internal ? body.slice(1).trim() : body,
            internal,
            attachments: file ? [file] : [],
          });
          const { ticket } = getTicket(desk, actor, ticketId);
          await ctx.reply(ctx.t('comment-added', { number: String(ticket.number) }), {
            reply_parameters: { message_id: ctx.message.message_id },
          });
        } catch (error) {
          if (!(error instanceof DeskError)) throw error;
          await ctx.reply(ctx.t('comment-refused', { reason: ctx.t(`error-${error.code}`) }));
        }
      },
    );
  return bot;
}

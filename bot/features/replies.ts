// A reply to any bot message about a ticket becomes a comment on that ticket (text or file). A reply to
// an engineer's question is the client's answer: core puts the ticket back to work. A reply about a closed
// ticket is not lost: the person is offered a new request with that text (or, where they may, to reopen).
import { Composer } from 'grammy';
import type { BotContext, BotDeps } from '../context.ts';
import { ticketOfMessage } from '../message-links.ts';
import type { SplitPastes } from '../split-pastes.ts';
import { commentFromMessage } from './comment-from-message.ts';
import { offerRequest } from './loose-messages.ts';

export function replies(deps: BotDeps, pastes: SplitPastes): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  bot
    .chatType('private')
    .on('message')
    .filter(
      (ctx) => ctx.message.reply_to_message?.from?.id === ctx.me.id,
      async (ctx) => {
        const replyTo = ctx.message.reply_to_message?.message_id ?? 0;
        const ticketId = await ticketOfMessage(desk.db, ctx.chat.id, replyTo);
        if (ticketId === undefined) {
          await ctx.reply(ctx.t('comment-unknown-message'));
          return;
        }
        const closed = await commentFromMessage(deps, ctx, ticketId, pastes);
        if (closed) await offerRequest(deps, ctx, { follows: closed });
      },
    );
  return bot;
}

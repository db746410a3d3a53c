// The client's answer to "Solved?": Yes closes the ticket and asks for a rating; No asks why and reopens.
import { Composer } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { transitionFor } from '../../core/lifecycle.ts';
import { act } from '../../core/tickets/act.ts';
import { getTicket } from '../../core/tickets/read.ts';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { RATE, REOPEN } from '../conversations/resolution.ts';
import { refusalReason } from '../refusals.ts';

export function resolution(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  bot.callbackQuery(/^solved:(\d+):(yes|no)$/, async (ctx) => {
    const ticketId = Number(ctx.match[1]);
    const actor = await actorOf(desk, ctx.from);
    try {
      if (ctx.match[2] === 'yes') {
        await act(desk, actor, ticketId, { action: 'confirm' });
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup();
        await ctx.conversation.exitAll();
        await ctx.conversation.enter(RATE, ticketId);
      } else {
        // Refuse now, before asking for a reason, if this person may not reopen the ticket.
        const { ticket, roles } = await getTicket(desk, actor, ticketId);
        transitionFor('reopen', ticket.status, roles);
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup();
        await ctx.conversation.exitAll();
        await ctx.conversation.enter(REOPEN, ticketId);
      }
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.answerCallbackQuery({
        text: ctx.t('action-refused', { reason: refusalReason((key, args) => ctx.t(key, args), error) }),
      });
    }
  });
  return bot;
}

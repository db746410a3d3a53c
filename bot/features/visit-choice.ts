// The client picks one of the on-site visit times an engineer offered. The slot id in the button is only
// a hint: core checks it belongs to this ticket, is still on offer, and that this person may choose.
import { Composer } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { act } from '../../core/tickets/act.ts';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { refusalReason } from '../refusals.ts';
import { slotText } from '../time-text.ts';

export function visitChoice(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  bot.callbackQuery(/^vp:(\d+):(\d+)$/, async (ctx) => {
    const actor = await actorOf(desk, ctx.from);
    try {
      const { ticket } = await act(desk, actor, Number(ctx.match[1]), {
        action: 'pick_visit',
        slotId: Number(ctx.match[2]),
      });
      await ctx.answerCallbackQuery();
      await ctx.editMessageReplyMarkup();
      const zone = (await desk.policies.forContract(ticket.contractId)).timeZone;
      await ctx.reply(
        ctx.t('visit-picked', {
          number: String(ticket.number),
          slot: slotText(
            ticket.visitStartsAt ?? 0,
            ticket.visitEndsAt ?? 0,
            zone,
            (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'ru',
          ),
        }),
      );
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.answerCallbackQuery({
        text: ctx.t('action-refused', { reason: refusalReason((key, args) => ctx.t(key, args), error) }),
        show_alert: true,
      });
    }
  });
  return bot;
}

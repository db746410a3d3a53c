// After "Solved? Yes / No": a rating with an optional comment, or the reason to reopen. Each is a short
// conversation, so an answer that comes after a restart still lands.
import { InlineKeyboard } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { act } from '../../core/tickets/act.ts';
import { getTicket } from '../../core/tickets/read.ts';
import { actorOf } from '../actor.ts';
import type { BotDeps, TalkContext } from '../context.ts';
import { Leave, prompts, type Talk } from './prompts.ts';

export const RATE = 'rate';
export const REOPEN = 'reopen';

const STARS = ['1', '2', '3', '4', '5'] as const;

export function rateConversation(deps: BotDeps) {
  return async function rate(conversation: Talk, ctx: TalkContext, ticketId: number): Promise<void> {
    const from = ctx.from;
    if (!from) return;
    const { t, ask, askText } = prompts(conversation, ctx);
    try {
      const number = await conversation.external(
        async () => (await getTicket(deps.desk, await actorOf(deps.desk, from), ticketId)).ticket.number,
      );
      const stars = new InlineKeyboard();
      for (const s of STARS) stars.text(`${s} ⭐`, `r:${s}`);
      const rating = Number(
        (
          await ask(
            t('rate-ask', { number: String(number) }),
            stars,
            STARS.map((s) => `r:${s}`),
          )
        ).slice(2),
      );
      const comment = await askText(
        t('rate-comment'),
        2000,
        new InlineKeyboard().text(t('intake-skip'), 'skip'),
      );
      const refused = await conversation.external(async () => {
        try {
          await act(deps.desk, await actorOf(deps.desk, from), ticketId, {
            action: 'rate',
            rating,
            ...(comment ? { comment } : {}),
          });
          return null;
        } catch (error) {
          if (error instanceof DeskError) return error.code;
          throw error;
        }
      });
      await ctx.reply(refused ? t('action-refused', { reason: t(`error-${refused}`) }) : t('rate-thanks'));
    } catch (error) {
      if (!(error instanceof Leave)) throw error;
    }
  };
}

export function reopenConversation(deps: BotDeps) {
  return async function reopen(conversation: Talk, ctx: TalkContext, ticketId: number): Promise<void> {
    const from = ctx.from;
    if (!from) return;
    const { t, askText } = prompts(conversation, ctx);
    try {
      const reason = (await askText(t('reopen-ask'), 2000)) ?? '';
      const outcome = await conversation.external(async () => {
        try {
          const { ticket } = await act(deps.desk, await actorOf(deps.desk, from), ticketId, {
            action: 'reopen',
            reason,
          });
          return { ok: true as const, number: String(ticket.number) };
        } catch (error) {
          if (error instanceof DeskError) return { ok: false as const, code: error.code };
          throw error;
        }
      });
      await ctx.reply(
        outcome.ok
          ? t('reopen-done', { number: String(outcome.number) })
          : t('action-refused', { reason: t(`error-${outcome.code}`) }),
      );
    } catch (error) {
      if (!(error instanceof Leave)) throw error;
    }
  };
}

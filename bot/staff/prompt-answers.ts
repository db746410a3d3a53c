// Answers to the bot's questions to staff (see prompts.ts): the reply is the question for the client, the
// resolution, the escalation reason, a public reply or an internal note. Only the person asked may
// answer; a wrong kind of message is explained and the question stays open.
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import { DeskError } from '../../core/errors.ts';
import { clearRefPurpose } from '../../core/intake/message-refs.ts';
import { staffGroup } from '../../core/settings.ts';
import { act } from '../../core/tickets/act.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { getTicket } from '../../core/tickets/read.ts';
import { inTransaction } from '../../core/transaction.ts';
import { translator } from '../../locales/index.ts';
import { actorOf } from '../actor.ts';
import { attachmentOf } from '../attachments.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { rememberMessage, telegramRef } from '../message-links.ts';
import { refusalReason } from '../refusals.ts';
import { renderCard } from './card.ts';
import { promptOf } from './prompts.ts';

export function promptAnswers(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  bot.on('message').filter(
    async (ctx) =>
      ctx.message.reply_to_message?.from?.id === ctx.me.id &&
      (await promptOf(desk.db, ctx.chat.id, ctx.message.reply_to_message.message_id)) !== undefined,
    async (ctx) => {
      const promptId = ctx.message.reply_to_message?.message_id ?? 0;
      const prompt = await promptOf(desk.db, ctx.chat.id, promptId);
      if (!prompt) return;
      const thread = threadOf(ctx.message);
      const answer = (text: string) =>
        ctx.reply(text, { reply_parameters: { message_id: ctx.message.message_id }, ...thread });
      const actor = await actorOf(desk, ctx.from);
      if (actor.kind !== 'person' || actor.personId !== prompt.personId) {
        await answer(ctx.t('staff-prompt-not-yours'));
        return;
      }
      const text = (ctx.message.text ?? ctx.message.caption ?? '').trim();
      const file = attachmentOf(ctx.message);
      const takesFiles = prompt.purpose === 'reply' || prompt.purpose === 'note';
      if (!text && !(takesFiles && file)) {
        await answer(ctx.t('staff-prompt-text-expected'));
        return;
      }
      const inGroup = (await staffGroup(desk.db))?.chatId === ctx.chat.id;
      try {
        // The move and the prompt marked as answered in one transaction: a repeated update acts once.
        const { ticket } = await inTransaction(desk.db, async () => {
          const done = await (async () => {
            switch (prompt.purpose) {
              case 'ask':
                return await act(desk, actor, prompt.ticketId, { action: 'ask_customer', question: text });
              case 'escalate':
                return await act(desk, actor, prompt.ticketId, { action: 'escalate_line2', reason: text });
              case 'resolve':
                return await act(desk, actor, prompt.ticketId, { action: 'resolve', resolution: text });
              default:
                return await addComment(desk, actor, prompt.ticketId, {
                  body: text,
                  internal: prompt.purpose === 'note',
                  attachments: file ? [file] : [],
                  ...(inGroup ? { via: 'staff_group' as const } : {}),
                });
            }
          })();
          // Answered: the same prompt does not act twice.
          await clearRefPurpose(desk.db, 'telegram', telegramRef(ctx.chat.id, promptId));
          return done;
        });
        await answer(ctx.t(`staff-prompt-done-${prompt.purpose}`, { number: String(ticket.number) }));
        if (!inGroup) {
          // In a private chat the card above is now outdated: a fresh one follows.
          const view = await getTicket(desk, actor, ticket.id);
          const language = (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'ru';
          const card = await renderCard(desk, translator(language), language, view.ticket, {
            personId: actor.personId,
          });
          const sent = await ctx.reply(card.text, { reply_markup: card.keyboard });
          await rememberMessage(desk.db, sent.chat.id, sent.message_id, ticket.id, desk.clock.now());
        }
      } catch (error) {
        if (!(error instanceof DeskError)) throw error;
        // Say why, and give back what was typed so that nothing has to be typed again.
        const reason = refusalReason((key, args) => ctx.t(key, args), error);
        await answer(
          text
            ? `${ctx.t('action-refused', { reason })}\n\n${ctx.t('staff-refused-kept', { text })}`
            : ctx.t('action-refused', { reason }),
        );
      }
    },
  );
  return bot;
}

export function threadOf(message: Message): { message_thread_id?: number } {
  return message.is_topic_message && message.message_thread_id !== undefined
    ? { message_thread_id: message.message_thread_id }
    : {};
}

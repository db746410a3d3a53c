// The staff group's ticket topics are a conversation with the client: what staff write there goes to the
// client as a public reply, except what starts with "!" or is sent with /note, which stays internal.
// Messages from people who are not staff, and from topics that are not tickets, are left alone.
import { Composer } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { isStaff } from '../../core/permissions.ts';
import { staffGroup } from '../../core/settings.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { actorOf } from '../actor.ts';
import { attachmentOf } from '../attachments.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { refusalReason } from '../refusals.ts';
import { threadOf } from './prompt-answers.ts';
import { ticketOfTopic } from './topic-store.ts';

const INTERNAL_MARK = '!';

export function topicRelay(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  bot.chatType('supergroup').on('message', async (ctx, next) => {
    const group = await staffGroup(desk.db);
    const threadId = ctx.message.is_topic_message ? ctx.message.message_thread_id : undefined;
    const ticketId =
      group?.chatId === ctx.chat.id && threadId !== undefined
        ? await ticketOfTopic(desk.db, ctx.chat.id, threadId)
        : undefined;
    if (ticketId === undefined || ctx.from.is_bot) return next();
    const raw = ctx.message.text ?? ctx.message.caption ?? '';
    const note = /^\/note(@\w+)?(\s|$)/.exec(raw);
    if (raw.startsWith('/') && !note) return next();
    const actor = await actorOf(desk, ctx.from);
    if (!isStaff(actor)) return;
    const internal = note !== null || raw.startsWith(INTERNAL_MARK);
    const body = (note ? raw.slice(note[0].length) : internal ? raw.slice(INTERNAL_MARK.length) : raw).trim();
    const file = attachmentOf(ctx.message);
    if (!body && !file) {
      if (note || ctx.message.sticker)
        await ctx.reply(ctx.t('staff-relay-empty'), {
          reply_parameters: { message_id: ctx.message.message_id },
          ...threadOf(ctx.message),
        });
      return;
    }
    try {
      await addComment(desk, actor, ticketId, {
        body,
        internal,
        attachments: file ? [file] : [],
        via: 'staff_group',
      });
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.reply(
        ctx.t('comment-refused', { reason: refusalReason((key, args) => ctx.t(key, args), error) }),
        {
          reply_parameters: { message_id: ctx.message.message_id },
          ...threadOf(ctx.message),
        },
      );
    }
  });
  return bot;
}

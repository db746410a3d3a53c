// "My requests": a paginated list, a card per ticket with its public history, and adding a comment.

import { eq } from 'drizzle-orm';
import { Composer, InlineKeyboard } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { formatLocal } from '../../core/exports.ts';
import { isFinalStatus } from '../../core/lifecycle.ts';
import { LANGUAGES } from '../../core/model.ts';
import { getTicket, listTickets, timeline } from '../../core/tickets/read.ts';
import { queryOne } from '../../db/access.ts';
import { people } from '../../db/schema.ts';
import { translator } from '../../locales/index.ts';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { rememberMessage } from '../message-links.ts';
import { ticketInApp } from '../notices.ts';
import { refusalReason } from '../refusals.ts';

const PAGE = 5;
const menuMine = LANGUAGES.map((l) => translator(l)('menu-mine'));

export function myRequests(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  const privateChats = bot.chatType('private');

  async function showList(ctx: BotContext, page: number, edit: boolean) {
    if (!ctx.from) return;
    const actor = await actorOf(desk, ctx.from);
    if (actor.kind !== 'person') return;
    // One more than a page tells whether there is a next one.
    const all = await listTickets(desk.db, actor, { requesterId: actor.personId, limit: 500 });
    const slice = all.slice(page * PAGE, page * PAGE + PAGE);
    if (all.length === 0) {
      await ctx.reply(ctx.t('my-empty'));
      return;
    }
    const keyboard = new InlineKeyboard();
    const lines: string[] = [];
    for (const t of slice) {
      const zone = (await desk.policies.forContract(t.contractId)).timeZone;
      keyboard.text(`#${t.number}`, `t:${t.id}`);
      lines.push(
        ctx.t('my-line', {
          number: String(t.number),
          status: ctx.t(`status-${t.status}`),
          priority: t.priority,
          due:
            isFinalStatus(t.status) || t.status === 'resolved'
              ? ''
              : ctx.t('my-due', { due: formatLocal(t.resolutionDueAt, zone) }),
        }),
      );
    }
    keyboard.row();
    if (page > 0) keyboard.text(ctx.t('my-back'), `my:${page - 1}`);
    if (all.length > (page + 1) * PAGE) keyboard.text(ctx.t('my-more'), `my:${page + 1}`);
    const text = [ctx.t('my-title', { total: all.length }), ...lines].join('\n');
    if (edit) await ctx.editMessageText(text, { reply_markup: keyboard });
    else await ctx.reply(text, { reply_markup: keyboard });
  }

  privateChats.command('my', async (ctx) => showList(ctx, 0, false));
  privateChats.hears(menuMine, async (ctx) => showList(ctx, 0, false));
  bot.callbackQuery(/^my:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showList(ctx, Number(ctx.match[1]), true);
  });

  bot.callbackQuery(/^t:(\d+)$/, async (ctx) => {
    const actor = await actorOf(desk, ctx.from);
    try {
      const { ticket, timeZone } = await getTicket(desk, actor, Number(ctx.match[1]));
      const assignee = ticket.assigneeId
        ? ((
            await queryOne(
              desk.db.select({ name: people.name }).from(people).where(eq(people.id, ticket.assigneeId)),
            )
          )?.name ?? '')
        : '—';
      const history = (await timeline(desk, actor, ticket.id))
        .slice(-10)
        .map(
          (e) =>
            `${formatLocal(e.at, timeZone)} · ${ctx.t(`event-${e.type}`)}${typeof e.data?.body === 'string' ? `: ${e.data.body}` : ''}`,
        );
      const text = [
        ctx.t('card', {
          number: String(ticket.number),
          subject: ticket.subject,
          status: ctx.t(`status-${ticket.status}`),
          priority: ctx.t(`priority-${ticket.priority}`),
          assignee,
          due: formatLocal(ticket.resolutionDueAt, timeZone),
        }),
        '',
        ctx.t('card-history'),
        ...history,
      ].join('\n');
      const keyboard = new InlineKeyboard();
      if (!isFinalStatus(ticket.status)) keyboard.text(ctx.t('card-comment'), `cm:${ticket.id}`);
      if (deps.miniAppUrl) keyboard.webApp(ctx.t('open-in-app'), ticketInApp(deps.miniAppUrl, ticket.id));
      await ctx.answerCallbackQuery();
      const hasButtons = keyboard.inline_keyboard.some((row) => row.length > 0);
      const sent = await ctx.reply(text, hasButtons ? { reply_markup: keyboard } : {});
      await rememberMessage(desk.db, sent.chat.id, sent.message_id, ticket.id, desk.clock.now());
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.answerCallbackQuery({
        text: ctx.t('action-refused', { reason: refusalReason((key, args) => ctx.t(key, args), error) }),
      });
    }
  });

  bot.callbackQuery(/^cm:(\d+)$/, async (ctx) => {
    const actor = await actorOf(desk, ctx.from);
    try {
      const { ticket } = await getTicket(desk, actor, Number(ctx.match[1]));
      await ctx.answerCallbackQuery();
      const prompt = await ctx.reply(ctx.t('comment-prompt', { number: String(ticket.number) }), {
        reply_markup: { force_reply: true, input_field_placeholder: `#${ticket.number}` },
      });
      await rememberMessage(desk.db, prompt.chat.id, prompt.message_id, ticket.id, desk.clock.now());
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.answerCallbackQuery({
        text: ctx.t('action-refused', { reason: refusalReason((key, args) => ctx.t(key, args), error) }),
      });
    }
  });

  return bot;
}

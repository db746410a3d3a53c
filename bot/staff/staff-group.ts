// /staffgroup, sent by an admin in a forum supergroup, makes it the staff group: a topic per ticket.
// The bot must be an administrator there that may manage topics and pin messages; it says what is missing.
// "/staffgroup off" goes back to cards in staff members' private chats.
import { Composer } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { setStaffGroup } from '../../core/settings.ts';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';

export function staffGroupSetup(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  bot.command('staffgroup', async (ctx) => {
    if (ctx.chat.type !== 'supergroup') {
      await ctx.reply(ctx.t('staff-group-not-here'));
      return;
    }
    const actor = await actorOf(desk, ctx.from ?? ctx.me);
    const language = (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'ru';
    try {
      if (ctx.match.trim() === 'off') {
        await setStaffGroup(desk, actor, null);
        await ctx.reply(ctx.t('staff-group-unbound'));
        return;
      }
      if (!ctx.chat.is_forum) {
        await ctx.reply(ctx.t('staff-group-no-topics'));
        return;
      }
      const me = await ctx.api.getChatMember(ctx.chat.id, ctx.me.id);
      const rights = me.status === 'administrator' ? me : undefined;
      if (me.status !== 'creator' && !(rights?.can_manage_topics && rights.can_pin_messages)) {
        await ctx.reply(ctx.t('staff-group-rights'));
        return;
      }
      await setStaffGroup(desk, actor, { chatId: ctx.chat.id, title: ctx.chat.title, language });
      await ctx.reply(ctx.t('staff-group-bound', { title: ctx.chat.title }));
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.reply(ctx.t('staff-not-allowed'));
    }
  });
  return bot;
}

// "Tell me in private": the link under the bot's answer in a client group opens the private chat with
// /start group_private (so the bot may write there); from then on that person's group requests are told to
// them in private. A button there puts it back to the group.
import { Composer, InlineKeyboard } from 'grammy';
import { GROUP_PRIVATE_START, setGroupNoticesPrivate } from '../../core/groups/notice-preference.ts';
import { ensureTelegramPerson } from '../../core/onboarding.ts';
import { profileOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';

const BACK_TO_GROUP = 'gn:group';

export function groupNoticePreference({ desk }: BotDeps): Composer<BotContext> {
  const bot = new Composer<BotContext>();
  const inPrivate = bot.chatType('private');
  inPrivate.command('start', async (ctx, next) => {
    if (ctx.match.trim() !== GROUP_PRIVATE_START) return next();
    const person = await ensureTelegramPerson(desk, profileOf(ctx.from));
    await setGroupNoticesPrivate(desk, person.id, true);
    await ctx.reply(ctx.t('group-notices-private'), {
      reply_markup: new InlineKeyboard().text(ctx.t('group-notices-back'), BACK_TO_GROUP),
    });
  });
  inPrivate.callbackQuery(BACK_TO_GROUP, async (ctx) => {
    const person = await ensureTelegramPerson(desk, profileOf(ctx.from));
    await setGroupNoticesPrivate(desk, person.id, false);
    await ctx.editMessageText(ctx.t('group-notices-in-group')).catch(() => {});
    await ctx.answerCallbackQuery();
  });
  return bot;
}

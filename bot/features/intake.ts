// Entering the guided intake: /new or the menu button, in either language.
import { Composer } from 'grammy';
import { LANGUAGES } from '../../core/model.ts';
import { translator } from '../../locales/index.ts';
import type { BotContext } from '../context.ts';
import { NEW_REQUEST } from '../conversations/new-request.ts';

const menuNew = LANGUAGES.map((l) => translator(l)('menu-new'));

export function intake(): Composer<BotContext> {
  const bot = new Composer<BotContext>();
  const privateChats = bot.chatType('private');
  const enter = async (ctx: BotContext) => {
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(NEW_REQUEST);
  };
  privateChats.command('new', enter);
  privateChats.hears(menuNew, enter);
  return bot;
}

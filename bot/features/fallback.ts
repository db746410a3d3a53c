// Whatever nothing else took: an unknown command, or a message outside any conversation.
import { Composer } from 'grammy';
import { rolesOf } from '../actor.ts';
import { helpText } from '../commands.ts';
import type { BotContext, BotDeps } from '../context.ts';

export function fallback({ desk }: BotDeps): Composer<BotContext> {
  const bot = new Composer<BotContext>();
  const privateChats = bot.chatType('private');
  privateChats.on('message', async (ctx) => {
    if (ctx.message.text?.startsWith('/')) return ctx.reply(ctx.t('unknown-command'));
    const roles = await rolesOf(desk, ctx.from);
    return ctx.reply(helpText((key, args) => ctx.t(key, args), roles.length > 0 ? roles : ['client']));
  });
  // A button of a message whose conversation is over (or was lost in a crash): say how to start again.
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('stale-button-start-over') }));
  return bot;
}

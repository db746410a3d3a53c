// Whatever nothing else took: an unknown command, or a message outside any conversation.
import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';

export function fallback(): Composer<BotContext> {
  const bot = new Composer<BotContext>();
  const privateChats = bot.chatType('private');
  privateChats.on('message', (ctx) =>
    ctx.reply(ctx.t(ctx.message.text?.startsWith('/') ? 'unknown-command' : 'help')),
  );
  // A button of a message whose conversation is over.
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('intake-stale-button') }));
  return bot;
}

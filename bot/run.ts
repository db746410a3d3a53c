// Running the bot for real: long polling with @grammyjs/runner, updates of one chat one after another
// (the same key as the conversation storage), the notifier woken after every update.
import { run, sequentialize } from '@grammyjs/runner';
import { Api, type Bot } from 'grammy';
import type { DeskContext } from '../core/context.ts';
import { registerCommands } from './commands.ts';
import type { BotContext } from './context.ts';
import { createBot } from './create-bot.ts';
import { Notifier } from './notifier.ts';
import type { SendLimits } from './rate-limiter.ts';

export interface RunningBot {
  bot: Bot<BotContext>;
  notifier: Notifier;
  stop(): Promise<void>;
}

export interface StartBotOptions {
  desk: DeskContext;
  token: string;
  apiRoot: string;
  onError?: (error: unknown) => void;
  /** Telegram's sending limits by default; tests that are not about them may loosen them. */
  limits?: SendLimits;
}

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const notifier = new Notifier({
    desk: options.desk,
    api: new Api(options.token, { apiRoot: options.apiRoot }),
    onError: options.onError,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const bot = createBot(options, (composer) => {
    composer.use(sequentialize((ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId))));
    composer.use(async (_ctx, next) => {
      await next();
      notifier.poke();
    });
  });
  bot.catch((error) => (options.onError ?? console.error)(error.error));
  await bot.init();
  await registerCommands(bot.api);
  const runner = run(bot, { runner: { fetch: { allowed_updates: ['message', 'callback_query'] } } });
  notifier.start();
  return {
    bot,
    notifier,
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await notifier.stop();
    },
  };
}

// Running the bot for real: long polling with @grammyjs/runner (or a webhook with a secret token),
// updates of one chat one after another (the same key as the conversation storage), the notifier woken
// after every update.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run, sequentialize } from '@grammyjs/runner';
import { Api, type Bot, webhookCallback } from 'grammy';
import type { DeskContext } from '../core/context.ts';
import { statements } from '../core/statements.ts';
import { registerCommands, registerStaffCommands } from './commands.ts';
import type { BotContext } from './context.ts';
import { createBot } from './create-bot.ts';
import { Notifier } from './notifier.ts';
import type { SendLimits } from './rate-limiter.ts';

export interface RunningBot {
  bot: Bot<BotContext>;
  notifier: Notifier;
  /** In webhook mode: the port this process listens on. */
  webhookPort?: number;
  stop(): Promise<void>;
}

export interface WebhookOptions {
  /** The public https URL Telegram posts updates to. */
  url: string;
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; other requests are refused. */
  secret: string;
  /** Where this process listens for those posts (behind a reverse proxy). */
  port: number;
  host?: string;
}

export interface StartBotOptions {
  desk: DeskContext;
  token: string;
  apiRoot: string;
  onError?: (error: unknown) => void;
  /** Telegram's sending limits by default; tests that are not about them may loosen them. */
  limits?: SendLimits;
  /** Webhook mode instead of long polling. */
  webhook?: WebhookOptions;
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
    // Wake the notifier only when the update queued something: a claim scan per update is not free.
    const { lastNotice } = statements(options.desk.db);
    composer.use(async (_ctx, next) => {
      const before = lastNotice.get()?.id ?? 0;
      await next();
      if ((lastNotice.get()?.id ?? 0) !== before) notifier.poke();
    });
  });
  bot.catch((error) => (options.onError ?? console.error)(error.error));
  await bot.init();
  await registerCommands(bot.api);
  await registerStaffCommands(bot.api, options.desk.db);
  notifier.start();
  if (options.webhook) {
    const server = await serveWebhook(bot, options.webhook);
    return {
      bot,
      notifier,
      webhookPort: (server.address() as AddressInfo).port,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await notifier.stop();
      },
    };
  }
  const runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
  return {
    bot,
    notifier,
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await notifier.stop();
    },
  };
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** Registers the webhook with Telegram and answers its posts; a wrong secret gets 401 and changes nothing. */
async function serveWebhook(bot: Bot<BotContext>, webhook: WebhookOptions): Promise<Server> {
  const handle = webhookCallback(bot, 'http', { secretToken: webhook.secret, onTimeout: 'return' });
  const server = createServer((request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(webhook.port, webhook.host ?? '127.0.0.1', resolve));
  await bot.api.setWebhook(webhook.url, {
    secret_token: webhook.secret,
    allowed_updates: [...ALLOWED_UPDATES],
  });
  return server;
}

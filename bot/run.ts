// Running the bot for real: long polling with @grammyjs/runner (or a webhook with a secret token,
// answered by a route of the process's one HTTP server), updates of one chat one after another (the same
// key as the conversation storage), the notifier woken after every update.
import { run, sequentialize } from '@grammyjs/runner';
import { Api, type Bot, webhookCallback } from 'grammy';
import type { Context as HttpContext } from 'hono';
import type { Logger } from 'pino';
import { errorsOnlyLogger } from '../app/logger.ts';
import type { DeskContext } from '../core/context.ts';
import { FileStore } from '../core/files/store.ts';
import { noticesQueued } from '../core/outbox.ts';
import { isPostgresStore, type PgStoreDb } from '../db/pg/store.ts';
import { pruneBudget } from '../db/pg/telegram-budget.ts';
import { DEFAULT_LANGUAGE, translator } from '../locales/index.ts';
import { chatTurnsAcrossInstances } from './chat-turns.ts';
import { registerCommands, registerRoleCommands } from './commands.ts';
import type { BotContext } from './context.ts';
import { createBot } from './create-bot.ts';
import { HANDLED_UPDATES_KEPT_MS, handledUpdates } from './handled-updates.ts';
import { Notifier } from './notifier.ts';
import type { SendLimits } from './rate-limiter.ts';

/** How long one of the notifier's Telegram calls may take (a file's upload included). */
const NOTICE_CALL_TIMEOUT_S = 60;

/** Answers one of Telegram's webhook posts: mount it as a POST route (Hono). */
export type WebhookHandler = (c: HttpContext) => Promise<Response>;

export interface RunningBot {
  bot: Bot<BotContext>;
  notifier: Notifier;
  /** In webhook mode: the route that answers Telegram's posts (a wrong secret gets 401). */
  webhook?: WebhookHandler;
  /** For /healthz: how updates arrive, whether they still do, and when the last one came (desk clock). */
  status(): { mode: 'polling' | 'webhook'; running: boolean; lastUpdateAt: number | null };
  stop(): Promise<void>;
}

export interface WebhookOptions {
  /** The public https URL Telegram posts updates to (registered with setWebhook). */
  url: string;
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; other requests are refused. */
  secret: string;
}

export interface StartBotOptions {
  desk: DeskContext;
  token: string;
  apiRoot: string;
  onError?: (error: unknown) => void;
  /** Handled updates (debug, with their update id) and, without onError, errors; default: errors only. */
  logger?: Logger;
  /** Telegram's sending limits by default; tests that are not about them may loosen them. */
  limits?: SendLimits;
  /**
   * Webhook mode instead of long polling: the bot registers the URL and returns `webhook`, which the
   * caller serves. Telegram retries a post that finds no server yet, so serving right after is enough.
   */
  webhook?: WebhookOptions;
  /** Where Telegram opens the Mini App: the chat menu button beside the input field opens it. */
  miniAppUrl?: string;
  /** Mail is read and sent: the set-up checklist ticks it. Asked each time (an admin may set it up). */
  emailConfigured?: boolean | (() => boolean);
  /** FILES_DIR: files uploaded in the Mini App, which staff get in their chats with the notices. */
  filesDir?: string;
}

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const logger = options.logger ?? errorsOnlyLogger();
  // Errors come with the update's id, for the error line. (No AsyncLocalStorage for it: on Node 20 one
  // puts a hook on every promise the bot makes.)
  const onUpdateError =
    options.onError ??
    ((error: unknown, updateId?: number) => logger.error({ err: error, updateId }, 'bot: update failed'));
  const notifier = new Notifier({
    desk: options.desk,
    // A Telegram call gives up within a minute (grammY's default is 500 s): a notice's send does not hang for
    // minutes, holding that person's later notices back (its claim is renewed meanwhile, core/outbox.ts).
    api: new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: NOTICE_CALL_TIMEOUT_S }),
    onError:
      options.onError ?? ((error: unknown) => logger.error({ err: error }, 'notifier: sending failed')),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.miniAppUrl ? { miniAppUrl: options.miniAppUrl } : {}),
    ...(options.filesDir ? { files: new FileStore(options.filesDir) } : {}),
    // Started after bot.init(): the username is known by then.
    botUsername: () => (bot.isInited() ? bot.botInfo.username : undefined),
  });
  // Updates under way (waiting for their chat's turn included): stop() lets them finish before the store
  // closes. Neither the runner's stop nor a webhook's timeout waits for them.
  const handling = new Set<Promise<void>>();
  let lastUpdateAt: number | null = null;
  // PostgreSQL: other instances may hold updates of the same chat (bot/chat-turns.ts).
  const turns = isPostgresStore(options.desk.db)
    ? chatTurnsAcrossInstances((options.desk.db as unknown as PgStoreDb).$client.options)
    : undefined;
  const bot = createBot({ ...options, onError: onUpdateError }, (composer) => {
    composer.use(async (ctx, next) => {
      lastUpdateAt = options.desk.clock.now();
      const updateId = ctx.update.update_id;
      const started = performance.now();
      const update = next();
      handling.add(update);
      try {
        await update;
        logger.debug({ updateId, ms: Math.round(performance.now() - started) }, 'bot: update handled');
      } finally {
        handling.delete(update);
      }
    });
    composer.use(sequentialize((ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId))));
    if (turns) composer.use(turns.middleware);
    // Wake the notifier only when the update queued something: a claim scan per update is not free. Core
    // counts the notices it writes, so telling costs nothing (a notice of another update handled meanwhile
    // wakes it too, which is harmless).
    composer.use(async (_ctx, next) => {
      const before = noticesQueued();
      await next();
      if (noticesQueued() !== before) notifier.poke();
    });
  });
  bot.catch((error) => onUpdateError(error.error, error.ctx.update.update_id));
  await bot.init();
  await registerCommands(bot.api);
  await registerRoleCommands(bot.api, options.desk.db);
  if (options.miniAppUrl) await registerMenuButton(bot.api, options.miniAppUrl);
  await notifier.start();
  // The record of handled updates is kept two days (bot/handled-updates.ts): pruned now and every hour; so is,
  // on PostgreSQL, the shared budget's row of every chat quiet for an hour.
  const handled = handledUpdates(options.desk.db);
  const prune = async () => {
    const now = options.desk.clock.now();
    try {
      await handled.prune(now - HANDLED_UPDATES_KEPT_MS);
      if (isPostgresStore(options.desk.db))
        await pruneBudget((options.desk.db as unknown as PgStoreDb).$client, now - 60 * 60_000);
    } catch (error) {
      onUpdateError(error, undefined);
    }
  };
  await prune();
  const pruning = setInterval(prune, 60 * 60_000);
  pruning.unref();
  const finishUpdates = async () => {
    clearInterval(pruning);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...handling]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, 10_000);
      }),
    ]);
    clearTimeout(timer);
  };
  if (options.webhook) {
    return {
      bot,
      notifier,
      webhook: await registerWebhook(bot, options.webhook),
      // Registered with Telegram at start: from then on Telegram posts, and retries when we are away.
      status: () => ({ mode: 'webhook', running: true, lastUpdateAt }),
      async stop() {
        await finishUpdates();
        await notifier.stop();
        await turns?.close();
      },
    };
  }
  const runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
  return {
    bot,
    notifier,
    status: () => ({ mode: 'polling', running: runner.isRunning(), lastUpdateAt }),
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await finishUpdates();
      await notifier.stop();
      await turns?.close();
    },
  };
}

// my_chat_member: the bot removed from a client's group lets the group go (bot/features/client-group.ts).
const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/**
 * Registers the webhook with Telegram; the handler answers its posts, a wrong secret gets 401 and changes
 * nothing, and a body with the right secret that is not an update (broken JSON, not an object with an
 * update_id) gets 400 rather than reaching the bot.
 */
async function registerWebhook(bot: Bot<BotContext>, webhook: WebhookOptions): Promise<WebhookHandler> {
  const handle = webhookCallback(bot, 'hono', { secretToken: webhook.secret, onTimeout: 'return' });
  await bot.api.setWebhook(webhook.url, {
    secret_token: webhook.secret,
    allowed_updates: [...ALLOWED_UPDATES],
  });
  return async (c) => {
    // A wrong secret is grammY's to refuse (401), whatever the body.
    if (c.req.header('X-Telegram-Bot-Api-Secret-Token') !== webhook.secret) return handle(c);
    let update: unknown;
    try {
      update = await c.req.json(); // Hono keeps the parsed body: grammY reads it again.
    } catch {
      update = undefined;
    }
    const isUpdate =
      typeof update === 'object' &&
      update !== null &&
      !Array.isArray(update) &&
      Number.isSafeInteger((update as { update_id?: unknown }).update_id);
    if (!isUpdate)
      return c.json({ error: { code: 'invalid_input', message: 'the body is not a Telegram update' } }, 400);
    return handle(c);
  };
}

/**
 * The chat menu button of every chat opens the Mini App. Its text is one for everybody (Telegram keeps
 * no per-language default), so it is in the default language.
 */
async function registerMenuButton(api: Api, url: string): Promise<void> {
  const text = translator(DEFAULT_LANGUAGE)('channel-miniapp');
  await api.setChatMenuButton({ menu_button: { type: 'web_app', text, web_app: { url } } });
}

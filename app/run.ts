// The whole process: the store, the bot, the SLA scheduler and one HTTP server on PORT with the API, the
// Mini App and the bot's webhook. With a bot token it talks to Telegram; without one it is the offline
// sandbox: a local Telegram (the Bot API emulator) the real bot talks to, and a page at /sandbox/ to chat
// with it as any demo person and open the Mini App beside the chat.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { count } from 'drizzle-orm';
import { Api, InputFile } from 'grammy';
import type { Context, Hono } from 'hono';
import { createApi } from '../api/app.ts';
import type { ApiDeps } from '../api/env.ts';
import { handledUpdates } from '../bot/handled-updates.ts';
import { nextLinkedMessageIds } from '../bot/message-links.ts';
import type { SendLimits } from '../bot/rate-limiter.ts';
import { type RunningBot, startBot } from '../bot/run.ts';
import { createContext, type DeskContext } from '../core/context.ts';
import { FileStore } from '../core/files/store.ts';
import { maskMailUrl } from '../core/mail-settings.ts';
import { systemClock } from '../core/model.ts';
import { applyDefaults } from '../core/setup/defaults.ts';
import { ensureAdmins, issueSetupCode, rememberBotUsername, setupLink } from '../core/setup/first-admin.ts';
import { queryOne } from '../db/access.ts';
import { type Db, openDatabase } from '../db/connection.ts';
import { storeDialect } from '../db/dialect.ts';
import { tryHoldOnce } from '../db/pg/leases.ts';
import { openPostgresStore } from '../db/pg/store.ts';
import { companies, people, tickets } from '../db/schema.ts';
import { isEmpty, seedDemo } from '../db/seed.ts';
import { mailAddressOf } from '../email/address.ts';
import { type MailChannel, startMailChannel } from '../email/channel.ts';
import { MailSender } from '../email/outbound/sender.ts';
import { type Emulator, startEmulator } from '../emulator/index.ts';
import { startBackupScheduler } from './backup-scheduler.ts';
import type { Config } from './config.ts';
import { acquireInstanceLock } from './instance-lock.ts';
import { createLogger, hideInLogs, type Logger } from './logger.ts';
import { runSingleton, type Singleton } from './singleton.ts';
import { DEFAULT_SLA_INTERVAL_MS, type SlaScheduler, startSlaScheduler } from './sla-scheduler.ts';

/** Why a second instance without WEBHOOK_URL does not start on a shared PostgreSQL. */
export const SECOND_POLLER =
  'another instance on this PostgreSQL already takes Telegram\'s updates by long polling: several instances need WEBHOOK_URL (README: "PostgreSQL and several instances")';

export const MINIAPP_DIST = fileURLToPath(new URL('../miniapp/dist', import.meta.url));

/** The sandbox bot's id; its token's secret half is new at every start. */
const SANDBOX_BOT_ID = 7_000_000_001;

export interface StartAppOptions {
  /** The logger (default: JSON lines on stdout at LOG_LEVEL). */
  logger?: Logger;
  /** Where progress lines go (default: the logger, at info). */
  log?: (line: string) => void;
  /** Errors of the bot's handlers and of the notifier (default: the logger, with the update id). */
  onError?: (error: unknown) => void;
  /** The bot's sending limits (default Telegram's). */
  limits?: SendLimits;
  /** The built Mini App (default miniapp/dist). */
  miniappDir?: string;
}

export interface RunningApp {
  mode: 'telegram' | 'sandbox';
  /** The port the server listens on (PORT, or the one picked for PORT=0). */
  port: number;
  /** http://localhost:<port>/ — the Mini App, and /api, /healthz under it. */
  url: string;
  /** http://localhost:<port>/sandbox/ in the sandbox. */
  sandboxUrl: string | undefined;
  /** While the desk has no admin: the one-time link that makes whoever opens it the first admin. */
  setupUrl: string | undefined;
  miniAppBuilt: boolean;
  desk: DeskContext;
  bot: RunningBot;
  /** The sandbox's local Telegram. */
  emulator: Emulator | undefined;
  /** Stops everything: the server, the scheduler, the bot, the emulator; closes the store. */
  stop(): Promise<void>;
}

type Fetch = (request: Request) => Response | Promise<Response>;

export async function startApp(config: Config, options: StartAppOptions = {}): Promise<RunningApp> {
  const logger =
    options.logger ??
    createLogger({
      level: config.logLevel,
      format: config.logFormat,
      secrets: [config.botToken, config.webhook?.secret, ...mailSecrets(config)],
    });
  const log = options.log ?? ((line: string) => logger.info(line));
  // The tables core builds its queries from were chosen when the process started (db/dialect.ts).
  if ((config.databaseUrl !== undefined) !== (storeDialect() === 'postgres')) {
    throw new Error('DATABASE_URL must be set in the environment the process starts with');
  }
  // PostgreSQL: migrated one instance at a time; several instances share it, so no lock of one.
  const postgres = config.databaseUrl === undefined ? undefined : await openPostgresStore(config.databaseUrl);
  // One desk per SQLite store: `npm run restore` checks this lock and will not swap the file under us.
  const lock =
    postgres || config.databasePath === ':memory:' ? undefined : acquireInstanceLock(config.databasePath);
  let db: Db;
  try {
    // Before migrating a store with data: a copy in backups/ beside it (npm run restore takes it back).
    db = postgres
      ? (postgres.db as unknown as Db)
      : openDatabase(config.databasePath, {
          onPreMigrationBackup: (b) =>
            logger.info({ file: b.file, bytes: b.bytes }, 'store: backed up before migrating'),
        });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const stops: (() => unknown)[] = [
    () => lock?.release(),
    () => (postgres ? postgres.close() : db.$client.close()),
  ];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    log(
      postgres
        ? `tgdesk: database PostgreSQL at ${maskMailUrl(config.databaseUrl ?? '')} (migrations applied)`
        : `tgdesk: database ${config.databasePath} (WAL, migrations applied)`,
    );
    if (config.demo && isEmpty(db)) {
      await seedDemo(db);
      log(
        'tgdesk: demo data seeded: two client companies with their contracts and calendars, one person of every role, a month of tickets',
      );
    }
    const n = async (table: typeof companies | typeof people | typeof tickets) =>
      (await queryOne(db.select({ n: count() }).from(table)))?.n;
    log(`tgdesk: ${await n(companies)} companies, ${await n(people)} people, ${await n(tickets)} tickets`);

    const desk = createContext(db, systemClock);
    // A fresh store gets what a desk needs to take its first request; a seeded or used one keeps its own.
    if ((await applyDefaults(desk, { timeZone: config.deskTimeZone })).applied && !config.demo) {
      log(
        `tgdesk: a new desk: default categories, business hours Mon–Fri 09:00–18:00 (${config.deskTimeZone}) with the Russian production calendar, default SLA targets`,
      );
    }
    if ((await ensureAdmins(desk, config.adminTelegramIds)) > 0) {
      log(`tgdesk: admins from ADMIN_TELEGRAM_IDS: ${config.adminTelegramIds.join(', ')}`);
    }
    const miniappDir = options.miniappDir ?? MINIAPP_DIST;
    const miniAppBuilt = () => existsSync(join(miniappDir, 'index.html'));
    // The e-mail channel starts once the bot runs (mail in pokes its notifier); the API and the bot ask it
    // as they are asked, since an admin may set mail up while the desk runs.
    let mailChannel: MailChannel | undefined;
    /** Files Telegram holds, fetched and sent on: for the API's downloads and the mails' attachments. */
    let telegram: ReturnType<typeof telegramFiles>;
    const emailConfigured = () => mailChannel?.configured() ?? false;
    const mailDeps = {
      mailboxes: () => mailChannel?.mailboxes() ?? [],
      environment: config.mail,
      reload: async () => mailChannel?.reload(),
    };
    const botOptions = {
      desk,
      logger,
      filesDir: config.filesDir,
      emailConfigured,
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    };

    let emulator: Emulator | undefined;
    let setupUrl: string | undefined;
    let bot: RunningBot;
    let port: number;
    // /healthz asks these as it is asked; until the bot and the scheduler run they report "not yet".
    let sla: SlaScheduler | undefined;
    let sweeping: Singleton | undefined;
    const health = {
      bot: () => (bot as RunningBot | undefined)?.status(),
      // On PostgreSQL another instance may hold the scheduler's lease: this one stands by, and is healthy.
      scheduler: () =>
        sla?.status() ??
        (sweeping && !sweeping.here
          ? { startedAt: Date.now(), lastRunAt: null, intervalMs: DEFAULT_SLA_INTERVAL_MS }
          : undefined),
      sendsMail: () => mailChannel?.sendsMail() ?? false,
    };
    if (config.botToken) {
      const token = config.botToken;
      // Long polling is one reader (Telegram answers a second with 409): on a shared PostgreSQL only one
      // instance may poll; more instances take the updates by webhook.
      if (postgres && !config.webhook) {
        const polling = await tryHoldOnce(postgres.pool, 'tgdesk:telegram long polling');
        if (!polling) throw new Error(SECOND_POLLER);
        stops.push(() => polling.release());
      }
      telegram = telegramFiles(token, config.botApiRoot);
      bot = await startBot({
        ...botOptions,
        token,
        apiRoot: config.botApiRoot,
        ...(config.webhook ? { webhook: { url: config.webhook.url, secret: config.webhook.secret } } : {}),
        ...(config.miniAppUrl ? { miniAppUrl: config.miniAppUrl } : {}),
      });
      const running = bot;
      stops.push(() => running.stop());
      const api = createApi({
        ...telegram,
        desk,
        botToken: token,
        botUsername: bot.bot.botInfo.username,
        miniappDir,
        miniAppUrl: config.miniAppUrl,
        filesDir: config.filesDir,
        initDataMaxAgeSeconds: config.initDataMaxAge,
        emailConfigured,
        rateLimit: config.apiRateLimit,
        logger,
        health,
        mail: { ...mailDeps, ownAddresses: () => mailChannel?.ownAddresses() ?? [] },
        ...(config.webhook && bot.webhook
          ? { webhook: { path: config.webhook.path, handler: bot.webhook } }
          : {}),
      });
      port = await listen(withoutSandbox(api).fetch, config, stops);
      await rememberBotUsername(desk, bot.bot.botInfo.username);
      const code = await issueSetupCode(desk);
      if (code) setupUrl = (await setupLink(desk, code)) ?? undefined;
      const how = config.webhook ? `webhook at ${config.webhook.url}` : 'long polling';
      log(`tgdesk: bot @${bot.bot.botInfo.username} is running (${how}, ${config.botApiRoot})`);
    } else {
      const { sandboxPage } = await import('../sandbox/build.ts');
      const { sandboxPeople } = await import('../sandbox/people.ts');
      const { createSandbox } = await import('../sandbox/routes.ts');
      const { storeChatHistory } = await import('../sandbox/history.ts');
      const { SANDBOX_MAIL_FROM, SandboxMail } = await import('../sandbox/mailbox.ts');
      const { SandboxCalls } = await import('../sandbox/calls.ts');
      const { sandboxWebform } = await import('../sandbox/webform.ts');
      const { sandboxClientGroup } = await import('../sandbox/group.ts');
      const page = await sandboxPage();
      const local = await startEmulator({
        // The store outlives this emulator: its chats go on from the message ids the store remembers.
        firstMessageId: (
          (known) => (chatId: number) =>
            known.get(chatId) ?? 1
        )(await nextLinkedMessageIds(db)),
        // … and its updates from after those the store has handled (an update id seen already is dropped).
        firstUpdateId: Math.max(730_000_001, await handledUpdates(db).next()),
        token: `${SANDBOX_BOT_ID}:${randomBytes(24).toString('base64url')}`,
        bot: { first_name: 'tgdesk', username: 'tgdesk_sandbox_bot' },
      });
      emulator = local;
      telegram = telegramFiles(local.token, local.apiRoot);
      stops.push(() => local.close());
      // The mail panel: mails written on the page go through the real intake; the desk's mails are kept in
      // memory by a sender of their own, unless SMTP_URL is set (then the real sender below sends them).
      const mailFrom = config.mail.from ?? SANDBOX_MAIL_FROM;
      let mailSender: MailSender | undefined;
      const mail = new SandboxMail({
        desk,
        files: new FileStore(config.filesDir),
        deskFrom: mailFrom,
        newTicketsPerHour: config.mail.newTicketsPerHour,
        logger,
        capturing: !config.mail.smtpUrl,
        onFiled: () => {
          (bot as RunningBot | undefined)?.notifier.poke();
          mailSender?.poke();
        },
      });
      if (!config.mail.smtpUrl) {
        const sender = new MailSender({
          desk,
          transport: mail.transport,
          from: mailFrom,
          // Once an admin sets a real SMTP server in the sandbox, that sender sends instead of this one.
          active: () => !mailChannel?.sendsMail(),
          logger,
          onError: (error) => logger.error({ err: error }, 'sandbox: mail sending failed'),
        });
        mailSender = sender;
        await sender.start();
        stops.push(() => sender.stop());
        log(`tgdesk: sandbox: notices by e-mail from ${mailFrom} are kept in memory (the page's Mail panel)`);
      }
      // The demo company's own Telegram group, bound to it: its clients' messages there become tickets.
      const group = config.demo ? await sandboxClientGroup(desk, local) : undefined;
      const sandbox = createSandbox({
        emulator: local,
        people: sandboxPeople(db),
        page,
        miniAppBuilt,
        history: await storeChatHistory(db),
        mail,
        // The page's calls go through the desk's real CTI webhook (the app below, in process).
        calls: new SandboxCalls({ desk, webhook: (request) => api.fetch(request) }),
        webform: sandboxWebform(desk),
        groups: group ? [group] : [],
      });
      const api = createApi({
        ...telegram,
        desk,
        botToken: local.token,
        botUsername: local.botInfo.username,
        miniappDir,
        filesDir: config.filesDir,
        initDataMaxAgeSeconds: config.initDataMaxAge,
        emailConfigured,
        rateLimit: config.apiRateLimit,
        logger,
        // A sender always runs in the sandbox (its own, or the real one with SMTP_URL).
        health: { ...health, sendsMail: true },
        mail: {
          ...mailDeps,
          ownAddresses: [mailAddressOf(mailFrom)],
        },
      });
      api.route('/', sandbox.routes);
      port = await listen(api.fetch, config, stops, () => sandbox.close());
      bot = await startBot({
        ...botOptions,
        token: local.token,
        apiRoot: local.apiRoot,
        miniAppUrl: `http://localhost:${port}/`,
      });
      const running = bot;
      // Before the emulator closes: the bot's long poll ends first.
      stops.splice(stops.length - 1, 0, () => running.stop());
      log(
        `tgdesk: sandbox: the bot @${local.botInfo.username} is running against a local Telegram (the Bot API emulator)`,
      );
    }
    const running = bot;
    const pool = postgres?.pool;
    const leaseError = (error: unknown) => logger.error({ err: error }, 'lease: failed');
    // One instance sweeps the SLA clocks and one watches the mailboxes (app/singleton.ts).
    sweeping = await runSingleton(
      pool,
      'sla-scheduler',
      async () => {
        const scheduler = await startSlaScheduler({
          desk,
          onChange: () => running.notifier.poke(),
          onError: (error, ticketId) => logger.error({ err: error, ticketId }, 'SLA sweep failed'),
        });
        sla = scheduler;
        log('tgdesk: SLA scheduler is running (a sweep every 30 s)');
        return {
          stop: () => {
            sla = undefined;
            return scheduler.stop();
          },
        };
      },
      leaseError,
    );
    const sweepingHere = sweeping;
    stops.push(() => sweepingHere.stop());
    const watching = await runSingleton(
      pool,
      'mail-channel',
      async () => {
        const channel = await startMailChannel({
          desk,
          files: new FileStore(config.filesDir),
          logger,
          env: config.mail,
          onFiled: () => running.notifier.poke(),
          // The desk's own passwords are learnt only now (and again when an admin saves new ones).
          hideSecrets: (secrets) => hideInLogs(logger, secrets),
          downloadFile: telegram.downloadFile,
          log,
        });
        mailChannel = channel;
        return channel;
      },
      leaseError,
    );
    stops.push(() => watching.stop());
    if (config.backup && !postgres) {
      const { dir, keep } = config.backup;
      const backups = startBackupScheduler({ sqlite: db.$client, dir, keep, clock: systemClock, logger });
      stops.push(() => backups.stop());
      log(`tgdesk: a backup a day to ${dir}, the newest ${keep} kept`);
    }
    const url = `http://localhost:${port}/`;
    log(
      miniAppBuilt()
        ? 'tgdesk: the API and the Mini App are served on the same port'
        : 'tgdesk: the API is served; the Mini App is not built (npx vite build --config miniapp/vite.config.ts)',
    );
    return {
      mode: config.botToken ? 'telegram' : 'sandbox',
      port,
      url,
      sandboxUrl: config.botToken ? undefined : `${url}sandbox/`,
      setupUrl,
      miniAppBuilt: miniAppBuilt(),
      desk,
      bot,
      emulator,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The passwords in the mail URLs: the logger blanks them wherever they would appear. */
function mailSecrets(config: Config): string[] {
  const urls = [...config.mail.imapUrls, ...(config.mail.smtpUrl ? [config.mail.smtpUrl] : [])];
  return urls.flatMap((u) => {
    try {
      const password = decodeURIComponent(new URL(u).password);
      return password ? [password] : [];
    } catch {
      return [];
    }
  });
}

/** The sandbox exists only without a bot token: with one, /sandbox is a 404 (not the Mini App's page). */
function withoutSandbox(api: Hono): Hono {
  const gone = (c: Context) => c.json({ error: { code: 'not_found', message: 'No such route' } }, 404);
  api.all('/sandbox', gone);
  api.all('/sandbox/*', gone);
  return api;
}

/**
 * Listens on PORT (and HOST; the sandbox on 127.0.0.1 unless told) and returns the port. Stopping lets
 * requests under way finish (a webhook update being handled) after `beforeClose` ended the endless ones.
 */
function listen(
  fetch: Fetch,
  config: Config,
  stops: (() => unknown)[],
  beforeClose: () => void = () => {},
): Promise<number> {
  const hostname = config.host ?? (config.botToken ? undefined : '127.0.0.1');
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch, port: config.port, ...(hostname ? { hostname } : {}) },
      (info: AddressInfo) => resolve(info.port),
    );
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`PORT ${config.port} is in use: stop what runs there or set PORT to another port`)
          : error,
      ),
    );
    stops.push(
      () =>
        new Promise<void>((done) => {
          beforeClose();
          const force = setTimeout(() => {
            if ('closeAllConnections' in server) server.closeAllConnections();
          }, 5_000);
          server.close(() => {
            clearTimeout(force);
            done();
          });
        }),
    );
  });
}

/** Files through the Bot API: the Mini App's attachment downloads and the reports the bot sends. */
function telegramFiles(token: string, apiRoot: string): Pick<ApiDeps, 'downloadFile' | 'sendDocument'> {
  const api = new Api(token, { apiRoot });
  return {
    async downloadFile(fileId) {
      const file = await api.getFile(fileId);
      if (!file.file_path) throw new Error(`Telegram gave no path for file ${fileId}`);
      const response = await fetch(`${apiRoot}/file/bot${token}/${file.file_path}`);
      if (!response.ok) throw new Error(`Downloading file ${fileId}: HTTP ${response.status}`);
      return { bytes: new Uint8Array(await response.arrayBuffer()), fileName: basename(file.file_path) };
    },
    async sendDocument(chatId, file, caption) {
      await api.sendDocument(chatId, new InputFile(file.bytes, file.fileName), { caption });
    },
  };
}

// `npm start`: opens the store, brings it up to date, seeds the demo when asked, and runs everything on
// one port (app/run.ts) until Ctrl-C: against Telegram with BOT_TOKEN, else as the offline sandbox.
import { loadConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { type RunningApp, startApp } from './run.ts';

function sandboxText(app: RunningApp): string {
  return [
    'tgdesk: mode: offline sandbox (no BOT_TOKEN)',
    '',
    'Ready now: the ticket core (lifecycle, SLA on business calendars, permissions, reports), its store, the',
    'Telegram bot for clients and staff, and the Mini App with its API. Set BOT_TOKEN (see README) to run the',
    'bot against Telegram.',
    'Try a report:  npm run report -- --from 2026-01-01 --to 2027-01-01',
    'Not built yet: e-mail intake. It arrives in the next issues.',
    '',
    'Chat with the bot as any demo person (client, manager, 1st and 2nd line, field engineer, supervisor,',
    'admin) and open the Mini App beside the chat:',
    '',
    `    ${app.sandboxUrl}`,
    '',
    'Ctrl-C stops it.',
  ].join('\n');
}

/** Progress and errors go here once the configuration (LOG_LEVEL) is read; the banners stay plain text. */
let logger: Logger | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: [config.botToken, config.webhook?.secret],
  });
  logger = log;
  // Ctrl-C works from the first moment: during start-up it just ends the process; once everything runs
  // (and before the URL is printed, which is when people and scripts press it) it stops it all cleanly.
  let app: RunningApp | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await app?.stop();
    log.info(`tgdesk: stopped (${signal})`);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  app = await startApp(config, { logger: log });
  console.log(
    app.mode === 'sandbox'
      ? sandboxText(app)
      : `tgdesk: the API${app.miniAppBuilt ? ', the Mini App' : ''}${config.webhook ? ' and the webhook' : ''} listen on port ${app.port}. Ctrl-C stops it.`,
  );
  if (app.setupUrl) console.log(setupText(app.setupUrl));
}

/** The first admin's way in, printed while the desk has none (and never again once it has). */
function setupText(url: string): string {
  return [
    '',
    'tgdesk: this desk has no admin yet. Open this link in Telegram, on the account that will run the desk;',
    'whoever opens it first becomes the admin (it works once, for 24 hours):',
    '',
    `    ${url}`,
    '',
    'A new link: npm run setup -- admin. Or list admins by Telegram id in ADMIN_TELEGRAM_IDS.',
  ].join('\n');
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // A bad configuration is read by the person starting the desk: plain text, as it was written.
  if (logger) logger.fatal({ err: error }, message);
  else console.error(message);
  process.exit(1);
});

// `npm start`: opens the store, brings it up to date, seeds the demo when asked, and says what runs.
import { count } from 'drizzle-orm';
import { startBot } from '../bot/run.ts';
import { createContext } from '../core/context.ts';
import { systemClock } from '../core/model.ts';
import { openDatabase } from '../db/connection.ts';
import { companies, people, tickets } from '../db/schema.ts';
import { isEmpty, seedDemo } from '../db/seed.ts';
import { loadConfig } from './config.ts';
import { type SweepResult, startSlaScheduler } from './sla-scheduler.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  console.log(`tgdesk: database ${config.databasePath} (WAL, migrations applied)`);

  if (config.demo && isEmpty(db)) {
    seedDemo(db);
    console.log(
      'tgdesk: demo data seeded: two client companies with their contracts and calendars, one person of every role, a few tickets',
    );
  }
  const n = (table: typeof companies | typeof people | typeof tickets) =>
    db.select({ n: count() }).from(table).get()?.n;
  console.log(`tgdesk: ${n(companies)} companies, ${n(people)} people, ${n(tickets)} tickets`);
  if (config.botToken) {
    const desk = createContext(db, systemClock);
    const running = await startBot({ desk, token: config.botToken, apiRoot: config.botApiRoot });
    console.log(
      `tgdesk: bot @${running.bot.botInfo.username} is running (long polling, ${config.botApiRoot})`,
    );
    // Alerts and auto-closes are queued in the outbox: wake the notifier to send them.
    const scheduler = startSlaScheduler({ desk, onChange: () => running.notifier.poke() });
    console.log('tgdesk: SLA scheduler is running (a sweep every 30 s)');
    const shutdown = async () => {
      await scheduler.stop();
      await running.stop();
      db.$client.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    return;
  }
  // One catch-up sweep: the demo's tickets get the SLA alerts and auto-closes that came due since the seed.
  let swept: SweepResult = { warnings: 0, breaches: 0, autoClosed: 0 };
  const scheduler = startSlaScheduler({
    desk: createContext(db, systemClock),
    onChange: (result) => {
      swept = result;
    },
  });
  await scheduler.stop();
  console.log(
    `tgdesk: SLA sweep: ${swept.warnings} warnings, ${swept.breaches} breaches, ${swept.autoClosed} tickets auto-closed`,
  );
  console.log(
    [
      'tgdesk: mode: offline demo (no BOT_TOKEN)',
      '',
      'Ready now: the ticket core (lifecycle, SLA on business calendars, permissions, reports), its store,',
      'and the Telegram bot for clients and staff: set BOT_TOKEN (see README) to run it against Telegram.',
      'Try a report:  npm run report -- --from 2026-01-01 --to 2027-01-01',
      'Not built yet: the offline sandbox (chat with the bot in a browser), the Mini App and its API, and',
      'e-mail intake. They arrive in the next issues.',
    ].join('\n'),
  );
  db.$client.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

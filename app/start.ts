// `npm start`: opens the store, brings it up to date, seeds the demo when asked, and says what runs.
import { count } from 'drizzle-orm';
import { openDatabase } from '../db/connection.ts';
import { companies, people, tickets } from '../db/schema.ts';
import { isEmpty, seedDemo } from '../db/seed.ts';
import { loadConfig } from './config.ts';

function main(): void {
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
  console.log(
    config.demo ? 'tgdesk: mode: offline demo (no BOT_TOKEN)' : 'tgdesk: mode: live (BOT_TOKEN set)',
  );
  console.log(
    [
      '',
      'Ready now: the ticket core (lifecycle, SLA on business calendars, permissions, reports) and its store.',
      'Try a report:  npm run report -- --from 2026-01-01 --to 2027-01-01',
      'Not built yet: the Telegram bot (clients and staff), the Mini App and its API, e-mail intake,',
      'the notifier and the SLA scheduler. They arrive in the next issues; this command will start them.',
    ].join('\n'),
  );
  db.$client.close();
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

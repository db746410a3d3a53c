// `npm run report -- --from 2026-10-01 --to 2027-01-01 [--company 1] [--csv | --tickets] [--lang en]`
// A period report (or the ticket list) from the command line, as an administrator sees it.
import { parseArgs } from 'node:util';
import { zonedTimeToUtc } from '../core/calendar/time-zone.ts';
import { createContext } from '../core/context.ts';
import { exportTicketsCsv, reportCsv } from '../core/exports.ts';
import { LANGUAGES, type Language, systemClock } from '../core/model.ts';
import { SYSTEM } from '../core/permissions.ts';
import { buildReport } from '../core/reports.ts';
import { openDatabase } from '../db/connection.ts';
import { translator } from '../locales/index.ts';
import { loadConfig } from './config.ts';

function localMidnight(date: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`"${date}" is not a date of the form YYYY-MM-DD`);
  return zonedTimeToUtc(Number(m[1]), Number(m[2]), Number(m[3]), 0, timeZone);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      company: { type: 'string' },
      csv: { type: 'boolean', default: false },
      tickets: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'ru' },
      tz: { type: 'string', default: 'Europe/Moscow' },
    },
  });
  if (!values.from || !values.to) throw new Error('give --from and --to as YYYY-MM-DD');
  if (!LANGUAGES.includes(values.lang as Language))
    throw new Error(`--lang is one of ${LANGUAGES.join(', ')}`);
  const language = values.lang as Language;
  const from = localMidnight(values.from, values.tz);
  const to = localMidnight(values.to, values.tz);
  const companyId = values.company === undefined ? null : Number(values.company);

  const db = openDatabase(loadConfig().databasePath);
  const ctx = createContext(db, systemClock);
  const format = { t: translator(language), language, timeZone: values.tz };
  if (values.tickets) {
    process.stdout.write(
      await exportTicketsCsv(ctx, SYSTEM, { from, to, companyId: companyId ?? undefined }, format),
    );
  } else {
    const report = await buildReport(ctx, SYSTEM, { companyId, from, to });
    process.stdout.write(
      values.csv ? await reportCsv(ctx, report, format) : `${JSON.stringify(report, null, 2)}\n`,
    );
  }
  db.$client.close();
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

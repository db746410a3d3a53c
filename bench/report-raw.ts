// The core benchmark's baseline for the report (`tsx bench/report-raw.ts <file> <company> <from> <to>`): the
// columns the report used to read, by a raw prepared SELECT with rows as arrays (the fastest way
// better-sqlite3 hands them over), for one company and for all. Run in a process of its own so that the
// rows it holds are not counted in the RSS of the process that runs the report. Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/connection.ts';

const REPORT_COLUMNS = `select status, priority, channel, category_id, assignee_id, first_response_due_at,
    first_response_minutes, first_response_met, resolution_due_at, resolution_minutes, resolution_met,
    sla_paused_at, rating from tickets`;
const COMPANY_REPORT_SELECT = `${REPORT_COLUMNS} where company_id = ? and created_at >= ? and created_at < ?`;
const ALL_REPORT_SELECT = `${REPORT_COLUMNS} where created_at >= ? and created_at < ?`;

/** Median of `runs` timings after one untimed warm-up run. */
function medianMs(runs: number, fn: () => void): number {
  fn();
  const times = Array.from({ length: runs }, () => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] as number;
}

const [path, company, from, to] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a)));
if (typeof path !== 'string' || [company, from, to].some((n) => typeof n !== 'number')) {
  throw new Error('usage: report-raw.ts <file> <company> <from> <to>');
}
const sqlite = openDatabase(path).$client;
const byCompany = sqlite.prepare(COMPANY_REPORT_SELECT).raw(true);
let fetched = 0;
const rawMs = medianMs(7, () => {
  fetched = byCompany.all(company, from, to).length;
});
const allCompanies = sqlite.prepare(ALL_REPORT_SELECT).raw(true);
let fetchedAll = 0;
const rawAllMs = medianMs(5, () => {
  fetchedAll = allCompanies.all(from, to).length;
});
const plan = (
  sqlite.prepare(`explain query plan ${COMPANY_REPORT_SELECT}`).all(0, 0, 0) as { detail: string }[]
)
  .map((p) => p.detail)
  .join('; ');
sqlite.close();
console.log(JSON.stringify({ rawMs, rawAllMs, fetched, fetchedAll, plan }));

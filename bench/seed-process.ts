// Seeds the core benchmark's large store in a process of its own (`tsx bench/seed-process.ts <file> <tickets>`),
// so that what writing a million tickets costs in memory (SQLite's page cache, the allocator's leftovers)
// is not counted in the RSS of the process that reports over it. Prints one JSON line: rows written, the
// time and the seeding process's own peak RSS.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/connection.ts';
import { seedReference, seedTickets } from './seed-store.ts';

const [path, count] = process.argv.slice(2);
if (!path || !count) throw new Error('usage: seed-process.ts <file> <tickets>');
const db = openDatabase(path);
const sqlite = db.$client;
const started = performance.now();
const rows = seedTickets(sqlite, Number(count), seedReference(sqlite));
// Fold the WAL into the main file, as a long-running desk would have by the time someone asks for a report.
sqlite.pragma('wal_checkpoint(TRUNCATE)');
const ms = performance.now() - started;
sqlite.close();
console.log(JSON.stringify({ rows, ms, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));

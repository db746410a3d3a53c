// The benchmarks' PostgreSQL leg (issue 15): a throwaway PostgreSQL server (tests/support/postgres.ts: its own
// cluster in a temp folder, durability off as for the tests) holding the SAME store a benchmark seeded in
// SQLite, moved there with the store-transfer tools (export-store, then import-store), so that tgdesk on
// PostgreSQL answers the same requests over the same rows as tgdesk on SQLite, in the same run.
//
// BENCH_POSTGRES=0 leaves it out, BENCH_POSTGRES=1 requires it (fails without PostgreSQL's binaries); unset,
// it runs wherever PostgreSQL's binaries are found (postgresBinDir) and is left out, with a line saying so,
// where they are not.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { migratePostgres } from '../db/pg/migrate.ts';
import { exportStore } from '../db/transfer/export.ts';
import { importStoreIntoPostgres } from '../db/transfer/import-postgres.ts';
import { type PostgresServer, postgresBinDir, startPostgres } from '../tests/support/postgres.ts';

/** Whether this run has a PostgreSQL leg; `why` says why not, for the report. */
export function postgresLeg(): { on: true } | { on: false; why: string } {
  const setting = process.env.BENCH_POSTGRES?.trim();
  if (setting === '0') return { on: false, why: 'BENCH_POSTGRES=0' };
  const found = postgresBinDir() !== null;
  if (setting === '1' && !found) {
    throw new Error('BENCH_POSTGRES=1 but PostgreSQL (initdb, pg_ctl, postgres) is not installed');
  }
  return found
    ? { on: true }
    : { on: false, why: 'PostgreSQL is not installed (apt-get install postgresql)' };
}

export interface PostgresCopy {
  server: PostgresServer;
  /** DATABASE_URL of the database holding the copy. */
  url: string;
  rows: number;
  /** Export + import + analyze, ms. */
  moveMs: number;
  /** User + system CPU of the server and all its backends so far (ms), null without /proc. */
  cpuMs(): number | null;
  /** Kills the server at once (SIGQUIT to the postmaster), for an interrupted run; stop() is the orderly way. */
  killNow(): void;
}

/**
 * Starts a PostgreSQL server and moves the store `sqlite` holds into a fresh database of it, as a desk
 * moving over would (export-store, then import-store into a migrated empty database), then ANALYZE so the
 * planner knows the tables before the first request (autovacuum would get there, later and during the run).
 */
export async function copyToPostgres(sqlite: Database.Database, dir: string): Promise<PostgresCopy> {
  const started = performance.now();
  const server = await startPostgres();
  try {
    const url = await server.createDatabase();
    const file = join(dir, 'store.tgdesk');
    exportStore(sqlite, file, Date.now());
    await migratePostgres(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let rows: number;
    try {
      rows = (await importStoreIntoPostgres(client, file)).rows;
      await client.query('vacuum analyze');
    } finally {
      await client.end();
    }
    rmSync(file, { force: true });
    const postmaster = Number(
      readFileSync(join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    return {
      server,
      url,
      rows,
      moveMs: performance.now() - started,
      cpuMs: () => treeCpuMs(postmaster),
      killNow: () => {
        try {
          process.kill(postmaster, 'SIGQUIT');
        } catch {
          // already gone
        }
        rmSync(server.dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The fields of /proc/<pid>/stat after the command name (state is [0], ppid [1], utime [11], stime [12]). */
function statFields(pid: number | string): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? null;
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) of a process and its live children, plus what its children that have exited and been waited
 * for used (cutime + cstime): the postmaster, its backends and its background workers.
 */
function treeCpuMs(root: number): number | null {
  const own = statFields(root);
  if (!own) return null;
  // Clock ticks, 100 a second on Linux.
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields && Number(fields[1]) === root) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

// A real PostgreSQL for tests: a cluster of its own in a temp folder (initdb, trust authentication), started
// with pg_ctl on 127.0.0.1 and a free port, its unix socket in that folder, durability off for speed (fsync,
// synchronous_commit, full_page_writes). Start it once per test file and make a fresh database per test.
//
// PostgreSQL refuses to run as root: as root, initdb and the server run as `nobody` (the temp folder is chowned
// to it, the binaries spawned with its uid/gid), as tests/support/dovecot.ts does. No system change is needed.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, type RunAs, runAs } from './server-user.ts';

const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
// Generous: a busy 2-core CI machine may be slow.
const START_TIMEOUT_S = 30;

export interface PostgresServer {
  host: string;
  port: number;
  /** The temp folder holding the cluster (data/), its socket and its log (postgres.log). */
  dir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> (the `postgres` database by default). */
  url(database?: string): string;
  /** Creates an empty database with a fresh name and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (immediate shutdown) and removes its folder. */
  stop(): Promise<void>;
}

function hasServerBinaries(dir: string): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((bin) => existsSync(path.join(dir, bin)));
}

/** The folder of initdb, pg_ctl and postgres: from PATH, else the newest /usr/lib/postgresql/<n>/bin. */
export function postgresBinDir(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const pgCtl = path.join(dir, 'pg_ctl');
    if (!existsSync(pgCtl)) continue;
    // Debian links some of them into /usr/local/bin or /usr/bin: use the folder they really live in.
    const real = path.dirname(realpathSync(pgCtl));
    if (hasServerBinaries(real)) return real;
    if (hasServerBinaries(dir)) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    if (hasServerBinaries(dir)) return dir;
  }
  return null;
}

/**
 * Whether a PostgreSQL server can be started. On CI (process.env.CI set) missing binaries throw instead of
 * letting the PostgreSQL tests skip silently.
 */
export function postgresAvailable(): boolean {
  const found = postgresBinDir() !== null;
  if (!found && process.env.CI) {
    throw new Error(
      'PostgreSQL (initdb, pg_ctl, postgres) is missing on CI: .ci/run must install postgresql',
    );
  }
  return found;
}

function run(bin: string, args: string[], who: RunAs, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      {
        cwd,
        encoding: 'utf8',
        // Locale-neutral messages and no inherited PG* settings pointing elsewhere.
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' },
        ...(who.drop ? { uid: who.uid, gid: who.gid } : {}),
      },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

// Servers of this process (their postmaster pid), shut down if a test file exits without stop().
const live = new Set<number>();
let exitHookInstalled = false;

function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

let databases = 0;

export interface PostgresServerOptions {
  /** The server's max_connections (100 by default). */
  maxConnections?: number;
}

export async function startPostgres(settings: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL not found: apt-get install -y postgresql');
  const who = runAs();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tgdesk-postgres-'));
  const dataDir = path.join(dir, 'data');
  const logPath = path.join(dir, 'postgres.log');
  try {
    await mkdir(dataDir, { mode: 0o700 });
    await chown(dir, who.uid, who.gid);
    await chown(dataDir, who.uid, who.gid);
    await run(
      path.join(bin, 'initdb'),
      ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      who,
      dir,
    );
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const pid of live) {
        try {
          process.kill(pid, 'SIGQUIT'); // immediate shutdown
        } catch {
          // already gone
        }
      }
    });
  }

  let port = 0;
  // Another process may take the free port between the probe and the server's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      `-c listen_addresses=${HOST}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      `-c max_connections=${settings.maxConnections ?? 100}`,
    ].join(' ');
    try {
      await run(
        path.join(bin, 'pg_ctl'),
        ['-D', dataDir, '-l', logPath, '-w', '-t', String(START_TIMEOUT_S), '-o', options, 'start'],
        who,
        dir,
      );
      break;
    } catch (err) {
      const pid = postmasterPid(dataDir);
      if (pid) process.kill(pid, 'SIGQUIT');
      if (attempt >= 3) {
        const log = await readFile(logPath, 'utf8').catch(() => '');
        await rm(dir, { recursive: true, force: true });
        throw new Error(`${(err as Error).message}\n${log.split('\n').slice(-10).join('\n')}`);
      }
    }
  }
  const pid = postmasterPid(dataDir);
  if (pid) live.add(pid);

  const url = (database = 'postgres') => `postgres://${SUPERUSER}@${HOST}:${port}/${database}`;

  return {
    host: HOST,
    port,
    dir,
    url,
    createDatabase: async () => {
      const name = `tgdesk_test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop: async () => {
      await run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], who, dir).catch(
        () => {
          if (pid) process.kill(pid, 'SIGKILL');
        },
      );
      if (pid) live.delete(pid);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

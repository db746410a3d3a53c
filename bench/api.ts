// Benchmark of the Mini App's API: the ticket list and a ticket's detail over a store of BENCH_API_TICKETS
// tickets (default 100,000), as the client manager of the biggest company, beside the hand-written "ideal"
// routes (bench/api-ideal.ts: the same JSON from one prepared statement per route, checked byte-equal here
// before anything is measured) and, for context, a bare Hono route answering a constant JSON. Each server
// runs in its own process; autocannon drives them from this one, tgdesk and the ideal one after the other
// in the same run. Besides requests per second and latency it reports each server's CPU time per request
// (from /proc), the figure that other work on the machine disturbs least.
//
// PostgreSQL leg (bench/postgres.ts; BENCH_POSTGRES=0 leaves it out, on by default where PostgreSQL is
// installed): the same seeded store moved into a throwaway PostgreSQL server with the store-transfer tools,
// tgdesk's API served from it by a process started with that DATABASE_URL, its answers checked byte-equal to
// tgdesk's on SQLite, then the same routes measured in the same run, beside SQLite's and the ideal's figures.
// Its CPU per request is the node process's plus PostgreSQL's (server and backends), shown apart. Then three
// such instances at once on the same PostgreSQL, the connections spread over them as a proxy would.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { signInitData } from '../api/init-data.ts';
import { openDatabase } from '../db/connection.ts';
import { envInt, printTable } from './output.ts';
import { copyToPostgres, type PostgresCopy, postgresLeg } from './postgres.ts';
import { STORE_TO, seedReference, seedTickets } from './seed-store.ts';

const TICKETS = envInt('BENCH_API_TICKETS', 100_000);
const SECONDS = envInt('BENCH_API_SECONDS', 10);
const TOKEN = '987654:BENCH-token';
const TARGET_RATIO = 0.8;
const TARGET_DETAIL_P99_MS = 50;
const TARGET_LIST_P99_MS = 20;

interface Server {
  port: number;
  process: ChildProcess;
  /** CPU time of the database server behind it, when it has one of its own (PostgreSQL), ms so far. */
  storeCpuMs?: () => number | null;
}

/** Every server process started, so that whatever happens they are stopped. */
const started = new Set<ChildProcess>();

function stopAll(): void {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

/** This process's environment without a store choice: a server on PostgreSQL is given its DATABASE_URL. */
function serverEnv(databaseUrl?: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, TGDESK_STORE_DIALECT: _dialect, ...env } = process.env;
  return databaseUrl === undefined ? env : { ...env, DATABASE_URL: databaseUrl };
}

async function startServer(args: string[], databaseUrl?: string): Promise<Server> {
  // BENCH_CPU_PROF=<dir>: a CPU profile of each server process there (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/api-server.ts', ...args], {
    // stdin stays open as a lifeline: the server exits when this process goes away.
    stdio: ['pipe', 'pipe', 'inherit'],
    env: serverEnv(databaseUrl),
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const { port } = JSON.parse(line) as { port: number };
    return { port, process: child };
  }
  throw new Error(`the server (${args[0]}) did not start`);
}

async function stop(server: Server): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  await exited;
}

/** User + system CPU time of a process so far, in ms (null where /proc is not there). */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  timeouts: number;
  errors: number;
  non2xx: number;
  /** Server CPU per answered request, ms. */
  cpuMs: number | null;
  /** The database server's CPU per answered request, ms (PostgreSQL; SQLite runs inside the server). */
  storeCpuMs?: number | null;
}

/** The CPU time of several processes together (null if one cannot be read). */
function cpuOfAll(servers: Server[]): number | null {
  const each = servers.map((s) => cpuMs(s.process.pid));
  return each.some((ms) => ms === null) ? null : each.reduce<number>((sum, ms) => sum + (ms ?? 0), 0);
}

/** Loads one server, or several instances at once (autocannon spreads its connections over their URLs). */
async function load(
  target: Server | Server[],
  path: string,
  connections: number,
  headers: Record<string, string>,
) {
  const servers = Array.isArray(target) ? target : [target];
  const [server] = servers;
  if (!server) throw new Error('no server to load');
  const urls = servers.map((s) => `http://127.0.0.1:${s.port}${path}`);
  // autocannon takes an array of URLs too, though its types name one string.
  const url = (urls.length === 1 ? urls[0] : urls) as string;
  // A short warm-up, then the measured run.
  await autocannon({ url, connections, duration: 2, headers });
  const cpuBefore = cpuOfAll(servers);
  const storeBefore = server.storeCpuMs?.() ?? null;
  const result = await autocannon({ url, connections, duration: SECONDS, headers });
  const cpuAfter = cpuOfAll(servers);
  const storeAfter = server.storeCpuMs?.() ?? null;
  if (result.requests.total === 0) throw new Error(`${urls.join(', ')}: no answer at all`);
  const answered = result.requests.total;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: answered,
    timeouts: result.timeouts,
    // autocannon counts timeouts among its errors.
    errors: result.errors - result.timeouts,
    non2xx: result.non2xx,
    cpuMs: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / answered,
    ...(server.storeCpuMs
      ? {
          storeCpuMs:
            storeBefore === null || storeAfter === null ? null : (storeAfter - storeBefore) / answered,
        }
      : {}),
  } satisfies Run;
}

async function body(server: Server, path: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/** Where two answers first differ, with some text around it on both sides. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, i - 120), i + 200));
  return `lengths ${a.length} and ${b.length}, first difference at character ${i}:\n    ${around(a)}\n    ${around(b)}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tgdesk-bench-api-'));
  const leg = postgresLeg();
  let postgres: PostgresCopy | undefined;
  const interrupted = () => {
    stopAll();
    postgres?.killNow();
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const dbPath = join(dir, 'api.sqlite');
    const db = openDatabase(dbPath);
    seedTickets(db.$client, TICKETS, seedReference(db.$client));
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    // Person 1 is the client manager of company 1, the biggest; its newest ticket is the detail asked for.
    const manager = db.$client
      .prepare('select telegram_user_id as tg, name from people where id = 1')
      .get() as {
      tg: number;
      name: string;
    };
    const ticket = db.$client
      .prepare('select id from tickets where company_id = 1 order by id desc limit 1')
      .get() as { id: number };
    if (leg.on) postgres = await copyToPostgres(db.$client, dir);
    db.$client.close();
    const authorization = `tma ${signInitData(TOKEN, { id: manager.tg, first_name: manager.name }, { authDate: Math.floor(STORE_TO / 1000) })}`;
    const headers = { authorization };
    const listPath = '/api/tickets?limit=50';
    const detailPath = `/api/tickets/${ticket.id}`;

    const bare = await startServer(['bare']);
    const bareRun = await load(bare, '/hello', 100, {});
    await stop(bare);

    const desk = await startServer(['tgdesk', dbPath, TOKEN, String(STORE_TO)]);
    const ideal = await startServer(['ideal', dbPath, TOKEN, String(STORE_TO)]);
    const onPostgres = postgres
      ? {
          ...(await startServer(['tgdesk', postgres.url, TOKEN, String(STORE_TO)], postgres.url)),
          storeCpuMs: postgres.cpuMs,
        }
      : undefined;
    // The baseline counts only if it answers exactly what tgdesk answers.
    for (const path of [listPath, detailPath]) {
      const [ours, theirs] = [await body(desk, path, headers), await body(ideal, path, headers)];
      if (ours !== theirs) {
        throw new Error(
          `the ideal routes answer ${path} differently from tgdesk:\n tgdesk: ${ours.slice(0, 400)}\n ideal:  ${theirs.slice(0, 400)}`,
        );
      }
      // tgdesk on PostgreSQL is measured only if it answers exactly what it answers on SQLite.
      const onPg = onPostgres ? await body(onPostgres, path, headers) : ours;
      if (onPg !== ours) {
        throw new Error(
          `tgdesk on PostgreSQL answers ${path} differently from tgdesk on SQLite (SQLite first): ${firstDifference(ours, onPg)}`,
        );
      }
    }
    const cases = [
      { name: `GET ${listPath}`, path: listPath, connections: 100, p99Target: null },
      { name: `GET ${listPath}`, path: listPath, connections: 10, p99Target: TARGET_LIST_P99_MS },
      { name: `GET ${detailPath}`, path: detailPath, connections: 100, p99Target: TARGET_DETAIL_P99_MS },
    ];
    const results: {
      name: string;
      connections: number;
      p99Target: number | null;
      desk: Run;
      ideal: Run;
      postgres?: Run;
      postgres3?: Run;
    }[] = [];
    for (const c of cases) {
      const deskRun = await load(desk, c.path, c.connections, headers);
      const idealRun = await load(ideal, c.path, c.connections, headers);
      const pgRun = onPostgres ? await load(onPostgres, c.path, c.connections, headers) : undefined;
      results.push({ ...c, desk: deskRun, ideal: idealRun, ...(pgRun ? { postgres: pgRun } : {}) });
    }
    await stop(desk);
    await stop(ideal);
    // Three instances on the one PostgreSQL, the load spread over them (as a proxy would), on the same cores.
    if (onPostgres && postgres) {
      const url = postgres.url;
      const more = [
        await startServer(['tgdesk', url, TOKEN, String(STORE_TO)], url),
        await startServer(['tgdesk', url, TOKEN, String(STORE_TO)], url),
      ];
      for (const [i, c] of cases.entries()) {
        const three = await load([onPostgres, ...more], c.path, c.connections, headers);
        const result = results[i];
        if (result) result.postgres3 = three;
      }
      for (const server of more) await stop(server);
    }
    if (onPostgres) await stop(onPostgres);

    const int = (n: number) => Math.round(n).toLocaleString('en-US');
    const cpu = (r: Run) => (r.cpuMs === null ? '—' : `${r.cpuMs.toFixed(2)} ms`);
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    console.log(
      `tgdesk API benchmark: ${int(TICKETS)} tickets, ${SECONDS} s per run, as a client manager, node ${process.version}`,
    );
    printTable([
      [
        'route',
        'conns',
        'tgdesk',
        'p50 / p99',
        'timeouts',
        'CPU/req',
        'ideal',
        'p50 / p99',
        'CPU/req',
        `tgdesk/ideal (>= ${TARGET_RATIO * 100}%)`,
        'p99 target',
      ],
      ...results.map((r) => {
        const ratio = r.desk.rps / r.ideal.rps;
        const failures = r.desk.errors + r.desk.non2xx;
        return [
          r.name,
          String(r.connections),
          `${int(r.desk.rps)} req/s`,
          `${r.desk.p50} / ${r.desk.p99} ms`,
          `${r.desk.timeouts}${failures > 0 ? ` (+${failures} errors)` : ''} ${verdict(r.desk.timeouts === 0 && failures === 0)}`,
          cpu(r.desk),
          `${int(r.ideal.rps)} req/s`,
          `${r.ideal.p50} / ${r.ideal.p99} ms`,
          cpu(r.ideal),
          `${(ratio * 100).toFixed(0)}% ${verdict(ratio >= TARGET_RATIO)}`,
          r.p99Target === null ? '—' : `< ${r.p99Target} ms ${verdict(r.desk.p99 < r.p99Target)}`,
        ];
      }),
      [
        'bare Hono GET /hello (context)',
        '100',
        `${int(bareRun.rps)} req/s`,
        `${bareRun.p50} / ${bareRun.p99} ms`,
        String(bareRun.timeouts),
        cpu(bareRun),
        '',
        '',
        '',
        '',
        '',
      ],
    ]);
    const ms = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n.toFixed(2)} ms`);
    if (postgres) {
      console.log(
        `\ntgdesk on PostgreSQL ${await postgresVersion(postgres.url)} (the same store moved there: ${int(postgres.rows)} rows in ${(postgres.moveMs / 1000).toFixed(1)} s; answers byte-equal to SQLite's), measured in the same run:`,
      );
      printTable([
        [
          'route',
          'conns',
          'on SQLite',
          'p50 / p99',
          'CPU/req',
          'on PostgreSQL',
          'p50 / p99',
          'timeouts',
          'CPU/req node + PostgreSQL',
          'PostgreSQL/SQLite',
          'PostgreSQL/ideal',
          'p99 target',
          '3 instances',
          'p50 / p99',
          'CPU/req 3 × node + PostgreSQL',
        ],
        ...results.flatMap((r) => {
          const p = r.postgres;
          if (!p) return [];
          const failures = p.errors + p.non2xx;
          return [
            [
              r.name,
              String(r.connections),
              `${int(r.desk.rps)} req/s`,
              `${r.desk.p50} / ${r.desk.p99} ms`,
              cpu(r.desk),
              `${int(p.rps)} req/s`,
              `${p.p50} / ${p.p99} ms`,
              `${p.timeouts}${failures > 0 ? ` (+${failures} errors)` : ''} ${verdict(p.timeouts === 0 && failures === 0)}`,
              `${ms(p.cpuMs)} + ${ms(p.storeCpuMs)}`,
              `${((p.rps / r.desk.rps) * 100).toFixed(0)}%`,
              `${((p.rps / r.ideal.rps) * 100).toFixed(0)}%`,
              r.p99Target === null ? '—' : `< ${r.p99Target} ms ${verdict(p.p99 < r.p99Target)}`,
              r.postgres3 ? `${int(r.postgres3.rps)} req/s` : '—',
              r.postgres3 ? `${r.postgres3.p50} / ${r.postgres3.p99} ms` : '—',
              r.postgres3 ? `${ms(r.postgres3.cpuMs)} + ${ms(r.postgres3.storeCpuMs)}` : '—',
            ],
          ];
        }),
      ]);
    } else if (!leg.on) {
      console.log(`(no PostgreSQL leg: ${leg.why})`);
    }
    console.log(
      JSON.stringify({
        tickets: TICKETS,
        seconds: SECONDS,
        bare: bareRun,
        results,
        ...(postgres ? { postgresMoveMs: Math.round(postgres.moveMs) } : {}),
      }),
    );
  } finally {
    stopAll();
    await postgres?.server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return rows[0]?.v ?? '';
  } finally {
    await client.end();
  }
}

await main();

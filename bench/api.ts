// Benchmark of the Mini App's API: the ticket list and a ticket's detail over a store of BENCH_API_TICKETS
// tickets (default 100,000), 100 connections, beside a bare Hono route answering a constant JSON in the
// same run. Each server runs in its own process; autocannon drives it from this one.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { signInitData } from '../api/init-data.ts';
import { openDatabase } from '../db/connection.ts';
import { envInt, printTable } from './output.ts';
import { STORE_TO, seedReference, seedTickets } from './seed-store.ts';

const TICKETS = envInt('BENCH_API_TICKETS', 100_000);
const SECONDS = envInt('BENCH_API_SECONDS', 10);
const CONNECTIONS = 100;
const TOKEN = '987654:BENCH-token';
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 20;

interface Server {
  port: number;
  process: ChildProcess;
}

async function startServer(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api-server.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const { port } = JSON.parse(line) as { port: number };
    return { port, process: child };
  }
  throw new Error('the server did not start');
}

async function stop(server: Server): Promise<void> {
  server.process.kill('SIGTERM');
  await new Promise((resolve) => server.process.once('exit', resolve));
}

async function load(url: string, headers: Record<string, string> = {}) {
  // A short warm-up, then the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  if (result.requests.total === 0 || result.non2xx > 0 || result.errors > 0)
    throw new Error(
      `${url}: ${result.requests.total} answers, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tgdesk-bench-api-'));
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
    db.$client.close();
    const authorization = `tma ${signInitData(TOKEN, { id: manager.tg, first_name: manager.name }, { authDate: Math.floor(STORE_TO / 1000) })}`;

    const bare = await startServer(['bare']);
    const bareRun = await load(`http://127.0.0.1:${bare.port}/hello`);
    await stop(bare);
    const desk = await startServer(['tgdesk', dbPath, TOKEN, String(STORE_TO)]);
    const headers = { authorization };
    const list = await load(`http://127.0.0.1:${desk.port}/api/tickets?limit=50`, headers);
    const detail = await load(`http://127.0.0.1:${desk.port}/api/tickets/${ticket.id}`, headers);
    await stop(desk);

    const int = (n: number) => Math.round(n).toLocaleString('en-US');
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const row = (name: string, r: typeof list) => [
      name,
      `${int(r.rps)} req/s`,
      `${int(bareRun.rps)} req/s bare`,
      `${((r.rps / bareRun.rps) * 100).toFixed(0)}% ${verdict(r.rps / bareRun.rps >= TARGET_RATIO)}`,
      `${r.p50} / ${r.p99} ms ${verdict(r.p99 < TARGET_P99_MS)}`,
    ];
    console.log(
      `tgdesk API benchmark: ${int(TICKETS)} tickets, ${CONNECTIONS} connections, ${SECONDS} s per run, node ${process.version}`,
    );
    printTable([
      [
        'route (as a client manager)',
        'tgdesk',
        'baseline',
        `>= ${TARGET_RATIO * 100}% of bare`,
        `p50 / p99 (< ${TARGET_P99_MS} ms)`,
      ],
      row('GET /api/tickets?limit=50', list),
      row(`GET /api/tickets/${ticket.id}`, detail),
      ['bare Hono GET /hello', `${int(bareRun.rps)} req/s`, '', '', `${bareRun.p50} / ${bareRun.p99} ms`],
    ]);
    console.log(JSON.stringify({ tickets: TICKETS, bare: bareRun, list, detail }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

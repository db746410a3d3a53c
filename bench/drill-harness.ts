// The desk of the multi-instance drill (issue 15): tgdesk instances as child processes that can die
// (bench/drill-instance.ts: the real app, `npm start`'s startApp, SIGKILL a real crash) on one store — a
// PostgreSQL database, or a SQLite file for the one-instance comparison — taking Telegram's updates by webhook
// from the local Bot API emulator through a small load balancer in this process, as nginx in front of several
// instances would: each post goes round-robin to a live instance, and one whose instance is dead or whose
// connection drops is answered 502, so the emulator posts the update again (emulator/webhook.ts).
//
// The store is a new desk's (the defaults an empty store gets at its first start) with `staff` 1st-line
// engineers, people in the emulator, who get a notice of every new ticket. Used by bench/drill.ts and
// tests/postgres/drill.test.ts.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type Emulator, startEmulator, type TestUser } from '../emulator/index.ts';
import { type PostgresServer, startPostgres } from '../tests/support/postgres.ts';
import type { DrillInstanceMessage } from './drill-instance.ts';

export const WEBHOOK_URL = 'https://desk.example/telegram/hook';
export const WEBHOOK_SECRET = 'drill-webhook-secret-0123456789';
/** Telegram ids of the 1st-line engineers the store is seeded with. */
export const FIRST_STAFF_ID = 990_001;

/**
 * The PostgreSQL server's max_connections for the drill: an instance opens up to 20 (its store's pool of 10,
 * and 10 more holding the chats' turns, bot/chat-turns.ts), so three busy ones and a new one starting need more
 * than a test server's 50.
 */
export const DRILL_MAX_CONNECTIONS = 100;

export interface DrillDeskOptions {
  store: 'postgres' | 'sqlite';
  /** The emulator refuses (429) and records every send over Telegram's limits. */
  limits: boolean;
  /** 1st-line engineers (default 2). */
  staff?: number;
  /**
   * A PostgreSQL server to make the database in (a test's, started with DRILL_MAX_CONNECTIONS); without it one
   * is started and stopped.
   */
  postgres?: PostgresServer;
}

export interface DrillInstance {
  /** 1, 2, … in the order they were started. */
  n: number;
  pid: number;
  port: number;
  /** Started and not killed (it may still have died by itself: see `exited`). */
  alive: boolean;
  /** Exit code or signal once it is gone. */
  exited?: string;
  /** Posts the balancer handed it, and how many of them it is handling now. */
  forwarded: number;
  handling: number;
}

export interface TicketRow {
  number: number;
  telegramUserId: number | null;
}

export interface NoticeRow {
  telegramUserId: number | null;
  kind: string;
  state: string;
  ticketNumber: number | null;
}

export interface DrillDesk {
  emu: Emulator;
  store: 'postgres' | 'sqlite';
  /** The 1st-line engineers, people of the emulator. */
  staff: TestUser[];
  instances: DrillInstance[];
  live(): DrillInstance[];
  /** A new instance; resolves once it serves and the balancer hands it posts. */
  start(): Promise<DrillInstance>;
  /** SIGKILL: the balancer stops handing it posts at once; resolves when the process is gone. */
  kill(instance: DrillInstance): Promise<void>;
  balancer: { posts: number; badGateway: number };
  /** Lines the instances logged at error or fatal (or wrote to stderr), each with its instance's number. */
  errors: string[];
  warnings: string[];
  tickets(): Promise<TicketRow[]>;
  /** The outbox's Telegram notices. */
  notices(): Promise<NoticeRow[]>;
  /** The instances' CPU time counts from now. */
  markCpu(): void;
  /** Stops every live instance as SIGTERM would; their CPU time in all since they served or `markCpu` (ms). */
  stopAll(): Promise<number>;
  close(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./drill-instance.ts', import.meta.url));
const START_TIMEOUT_MS = 90_000;

const TICKETS_SQL = `select t.number, p.telegram_user_id as "telegramUserId"
  from tickets t join people p on p.id = t.requester_id order by t.number`;
const NOTICES_SQL = `select p.telegram_user_id as "telegramUserId", o.kind, o.state, t.number as "ticketNumber"
  from outbox o left join people p on p.id = o.recipient_id left join tickets t on t.id = o.ticket_id
  where o.channel = 'telegram' order by o.id`;

/** Reads and writes the store from this process, for seeding and checks. */
interface StoreAccess {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function postgresAccess(url: string): StoreAccess {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  return {
    all: async <T>(sql: string, params: unknown[] = []) =>
      (await pool.query(sql, params)).rows.map((row: Record<string, unknown>) => numbers(row) as T),
    close: () => pool.end(),
  };
}

function sqliteAccess(path: string): StoreAccess {
  let db: Database.Database | undefined;
  const open = () => {
    db ??= new Database(path);
    db.pragma('busy_timeout = 10000');
    return db;
  };
  return {
    all: async <T>(sql: string, params: unknown[] = []) => {
      // The placeholders of PostgreSQL's dialect ($1, $2 … in order) read as SQLite's ?.
      const statement = open().prepare(sql.replace(/\$\d+/g, '?'));
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    close: async () => {
      db?.close();
    },
  };
}

/** pg hands int8 as strings unless the store's parser was installed: counts and ids as numbers here. */
function numbers(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v]),
  );
}

export async function drillDesk(options: DrillDeskOptions): Promise<DrillDesk> {
  const dir = mkdtempSync(join(tmpdir(), 'tgdesk-drill-'));
  const ownServer =
    options.store === 'postgres' && !options.postgres
      ? await startPostgres({ maxConnections: DRILL_MAX_CONNECTIONS })
      : undefined;
  const server = options.postgres ?? ownServer;
  const databaseUrl = options.store === 'postgres' ? await server?.createDatabase() : undefined;
  const databasePath = join(dir, 'desk.sqlite');
  const access = databaseUrl ? postgresAccess(databaseUrl) : sqliteAccess(databasePath);

  const instances: DrillInstance[] = [];
  const children = new Map<DrillInstance, { child: ChildProcess; agent: Agent }>();
  const errors: string[] = [];
  const warnings: string[] = [];
  const balancer = { posts: 0, badGateway: 0 };
  let turn = 0;
  const live = () => instances.filter((i) => i.alive);

  // The balancer: a post goes to the next live instance; a dead one or a dropped connection is a 502.
  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      balancer.posts++;
      const candidates = live();
      const chosen = candidates[turn++ % Math.max(1, candidates.length)];
      const route = chosen && children.get(chosen);
      const badGateway = () => {
        balancer.badGateway++;
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('bad gateway');
      };
      if (!chosen || !route) return badGateway();
      chosen.forwarded++;
      chosen.handling++;
      let over = false;
      const finished = () => {
        if (!over) chosen.handling--;
        over = true;
      };
      res.once('close', finished);
      const body = Buffer.concat(chunks);
      const upstream = request(
        {
          host: '127.0.0.1',
          port: chosen.port,
          method: req.method,
          path: req.url,
          agent: route.agent,
          headers: { ...req.headers, 'content-length': body.length },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
          answer.on('error', badGateway);
        },
      );
      upstream.on('error', badGateway);
      upstream.end(body);
    });
  });
  proxy.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyPort = (proxy.address() as AddressInfo).port;

  const emu = await startEmulator({
    limits: options.limits,
    webhookTarget: (url) => `http://127.0.0.1:${proxyPort}${new URL(url).pathname}`,
  });

  const environment = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG,
    TZ: process.env.TZ,
    BOT_TOKEN: emu.token,
    BOT_API_ROOT: emu.apiRoot,
    WEBHOOK_URL,
    WEBHOOK_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    FILES_DIR: join(dir, 'files'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_PATH: databasePath }),
  });

  const start = async (): Promise<DrillInstance> => {
    const child = fork(SCRIPT, [], {
      execArgv: ['--import', 'tsx'],
      env: environment(),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const instance: DrillInstance = {
      n: instances.length + 1,
      pid: child.pid ?? 0,
      port: 0,
      alive: false,
      forwarded: 0,
      handling: 0,
    };
    instances.push(instance);
    const agent = new Agent({ keepAlive: true });
    children.set(instance, { child, agent });
    readLines(instance.n, child, errors, warnings);
    child.once('exit', (code, signal) => {
      instance.alive = false;
      instance.exited = signal ?? String(code);
      agent.destroy();
    });
    const ready = await new Promise<DrillInstanceMessage>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`instance ${instance.n} did not start in time`)),
        START_TIMEOUT_MS,
      );
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`instance ${instance.n} exited (${code}) at start: ${errors.slice(-3).join('\n')}`));
      };
      child.once('exit', onExit);
      child.once('message', (message) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(message as DrillInstanceMessage);
      });
    });
    if (ready.type !== 'ready') {
      throw new Error(
        `instance ${instance.n} failed at start: ${ready.type === 'failed' ? ready.error : ready.type}`,
      );
    }
    instance.port = ready.port;
    instance.alive = true;
    return instance;
  };

  const kill = async (instance: DrillInstance) => {
    const running = children.get(instance)?.child;
    instance.alive = false;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };

  const stopAll = async (): Promise<number> => {
    let cpuMs = 0;
    await Promise.all(
      live().map(async (instance) => {
        const child = children.get(instance)?.child;
        if (!child) return;
        instance.alive = false;
        const stopped = new Promise<number>((resolve) => {
          child.on('message', (message: DrillInstanceMessage) => {
            if (message.type === 'stopped') resolve(message.cpuMs);
          });
          // Gone without a word (it did not stop cleanly): no figure rather than a wrong one.
          child.once('exit', () => resolve(Number.NaN));
        });
        child.send('stop');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        cpuMs += await stopped;
        clearTimeout(timer);
        if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      }),
    );
    return cpuMs;
  };

  const staff: TestUser[] = [];
  const desk: DrillDesk = {
    emu,
    store: options.store,
    staff,
    instances,
    live,
    start,
    kill,
    balancer,
    errors,
    warnings,
    tickets: () => access.all<TicketRow>(TICKETS_SQL),
    notices: () => access.all<NoticeRow>(NOTICES_SQL),
    markCpu: () => {
      for (const instance of live()) children.get(instance)?.child.send('mark');
    },
    stopAll,
    async close() {
      for (const instance of instances) await kill(instance);
      await emu.close();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await access.close();
      await ownServer?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    // The first start migrates the store and gives it a new desk's defaults; then the 1st line is hired.
    await start();
    const count = options.staff ?? 2;
    for (let i = 0; i < count; i++) {
      const id = FIRST_STAFF_ID + i;
      staff.push(emu.user({ id, first_name: `Инженер ${i + 1}`, language_code: 'ru' }));
      const [person] = await access.all<{ id: number }>(
        `insert into people (telegram_user_id, name, language, created_at) values ($1, $2, 'ru', $3) returning id`,
        [id, `Инженер ${i + 1}`, Date.now()],
      );
      if (!person) throw new Error('the engineer was not stored');
      await access.all(`insert into memberships (person_id, role, company_id) values ($1, 'line1', null)`, [
        person.id,
      ]);
    }
    return desk;
  } catch (error) {
    await desk.close();
    throw error;
  }
}

/** An instance's stdout (pino's JSON lines) and stderr, sorted into errors and warnings. */
function readLines(n: number, child: ChildProcess, errors: string[], warnings: string[]): void {
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: { level?: number; msg?: string; err?: { message?: string } } | undefined;
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        entry = undefined;
      }
      if (!entry || typeof entry.level !== 'number') warnings.push(`#${n} ${line}`);
      else if (entry.level >= 50) errors.push(`#${n} ${entry.msg ?? ''} ${entry.err?.message ?? ''}`.trim());
      else if (entry.level >= 40) warnings.push(`#${n} ${entry.msg ?? line}`);
    });
  }
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.trim() !== '') errors.push(`#${n} stderr: ${line}`);
    });
  }
}

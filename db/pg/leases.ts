// Singletons of a desk run as several instances on one PostgreSQL: the SLA scheduler, each mailbox's IMAP
// poller, scheduled backups must run in exactly one instance, and when that instance dies another must take
// over within seconds. Each is a lease: a session-level advisory lock, tried with pg_try_advisory_lock on a
// connection of its own. The lock lives as long as that session, so a process that is killed (its socket
// closed by the kernel) loses it at once and the next instance to try gets it; nothing has to expire.
//
// The holder learns it lost its lease when its connection fails (the 'error' or 'end' of the client, or a
// heartbeat that fails or hangs) and must then stop the work, as another instance may already be doing it.
// Between the loss and its notice the two may overlap briefly, so a singleton's work must stay safe to do
// twice (the SLA sweep and the pollers commit each step in a transaction of their own). A dead instance's
// session is only noticed by PostgreSQL when its socket closes: after a network partition that takes TCP
// keepalive's time (tcp_keepalives_idle on the server), not seconds.
//
// Each lease keeps one pool connection for as long as it is held or tried: size the pool for it.
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** How often a lease that someone else holds is tried again, and a held one checked. */
export const DEFAULT_RETRY_MS = 3_000;
/** How long a heartbeat of a held lease may take before its connection is given up for lost. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

/**
 * The advisory lock key of a lease: the first 8 bytes of a SHA-256 of its name, as two int4. Stable across
 * processes and versions (every instance must derive the same key), and in the two-int4 key space of
 * PostgreSQL's advisory locks, apart from the single-bigint one that db/pg/migrate.ts locks.
 */
export function leaseKey(name: string): [number, number] {
  const digest = createHash('sha256').update(`tgdesk lease: ${name}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

export interface LeaseOptions {
  /** Milliseconds between tries while another instance holds it, and between heartbeats while held. */
  retryMs?: number;
  heartbeatTimeoutMs?: number;
  /** This instance now holds the lease: start the work. Not awaited. */
  onAcquired?: () => void | Promise<void>;
  /** The lease's connection failed: stop the work at once; the lease is tried again. Not awaited. */
  onLost?: (error: Error) => void | Promise<void>;
  /** A try or a heartbeat failed (the store unreachable, a callback threw); the lease carries on. */
  onError?: (error: unknown) => void;
}

export interface Lease {
  readonly name: string;
  /** Whether this instance holds it, as far as it knows. */
  readonly held: boolean;
  /** How many times it asked PostgreSQL for the lock. */
  readonly attempts: number;
  /**
   * Stops trying, unlocks if held and gives the connection back: another instance takes over at its next
   * try. onLost is not called: stop the work first, then release.
   */
  release(): Promise<void>;
}

/** Holds the lease `name` whenever it can, from now until release(): see the header. */
export function holdLease(pool: pg.Pool, name: string, options: LeaseOptions = {}): Lease {
  return new AdvisoryLease(pool, name, options);
}

/** The backend pid of the session holding the lease `name` in the database of `client`, or null. */
export async function leaseHolderPid(client: pg.Pool | pg.PoolClient | pg.Client, name: string) {
  const [high, low] = leaseKey(name);
  // pg_locks shows a two-int4 key as classid and objid (oids, so unsigned) with objsubid 2.
  const { rows } = await client.query<{ pid: number }>(
    `select pid from pg_locks
     where locktype = 'advisory' and granted and objsubid = 2 and classid::bigint = $1 and objid::bigint = $2
       and database = (select oid from pg_database where datname = current_database())`,
    [high >>> 0, low >>> 0],
  );
  return rows[0]?.pid ?? null;
}

class AdvisoryLease implements Lease {
  held = false;
  attempts = 0;
  private readonly key: [number, number];
  private readonly retryMs: number;
  private readonly heartbeatTimeoutMs: number;
  private client: pg.PoolClient | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** The try or heartbeat under way, which release() waits for. */
  private step: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly name: string,
    private readonly options: LeaseOptions,
  ) {
    this.key = leaseKey(name);
    this.retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    this.schedule(0);
  }

  async release(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    // A try under way may be taking the lock right now: let it finish, then unlock what it took.
    await this.step;
    const client = this.client;
    const held = this.held;
    this.client = undefined;
    this.held = false;
    if (!client) return;
    try {
      if (held) await client.query('select pg_advisory_unlock($1, $2)', this.key);
      client.release();
    } catch (error) {
      // Destroying the connection ends the session, and the lock with it.
      client.release(asError(error));
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.step = this.tick().finally(() => {
        this.step = undefined;
        this.schedule(this.retryMs);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let client = this.client;
    try {
      if (!client) {
        client = await this.connect();
        if (!client) return;
      }
      if (this.held) await this.heartbeat(client);
      else await this.tryLock(client);
    } catch (error) {
      this.report(error);
      if (client) this.drop(client, asError(error));
    }
  }

  private async connect(): Promise<pg.PoolClient | undefined> {
    const client = await this.pool.connect();
    // A checked-out client that errs with no listener would crash the process; and its error or end is how
    // a holder learns at once that its session, and so its lock, is gone.
    client.on('error', (error) => this.drop(client, error));
    client.on('end', () => this.drop(client, new Error('the lease connection ended')));
    if (this.stopped) {
      client.release();
      return undefined;
    }
    this.client = client;
    return client;
  }

  private async tryLock(client: pg.PoolClient): Promise<void> {
    this.attempts++;
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1, $2) as locked',
      this.key,
    );
    if (!rows[0]?.locked || this.client !== client) return;
    this.held = true;
    // Taken while release() was waiting for this try: release() unlocks it, no work is started.
    if (this.stopped) return;
    this.fire(() => this.options.onAcquired?.());
  }

  /** A held lease's connection is checked now and then: one that hangs (a partition) counts as lost. */
  private async heartbeat(client: pg.PoolClient): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer to the lease heartbeat within ${this.heartbeatTimeoutMs} ms`)),
        this.heartbeatTimeoutMs,
      );
    });
    try {
      await Promise.race([client.query('select 1'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The connection failed: its session, and any lock it held, is gone or going. */
  private drop(client: pg.PoolClient, error: Error): void {
    if (this.client !== client) return; // an old connection, already dropped
    this.client = undefined;
    // Destroyed rather than put back in the pool: the server may still hold its session (and lock) for a
    // moment, and a broken connection is of no use to anyone.
    client.release(error);
    if (!this.held) return;
    this.held = false;
    if (!this.stopped) this.fire(() => this.options.onLost?.(error));
  }

  private fire(callback: () => void | Promise<void> | undefined): void {
    try {
      const result = callback();
      if (result instanceof Promise) result.catch((error: unknown) => this.report(error));
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing error handler must not stop the lease.
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A lock held for as long as this process keeps it: release() lets it go and gives the connection back. */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Asks once for the lease `name` and, when no other session holds it, keeps it on a connection of its own
 * until release() (or until this process dies, when PostgreSQL lets it go with the session). Null when
 * another instance holds it: for work that must not be done twice and has no one to take it over (the bot's
 * long polling, a reader Telegram allows only one of).
 */
export async function tryHoldOnce(pool: pg.Pool, name: string): Promise<HeldLock | null> {
  const [high, low] = leaseKey(name);
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ got: boolean }>('select pg_try_advisory_lock($1, $2) as got', [
      high,
      low,
    ]);
    if (!rows[0]?.got) {
      client.release();
      return null;
    }
  } catch (error) {
    client.release(true);
    throw error;
  }
  // A broken connection has lost the lock with its session; it is not used again.
  client.on('error', () => undefined);
  return {
    async release() {
      try {
        await client.query('select pg_advisory_unlock($1, $2)', [high, low]);
        client.release();
      } catch (error) {
        client.release(true);
        throw error;
      }
    },
  };
}

// Singleton leases on a real PostgreSQL (db/pg/leases.ts): of two instances (two pools) asking for the same
// lease exactly one holds it; when the holder's session dies (its backend terminated, as a kill -9 of the
// process would end it, and a child process really killed with SIGKILL) or it releases, the other takes over
// at its next try; different leases are apart.
// Waits are polls for a condition with a generous deadline, never fixed sleeps.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { holdLease, type Lease, type LeaseOptions, leaseHolderPid, leaseKey } from '../db/pg/leases.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from './support/postgres.ts';

const RETRY_MS = 25;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LEASES_MODULE = path.join(REPO, 'db/pg/leases.ts');

/** Polls `condition` until it holds; fails after `timeoutMs` (generous: a busy CI machine may be slow). */
async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Instance {
  pool: pg.Pool;
  lease: Lease;
  acquired: number;
  lost: Error[];
  errors: unknown[];
}

describe.skipIf(!postgresAvailable())('leases under PostgreSQL advisory locks', { timeout: 30_000 }, () => {
  let server: PostgresServer;
  let url: string;
  let admin: pg.Client;
  const pools: pg.Pool[] = [];
  const leases: Lease[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(async () => {
    url = await server.createDatabase();
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(leases.splice(0).map((l) => l.release()));
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await admin?.end();
  });

  /** An instance of the desk: a pool of its own, holding the lease `name`. */
  function instance(
    name: string,
    options: LeaseOptions = {},
    connectionString = url,
    { goneOnLoss = false } = {},
  ): Instance {
    const pool = new pg.Pool({ connectionString, max: 3 });
    // An idle connection of the pool may be cut by a test; that is no test failure.
    pool.on('error', () => {});
    pools.push(pool);
    const desk: Instance = {
      pool,
      acquired: 0,
      lost: [],
      errors: [],
      lease: holdLease(pool, name, {
        retryMs: RETRY_MS,
        ...options,
        onAcquired: () => {
          desk.acquired++;
        },
        onLost: async (error) => {
          desk.lost.push(error);
          if (goneOnLoss) await desk.lease.release();
        },
        onError: (error) => {
          desk.errors.push(error);
        },
      }),
    };
    leases.push(desk.lease);
    return desk;
  }

  const holders = (...instances: Instance[]) => instances.filter((i) => i.lease.held);

  /** Both have asked, and the one not holding has asked `more` times since: the lock really is taken. */
  async function settled(a: Instance, b: Instance, more = 5): Promise<[Instance, Instance]> {
    await waitFor('one holds the lease', () => a.lease.held || b.lease.held);
    const [holder, other] = a.lease.held ? [a, b] : [b, a];
    const asked = other.lease.attempts;
    await waitFor(`the other asked ${more} more times`, () => other.lease.attempts >= asked + more);
    return [holder, other];
  }

  async function pidOf(name: string): Promise<number> {
    const pid = await leaseHolderPid(admin, name);
    if (pid === null) throw new Error(`nobody holds ${name}`);
    return pid;
  }

  it('derives a stable key from the name, different for different names', () => {
    expect(leaseKey('sla-scheduler')).toEqual(leaseKey('sla-scheduler'));
    expect(leaseKey('sla-scheduler')).not.toEqual(leaseKey('imap:support@example.com'));
    for (const part of leaseKey('backup')) {
      expect(Number.isInteger(part) && part >= -(2 ** 31) && part < 2 ** 31).toBe(true);
    }
    // Pinned: every instance, of every version, must lock the same key for the same lease.
    expect(leaseKey('sla-scheduler')).toEqual([1210339873, 1870575077]);
    expect(leaseKey('backup')).toEqual([-167325202, -1224251567]);
  });

  it('is held by exactly one of two instances asking for it', async () => {
    const a = instance('sla-scheduler');
    const b = instance('sla-scheduler');
    const [holder, other] = await settled(a, b);
    expect(holders(a, b)).toEqual([holder]);
    expect([holder.acquired, other.acquired]).toEqual([1, 0]);
    expect(other.lease.attempts).toBeGreaterThanOrEqual(5);
    // The server agrees: one session holds it, the holder's.
    expect(await pidOf('sla-scheduler')).toBeGreaterThan(0);
    expect(
      (
        await admin.query<{ n: number }>(
          "select count(*)::int as n from pg_locks where locktype = 'advisory' and granted",
        )
      ).rows[0]?.n,
    ).toBe(1);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('passes to the other instance when the holder’s session dies (as when its process is killed)', async () => {
    // A killed process asks no more: this one releases its lease as soon as it learns it lost it.
    const a = instance('sla-scheduler', {}, url, { goneOnLoss: true });
    const b = instance('sla-scheduler', {}, url, { goneOnLoss: true });
    const [holder, other] = await settled(a, b);
    const before = await pidOf('sla-scheduler');
    const killed = Date.now();
    await admin.query('select pg_terminate_backend($1)', [before]);
    await waitFor('the other instance holds the lease', () => other.lease.held);
    // The next try after the session ended: well within a second here (retryMs 25), however slow the machine.
    expect(Date.now() - killed).toBeLessThan(5_000);
    expect(other.acquired).toBe(1);
    // The old holder was told, by its connection's error, so that it stops its work.
    await waitFor('the old holder knows it lost the lease', () => holder.lost.length === 1);
    expect(holder.lease.held).toBe(false);
    expect(await pidOf('sla-scheduler')).not.toBe(before);
  });

  it('after its session died, the old holder competes again on a new connection: still exactly one holds', async () => {
    const a = instance('sla-scheduler');
    const b = instance('sla-scheduler');
    const [holder] = await settled(a, b);
    const before = await pidOf('sla-scheduler');
    await admin.query('select pg_terminate_backend($1)', [before]);
    await waitFor('the old holder knows it lost the lease', () => holder.lost.length === 1);
    // Either may win the next try; then the one not holding keeps asking in vain.
    const [next, loser] = await settled(a, b);
    expect(holders(a, b)).toEqual([next]);
    expect(await pidOf('sla-scheduler')).not.toBe(before);
    expect(next.acquired + loser.acquired).toBe(2);
  });

  it('passes to another instance when the holding process is killed with SIGKILL', async () => {
    // A process of its own holding the lease, killed for real: the kernel closes its socket, PostgreSQL ends
    // its session, and the lock goes with it.
    const code = `
      const { holdLease } = await import(${JSON.stringify(LEASES_MODULE)});
      const pg = (await import('pg')).default;
      const pool = new pg.Pool({ connectionString: ${JSON.stringify(url)} });
      holdLease(pool, 'sla-scheduler', { retryMs: ${RETRY_MS}, onAcquired: () => console.log('acquired') });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitFor('the child process holds the lease', () => output.includes('acquired'), 20_000);
    const childPid = await pidOf('sla-scheduler');
    const b = instance('sla-scheduler');
    const asked = b.lease.attempts;
    await waitFor('this instance asked in vain a few times', () => b.lease.attempts >= asked + 5);
    expect(b.lease.held).toBe(false);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await waitFor('this instance holds the lease', () => b.lease.held);
    expect(await pidOf('sla-scheduler')).not.toBe(childPid);
  });

  it('keeps passing on as holders die one after another', async () => {
    const instances = [instance('backup'), instance('backup'), instance('backup')];
    const seen = new Set<number>();
    // One instance holds it, by a session not killed yet (a killed holder learns it lost the lease a moment
    // after the server ended its session).
    const passedOn = async () => {
      const pid = await leaseHolderPid(admin, 'backup');
      return holders(...instances).length === 1 && pid !== null && !seen.has(pid);
    };
    for (let round = 0; round < 4; round++) {
      await waitFor('a new session holds the lease', passedOn);
      const pid = await pidOf('backup');
      seen.add(pid);
      await admin.query('select pg_terminate_backend($1)', [pid]);
    }
    await waitFor('a new session holds the lease', passedOn);
    await waitFor(
      'every killed holder knows it',
      () => instances.reduce((n, i) => n + i.lost.length, 0) === 4,
    );
    expect(instances.reduce((n, i) => n + i.lost.length, 0)).toBe(4);
    expect(instances.reduce((n, i) => n + i.acquired, 0)).toBe(5);
  });

  it('does not keep other leases apart', async () => {
    const sla = instance('sla-scheduler');
    const imap = instance('imap:support@example.com');
    const imapToo = instance('imap:support@example.com');
    const backup = instance('backup');
    await waitFor(
      'the three leases are held',
      () => sla.lease.held && backup.lease.held && (imap.lease.held || imapToo.lease.held),
    );
    await settled(imap, imapToo);
    expect(holders(sla, imap, imapToo, backup)).toHaveLength(3);
    expect(await leaseHolderPid(admin, 'sla-scheduler')).not.toBeNull();
    expect(await leaseHolderPid(admin, 'backup')).not.toBeNull();
  });

  it('hands over on release, and a released lease is not tried again', async () => {
    const a = instance('sla-scheduler');
    const b = instance('sla-scheduler');
    const [holder, other] = await settled(a, b);
    const before = await pidOf('sla-scheduler');
    await holder.lease.release();
    expect(holder.lease.held).toBe(false);
    await waitFor('the other instance holds the lease', () => other.lease.held);
    expect(await pidOf('sla-scheduler')).not.toBe(before);
    // Released on purpose: no loss to report, and no more tries.
    expect(holder.lost).toEqual([]);
    const asked = holder.lease.attempts;
    await other.lease.release();
    const c = instance('sla-scheduler');
    await waitFor('a third instance holds the lease', () => c.lease.held);
    expect(holder.lease.attempts).toBe(asked);
    expect(holder.lease.held).toBe(false);
    // Releasing twice is harmless.
    await holder.lease.release();
  });

  it('keeps trying while the store is unreachable, and takes the lease once it is there', async () => {
    const name = `tgdesk_lease_later_${process.pid}`;
    const a = instance('sla-scheduler', {}, server.url(name));
    await waitFor('a few failed tries', () => a.errors.length >= 3);
    expect(a.lease.held).toBe(false);
    const root = new pg.Client({ connectionString: server.url() });
    await root.connect();
    try {
      await root.query(`create database ${name}`);
    } finally {
      await root.end();
    }
    await waitFor('the lease is held', () => a.lease.held);
    expect(a.acquired).toBe(1);
  });
});

// Work that one instance at a time must do: the SLA scheduler, the mailboxes' watcher. On SQLite the desk is
// one process, which simply starts it. On PostgreSQL several instances share the store: each asks for the
// work's lease (db/pg/leases.ts, an advisory lock that dies with its holder's connection), the one that holds
// it starts the work, and when it dies another takes over at its next try, within seconds.
import type pg from 'pg';
import { holdLease } from '../db/pg/leases.ts';

export interface Running {
  stop(): unknown;
}

export interface Singleton {
  /** Whether the work runs in this instance now. */
  readonly here: boolean;
  stop(): Promise<void>;
}

export async function runSingleton(
  pool: pg.Pool | undefined,
  name: string,
  start: () => Promise<Running>,
  onError: (error: unknown) => void,
  retryMs?: number,
): Promise<Singleton> {
  if (!pool) {
    const running = await start();
    return { here: true, stop: async () => void (await running.stop()) };
  }
  let running: Running | undefined;
  // Started and stopped in turn: a loss while starting stops what was started.
  let turn: Promise<void> = Promise.resolve();
  const step = (work: () => Promise<void>) => {
    turn = turn.then(work).catch(onError);
  };
  const stopHere = async () => {
    const was = running;
    running = undefined;
    await was?.stop();
  };
  const lease = holdLease(pool, `tgdesk:${name}`, {
    ...(retryMs === undefined ? {} : { retryMs }),
    onAcquired: () =>
      step(async () => {
        running ??= await start();
      }),
    onLost: () => step(stopHere),
    onError,
  });
  return {
    get here() {
      return running !== undefined;
    },
    async stop() {
      step(stopHere);
      await turn;
      await lease.release();
    },
  };
}

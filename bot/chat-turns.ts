// One update of a chat at a time, across instances. grammY's sequentialize keeps a chat's updates in turn
// within one process; on PostgreSQL several instances take updates (webhooks behind a load balancer), and two
// updates of one chat — two presses, or a delivery again after a timeout — may reach two of them at once.
// Each update then takes its chat's advisory lock for as long as it is handled, so the guided intake's draft
// is read and written by one of them at a time and an update handled already is seen as such by the other.
// The lock is a session's, on a connection of its own pool: a handler's own queries use the store's pool, and
// holding one of those while waiting for the other would starve it.
import type { Context, MiddlewareFn } from 'grammy';
import pg from 'pg';

/** The first key of the chat locks, apart from core's (db/pg/store.ts) and the leases' (db/pg/leases.ts). */
const CHAT_LOCK_CLASS = 7_311_002;

export interface ChatTurns {
  middleware: MiddlewareFn<Context>;
  close(): Promise<void>;
}

/** `connection`: the store's pool settings (its URL); `max`: chats handled at once by this instance. */
export function chatTurnsAcrossInstances(connection: pg.PoolConfig, max = 10): ChatTurns {
  const locks = new pg.Pool({ ...connection, max });
  // An idle connection the server dropped is replaced on the next connect; it must not end the process.
  locks.on('error', () => undefined);
  const middleware: MiddlewareFn<Context> = async (ctx, next) => {
    const chatId = ctx.chatId;
    if (chatId === undefined) return next();
    const key = [CHAT_LOCK_CLASS, String(chatId)];
    const client = await locks.connect();
    let broken: Error | undefined;
    try {
      await client.query('select pg_advisory_lock($1, hashtext($2))', key);
      try {
        await next();
      } finally {
        // A connection that fails here has lost its lock with its session: it is not given back.
        await client.query('select pg_advisory_unlock($1, hashtext($2))', key).catch((error: Error) => {
          broken = error;
        });
      }
    } finally {
      client.release(broken);
    }
  };
  return { middleware, close: () => locks.end() };
}

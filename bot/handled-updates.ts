// Each Telegram update is handled once. Telegram delivers an update again when it did not learn that it was
// taken: a webhook post answered late or not at all, polling that resumes after a crash before the offset
// was confirmed. The ids of handled updates are kept (handled_updates) and an update seen already is
// dropped. The id is recorded after the update is handled, and by the guided intake in the very transaction
// that writes its draft (bot/intake/drafts.ts): a crash between an effect and its record is then impossible
// for the intake, whose effects are not idempotent of themselves (a description part added twice); the
// other handlers' writes are (replies by their message's reference, tickets by their intake key).
import { eq, lt, sql } from 'drizzle-orm';
import type { Context, MiddlewareFn } from 'grammy';
import { execute, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { isPostgresStore } from '../db/pg/store.ts';
import { preparedFor } from '../db/prepared.ts';
import { handledUpdates as handledUpdatesTable } from '../db/schema.ts';

/** Kept for two days: Telegram redelivers within one, and picks ids afresh only after a week of silence. */
export const HANDLED_UPDATES_KEPT_MS = 2 * 24 * 60 * 60_000;

export interface HandledUpdates {
  seen(updateId: number): Promise<boolean>;
  record(updateId: number, at: number): Promise<void>;
  /** Forgets the updates handled before `before`. */
  prune(before: number): Promise<number>;
  /** The update id after the highest handled (for a local Bot API that starts its ids afresh). */
  next(): Promise<number>;
}

const byConnection = new WeakMap<Db, HandledUpdates>();

export function handledUpdates(db: Db): HandledUpdates {
  const known = byConnection.get(db);
  if (known) return known;
  if (isPostgresStore(db)) {
    const updates = postgresUpdates(db);
    byConnection.set(db, updates);
    return updates;
  }
  const sqlite = db.$client;
  const seen = sqlite.prepare<[number], number>('select 1 from handled_updates where update_id = ?').pluck();
  const record = sqlite.prepare<[number, number]>(
    'insert into handled_updates (update_id, handled_at) values (?, ?) on conflict (update_id) do nothing',
  );
  const prune = sqlite.prepare<[number]>('delete from handled_updates where handled_at < ?');
  const top = sqlite.prepare<[], number | null>('select max(update_id) from handled_updates').pluck();
  const updates: HandledUpdates = {
    seen: async (updateId) => (await queryOne(seen, updateId)) !== undefined,
    record: async (updateId, at) => {
      await execute(record, updateId, at);
    },
    prune: async (before) => (await execute(prune, before)).changes,
    next: async () => ((await queryOne(top)) ?? 0) + 1,
  };
  byConnection.set(db, updates);
  return updates;
}

const p = sql.placeholder;

/** PostgreSQL: the same queries, prepared per connection or transaction (db/prepared.ts). */
function preparePostgres(db: Db) {
  const t = handledUpdatesTable;
  return {
    seen: db
      .select({ one: sql<number>`1` })
      .from(t)
      .where(eq(t.updateId, p('updateId')))
      .prepare(),
    // Several instances may handle the same update: the second record is no error.
    record: db
      .insert(t)
      .values({ updateId: p('updateId'), handledAt: p('at') })
      .onConflictDoNothing({ target: t.updateId })
      .prepare(),
    prune: db
      .delete(t)
      .where(lt(t.handledAt, p('before')))
      .prepare(),
    top: db
      .select({ top: sql<number | null>`max(${t.updateId})` })
      .from(t)
      .prepare(),
  };
}

const postgresStatements = new WeakMap<object, ReturnType<typeof preparePostgres>>();

function postgresUpdates(db: Db): HandledUpdates {
  const q = preparedFor(postgresStatements, db, preparePostgres);
  return {
    seen: async (updateId) => (await queryOne(q.seen, { updateId })) !== undefined,
    record: async (updateId, at) => {
      await execute(q.record, { updateId, at });
    },
    prune: async (before) => (await execute(q.prune, { before })).changes,
    next: async () => ((await queryOne(q.top))?.top ?? 0) + 1,
  };
}

/** Drops an update handled already; records one handled now (a handler that threw leaves it to come again). */
export function handledOnce<C extends Context>(db: Db, now: () => number): MiddlewareFn<C> {
  const updates = handledUpdates(db);
  return async (ctx, next) => {
    const updateId = ctx.update.update_id;
    if (await updates.seen(updateId)) return;
    await next();
    // The intake records its updates itself, with their draft: a read here spares a second write.
    if (!(await updates.seen(updateId))) await updates.record(updateId, now());
  };
}

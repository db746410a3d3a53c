// Delivery bookkeeping of the outbox, for the notifier. A notice is claimed ('sending') in a committed
// transaction before it is sent and marked 'sent' right after; one left 'sending' by a crash may or may
// not have reached the person, so it becomes a dead letter for a human to look at instead of being sent
// again: every notice goes out at most once. Order per recipient is kept: a notice is never claimed while
// an earlier one to the same person is still undelivered.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import { execute, queryAll, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { type HeldLock, tryHoldOnce } from '../db/pg/leases.ts';
import {
  claimDueNotices,
  claimerLease,
  nextDueAt as nextDueOnPostgres,
  reconcileInterrupted as reconcileStaleClaims,
  takeBackFromDeadClaimers,
} from '../db/pg/outbox-claim.ts';
import { isPostgresStore, type PgStoreDb } from '../db/pg/store.ts';
import { OUTBOX_UNDELIVERED, type OutboxRow, outbox, people } from '../db/schema.ts';
import type { DeskContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { type Actor, staffRoles } from './permissions.ts';
import { inTransaction } from './transaction.ts';

/** The pool under a PostgreSQL store's routing handle (its `$client`), for the outbox's own statements. */
function poolOf(db: Db): pg.Pool {
  return (db as unknown as PgStoreDb).$client;
}

/** After this many failed attempts a notice is given up on (a dead letter). */
export const MAX_ATTEMPTS = 10;
const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 5 * 60_000;

/** Exponential backoff with jitter, capped: 0.5–1 s, 1–2 s, 2–4 s … up to 2.5–5 min. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Notices queued by this process (core bumps it whenever it writes one, committed or not): the bot wakes
 * its notifier when an update moved it, instead of asking the store after every update. Notices written by
 * another process are found by the notifier's idle look.
 */
let queuedHere = 0;

export function noticesQueued(): number {
  return queuedHere;
}

export function noteNoticeQueued(): void {
  queuedHere++;
}

const p = sql.placeholder;

/** The notifier asks these many times a second: built and compiled once per connection. */
function prepare(db: Db) {
  return {
    // Each recipient's oldest undelivered notice, found along the partial index recipient by recipient
    // (a skip scan), then kept if it is pending, of the channel and due: a backlog of thousands to a few
    // people costs a few index seeks, not a look at every waiting notice.
    dueIds: db.$client
      .prepare<{ channel: string; now: number; limit: number }, number>(
        `with recursive recipients(id) as (
           select (select min(recipient_id) from outbox indexed by outbox_undelivered where ${OUTBOX_UNDELIVERED})
           union all
           select (select min(recipient_id) from outbox indexed by outbox_undelivered
                   where ${OUTBOX_UNDELIVERED} and recipient_id > r.id)
           from recipients r where r.id is not null
         ),
         heads(id) as (
           select (select min(id) from outbox indexed by outbox_undelivered
                   where ${OUTBOX_UNDELIVERED} and recipient_id = r.id)
           from recipients r where r.id is not null
           union all
           select min(id) from outbox indexed by outbox_undelivered where ${OUTBOX_UNDELIVERED} and recipient_id is null
         )
         select o.id from heads h cross join outbox o on o.id = h.id
         where o.state = 'pending' and o.channel = @channel and o.next_attempt_at <= @now
         order by o.id limit @limit`,
      )
      .pluck(),
    claim: db
      .update(outbox)
      .set({ state: 'sending', attempts: sql`${outbox.attempts} + 1` })
      .where(sql`${outbox.id} in (select value from json_each(${p('ids')}))`)
      .returning()
      .prepare(),
    nextDue: db
      .select({ at: sql<number | null>`min(${outbox.nextAttemptAt})` })
      .from(outbox)
      .where(and(eq(outbox.state, 'pending'), eq(outbox.channel, p('channel'))))
      .prepare(),
  };
}

const prepared = new WeakMap<Db, ReturnType<typeof prepare>>();

function statementsOf(db: Db) {
  let s = prepared.get(db);
  if (!s) {
    s = prepare(db);
    prepared.set(db, s);
  }
  return s;
}

/**
 * Claims up to `limit` due notices of a channel, oldest first, at most the oldest undelivered one per
 * recipient (the staff group, recipient null, is one recipient).
 */
export async function claimDue(
  ctx: DeskContext,
  limit = 100,
  channel: OutboxRow['channel'] = 'telegram',
  /** On PostgreSQL, the claiming sender's name (StaleClaimsWatch.claimer), kept with its claims. */
  claimer: string | null = null,
): Promise<OutboxRow[]> {
  const now = ctx.clock.now();
  // PostgreSQL, several instances claiming at once: one statement that locks what it takes, skipping what
  // another has locked (db/pg/outbox-claim.ts); the same rule.
  if (isPostgresStore(ctx.db)) {
    const rows = await claimDueNotices(poolOf(ctx.db), now, limit, channel, claimer);
    const held = inHand(ctx.db);
    for (const row of rows) held.add(row.id);
    return rows;
  }
  const { dueIds, claim } = statementsOf(ctx.db);
  return await inTransaction(ctx.db, async () => {
    const ids = await queryAll(dueIds, { channel, now, limit });
    if (ids.length === 0) return [];
    return (await queryAll(claim, { ids: JSON.stringify(ids) })).sort((a, b) => a.id - b.id);
  });
}

/** When the next pending notice of a channel falls due (null when none waits). */
export async function nextDueAt(
  ctx: DeskContext,
  channel: OutboxRow['channel'] = 'telegram',
): Promise<number | null> {
  if (isPostgresStore(ctx.db)) return await nextDueOnPostgres(poolOf(ctx.db), channel);
  return (await queryOne(statementsOf(ctx.db).nextDue, { channel }))?.at ?? null;
}

export async function markSent(ctx: DeskContext, id: number): Promise<void> {
  inHand(ctx.db).delete(id);
  await execute(
    ctx.db
      .update(outbox)
      .set({ state: 'sent', sentAt: ctx.clock.now(), lastError: null })
      .where(and(eq(outbox.id, id), eq(outbox.state, 'sending'))),
  );
}

/** A failure that may pass (rate limit, server error, network): try again later, or give up for good. */
export async function scheduleRetry(
  ctx: DeskContext,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  error: string,
  delayMs: number,
) {
  const dead = row.attempts >= MAX_ATTEMPTS;
  inHand(ctx.db).delete(row.id);
  await execute(
    ctx.db
      .update(outbox)
      .set({
        state: dead ? 'dead' : 'pending',
        nextAttemptAt: ctx.clock.now() + delayMs,
        lastError: error.slice(0, 1000),
      })
      .where(eq(outbox.id, row.id)),
  );
}

/** Puts a claimed notice back untouched, to go at `at` (it was held back by a rate limit, not tried). */
export async function release(ctx: DeskContext, id: number, at: number): Promise<void> {
  inHand(ctx.db).delete(id);
  await execute(
    ctx.db
      .update(outbox)
      .set({ state: 'pending', attempts: sql`${outbox.attempts} - 1`, nextAttemptAt: at })
      .where(and(eq(outbox.id, id), eq(outbox.state, 'sending'))),
  );
}

export async function markDead(ctx: DeskContext, id: number, reason: string): Promise<void> {
  inHand(ctx.db).delete(id);
  await execute(
    ctx.db
      .update(outbox)
      .set({ state: 'dead', lastError: reason.slice(0, 1000) })
      .where(eq(outbox.id, id)),
  );
}

/** The person blocked the bot: stop writing to them on Telegram; what was waiting becomes a dead letter. */
export async function markUnreachable(ctx: DeskContext, personId: number, reason: string): Promise<void> {
  await inTransaction(ctx.db, async () => {
    await execute(
      ctx.db.update(people).set({ unreachableAt: ctx.clock.now() }).where(eq(people.id, personId)),
    );
    await execute(
      ctx.db
        .update(outbox)
        .set({ state: 'dead', lastError: reason.slice(0, 1000) })
        .where(
          and(
            eq(outbox.recipientId, personId),
            eq(outbox.channel, 'telegram'),
            inArray(outbox.state, ['pending', 'sending']),
          ),
        ),
    );
  });
}

/** On PostgreSQL, how often a sender renews its claims and looks for a dead instance's (StaleClaimsWatch). */
export const STALE_CLAIMS_EVERY_MS = 10_000;

/** The notices this process claimed and has not finished, per store (kept on PostgreSQL only). */
const claimsInHand = new WeakMap<object, Set<number>>();

function inHand(db: Db): Set<number> {
  let held = claimsInHand.get(db);
  if (!held) {
    held = new Set();
    claimsInHand.set(db, held);
  }
  return held;
}

/**
 * On PostgreSQL, what a running sender does besides sending. It claims under a name of its own, whose lease it
 * holds for as long as it runs (a session lock PostgreSQL lets go when the process dies), so the claims of an
 * instance that died are known at once: every few seconds each sender turns them into dead letters and that
 * person's later notices go on. It also renews its own claims (their claim instant moves to now), so the
 * fallback rule — a claim older than the lease with no living claimer is taken back — never takes a slow send
 * of a living instance. On SQLite the one process's claims are all its own, taken back at its start.
 */
export class StaleClaimsWatch {
  #lookedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #name: HeldLock | undefined;
  /** The name this sender's claims carry while it runs (PostgreSQL); null before and after. */
  claimer: string | null = null;

  /** The sender took back what a crash left, at its start: from now on, claim by name and look every few seconds. */
  async started(ctx: DeskContext, onError: (error: unknown) => void): Promise<void> {
    this.#lookedAt = ctx.clock.now();
    if (!isPostgresStore(ctx.db) || this.#timer) return;
    const name = randomUUID();
    // A fresh name nobody else holds: null would mean the store is unreachable, and the claims go unnamed.
    this.#name = (await tryHoldOnce(poolOf(ctx.db), claimerLease(name))) ?? undefined;
    if (this.#name) this.claimer = name;
    // Apart from the sending loop, which may be waiting on a slow send meanwhile.
    this.#timer = setInterval(() => {
      this.look(ctx).catch(onError);
    }, STALE_CLAIMS_EVERY_MS);
    this.#timer.unref();
  }

  /** After the last send in hand finished: the name is let go (its claims are all finished). */
  async stopped(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const name = this.#name;
    this.#name = undefined;
    this.claimer = null;
    await name?.release();
  }

  /** Renews this sender's claims and takes back those of dead claimers and stale ones, every few seconds. */
  async look(ctx: DeskContext): Promise<void> {
    if (!isPostgresStore(ctx.db)) return;
    const now = ctx.clock.now();
    if (now - this.#lookedAt < STALE_CLAIMS_EVERY_MS) return;
    this.#lookedAt = now;
    await renewClaims(ctx, now);
    await takeBackFromDeadClaimers(poolOf(ctx.db), this.claimer);
    await reconcileStaleClaims(poolOf(ctx.db), now);
  }
}

/** Moves the claim instant of this process's claims to now; forgets the ones no longer 'sending'. */
async function renewClaims(ctx: DeskContext, now: number): Promise<void> {
  const held = inHand(ctx.db);
  if (held.size === 0) return;
  const asked = [...held];
  const { rows } = await poolOf(ctx.db).query<{ id: number }>(
    "update outbox set next_attempt_at = $2 where id = any($1::bigint[]) and state = 'sending' returning id",
    [asked, now],
  );
  const still = new Set(rows.map((row) => Number(row.id)));
  for (const id of asked) if (!still.has(id)) held.delete(id);
}

/** On start: notices a crash left mid-send cannot be known to be undelivered, so they are not resent. */
export async function reconcileInterrupted(ctx: DeskContext): Promise<number> {
  // PostgreSQL: other instances may be sending now; only the claims of a dead claimer (its name's lease free)
  // and claims older than the lease are theirs no longer.
  if (isPostgresStore(ctx.db)) {
    const pool = poolOf(ctx.db);
    return (await takeBackFromDeadClaimers(pool, null)) + (await reconcileStaleClaims(pool, ctx.clock.now()));
  }
  return (
    await execute(
      ctx.db
        .update(outbox)
        .set({ state: 'dead', lastError: 'interrupted while sending: it may or may not have been delivered' })
        .where(eq(outbox.state, 'sending')),
    )
  ).changes;
}

function assertCanManageOutbox(actor: Actor): void {
  if (actor.kind === 'system') return;
  const roles = staffRoles(actor);
  if (!roles.includes('supervisor') && !roles.includes('admin')) {
    throw new ForbiddenError('only supervisors and admins see undelivered notices');
  }
}

export async function deadLetters(ctx: DeskContext, actor: Actor, limit = 100): Promise<OutboxRow[]> {
  assertCanManageOutbox(actor);
  return await queryAll(
    ctx.db.select().from(outbox).where(eq(outbox.state, 'dead')).orderBy(asc(outbox.id)).limit(limit),
  );
}

/** A supervisor decided a dead letter should go out after all. */
export async function requeueDeadLetter(ctx: DeskContext, actor: Actor, id: number): Promise<void> {
  assertCanManageOutbox(actor);
  const changed = (
    await execute(
      ctx.db
        .update(outbox)
        .set({ state: 'pending', attempts: 0, nextAttemptAt: ctx.clock.now(), lastError: null })
        .where(and(eq(outbox.id, id), eq(outbox.state, 'dead'))),
    )
  ).changes;
  if (changed === 0) throw new NotFoundError('dead letter', id);
}

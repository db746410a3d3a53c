// The outbox's delivery bookkeeping on PostgreSQL, for several instances sending at once: core/outbox.ts's
// rules (a notice is claimed, 'sending', before it is sent and goes out at most once; a recipient's notices go
// in order, none claimed while an older one to the same recipient is undelivered) kept when two notifiers
// claim at the same moment. A claim is one statement that locks what it takes with FOR UPDATE SKIP LOCKED, so
// concurrent claimers split the due notices between them instead of taking the same one twice.
//
// The outbox has no column for when a notice was claimed, and no migration is added for one: while a notice
// is 'sending', next_attempt_at holds the instant it was claimed (its due time is spent by then, and every
// way out of 'sending' sets it anew). That instant is the claim's lease: reconcileInterrupted takes back only
// claims older than the lease, so the notices a living instance is sending are left alone, and together with
// the attempt count it identifies the claim, so a holder whose claim was taken back changes nothing.
import type pg from 'pg';
import { MAX_ATTEMPTS } from '../../core/outbox.ts';
import type { OutboxChannel } from '../sqlite/schema.ts';
import { tryHoldOnce } from './leases.ts';
import type { outbox } from './schema.ts';

export type PgOutboxRow = typeof outbox.$inferSelect;

/** What identifies a claim: the row as claimDueNotices returned it (next_attempt_at is the claim instant). */
export type NoticeClaim = Pick<PgOutboxRow, 'id' | 'attempts' | 'nextAttemptAt'>;

/**
 * How long a claim is trusted to be in the hands of a living instance without being renewed. A running sender
 * renews the claims it holds every 10 s (core/outbox.ts, StaleClaimsWatch), so only the claims of an instance
 * that died grow this old; they then hold their recipients' later notices back until the next look.
 */
export const DEFAULT_CLAIM_LEASE_MS = 30_000;

const INTERRUPTED = 'interrupted while sending: it may or may not have been delivered';

type Queryable = pg.Pool | pg.PoolClient | pg.Client;

interface RawOutboxRow {
  id: number;
  created_at: string;
  ticket_id: number | null;
  event_id: number | null;
  recipient_id: number | null;
  channel: OutboxChannel;
  kind: string;
  payload: Record<string, unknown>;
  idempotency_key: string;
  state: PgOutboxRow['state'];
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  sent_at: string | null;
  claimed_by: string | null;
}

// pg hands bigint columns over as strings; instants stay below 2^53 (see db/pg/schema.ts).
function toRow(r: RawOutboxRow): PgOutboxRow {
  return {
    id: r.id,
    createdAt: Number(r.created_at),
    ticketId: r.ticket_id,
    eventId: r.event_id,
    recipientId: r.recipient_id,
    channel: r.channel,
    kind: r.kind,
    payload: r.payload,
    idempotencyKey: r.idempotency_key,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error,
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
    claimedBy: r.claimed_by,
  };
}

// Each recipient's oldest undelivered notice, found along the partial index outbox_undelivered (recipient_id,
// id) recipient by recipient (a skip scan, as core/outbox.ts does on SQLite): a backlog of thousands to a few
// people costs a few index seeks. The staff group (recipient null) is one recipient. The order rule is per
// recipient across channels, as in core: a person's pending e-mail holds back their later Telegram notice.
//
// Of those heads, the pending, due ones of the channel are locked, oldest first, skipping any another claimer
// has locked. Why no claimer can take a recipient's second notice while the first is undelivered: a notice is
// a head in a claimer's snapshot only if every older one of its recipient was already sent or dead then, and
// those states do not go back to undelivered on their own (only a supervisor's requeue does, as on SQLite). A
// head another claimer took meanwhile is either still locked (skipped) or committed as 'sending', and
// PostgreSQL checks the locked row's newest version against state = 'pending' again (read committed), so it
// drops out. The claim writes the claim instant into next_attempt_at (see the header).
const CLAIM = `
  with recursive recipients(id) as (
    select min(recipient_id) from outbox where state in ('pending', 'sending')
    union all
    select (select min(o.recipient_id) from outbox o
            where o.state in ('pending', 'sending') and o.recipient_id > r.id)
    from recipients r where r.id is not null
  ),
  heads(id) as (
    select (select min(o.id) from outbox o where o.state in ('pending', 'sending') and o.recipient_id = r.id)
    from recipients r where r.id is not null
    union all
    select min(id) from outbox where state in ('pending', 'sending') and recipient_id is null
  ),
  claimable as (
    select o.id from heads h join outbox o on o.id = h.id
    where o.state = 'pending' and o.channel = $1 and o.next_attempt_at <= $2
    order by o.id
    limit $3
    for update of o skip locked
  )
  -- RETURNING keeps no order of its own: the claimed rows are handed back oldest first.
  , claimed as (
    update outbox set state = 'sending', attempts = outbox.attempts + 1, next_attempt_at = $2, claimed_by = $4
    from claimable c where outbox.id = c.id
    returning outbox.*
  )
  select * from claimed order by id`;

/**
 * Claims up to `limit` due notices of a channel, oldest first, at most the oldest undelivered one per
 * recipient, and marks them 'sending'. Safe to call from several instances at once: each notice goes to one.
 */
export async function claimDueNotices(
  client: Queryable,
  now: number,
  limit: number,
  channel: OutboxChannel = 'telegram',
  claimer: string | null = null,
): Promise<PgOutboxRow[]> {
  if (limit <= 0) return [];
  const { rows } = await client.query<RawOutboxRow>(CLAIM, [channel, now, limit, claimer]);
  return rows.map(toRow).sort((a, b) => a.id - b.id);
}

/** When the next pending notice of a channel falls due (null when none waits). */
export async function nextDueAt(
  client: Queryable,
  channel: OutboxChannel = 'telegram',
): Promise<number | null> {
  const { rows } = await client.query<{ at: string | null }>(
    "select min(next_attempt_at) as at from outbox where state = 'pending' and channel = $1",
    [channel],
  );
  const at = rows[0]?.at ?? null;
  return at === null ? null : Number(at);
}

// The claim a transition acts on, by its id, attempt count and claim instant: after a claim was taken back
// (and maybe requeued and claimed again by another instance) the old holder's transition matches nothing.
const THIS_CLAIM = 'id = $1 and attempts = $2 and next_attempt_at = $3';
const claimParams = (claim: NoticeClaim) => [claim.id, claim.attempts, claim.nextAttemptAt];

/**
 * The notice went out. Also over a dead letter that reconcileInterrupted made of this very claim (its holder
 * was slower than the lease, not dead): it was delivered, and saying so keeps a supervisor from resending it.
 * False when the claim is no longer this holder's.
 */
export async function markSent(client: Queryable, claim: NoticeClaim, now: number): Promise<boolean> {
  const { rowCount } = await client.query(
    `update outbox set state = 'sent', sent_at = $4, last_error = null
     where ${THIS_CLAIM} and state in ('sending', 'dead')`,
    [...claimParams(claim), now],
  );
  return rowCount === 1;
}

/**
 * A failure that may pass (rate limit, server error, network): pending again at now + delayMs, or a dead
 * letter once the attempts are spent (core's MAX_ATTEMPTS). False when the claim is no longer this holder's.
 */
export async function scheduleRetry(
  client: Queryable,
  claim: NoticeClaim,
  error: string,
  delayMs: number,
  now: number,
): Promise<boolean> {
  const { rowCount } = await client.query(
    `update outbox set state = case when attempts >= $4 then 'dead' else 'pending' end,
       next_attempt_at = $5, last_error = $6
     where ${THIS_CLAIM} and state = 'sending'`,
    [...claimParams(claim), MAX_ATTEMPTS, now + delayMs, error.slice(0, 1000)],
  );
  return rowCount === 1;
}

/** Puts a claimed notice back untouched, to go at `at` (held back by a rate limit or a stop, not tried). */
export async function release(client: Queryable, claim: NoticeClaim, at: number): Promise<boolean> {
  const { rowCount } = await client.query(
    `update outbox set state = 'pending', attempts = attempts - 1, next_attempt_at = $4
     where ${THIS_CLAIM} and state = 'sending'`,
    [...claimParams(claim), at],
  );
  return rowCount === 1;
}

/** A failure that will not pass: a dead letter for a human to look at. */
export async function markDead(client: Queryable, claim: NoticeClaim, reason: string): Promise<boolean> {
  const { rowCount } = await client.query(
    `update outbox set state = 'dead', last_error = $4 where ${THIS_CLAIM} and state = 'sending'`,
    [...claimParams(claim), reason.slice(0, 1000)],
  );
  return rowCount === 1;
}

/**
 * The person blocked the bot: stop writing to them on Telegram; what was waiting becomes a dead letter. One
 * statement, so the person and their notices change together.
 */
export async function markUnreachable(
  client: Queryable,
  personId: number,
  reason: string,
  now: number,
): Promise<void> {
  await client.query(
    `with person as (update people set unreachable_at = $2 where id = $1)
     update outbox set state = 'dead', last_error = $3
     where recipient_id = $1 and channel = 'telegram' and state in ('pending', 'sending')`,
    [personId, now, reason.slice(0, 1000)],
  );
}

/**
 * Notices an instance claimed and never finished, its claim older than the lease: that instance died (or
 * hangs) mid-send. As on SQLite they may or may not have reached the person, so they become dead letters
 * rather than being sent again, and their recipients' later notices go on. Claims younger than the lease
 * are left alone: with several instances alive they are some living instance's work in hand. Any instance
 * may call this, at start and now and then; it returns how many it took back.
 */
export async function reconcileInterrupted(
  client: Queryable,
  now: number,
  leaseMs: number = DEFAULT_CLAIM_LEASE_MS,
): Promise<number> {
  const { rowCount } = await client.query(
    `update outbox set state = 'dead', last_error = $2
     where state = 'sending' and next_attempt_at < $1`,
    [now - leaseMs, INTERRUPTED],
  );
  return rowCount ?? 0;
}

/** The lease an instance holds for its life under its claimer name (see takeBackFromDeadClaimers). */
export const claimerLease = (claimer: string) => `tgdesk:outbox claimer ${claimer}`;

/**
 * The notices claimed by an instance that is gone: every claimer holds the lease of its name for as long as it
 * lives (a session-level advisory lock, let go by PostgreSQL when its process dies), so a claimer whose lease
 * can be taken now is dead, and its claims become dead letters at once rather than when their lease runs out.
 * `own`, this instance's name, is not asked. Returns how many it took back.
 */
export async function takeBackFromDeadClaimers(pool: pg.Pool, own: string | null): Promise<number> {
  const { rows } = await pool.query<{ claimer: string }>(
    `select distinct claimed_by as claimer from outbox
     where state = 'sending' and claimed_by is not null and claimed_by is distinct from $1`,
    [own],
  );
  let taken = 0;
  for (const { claimer } of rows) {
    const gone = await tryHoldOnce(pool, claimerLease(claimer));
    if (!gone) continue;
    try {
      const { rowCount } = await pool.query(
        `update outbox set state = 'dead', last_error = $2 where state = 'sending' and claimed_by = $1`,
        [claimer, INTERRUPTED],
      );
      taken += rowCount ?? 0;
    } finally {
      await gone.release();
    }
  }
  return taken;
}

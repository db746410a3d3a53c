// Telegram's sending limits shared by every instance on one PostgreSQL store (issue 15). Each instance kept them
// in memory (bot/rate-limiter.ts), so N instances would have sent N × 30 messages a second. Here the budget is a
// table, telegram_budget: one row per scope — 'global', 'chat:<id>', and 'group:<id>' for group chats — holding
// `next_at`, the earliest instant the next message in that scope may go, and `hold_ends_at`, until when
// Telegram's 429 asked us to hold back (its retry_after, for every instance).
//
// A send reserves its slot in all its scopes at once, in one statement (one round trip): the scopes' rows are
// locked in a fixed order (so two instances never deadlock), the slot is the latest of now, every scope's
// next_at and every hold, and each scope's next_at moves to slot + its step — when the global pace is what the
// slot waits for; when a chat, a group or a hold is, nothing is taken and the caller asks again at that time. Steps space the slots evenly: a
// 30-a-second global limit is a slot every 34–35 ms, so no second of slot times ever holds more than 30, with a
// little slack for a send that goes a few milliseconds after its slot. A slot further away than the caller will
// wait is not taken (nothing changes): the caller puts its notice back for that time, and the budget is not
// spent on slots nobody uses.
//
// Rows are made on a scope's first use (a statement that finds one missing reserves nothing and says so; the
// caller inserts the rows and asks again). Instants are the caller's clock when given, else the database's,
// so instances whose clocks drift apart still share one time line.
import type pg from 'pg';

type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/** A scope of the budget and how far apart (ms) its slots are. */
export interface BudgetScope {
  scope: string;
  stepMs: number;
}

export interface Reservation {
  /**
   * The slot was taken: send when `waitMs` has passed. Else nothing was taken: ask again in `waitMs` (a chat,
   * a group or a hold is what it waits for, or the slot is further than the caller waits).
   */
  reserved: boolean;
  /** From now until the slot (0 when it is now). */
  waitMs: number;
  /** The slot, on the clock of the reservation (the caller's, else the database's). */
  at: number;
}

// The first scope paces (the global one): its slots follow each other `step` apart from its next_at. The
// others (a chat, a group) and every hold only bound the slot from below. Nothing is taken while one of them is
// what the slot waits for: the caller waits until then and asks again, so a chat's or a group's far slot never
// drags the global one (and everyone's messages) along with it.
//
// The clock: the caller's instant ($3) or the database's, read after the rows are locked (the select list of
// the aggregate is evaluated once every row was read), so a wait for another instance's lock does not leave
// "now" in the past.
const RESERVE = `
with want as (
  select w.scope, w.step from unnest($1::text[], $2::bigint[]) as w(scope, step)
),
cur as (
  select b.scope, b.next_at, b.hold_ends_at from telegram_budget b
  where b.scope = any($1::text[])
  order by b.scope
  for update
),
seen as (
  select coalesce($3::bigint, floor(extract(epoch from clock_timestamp()) * 1000)::bigint) as now,
         coalesce(max(next_at) filter (where scope = $5::text), 0) as paced,
         greatest(coalesce(max(next_at) filter (where scope <> $5::text), 0), coalesce(max(hold_ends_at), 0)) as bound,
         count(*) as known
  from cur
),
slot as (
  select greatest(now, paced, bound) as at, bound <= greatest(now, paced) as free, now, known from seen
),
put as (
  update telegram_budget b set next_at = s.at + w.step
  from slot s, want w
  where b.scope = w.scope and s.known = cardinality($1::text[]) and s.free and s.at <= s.now + $4::bigint
  returning b.scope
)
select s.at::bigint as at, s.now::bigint as now, s.known::int as known, (select count(*) from put)::int as put
from slot s`;

const MAKE = `insert into telegram_budget (scope) select unnest($1::text[]) on conflict (scope) do nothing`;

const HOLD = `
insert into telegram_budget (scope, hold_ends_at)
values ($1, coalesce($2::bigint, floor(extract(epoch from clock_timestamp()) * 1000)::bigint) + $3::bigint)
on conflict (scope) do update set hold_ends_at = greatest(telegram_budget.hold_ends_at, excluded.hold_ends_at)`;

/**
 * Reserves the next common slot of `scopes` (the first one paces, see RESERVE) if it comes within `maxWaitMs`;
 * one statement (two more the first time a scope is used). `now` is the caller's clock; without it, the
 * database's.
 */
export async function reserveSlot(
  db: Queryable,
  scopes: readonly BudgetScope[],
  maxWaitMs: number,
  now?: number,
): Promise<Reservation> {
  const names = scopes.map((s) => s.scope);
  const steps = scopes.map((s) => Math.max(0, Math.ceil(s.stepMs)));
  const max = Number.isFinite(maxWaitMs) ? Math.max(0, Math.floor(maxWaitMs)) : Number.MAX_SAFE_INTEGER;
  for (let attempt = 0; ; attempt++) {
    const result = await db.query<{ at: string | number; now: string | number; known: number; put: number }>(
      RESERVE,
      [names, steps, now ?? null, max, names[0] ?? 'global'],
    );
    const row = result.rows[0];
    if (!row) throw new Error('telegram_budget: the reservation returned no row');
    const at = Number(row.at);
    if (row.known === names.length || attempt > 0) {
      if (row.known !== names.length) throw new Error('telegram_budget: scopes missing after they were made');
      return { reserved: row.put > 0, waitMs: Math.max(0, at - Number(row.now)), at };
    }
    await db.query(MAKE, [names]);
  }
}

/** Telegram said "retry after": nothing in `scope` goes for `ms` from now (the caller's clock, else the database's). */
export async function holdScope(db: Queryable, scope: string, ms: number, now?: number): Promise<void> {
  await db.query(HOLD, [scope, now ?? null, Math.max(0, Math.ceil(ms))]);
}

/**
 * Forgets the chats and groups whose slots and holds all ended before `before`: a missing row reserves as a
 * fresh one would, so nothing changes but the table's size. The global row stays. Returns how many went.
 */
export async function pruneBudget(db: Queryable, before: number): Promise<number> {
  const result = await db.query(
    "delete from telegram_budget where scope <> 'global' and next_at < $1 and hold_ends_at < $1",
    [before],
  );
  return result.rowCount ?? 0;
}

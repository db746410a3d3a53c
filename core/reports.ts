// Period reports for a company or for all companies: what came in, how fast it was answered and solved
// against the SLA, who did it, and how clients rated it. Tickets count in the period they were created.
//
// Over a large store the report does not read its tickets one by one. The counts of the period's whole UTC
// days come from report_days, the per-day summary that triggers keep with every change of a ticket (db/schema.ts);
// the tickets of the partial days at the period's edges are read and counted here the same way. What depends
// on the moment of asking (an unanswered ticket counts as decided once it is overdue) is counted over the
// still-open tickets only, and the minutes behind the percentiles come from partial indexes holding just
// them, sorted as Float64Arrays. Every figure, and the order of every key and list, is what counting the
// tickets one by one gives: tests/report-summary.test.ts compares the two on random stores.
//
// On SQLite the five queries are raw statements prepared once per connection, read as arrays; on PostgreSQL
// (db/pg/store.ts) the same SQL runs through the routing handle, over the same summary (kept there by the
// plpgsql trigger of db/pg-migrations/0001) and the same partial indexes, and comes back in the same shape.
import type Database from 'better-sqlite3';
import { inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryAll } from '../db/access.ts';
import { isPostgresStore } from '../db/pg/store.ts';
import { categories, people, REPORT_FR_TIMED, REPORT_PENDING, REPORT_RES_TIMED } from '../db/schema.ts';
import type { DeskContext } from './context.ts';
import type { Channel, Instant, Priority, Status } from './model.ts';
import { type Actor, assertCanReport } from './permissions.ts';
import { instantSchema, parseInput } from './validation.ts';

export const reportQuerySchema = z
  .object({
    companyId: z.number().int().positive().nullable().default(null),
    from: instantSchema,
    to: instantSchema,
  })
  .refine((q) => q.to > q.from, { message: 'the period must end after it starts', path: ['to'] })
  .refine((q) => q.to - q.from <= 5 * 366 * 86_400_000, { message: 'the period is longer than five years' });
export type ReportQuery = z.input<typeof reportQuerySchema>;

export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface Compliance {
  /** Tickets whose outcome is known: answered/solved, or overdue without it. */
  decided: number;
  met: number;
  /** met / decided × 100, or null when nothing is decided yet. */
  percent: number | null;
}

export interface AssigneeFigures {
  assigneeId: number;
  name: string;
  tickets: number;
  resolved: number;
  resolution: Compliance;
  resolutionMinutes: Distribution;
  averageRating: number | null;
}

export interface Report {
  companyId: number | null;
  from: Instant;
  to: Instant;
  asOf: Instant;
  total: number;
  byStatus: Partial<Record<Status, number>>;
  byPriority: Partial<Record<Priority, number>>;
  byChannel: Partial<Record<Channel, number>>;
  byCategory: { categoryId: number | null; nameRu: string | null; nameEn: string | null; count: number }[];
  firstResponse: Compliance & { minutes: Distribution };
  resolution: Compliance & { minutes: Distribution };
  rating: { count: number; average: number | null };
  assignees: AssigneeFigures[];
}

/** Linear interpolation between closest ranks (as spreadsheets' PERCENTILE.INC); `sorted` ascending. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}

/** `values` sorted in place (a typed array sorts by number without a comparator). */
function distribution(values: Float64Array): Distribution {
  values.sort();
  return { count: values.length, median: percentile(values, 0.5), p90: percentile(values, 0.9) };
}

function compliance(met: number, decided: number): Compliance {
  return { decided, met, percent: decided === 0 ? null : (met / decided) * 100 };
}

const DAY = 86_400_000;
/** What report_days calls its dimensions. */
const KINDS = ['s', 'p', 'c', 'k', 'a'] as const;
type Kind = (typeof KINDS)[number];

/** One value of one dimension over the period: the summary's columns, and where it was first seen. */
interface Facet {
  tickets: number;
  ratingSum: number;
  ratingCount: number;
  frAnswered: number;
  frMet: number;
  resolved: number;
  resMet: number;
  resTimed: number;
  /** UTC day of its first ticket in the period. */
  firstDay: number;
  /** Its first ticket's created_at and id, once known (values first seen on the same day need them). */
  firstAt?: number;
  firstId?: number;
}

const emptyFacet = (firstDay: number): Facet => ({
  tickets: 0,
  ratingSum: 0,
  ratingCount: 0,
  frAnswered: 0,
  frMet: 0,
  resolved: 0,
  resMet: 0,
  resTimed: 0,
  firstDay,
});

/** report_days summed over days, by dimension and value, in this column order. */
type SummaryRow = [
  kind: Kind,
  value: string,
  tickets: number,
  ratingSum: number,
  ratingCount: number,
  frAnswered: number,
  frMet: number,
  resolved: number,
  resMet: number,
  resTimed: number,
  firstDay: number | null,
];

/** One ticket as the edges of a period are counted; flags are SQLite's 0/1. */
type TicketRow = [
  createdAt: Instant,
  id: number,
  status: Status,
  priority: Priority,
  channel: Channel,
  categoryId: number | null,
  assigneeId: number | null,
  rating: number | null,
  firstResponseMet: 0 | 1 | null,
  resolutionMet: 0 | 1 | null,
  resolutionMinutes: number | null,
];

const SUMMARY_COLUMNS = `select kind, value, sum(tickets), sum(rating_sum), sum(rating_count), sum(fr_answered),
  sum(fr_met), sum(resolved), sum(res_met), sum(res_timed), min(case when tickets > 0 then day end)
  from report_days`;
const TICKET_COLUMNS = `select created_at, id, status, priority, channel, category_id, assignee_id, rating,
  first_response_met, resolution_met, resolution_minutes from tickets`;
const PENDING_COLUMNS = `select assignee_id,
  count(*) filter (where first_response_met is null and first_response_due_at <= ?),
  count(*) filter (where resolution_met is null and sla_paused_at is null and resolution_due_at <= ?)
  from tickets`;

/** The report's statements, prepared once per connection; `all` for every company, `one` for one. */
function prepare(sqlite: Database.Database) {
  const both = (all: string, one: string) => ({
    all: sqlite.prepare(all),
    one: sqlite.prepare(one),
  });
  return {
    summary: both(
      `${SUMMARY_COLUMNS} where company_id in (select 0 union all select id from companies)
       and day >= ? and day < ? group by kind, value`,
      `${SUMMARY_COLUMNS} where company_id = ? and day >= ? and day < ? group by kind, value`,
    ),
    tickets: both(
      `${TICKET_COLUMNS} where created_at >= ? and created_at < ? order by created_at, id`,
      `${TICKET_COLUMNS} where company_id = ? and created_at >= ? and created_at < ? order by created_at, id`,
    ),
    pending: both(
      `${PENDING_COLUMNS} indexed by tickets_report_pending
       where ${REPORT_PENDING} and created_at >= ? and created_at < ? group by assignee_id`,
      `${PENDING_COLUMNS} indexed by tickets_report_pending_company
       where ${REPORT_PENDING} and company_id = ? and created_at >= ? and created_at < ? group by assignee_id`,
    ),
    frMinutes: both(
      `select first_response_minutes from tickets indexed by tickets_report_fr
       where ${REPORT_FR_TIMED} and created_at >= ? and created_at < ?`,
      `select first_response_minutes from tickets indexed by tickets_report_fr_company
       where ${REPORT_FR_TIMED} and company_id = ? and created_at >= ? and created_at < ?`,
    ),
    resMinutes: both(
      `select resolution_minutes from tickets indexed by tickets_report_res
       where ${REPORT_RES_TIMED} and assignee_id is ? and created_at >= ? and created_at < ?`,
      `select resolution_minutes from tickets indexed by tickets_report_res_company
       where ${REPORT_RES_TIMED} and company_id = ? and assignee_id is ? and created_at >= ? and created_at < ?`,
    ),
  };
}
type Statements = ReturnType<typeof prepare>;
const prepared = new WeakMap<Database.Database, Statements>();

function statementsOf(sqlite: Database.Database): Statements {
  let s = prepared.get(sqlite);
  if (!s) {
    s = prepare(sqlite);
    prepared.set(sqlite, s);
  }
  return s;
}

/** The report's five reads, for one company (`companyId`) or all of them (null), as rows in one shape. */
interface ReportSource {
  /** report_days summed over the days [from, to) by dimension and value. */
  summary(fromDay: number, toDay: number): Promise<SummaryRow[]>;
  /** The tickets created in [from, to), by created_at then id. */
  tickets(from: Instant, to: Instant): Promise<TicketRow[]>;
  /** Per assignee: still-open tickets created in [from, to) overdue at `asOf` for first response, resolution. */
  pending(asOf: Instant, from: Instant, to: Instant): Promise<[number | null, number, number][]>;
  /** First-response minutes of the answered tickets created in [from, to), in no order. */
  frMinutes(from: Instant, to: Instant): Promise<Float64Array>;
  /** Resolution minutes of one assignee's (null: nobody's) solved tickets created in [from, to), in no order. */
  resMinutes(assigneeId: number | null, from: Instant, to: Instant): Promise<Float64Array>;
}

function sqliteSource(sqlite: Database.Database, companyId: number | null): ReportSource {
  const s = statementsOf(sqlite);
  const one = companyId !== null;
  /** Parameters that pick the company (none for all of them), then the rest. */
  const params = (...rest: (number | null)[]) => (one ? [companyId, ...rest] : rest);
  const minutes = async (statement: Database.Statement, ...args: (number | null)[]) =>
    Float64Array.from((await queryAll(statement.pluck(), ...args)) as number[]);
  return {
    summary: async (fromDay, toDay) =>
      (await queryAll(
        (one ? s.summary.one : s.summary.all).raw(),
        ...params(fromDay, toDay),
      )) as SummaryRow[],
    tickets: async (from, to) =>
      (await queryAll((one ? s.tickets.one : s.tickets.all).raw(), ...params(from, to))) as TicketRow[],
    pending: async (asOf, from, to) =>
      (await queryAll((one ? s.pending.one : s.pending.all).raw(), asOf, asOf, ...params(from, to))) as [
        number | null,
        number,
        number,
      ][],
    frMinutes: (from, to) => minutes(one ? s.frMinutes.one : s.frMinutes.all, ...params(from, to)),
    resMinutes: (assigneeId, from, to) =>
      minutes(one ? s.resMinutes.one : s.resMinutes.all, ...params(assigneeId, from, to)),
  };
}

/**
 * The same reads on PostgreSQL, through the routing handle (on the pool, or the current transaction's client).
 * Columns are named (a row is an object there) and put back in SummaryRow's and TicketRow's order; the flags,
 * booleans there, come as SQLite's 0/1. Sums, counts and created_at are read as float8 (exact below 2^53):
 * drizzle runs raw SQL with its own type parsers, which hand int8 back as a string.
 */
function postgresSource(db: DeskContext['db'], companyId: number | null): ReportSource {
  const one = companyId !== null;
  // report_days keeps tickets of no company under 0, as SQLite's triggers do.
  const summaryOf: SQL = one
    ? sql`company_id = ${companyId}`
    : sql`company_id in (select 0 union all select id from companies)`;
  const ofCompany: SQL = one ? sql`company_id = ${companyId} and ` : sql``;
  const rows = async (query: SQL) => (await queryAll(db, query)) as unknown as Record<string, unknown>[];
  const minutes = async (query: SQL) => Float64Array.from((await rows(query)).map((r) => r.m as number));
  return {
    summary: async (fromDay, toDay) =>
      (
        await rows(sql`select kind, value, sum(tickets)::float8 as tickets,
          sum(rating_sum)::float8 as rating_sum, sum(rating_count)::float8 as rating_count,
          sum(fr_answered)::float8 as fr_answered, sum(fr_met)::float8 as fr_met,
          sum(resolved)::float8 as resolved, sum(res_met)::float8 as res_met, sum(res_timed)::float8 as res_timed,
          min(case when tickets > 0 then day end) as first_day
          from report_days where ${summaryOf} and day >= ${fromDay} and day < ${toDay}
          group by kind, value order by kind, value`)
      ).map(
        (r) =>
          [
            r.kind,
            r.value,
            r.tickets,
            r.rating_sum,
            r.rating_count,
            r.fr_answered,
            r.fr_met,
            r.resolved,
            r.res_met,
            r.res_timed,
            r.first_day,
          ] as SummaryRow,
      ),
    tickets: async (from, to) =>
      (
        await rows(sql`select created_at::float8 as created_at, id, status, priority, channel, category_id,
          assignee_id, rating, first_response_met::integer as fr_met, resolution_met::integer as res_met,
          resolution_minutes
          from tickets where ${ofCompany}created_at >= ${from} and created_at < ${to}
          order by created_at, id`)
      ).map(
        (r) =>
          [
            r.created_at,
            r.id,
            r.status,
            r.priority,
            r.channel,
            r.category_id,
            r.assignee_id,
            r.rating,
            r.fr_met,
            r.res_met,
            r.resolution_minutes,
          ] as TicketRow,
      ),
    pending: async (asOf, from, to) =>
      (
        await rows(sql`select assignee_id,
          count(*) filter (where first_response_met is null and first_response_due_at <= ${asOf})::float8 as fr,
          count(*) filter (where resolution_met is null and sla_paused_at is null
            and resolution_due_at <= ${asOf})::float8 as res
          from tickets where ${sql.raw(REPORT_PENDING)} and ${ofCompany}created_at >= ${from}
          and created_at < ${to} group by assignee_id`)
      ).map((r) => [r.assignee_id as number | null, r.fr as number, r.res as number]),
    frMinutes: (from, to) =>
      minutes(sql`select first_response_minutes as m from tickets
        where ${sql.raw(REPORT_FR_TIMED)} and ${ofCompany}created_at >= ${from} and created_at < ${to}`),
    // `= $1` for an assignee, `is null` for none, so the partial indexes on assignee_id serve both.
    resMinutes: (assigneeId, from, to) =>
      minutes(sql`select resolution_minutes as m from tickets
        where ${sql.raw(REPORT_RES_TIMED)} and ${ofCompany}${
          assigneeId === null ? sql`assignee_id is null` : sql`assignee_id = ${assigneeId}`
        } and created_at >= ${from} and created_at < ${to}`),
  };
}

/** A value of a dimension as report_days writes it: the status etc. itself, an id as text, '' for none. */
const key = (value: string | number | null) => (value === null ? '' : String(value));
const idOf = (value: string) => (value === '' ? null : Number(value));

export async function buildReport(ctx: DeskContext, actor: Actor, raw: ReportQuery): Promise<Report> {
  const q = parseInput(reportQuerySchema, raw);
  assertCanReport(actor, q.companyId);
  const asOf = ctx.clock.now();
  const source = isPostgresStore(ctx.db)
    ? postgresSource(ctx.db, q.companyId)
    : sqliteSource(ctx.db.$client, q.companyId);

  const facets: Record<Kind, Map<string, Facet>> = {
    s: new Map(),
    p: new Map(),
    c: new Map(),
    k: new Map(),
    a: new Map(),
  };
  const facetOf = (kind: Kind, value: string, day: number): Facet => {
    let f = facets[kind].get(value);
    if (!f) {
      f = emptyFacet(day);
      facets[kind].set(value, f);
    } else if (day < f.firstDay) {
      f.firstDay = day;
      f.firstAt = undefined;
      f.firstId = undefined;
    }
    return f;
  };

  // The whole UTC days inside the period from the summary; the rest of the period ticket by ticket.
  const firstWholeDay = Math.ceil(q.from / DAY);
  const endWholeDay = Math.floor(q.to / DAY);
  const ranges: [Instant, Instant][] = [];
  if (firstWholeDay < endWholeDay) {
    for (const row of await source.summary(firstWholeDay, endWholeDay)) {
      const [
        kind,
        value,
        tickets,
        ratingSum,
        ratingCount,
        frAnswered,
        frMet,
        resolved,
        resMet,
        resTimed,
        day,
      ] = row;
      if (day === null) continue; // every ticket of it has changed since
      const f = facetOf(kind, value, day);
      f.tickets += tickets;
      f.ratingSum += ratingSum;
      f.ratingCount += ratingCount;
      f.frAnswered += frAnswered;
      f.frMet += frMet;
      f.resolved += resolved;
      f.resMet += resMet;
      f.resTimed += resTimed;
    }
    if (q.from < firstWholeDay * DAY) ranges.push([q.from, firstWholeDay * DAY]);
    if (endWholeDay * DAY < q.to) ranges.push([endWholeDay * DAY, q.to]);
  } else {
    ranges.push([q.from, q.to]);
  }
  const ticketsIn = (from: Instant, to: Instant) => source.tickets(from, to);
  for (const [from, to] of ranges) {
    for (const row of await ticketsIn(from, to)) {
      const [
        createdAt,
        id,
        status,
        priority,
        channel,
        categoryId,
        assigneeId,
        rating,
        frMet,
        resMet,
        resMinutes,
      ] = row;
      const day = Math.floor(createdAt / DAY);
      const values: [Kind, string][] = [
        ['s', status],
        ['p', priority],
        ['c', channel],
        ['k', key(categoryId)],
        ['a', key(assigneeId)],
      ];
      for (const [kind, value] of values) {
        const f = facetOf(kind, value, day);
        f.tickets++;
        if (f.firstAt === undefined && f.firstDay === day) {
          f.firstAt = createdAt;
          f.firstId = id;
        }
      }
      const a = facetOf('a', key(assigneeId), day);
      if (rating !== null) {
        a.ratingSum += rating;
        a.ratingCount++;
      }
      if (status === 'cancelled') continue; // withdrawn requests make no SLA figures
      if (frMet !== null) {
        a.frAnswered++;
        if (frMet) a.frMet++;
      }
      if (resMet !== null) {
        a.resolved++;
        if (resMet) a.resMet++;
        if (resMinutes !== null) a.resTimed++;
      }
    }
  }

  // Values count in the order their first tickets came (as counting ticket by ticket meets them): when
  // two of a dimension were first seen on the same whole day, that day's tickets tell which came first.
  const tiedDays = new Set<number>();
  for (const kind of KINDS) {
    const seen = new Set<number>();
    for (const f of facets[kind].values()) {
      if (f.tickets === 0 || f.firstAt !== undefined) continue;
      if (seen.has(f.firstDay)) tiedDays.add(f.firstDay);
      seen.add(f.firstDay);
    }
  }
  for (const day of tiedDays) {
    const from = Math.max(q.from, day * DAY);
    const to = Math.min(q.to, (day + 1) * DAY);
    for (const [createdAt, id, status, priority, channel, categoryId, assigneeId] of await ticketsIn(
      from,
      to,
    )) {
      const values: [Kind, string][] = [
        ['s', status],
        ['p', priority],
        ['c', channel],
        ['k', key(categoryId)],
        ['a', key(assigneeId)],
      ];
      for (const [kind, value] of values) {
        const f = facets[kind].get(value);
        if (f && f.firstDay === day && f.firstAt === undefined) {
          f.firstAt = createdAt;
          f.firstId = id;
        }
      }
    }
  }
  const inOrder = (kind: Kind): [string, Facet][] =>
    [...facets[kind]]
      .filter(([, f]) => f.tickets > 0)
      .sort(
        ([, a], [, b]) =>
          a.firstDay - b.firstDay ||
          (a.firstAt ?? 0) - (b.firstAt ?? 0) ||
          (a.firstId ?? 0) - (b.firstId ?? 0),
      );

  // Tickets not yet answered or solved count as decided once overdue at the moment of asking.
  const overdue = new Map<string, { fr: number; res: number }>();
  for (const [assigneeId, fr, res] of await source.pending(asOf, q.from, q.to)) {
    overdue.set(key(assigneeId), { fr, res });
  }

  const assignees = inOrder('a');
  const resByAssignee = new Map<string, Float64Array>();
  let resCount = 0;
  for (const [value, f] of assignees) {
    if (f.resTimed === 0) continue;
    const values = await source.resMinutes(idOf(value), q.from, q.to);
    resByAssignee.set(value, values);
    resCount += values.length;
  }
  const allRes = new Float64Array(resCount);
  let offset = 0;
  for (const values of resByAssignee.values()) {
    allRes.set(values, offset);
    offset += values.length;
  }

  let total = 0;
  const all = { frMet: 0, frDecided: 0, resMet: 0, resDecided: 0, ratingSum: 0, ratingCount: 0 };
  const perAssignee: AssigneeFigures[] = [];
  for (const [value, f] of assignees) {
    const late = overdue.get(value) ?? { fr: 0, res: 0 };
    const resDecided = f.resolved + late.res;
    all.frMet += f.frMet;
    all.frDecided += f.frAnswered + late.fr;
    all.resMet += f.resMet;
    all.resDecided += resDecided;
    all.ratingSum += f.ratingSum;
    all.ratingCount += f.ratingCount;
    if (value === '') continue;
    perAssignee.push({
      assigneeId: Number(value),
      name: '',
      tickets: f.tickets,
      resolved: f.resolved,
      resolution: compliance(f.resMet, resDecided),
      resolutionMinutes: distribution(resByAssignee.get(value) ?? new Float64Array(0)),
      averageRating: f.ratingCount === 0 ? null : f.ratingSum / f.ratingCount,
    });
  }
  const counts = <K extends string>(kind: Kind): Partial<Record<K, number>> => {
    const into: Partial<Record<K, number>> = {};
    for (const [value, f] of inOrder(kind)) into[value as K] = f.tickets;
    return into;
  };
  const byStatus = counts<Status>('s');
  for (const n of Object.values(byStatus)) total += n as number;

  const names = new Map(
    perAssignee.length === 0
      ? []
      : (
          await queryAll(
            ctx.db
              .select({ id: people.id, name: people.name })
              .from(people)
              .where(
                inArray(
                  people.id,
                  perAssignee.map((a) => a.assigneeId),
                ),
              ),
          )
        ).map((p) => [p.id, p.name]),
  );
  for (const a of perAssignee) a.name = names.get(a.assigneeId) ?? '';
  const categoryNames = new Map(
    (
      await queryAll(
        ctx.db
          .select({ id: categories.id, nameRu: categories.nameRu, nameEn: categories.nameEn })
          .from(categories),
      )
    ).map((c) => [c.id, c]),
  );

  return {
    companyId: q.companyId,
    from: q.from,
    to: q.to,
    asOf,
    total,
    byStatus,
    byPriority: counts<Priority>('p'),
    byChannel: counts<Channel>('c'),
    byCategory: inOrder('k')
      .map(([value, f]) => {
        const categoryId = idOf(value);
        return {
          categoryId,
          nameRu: categoryId === null ? null : (categoryNames.get(categoryId)?.nameRu ?? null),
          nameEn: categoryId === null ? null : (categoryNames.get(categoryId)?.nameEn ?? null),
          count: f.tickets,
        };
      })
      .sort((a, b) => b.count - a.count),
    firstResponse: {
      ...compliance(all.frMet, all.frDecided),
      minutes: distribution(await source.frMinutes(q.from, q.to)),
    },
    resolution: { ...compliance(all.resMet, all.resDecided), minutes: distribution(allRes) },
    rating: {
      count: all.ratingCount,
      average: all.ratingCount === 0 ? null : all.ratingSum / all.ratingCount,
    },
    assignees: perAssignee.sort((a, b) => b.tickets - a.tickets || a.name.localeCompare(b.name)),
  };
}

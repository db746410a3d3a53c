// The time series beside a period report: how many tickets came in per local day (per ISO week when the
// period is longer than 92 days), by priority and by category, in a given time zone. Tickets count where
// they were created, as in the report itself.
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { z } from 'zod';
import { queryAll, queryValues } from '../db/access.ts';
import { categories, tickets } from '../db/schema.ts';
import {
  DAY_MS,
  dateOfEpochDay,
  isValidTimeZone,
  localDateOf,
  zonedTimeToUtc,
} from './calendar/time-zone.ts';
import type { DeskContext } from './context.ts';
import { type Instant, type Language, PRIORITIES, type Priority } from './model.ts';
import { type Actor, assertCanReport } from './permissions.ts';
import { instantSchema, parseInput } from './validation.ts';

/** Periods up to this many days are counted per day; longer ones per week. */
export const DAILY_MAX_DAYS = 31;

export const seriesQuerySchema = z
  .object({
    companyId: z.number().int().positive().nullable().default(null),
    from: instantSchema,
    to: instantSchema,
    timeZone: z.string().max(64).refine(isValidTimeZone, { message: 'unknown time zone' }),
  })
  .refine((q) => q.to > q.from, { message: 'the period must end after it starts', path: ['to'] })
  .refine((q) => q.to - q.from <= 5 * 366 * DAY_MS, { message: 'the period is longer than five years' });
export type SeriesQuery = z.input<typeof seriesQuerySchema>;

export interface ReportSeries {
  bucket: 'day' | 'week';
  /** Each bucket's first local day, YYYY-MM-DD: the day itself, or the Monday of the week. */
  days: string[];
  byPriority: Record<Priority, number[]>;
  /** Categories with at least one ticket, most tickets first; `name` in the asked language (null: none). */
  byCategory: { categoryId: number | null; name: string | null; counts: number[] }[];
}

const iso = (epochDay: number) => {
  const d = dateOfEpochDay(epochDay);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
};

/** Epoch day of the local date an instant falls on in the zone. */
function localEpochDay(at: Instant, timeZone: string): { epochDay: number; weekday: number } {
  const d = localDateOf(at, timeZone);
  return { epochDay: Math.round(Date.UTC(d.year, d.month - 1, d.day) / DAY_MS), weekday: d.weekday };
}

/** The UTC instant of the local midnight that starts an epoch day in the zone. */
function midnight(epochDay: number, timeZone: string): Instant {
  const d = dateOfEpochDay(epochDay);
  return zonedTimeToUtc(d.year, d.month, d.day, 0, timeZone);
}

export async function reportSeries(
  ctx: DeskContext,
  actor: Actor,
  raw: SeriesQuery,
  language: Language,
): Promise<ReportSeries> {
  const q = parseInput(seriesQuerySchema, raw);
  assertCanReport(actor, q.companyId);
  const weekly = q.to - q.from > DAILY_MAX_DAYS * DAY_MS;
  const step = weekly ? 7 : 1;
  const first = localEpochDay(q.from, q.timeZone);
  const last = localEpochDay(q.to - 1, q.timeZone);
  // Weeks start on Monday (ISO), so the first bucket may begin before the period does.
  const start = weekly ? first.epochDay - (first.weekday - 1) : first.epochDay;
  const starts: number[] = [];
  for (let day = start; day <= last.epochDay; day += step) starts.push(day);
  // Bucket i holds [bounds[i], bounds[i + 1]); computed once per bucket, not per ticket.
  const bounds = [...starts, (starts.at(-1) as number) + step].map((day) => midnight(day, q.timeZone));

  const rows = (await queryValues(
    ctx.db
      .select({ createdAt: tickets.createdAt, priority: tickets.priority, categoryId: tickets.categoryId })
      .from(tickets)
      .where(
        and(
          q.companyId === null ? undefined : eq(tickets.companyId, q.companyId),
          gte(tickets.createdAt, q.from),
          lt(tickets.createdAt, q.to),
        ),
      )
      .orderBy(asc(tickets.createdAt)),
  )) as [Instant, Priority, number | null][];

  const zeros = () => new Array<number>(starts.length).fill(0);
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, zeros()])) as Record<Priority, number[]>;
  const byCategory = new Map<number | null, number[]>();
  let bucket = 0;
  for (const [createdAt, priority, categoryId] of rows) {
    // Rows come in time order, so the bucket only moves forward.
    while (bucket < starts.length - 1 && createdAt >= (bounds[bucket + 1] as number)) bucket++;
    const ofPriority = byPriority[priority];
    ofPriority[bucket] = (ofPriority[bucket] ?? 0) + 1;
    let ofCategory = byCategory.get(categoryId);
    if (!ofCategory) {
      ofCategory = zeros();
      byCategory.set(categoryId, ofCategory);
    }
    ofCategory[bucket] = (ofCategory[bucket] ?? 0) + 1;
  }

  const names = new Map(
    (
      await queryAll(
        ctx.db
          .select({ id: categories.id, nameRu: categories.nameRu, nameEn: categories.nameEn })
          .from(categories),
      )
    ).map((c) => [c.id, language === 'ru' ? c.nameRu : c.nameEn]),
  );
  const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
  return {
    bucket: weekly ? 'week' : 'day',
    days: starts.map(iso),
    byPriority,
    byCategory: [...byCategory]
      .map(([categoryId, counts]) => ({
        categoryId,
        name: categoryId === null ? null : (names.get(categoryId) ?? null),
        counts,
      }))
      .sort((a, b) => total(b.counts) - total(a.counts) || (a.categoryId ?? 0) - (b.categoryId ?? 0)),
  };
}

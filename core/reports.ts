// Period reports for a company or for all companies: what came in, how fast it was answered and solved
// against the SLA, who did it, and how clients rated it. Tickets count in the period they were created.
import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { categories, people, tickets } from '../db/schema.ts';
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
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}

function distribution(values: number[]): Distribution {
  values.sort((a, b) => a - b);
  return { count: values.length, median: percentile(values, 0.5), p90: percentile(values, 0.9) };
}

function compliance(met: number, decided: number): Compliance {
  return { decided, met, percent: decided === 0 ? null : (met / decided) * 100 };
}

function bump<K extends string>(into: Partial<Record<K, number>>, key: K): void {
  into[key] = (into[key] ?? 0) + 1;
}

interface Tally {
  frMet: number;
  frDecided: number;
  resMet: number;
  resDecided: number;
  frMinutes: number[];
  resMinutes: number[];
  ratingSum: number;
  ratingCount: number;
  tickets: number;
  resolved: number;
}

const emptyTally = (): Tally => ({
  frMet: 0,
  frDecided: 0,
  resMet: 0,
  resDecided: 0,
  frMinutes: [],
  resMinutes: [],
  ratingSum: 0,
  ratingCount: 0,
  tickets: 0,
  resolved: 0,
});

/** One ticket's report columns, in the order selected below; flags are SQLite's 0/1. */
type ReportRow = [
  status: Status,
  priority: Priority,
  channel: Channel,
  categoryId: number | null,
  assigneeId: number | null,
  firstResponseDueAt: Instant,
  firstResponseMinutes: number | null,
  firstResponseMet: 0 | 1 | null,
  resolutionDueAt: Instant,
  resolutionMinutes: number | null,
  resolutionMet: 0 | 1 | null,
  slaPausedAt: Instant | null,
  rating: number | null,
];

export function buildReport(ctx: DeskContext, actor: Actor, raw: ReportQuery): Report {
  const q = parseInput(reportQuerySchema, raw);
  assertCanReport(actor, q.companyId);
  const asOf = ctx.clock.now();
  // Rows come back as arrays, not objects: over a busy company's quarter that halves the report's time.
  const rows = ctx.db
    .select({
      status: tickets.status,
      priority: tickets.priority,
      channel: tickets.channel,
      categoryId: tickets.categoryId,
      assigneeId: tickets.assigneeId,
      firstResponseDueAt: tickets.firstResponseDueAt,
      firstResponseMinutes: tickets.firstResponseMinutes,
      firstResponseMet: tickets.firstResponseMet,
      resolutionDueAt: tickets.resolutionDueAt,
      resolutionMinutes: tickets.resolutionMinutes,
      resolutionMet: tickets.resolutionMet,
      slaPausedAt: tickets.slaPausedAt,
      rating: tickets.rating,
    })
    .from(tickets)
    .where(
      and(
        q.companyId === null ? undefined : eq(tickets.companyId, q.companyId),
        gte(tickets.createdAt, q.from),
        lt(tickets.createdAt, q.to),
      ),
    )
    .values() as ReportRow[];

  const byStatus: Report['byStatus'] = {};
  const byPriority: Report['byPriority'] = {};
  const byChannel: Report['byChannel'] = {};
  const byCategory = new Map<number | null, number>();
  const all = emptyTally();
  const perAssignee = new Map<number, Tally>();

  for (const [
    status,
    priority,
    channel,
    categoryId,
    assigneeId,
    frDue,
    frMinutes,
    frMet,
    resDue,
    resMinutes,
    resMet,
    pausedAt,
    rating,
  ] of rows) {
    bump(byStatus, status);
    bump(byPriority, priority);
    bump(byChannel, channel);
    byCategory.set(categoryId, (byCategory.get(categoryId) ?? 0) + 1);
    const tallies = [all];
    if (assigneeId !== null) {
      let t = perAssignee.get(assigneeId);
      if (!t) {
        t = emptyTally();
        perAssignee.set(assigneeId, t);
      }
      tallies.push(t);
    }
    for (const t of tallies) {
      t.tickets++;
      if (rating !== null) {
        t.ratingSum += rating;
        t.ratingCount++;
      }
      if (status === 'cancelled') continue; // withdrawn requests make no SLA figures
      if (frMet !== null) {
        t.frDecided++;
        if (frMet) t.frMet++;
        if (frMinutes !== null) t.frMinutes.push(frMinutes);
      } else if (frDue <= asOf) {
        t.frDecided++; // overdue and still unanswered
      }
      if (resMet !== null) {
        t.resDecided++;
        t.resolved++;
        if (resMet) t.resMet++;
        if (resMinutes !== null) t.resMinutes.push(resMinutes);
      } else if (pausedAt === null && resDue <= asOf) {
        t.resDecided++; // overdue and still unsolved
      }
    }
  }

  const names = new Map(
    perAssignee.size === 0
      ? []
      : ctx.db
          .select({ id: people.id, name: people.name })
          .from(people)
          .where(inArray(people.id, [...perAssignee.keys()]))
          .all()
          .map((p) => [p.id, p.name]),
  );
  const categoryNames = new Map(
    ctx.db
      .select({ id: categories.id, nameRu: categories.nameRu, nameEn: categories.nameEn })
      .from(categories)
      .all()
      .map((c) => [c.id, c]),
  );

  return {
    companyId: q.companyId,
    from: q.from,
    to: q.to,
    asOf,
    total: rows.length,
    byStatus,
    byPriority,
    byChannel,
    byCategory: [...byCategory]
      .map(([categoryId, count]) => ({
        categoryId,
        nameRu: categoryId === null ? null : (categoryNames.get(categoryId)?.nameRu ?? null),
        nameEn: categoryId === null ? null : (categoryNames.get(categoryId)?.nameEn ?? null),
        count,
      }))
      .sort((a, b) => b.count - a.count),
    firstResponse: { ...compliance(all.frMet, all.frDecided), minutes: distribution(all.frMinutes) },
    resolution: { ...compliance(all.resMet, all.resDecided), minutes: distribution(all.resMinutes) },
    rating: {
      count: all.ratingCount,
      average: all.ratingCount === 0 ? null : all.ratingSum / all.ratingCount,
    },
    assignees: [...perAssignee]
      .map(([assigneeId, t]) => ({
        assigneeId,
        name: names.get(assigneeId) ?? '',
        tickets: t.tickets,
        resolved: t.resolved,
        resolution: compliance(t.resMet, t.resDecided),
        resolutionMinutes: distribution(t.resMinutes),
        averageRating: t.ratingCount === 0 ? null : t.ratingSum / t.ratingCount,
      }))
      .sort((a, b) => b.tickets - a.tickets || a.name.localeCompare(b.name)),
  };
}

// The reports' reference for tests: every ticket of a period counted in JavaScript, one by one, into the
// Report that core's buildReport must give (tests/report-summary.test.ts on SQLite, tests/postgres/reports.test.ts
// on PostgreSQL: each reads the period's tickets and names its own way, and counts them here).
import type { Instant } from '../../core/model.ts';
import { percentile, type Report } from '../../core/reports.ts';
import type { TicketRow } from '../../db/schema.ts';

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
const distribution = (values: number[]) => {
  values.sort((a, b) => a - b);
  return { count: values.length, median: percentile(values, 0.5), p90: percentile(values, 0.9) };
};
const compliance = (met: number, decided: number) => ({
  decided,
  met,
  percent: decided === 0 ? null : (met / decided) * 100,
});
function bump<K extends string>(into: Partial<Record<K, number>>, key: K): void {
  into[key] = (into[key] ?? 0) + 1;
}

export interface ReportFrame {
  companyId: number | null;
  from: Instant;
  to: Instant;
  asOf: Instant;
  /** Person id → name, for the assignees. */
  names: ReadonlyMap<number, string>;
  categoryNames: ReadonlyMap<number, { nameRu: string; nameEn: string }>;
}

/** The report of these tickets (the period's, oldest first), counted one by one. */
export function reportOfTickets(rows: readonly TicketRow[], frame: ReportFrame): Report {
  const { asOf, names, categoryNames } = frame;
  const byStatus: Report['byStatus'] = {};
  const byPriority: Report['byPriority'] = {};
  const byChannel: Report['byChannel'] = {};
  const byCategory = new Map<number | null, number>();
  const all = emptyTally();
  const perAssignee = new Map<number, Tally>();
  for (const r of rows) {
    bump(byStatus, r.status);
    bump(byPriority, r.priority);
    bump(byChannel, r.channel);
    byCategory.set(r.categoryId, (byCategory.get(r.categoryId) ?? 0) + 1);
    const tallies = [all];
    if (r.assigneeId !== null) {
      let t = perAssignee.get(r.assigneeId);
      if (!t) {
        t = emptyTally();
        perAssignee.set(r.assigneeId, t);
      }
      tallies.push(t);
    }
    for (const t of tallies) {
      t.tickets++;
      if (r.rating !== null) {
        t.ratingSum += r.rating;
        t.ratingCount++;
      }
      if (r.status === 'cancelled') continue;
      if (r.firstResponseMet !== null) {
        t.frDecided++;
        if (r.firstResponseMet) t.frMet++;
        if (r.firstResponseMinutes !== null) t.frMinutes.push(r.firstResponseMinutes);
      } else if (r.firstResponseDueAt <= asOf) {
        t.frDecided++;
      }
      if (r.resolutionMet !== null) {
        t.resDecided++;
        t.resolved++;
        if (r.resolutionMet) t.resMet++;
        if (r.resolutionMinutes !== null) t.resMinutes.push(r.resolutionMinutes);
      } else if (r.slaPausedAt === null && r.resolutionDueAt <= asOf) {
        t.resDecided++;
      }
    }
  }
  return {
    companyId: frame.companyId,
    from: frame.from,
    to: frame.to,
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

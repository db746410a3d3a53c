// Period reports and their series on PostgreSQL: a few dozen tickets filed and moved through core over several
// days (the clock moving between steps), two companies, two engineers, two categories; then the report — whole
// days from report_days (kept there by the plpgsql trigger), edge hours and what is overdue ticket by ticket —
// compared, figure by figure and in the order of every key and list, with counting the stored tickets one by
// one here; and the series per local day against the tickets' own creation days.
import { and, eq, gte, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../core/actors.ts';
import { zonedTimeToUtc } from '../../core/calendar/time-zone.ts';
import type { Instant, Priority } from '../../core/model.ts';
import { PRIORITIES } from '../../core/model.ts';
import type { Actor } from '../../core/permissions.ts';
import { SYSTEM } from '../../core/permissions.ts';
import { reportSeries } from '../../core/report-series.ts';
import { buildReport, type Report } from '../../core/reports.ts';
import { act, type Command } from '../../core/tickets/act.ts';
import { createTicket } from '../../core/tickets/create.ts';
import { postgresAvailable } from '../support/postgres.ts';
import { reportOfTickets } from '../support/report-oracle.ts';
import { type PgWorld, pgSchema, postgresDesks } from './world.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Moscow';

type Row = typeof pgSchema.tickets.$inferSelect;

// ------------------------------------------------------------------------------------------------
// The reference: the period's tickets read from PostgreSQL and counted one by one.
// ------------------------------------------------------------------------------------------------

async function periodTickets(w: PgWorld, companyId: number | null, from: Instant, to: Instant) {
  const t = pgSchema.tickets;
  return await w.store.db
    .select()
    .from(t)
    .where(
      and(
        companyId === null ? undefined : eq(t.companyId, companyId),
        gte(t.createdAt, from),
        lt(t.createdAt, to),
      ),
    )
    .orderBy(t.createdAt, t.id);
}

async function directReport(
  w: PgWorld,
  companyId: number | null,
  from: Instant,
  to: Instant,
): Promise<{ report: Report; rows: Row[] }> {
  const asOf = w.clock.now();
  const rows = await periodTickets(w, companyId, from, to);
  const names = new Map(
    (await w.store.db.select().from(pgSchema.people)).map((p) => [p.id, p.name] as const),
  );
  const categoryNames = new Map(
    (await w.store.db.select().from(pgSchema.categories)).map((c) => [c.id, c] as const),
  );
  const report = reportOfTickets(rows, { companyId, from, to, asOf, names, categoryNames });
  return { report, rows };
}

// ------------------------------------------------------------------------------------------------
// The data: tickets filed and moved through core.
// ------------------------------------------------------------------------------------------------

interface Cast {
  clientA: Actor;
  clientB: Actor;
  line1: Actor;
  line2: Actor;
  companyB: number;
  printer: number;
  network: number;
}

/** A second company on the same calendar and contract, its client, a second engineer, a second category. */
async function cast(w: PgWorld): Promise<Cast> {
  const db = w.store.db;
  const [contract] = await db
    .select()
    .from(pgSchema.contracts)
    .where(eq(pgSchema.contracts.companyId, w.companyId));
  const [company] = await db
    .insert(pgSchema.companies)
    .values({ name: 'Beta JSC', createdAt: w.clock.now() - 30 * DAY })
    .returning();
  const [network] = await db
    .insert(pgSchema.categories)
    .values({ code: 'network', nameRu: 'Сеть', nameEn: 'Network' })
    .returning();
  if (!contract || !company || !network) throw new Error('cast not made');
  const { id: _id, ...terms } = contract;
  await db.insert(pgSchema.contracts).values({ ...terms, companyId: company.id, name: 'B business hours' });
  const person = async (name: string, tg: number, role: 'client' | 'line1', companyId: number | null) => {
    const [row] = await db
      .insert(pgSchema.people)
      .values({ name, telegramUserId: tg, createdAt: w.clock.now() - 30 * DAY })
      .returning();
    if (!row) throw new Error('person not made');
    await db.insert(pgSchema.memberships).values({ personId: row.id, role, companyId });
    return await loadActor(w.ctx.db, row.id);
  };
  return {
    clientA: w.client,
    clientB: await person('Client B', 7001, 'client', company.id),
    line1: w.line1,
    line2: await person('Line Two', 7002, 'line1', null),
    companyB: company.id,
    printer: w.category,
    network: network.id,
  };
}

const CHANNELS = ['telegram', 'email', 'web', 'miniapp'] as const;
const TRIAGES = [
  { impact: 'person', urgency: 'low' },
  { impact: 'department', urgency: 'medium' },
  { impact: 'company', urgency: 'high' },
  { impact: 'person', urgency: 'high' },
  { impact: 'department', urgency: 'low' },
] as const;

/** Local 09:30 of the `d`-th day from 2 November 2026 (a Monday), Moscow time. */
const morning = (d: number) => zonedTimeToUtc(2026, 11, 2 + d, 0, ZONE) + 9 * HOUR + 30 * MINUTE;

/** Six tickets a day over `days` days, each moved one of seven ways; returns how many were filed. */
async function fill(w: PgWorld, c: Cast, days: number): Promise<number> {
  let i = 0;
  const move = async (actor: Actor, id: number, command: Command, after = 0) => {
    w.clock.advance(after);
    return await act(w.ctx, actor, id, command);
  };
  for (let d = 0; d < days; d++) {
    w.clock.set(Math.max(w.clock.now(), morning(d)));
    for (let k = 0; k < 6; k++, i++) {
      w.clock.advance(35 * MINUTE + (i % 4) * 7 * MINUTE);
      const client = i % 5 === 4 ? c.clientB : c.clientA;
      const ticket = await createTicket(w.ctx, client, {
        channel: CHANNELS[i % CHANNELS.length] ?? 'telegram',
        categoryId: [c.printer, c.network, null][i % 3] ?? null,
        description: `Request ${i}`,
      });
      const id = ticket.id;
      const triage = { action: 'triage', ...(TRIAGES[i % TRIAGES.length] ?? TRIAGES[0]) } as const;
      switch (i % 7) {
        case 0: // left new
          break;
        case 1: // answered fast, solved, confirmed and rated
          await move(c.line1, id, triage, 3 * MINUTE);
          await move(c.line1, id, { action: 'take' }, (5 + i) * MINUTE);
          await move(c.line1, id, { action: 'resolve', resolution: 'Fixed' }, (20 + 13 * i) * MINUTE);
          await move(client, id, { action: 'confirm' }, 10 * MINUTE);
          await move(client, id, { action: 'rate', rating: 1 + (i % 5) });
          break;
        case 2: // answered late by the second engineer, solved late
          await move(c.line2, id, triage, 26 * HOUR);
          await move(c.line2, id, { action: 'take' }, 5 * MINUTE);
          await move(c.line2, id, { action: 'resolve', resolution: 'Done at last' }, 30 * HOUR + i * MINUTE);
          break;
        case 3: // answered, waiting for the customer: paused
          await move(c.line1, id, triage, MINUTE);
          await move(c.line1, id, { action: 'take' }, 4 * MINUTE);
          await move(c.line1, id, { action: 'ask_customer', question: 'Which printer?' }, 15 * MINUTE);
          break;
        case 4: // withdrawn
          await move(client, id, { action: 'cancel', reason: 'Not needed' }, 7 * MINUTE);
          break;
        case 5: // taken by the second engineer and still in progress
          await move(c.line2, id, triage, MINUTE);
          await move(c.line2, id, { action: 'take' }, (10 + 2 * i) * MINUTE);
          break;
        default: // solved by the first engineer, rated by the client without confirming
          await move(c.line1, id, triage, MINUTE);
          await move(c.line1, id, { action: 'take' }, 25 * MINUTE);
          await move(c.line1, id, { action: 'resolve', resolution: 'Swapped' }, (90 + 7 * i) * MINUTE);
          await move(client, id, { action: 'confirm' }, 4 * MINUTE);
          await move(client, id, { action: 'rate', rating: 5 - (i % 3) });
      }
    }
  }
  return i;
}

// ------------------------------------------------------------------------------------------------

describe.skipIf(!postgresAvailable())('period reports on PostgreSQL', () => {
  let desks: Awaited<ReturnType<typeof postgresDesks>>;
  let w: PgWorld;
  let c: Cast;
  let filed = 0;
  /** The whole span of the data, cut at Moscow midnights (21:00 UTC), so both edges are partial UTC days. */
  const span = { from: zonedTimeToUtc(2026, 11, 1, 0, ZONE), to: zonedTimeToUtc(2026, 12, 1, 0, ZONE) };

  beforeAll(async () => {
    desks = await postgresDesks();
    w = await desks.desk();
    c = await cast(w);
    filed = await fill(w, c, 7);
    // Three days on, unanswered tickets are overdue; two more just filed are not due yet.
    w.clock.advance(3 * DAY);
    await createTicket(w.ctx, c.clientA, { channel: 'web', description: 'Fresh one', categoryId: c.printer });
    await createTicket(w.ctx, c.clientB, { channel: 'telegram', description: 'Fresh two' });
    filed += 2;
  }, 120_000);
  afterAll(async () => {
    await desks?.stop();
  });

  it('made a few dozen tickets with every kind of outcome', async () => {
    const rows = await w.store.db.select().from(pgSchema.tickets);
    expect(rows).toHaveLength(filed);
    expect(filed).toBeGreaterThanOrEqual(40);
    const days = new Set(rows.map((r) => Math.floor(r.createdAt / DAY)));
    expect(days.size).toBeGreaterThanOrEqual(7);
    expect(rows.some((r) => r.firstResponseMet === true)).toBe(true);
    expect(rows.some((r) => r.firstResponseMet === false)).toBe(true);
    expect(rows.some((r) => r.resolutionMet === true)).toBe(true);
    expect(rows.some((r) => r.resolutionMet === false)).toBe(true);
    expect(rows.some((r) => r.slaPausedAt !== null)).toBe(true);
    expect(rows.some((r) => r.status === 'cancelled')).toBe(true);
    expect(rows.some((r) => r.rating !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.priority)).size).toBeGreaterThanOrEqual(3);
    // The trigger kept the summary: its ticket counts per kind add up to the tickets.
    const summary = await w.store.db.select().from(pgSchema.reportDays);
    for (const kind of ['s', 'p', 'c', 'k', 'a']) {
      const n = summary.filter((r) => r.kind === kind).reduce((sum, r) => sum + r.tickets, 0);
      expect(n).toBe(filed);
    }
  });

  /** Periods: the whole span in local days; whole UTC days; a day cut in two; a few hours; one day's part. */
  const periods = (): [string, Instant, Instant][] => [
    ['span, Moscow midnights', span.from, span.to],
    ['whole UTC days', Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 9)],
    ['from midday to midday', Date.UTC(2026, 10, 3, 12), Date.UTC(2026, 10, 6, 12)],
    ['a few hours', Date.UTC(2026, 10, 4, 6), Date.UTC(2026, 10, 4, 11)],
    ['the first days only', span.from, zonedTimeToUtc(2026, 11, 5, 0, ZONE)],
  ];

  it('gives the company’s report as counting its tickets one by one does, for every period', async () => {
    for (const [name, from, to] of periods()) {
      const { report: expected, rows } = await directReport(w, w.companyId, from, to);
      const r = await buildReport(w.ctx, SYSTEM, { companyId: w.companyId, from, to });
      expect(r, name).toEqual(expected);
      expect(r.total, name).toBe(rows.length);
      // Key order too: as the tickets first came.
      expect(Object.keys(r.byStatus), name).toEqual(Object.keys(expected.byStatus));
      expect(Object.keys(r.byPriority), name).toEqual(Object.keys(expected.byPriority));
      expect(Object.keys(r.byChannel), name).toEqual(Object.keys(expected.byChannel));
    }
  });

  it('gives the report over all companies, and the figures are not empty', async () => {
    const { report: expected, rows } = await directReport(w, null, span.from, span.to);
    const r = await buildReport(w.ctx, SYSTEM, { companyId: null, ...span });
    expect(r).toEqual(expected);
    expect(Object.keys(r.byStatus)).toEqual(Object.keys(expected.byStatus));
    expect(Object.keys(r.byPriority)).toEqual(Object.keys(expected.byPriority));
    expect(Object.keys(r.byChannel)).toEqual(Object.keys(expected.byChannel));
    expect(r.total).toBe(filed);
    expect(rows.some((t) => t.companyId === c.companyB)).toBe(true);
    const one = await buildReport(w.ctx, SYSTEM, { companyId: w.companyId, ...span });
    const other = await buildReport(w.ctx, SYSTEM, { companyId: c.companyB, ...span });
    expect(one.total + other.total).toBe(r.total);
    // Both outcomes on both clocks, minutes behind the percentiles, both engineers.
    expect(r.firstResponse.met).toBeGreaterThan(0);
    expect(r.firstResponse.decided).toBeGreaterThan(r.firstResponse.met);
    expect(r.resolution.met).toBeGreaterThan(0);
    expect(r.resolution.decided).toBeGreaterThan(r.resolution.met);
    expect(r.firstResponse.minutes.count).toBeGreaterThan(5);
    expect(r.resolution.minutes.count).toBeGreaterThan(5);
    expect(r.rating.count).toBeGreaterThan(0);
    expect(r.assignees.map((a) => a.assigneeId).sort()).toEqual(
      [(c.line1 as { personId: number }).personId, (c.line2 as { personId: number }).personId].sort(),
    );
    expect(r.byCategory.map((k) => k.nameEn).sort()).toEqual(['Network', 'Printer', null].sort());
  });

  it('reads the same inside a transaction', async () => {
    const { inTransaction } = await import('../../core/transaction.ts');
    const outside = await buildReport(w.ctx, SYSTEM, { companyId: null, ...span });
    const inside = await inTransaction(w.ctx.db, async () =>
      buildReport(w.ctx, SYSTEM, { companyId: null, ...span }),
    );
    expect(inside).toEqual(outside);
  });

  it('counts the series per local day by priority and category', async () => {
    const day = (at: Instant) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(at);
    const from = span.from;
    const to = zonedTimeToUtc(2026, 11, 15, 0, ZONE); // 14 days: per day
    for (const companyId of [w.companyId, null]) {
      const series = await reportSeries(w.ctx, SYSTEM, { companyId, from, to, timeZone: ZONE }, 'en');
      expect(series.bucket).toBe('day');
      const days: string[] = [];
      for (let at = from; at < to; at += DAY) days.push(day(at + HOUR));
      expect(series.days).toEqual(days);
      const rows = await periodTickets(w, companyId, from, to);
      const zeros = () => days.map(() => 0);
      const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, zeros()])) as Record<
        Priority,
        number[]
      >;
      const byCategory = new Map<number | null, number[]>();
      for (const r of rows) {
        const i = days.indexOf(day(r.createdAt));
        (byPriority[r.priority] as number[])[i] = ((byPriority[r.priority] as number[])[i] ?? 0) + 1;
        const counts = byCategory.get(r.categoryId) ?? zeros();
        counts[i] = (counts[i] ?? 0) + 1;
        byCategory.set(r.categoryId, counts);
      }
      expect(series.byPriority).toEqual(byPriority);
      const sum = (n: number[]) => n.reduce((a, b) => a + b, 0);
      const names = new Map([
        [c.printer, 'Printer'],
        [c.network, 'Network'],
      ]);
      expect(series.byCategory).toEqual(
        [...byCategory]
          .map(([categoryId, counts]) => ({
            categoryId,
            name: categoryId === null ? null : (names.get(categoryId) ?? null),
            counts,
          }))
          .sort((a, b) => sum(b.counts) - sum(a.counts) || (a.categoryId ?? 0) - (b.categoryId ?? 0)),
      );
      expect(sum(Object.values(series.byPriority).flat())).toBe(rows.length);
      expect(rows.length).toBeGreaterThan(20);
    }
  });
});

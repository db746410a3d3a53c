// The period report reads whole days from report_days (kept by triggers) and the rest from tickets. Here it
// is compared, figure by figure and in the order of every key and list, with counting the tickets one by one
// (the report as it was before the summary) on random stores: tickets filed and moved through core (SLA
// pauses, reopenings, cancellations, ratings), and rows written and rewritten directly (companies, days,
// assignees and outcomes changed, rows deleted), over periods that cut days in several time zones.
import { readFileSync } from 'node:fs';
import { and, eq, gte, lt } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { zonedTimeToUtc } from '../core/calendar/time-zone.ts';
import type { DeskContext } from '../core/context.ts';
import {
  CHANNELS,
  type Channel,
  type Instant,
  PRIORITIES,
  type Priority,
  STATUSES,
  type Status,
} from '../core/model.ts';
import { SYSTEM } from '../core/permissions.ts';
import { buildReport, type Report } from '../core/reports.ts';
import { seededRandom as randomSource } from '../core/seeded-random.ts';
import { act, type Command } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { categories, people, tickets } from '../db/schema.ts';
import { makeWorld, type World } from './fixtures.ts';
import { reportOfTickets } from './support/report-oracle.ts';
import { onPostgres } from './support/test-store.ts';

const DAY = 86_400_000;

// ------------------------------------------------------------------------------------------------
// The reference: every ticket of the period read and counted in JavaScript.
// ------------------------------------------------------------------------------------------------

async function directReport(
  ctx: DeskContext,
  companyId: number | null,
  from: Instant,
  to: Instant,
): Promise<Report> {
  const asOf = ctx.clock.now();
  const rows = await queryAll(
    ctx.db
      .select()
      .from(tickets)
      .where(
        and(
          companyId === null ? undefined : eq(tickets.companyId, companyId),
          gte(tickets.createdAt, from),
          lt(tickets.createdAt, to),
        ),
      )
      .orderBy(tickets.createdAt, tickets.id),
  );
  const names = new Map(
    (await queryAll(ctx.db.select({ id: people.id, name: people.name }).from(people))).map((p) => [
      p.id,
      p.name,
    ]),
  );
  const categoryNames = new Map((await queryAll(ctx.db.select().from(categories))).map((c) => [c.id, c]));
  return reportOfTickets(rows, { companyId, from, to, asOf, names, categoryNames });
}

// ------------------------------------------------------------------------------------------------
// Random stores
// ------------------------------------------------------------------------------------------------

const START = Date.parse('2026-11-02T10:00:00+03:00');

/** Tickets filed by clients and moved by staff through core, the clock moving between steps. */
async function throughCore(w: World, random: () => number, count: number): Promise<void> {
  const clients = [w.as.clientA, w.as.clientA2, w.as.clientB, w.as.managerA];
  const staff = [w.as.line1, w.as.line1b, w.as.line2];
  const ids: number[] = [];
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  for (let i = 0; i < count * 6; i++) {
    w.clock.advance(Math.floor(random() * 5 * 3_600_000));
    if (ids.length < count && (ids.length === 0 || random() < 0.3)) {
      const t = await createTicket(w.ctx, pick(clients), {
        channel: pick(['telegram', 'miniapp', 'email', 'web'] as const),
        categoryId: random() < 0.2 ? null : pick([w.category.printer, w.category.network]),
        description: `Random request ${i}`,
        impact: pick(['person', 'department', 'company'] as const),
        urgency: pick(['low', 'medium', 'high'] as const),
      });
      ids.push(t.id);
      continue;
    }
    const id = pick(ids);
    const command = pick<Command>([
      { action: 'take' },
      { action: 'take' },
      { action: 'assign', assigneeId: pick([w.ids.line1, w.ids.line1b, w.ids.line2]) },
      { action: 'ask_customer', question: 'Which printer?' },
      { action: 'resume', answer: 'The one by the door' },
      { action: 'resolve', resolution: 'Done' },
      { action: 'resolve', resolution: 'Done' },
      { action: 'reopen', reason: 'Still broken' },
      { action: 'cancel', reason: 'Not needed' },
      { action: 'confirm' },
      { action: 'rate', rating: 1 + Math.floor(random() * 5) },
    ]);
    const ticket = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, id)));
    const requester =
      clients.find((c) => c.kind === 'person' && c.personId === ticket?.requesterId) ?? w.as.clientA;
    const byClient = ['reopen', 'cancel', 'confirm', 'rate', 'resume'].includes(command.action);
    try {
      await act(w.ctx, byClient ? requester : pick(staff), id, command);
    } catch {
      // refused in this status or for this actor: the next step tries something else
    }
  }
}

/** Rows written directly with random columns, then rewritten and deleted at random. */
async function directRows(w: World, random: () => number, count: number): Promise<void> {
  const sqlite = w.ctx.db.$client;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const companies = [w.companyA, w.companyB, null];
  const assignees = [null, w.ids.line1, w.ids.line1b, w.ids.line2, w.ids.field];
  const cats = [null, w.category.printer, w.category.network];
  const instant = () => START - 40 * DAY + Math.floor(random() * 80 * DAY);
  const flag = () => (random() < 0.4 ? null : random() < 0.7 ? 1 : 0);
  const minutes = () => (random() < 0.1 ? null : Math.round(random() * 5000) / 4);
  const insert = sqlite.prepare(
    `insert into tickets (number, channel, requester_id, company_id, category_id, subject, description, impact,
       urgency, priority, status, line, assignee_id, created_at, updated_at, first_response_due_at,
       first_response_minutes, first_response_met, resolution_due_at, sla_paused_at, resolution_minutes,
       resolution_met, rating)
     values (?, ?, ?, ?, ?, 'x', 'x', 'person', 'medium', ?, ?, 'line1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const created = random() < 0.15 ? START - 10 * DAY : instant(); // some in the same millisecond
    ids.push(
      Number(
        (
          await execute(
            insert,
            900_000 + i,
            pick(CHANNELS),
            w.ids.clientA,
            pick(companies),
            pick(cats),
            pick(PRIORITIES),
            pick(STATUSES),
            pick(assignees),
            created,
            created,
            instant(),
            minutes(),
            flag(),
            instant(),
            random() < 0.5 ? null : instant(),
            minutes(),
            flag(),
            random() < 0.6 ? null : 1 + Math.floor(random() * 5),
          )
        ).lastInsertRowid,
      ),
    );
  }
  const changes: [string, () => unknown][] = [
    ['status', () => pick<Status>(STATUSES)],
    ['priority', () => pick<Priority>(PRIORITIES)],
    ['channel', () => pick<Channel>(CHANNELS)],
    ['category_id', () => pick(cats)],
    ['assignee_id', () => pick(assignees)],
    ['company_id', () => pick(companies)],
    ['created_at', instant],
    ['rating', () => (random() < 0.5 ? null : 1 + Math.floor(random() * 5))],
    ['first_response_met', flag],
    ['first_response_minutes', minutes],
    ['resolution_met', flag],
    ['resolution_minutes', minutes],
    ['sla_paused_at', () => (random() < 0.5 ? null : instant())],
    ['first_response_due_at', instant],
    ['resolution_due_at', instant],
  ];
  for (let i = 0; i < count * 2; i++) {
    const id = pick(ids);
    if (random() < 0.03) {
      await execute(sqlite.prepare('delete from tickets where id = ?'), id);
      continue;
    }
    const set = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(changes));
    await execute(
      sqlite.prepare(`update tickets set ${set.map(([c]) => `${c} = ?`).join(', ')} where id = ?`),
      ...set.map(([, v]) => v()),
      id,
    );
  }
}

/** Periods: whole UTC days, months in several zones, a day cut in two, a few hours, odd instants. */
function periods(random: () => number): [Instant, Instant][] {
  const local = (y: number, m: number, d: number, zone: string) => zonedTimeToUtc(y, m, d, 0, zone);
  const list: [Instant, Instant][] = [
    [Date.UTC(2026, 9, 1), Date.UTC(2027, 0, 1)],
    [local(2026, 10, 1, 'Europe/Moscow'), local(2026, 11, 1, 'Europe/Moscow')],
    [local(2026, 10, 1, 'America/New_York'), local(2026, 12, 1, 'America/New_York')],
    [local(2026, 10, 5, 'Asia/Kolkata'), local(2026, 10, 19, 'Asia/Kolkata')],
    [local(2026, 10, 23, 'Asia/Novosibirsk'), local(2026, 10, 24, 'Asia/Novosibirsk')],
    [START - 10 * DAY - 1, START - 10 * DAY + 1],
    [Date.UTC(2026, 9, 20, 6), Date.UTC(2026, 9, 20, 18)],
  ];
  for (let i = 0; i < 6; i++) {
    const from = START - 45 * DAY + Math.floor(random() * 60 * DAY);
    list.push([from, from + 1 + Math.floor(random() * 40 * DAY)]);
  }
  return list;
}

async function compareAll(w: World, random: () => number): Promise<number> {
  let compared = 0;
  for (const [from, to] of periods(random)) {
    for (const companyId of [null, w.companyA, w.companyB]) {
      const summed = await buildReport(w.ctx, SYSTEM, { companyId, from, to });
      const direct = await directReport(w.ctx, companyId, from, to);
      // JSON keeps the order of keys and lists: that is part of the answer (CSV rows follow it).
      expect(JSON.stringify(summed)).toBe(JSON.stringify(direct));
      compared += direct.total;
    }
  }
  return compared;
}

describe('report from the per-day summary', () => {
  for (const seed of [1, 2, 3]) {
    // SQLite: rows written with raw SQLite statements; tests/postgres/reports.test.ts holds PostgreSQL's summary to the same count.
    it.skipIf(onPostgres)(`equals counting ticket by ticket on a random store (seed ${seed})`, async () => {
      const w = await makeWorld();
      const random = randomSource(seed);
      await throughCore(w, random, 60);
      await directRows(w, random, 400);
      let compared = 0;
      // Asked at several moments: what is overdue changes with them.
      for (const asOf of [START, START + 30 * DAY, START + 90 * DAY]) {
        w.clock.set(asOf);
        compared += await compareAll(w, random);
      }
      expect(compared).toBeGreaterThan(1000);
    });
  }

  // SQLite: replays SQLite migration 0015's backfill.
  it.skipIf(onPostgres)('is filled for the tickets already stored by the migration', async () => {
    const w = await makeWorld();
    const random = randomSource(7);
    await throughCore(w, random, 30);
    await directRows(w, random, 200);
    const sqlite = w.ctx.db.$client;
    const before = await queryAll(sqlite.prepare('select * from report_days order by 1, 2, 3, 4'));
    sqlite.exec('delete from report_days');
    const migration = readFileSync(new URL('../db/migrations/0015_report_days.sql', import.meta.url), 'utf8');
    const backfill = migration
      .split('--> statement-breakpoint')
      .filter((statement) => /^\s*INSERT INTO report_days/i.test(statement));
    expect(backfill).toHaveLength(5);
    for (const statement of backfill) sqlite.exec(statement);
    // The same rows as the triggers left, but for the days and values whose every ticket has gone.
    const after = await queryAll(sqlite.prepare('select * from report_days order by 1, 2, 3, 4'));
    expect(after).toEqual((before as { tickets: number }[]).filter((r) => r.tickets !== 0));
    await compareAll(w, random);
  });
});

// The demo's month: seeded through core on a clock moved through business hours, it must read like a real
// month in the reports (answer and resolution times that are not zero, some SLA misses, escalations,
// visits, ratings mostly 4–5), keep every ticket's story in order and inside its calendar's working
// hours, keep the demo people the sandbox and the tests rely on, and be the same every time.
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../core/context.ts';
import { CHANNELS, ManualClock, PRIORITIES } from '../core/model.ts';
import { SYSTEM } from '../core/permissions.ts';
import { buildReport, percentile } from '../core/reports.ts';
import { openDatabase } from '../db/connection.ts';
import type { TicketEventRow, TicketRow } from '../db/schema.ts';
import { type DemoPeople, seedDemo } from '../db/seed.ts';
import { sandboxPeople } from '../sandbox/people.ts';

const DAY = 86_400_000;

/** A Wednesday afternoon in Moscow, a Sunday night, and a Monday just after nine. */
const NOWS = ['2026-11-25T12:00:00Z', '2026-11-29T21:30:00Z', '2026-11-30T06:05:00Z'].map(Date.parse);

async function seeded(now: number) {
  const db = openDatabase(':memory:');
  const started = performance.now();
  const ids = await seedDemo(db, now);
  const ms = performance.now() - started;
  const ctx = createContext(db, new ManualClock(now));
  const all = <T>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as T[];
  const tickets = all<Record<string, unknown>>('select * from tickets order by number').map(
    camel,
  ) as TicketRow[];
  const events = all<Record<string, unknown>>('select * from ticket_events order by id').map(
    camel,
  ) as TicketEventRow[];
  return { db, ctx, ids, ms, tickets, events };
}

type Seeded = Awaited<ReturnType<typeof seeded>>;

const camel = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]),
  );

describe.each(NOWS.map((now) => [new Date(now).toISOString(), now] as const))(
  'the demo seeded at %s',
  (_, now) => {
    let ctx: Seeded['ctx'];
    let ids: Seeded['ids'];
    let ms: Seeded['ms'];
    let tickets: Seeded['tickets'];
    let events: Seeded['events'];
    let companyIds: number[];
    beforeAll(async () => {
      ({ ctx, ids, ms, tickets, events } = await seeded(now));
      companyIds = [...new Set(tickets.map((t) => t.companyId).filter((id) => id !== null))].sort();
    });

    it('is a month of requests from both companies, every channel, category and priority', () => {
      expect(tickets.length).toBeGreaterThanOrEqual(60);
      expect(tickets.length).toBeLessThanOrEqual(120);
      expect(companyIds).toHaveLength(2);
      expect(new Set(tickets.map((t) => t.channel))).toEqual(new Set(CHANNELS));
      expect(new Set(tickets.map((t) => t.categoryId)).size).toBeGreaterThanOrEqual(7);
      expect(Math.min(...tickets.map((t) => t.createdAt))).toBeGreaterThanOrEqual(now - 30 * DAY);
      expect(Math.max(...events.map((e) => e.at))).toBeLessThan(now);
      // Seeding stays quick (about a third of a second on a quiet machine; this box may be busy).
      expect(ms).toBeLessThan(5_000);
    });

    it('reads like a real month in the report: answer and resolution times, misses, ratings mostly 4–5', async () => {
      const from = now - 30 * DAY;
      for (const companyId of [null, ...companyIds]) {
        const report = await buildReport(ctx, SYSTEM, { companyId, from, to: now });
        const label = `company ${companyId}`;
        expect(report.resolution.minutes.median, label).toBeGreaterThan(0);
        expect(report.resolution.minutes.p90, label).toBeGreaterThan(report.resolution.minutes.median ?? 0);
        expect(report.firstResponse.minutes.median, label).toBeGreaterThan(0);
        expect(report.firstResponse.minutes.p90, label).toBeGreaterThan(0);
        // Some late, most on time.
        expect(report.resolution.percent, label).toBeGreaterThan(70);
        expect(report.resolution.percent, label).toBeLessThan(100);
        expect(report.firstResponse.percent, label).toBeLessThan(100);
        expect(report.rating.count, label).toBeGreaterThanOrEqual(8);
        expect(report.rating.average, label).toBeGreaterThanOrEqual(4);
        expect(report.assignees.length, label).toBeGreaterThanOrEqual(3);
      }
      // Per priority and company: every one has solved requests, none solved in "0 min".
      for (const companyId of companyIds) {
        for (const priority of PRIORITIES) {
          const minutes = tickets
            .filter(
              (t) => t.companyId === companyId && t.priority === priority && t.resolutionMinutes !== null,
            )
            .map((t) => t.resolutionMinutes as number)
            .sort((a, b) => a - b);
          const label = `company ${companyId} ${priority}`;
          expect(minutes.length, label).toBeGreaterThanOrEqual(2);
          expect(percentile(minutes, 0.5), label).toBeGreaterThan(0);
          expect(percentile(minutes, 0.9), label).toBeGreaterThan(0);
        }
      }
      const types = new Set(events.map((e) => e.type));
      for (const type of [
        'escalate_line2',
        'ask_customer',
        'schedule_visit',
        'check_in',
        'check_out',
        'reopen',
      ]) {
        expect(types, type).toContain(type);
      }
      expect(tickets.filter((t) => t.status === 'cancelled').length).toBeGreaterThan(0);
      const ratings = tickets.flatMap((t) => (t.rating === null ? [] : [t.rating]));
      expect(ratings.filter((r) => r >= 4).length / ratings.length).toBeGreaterThanOrEqual(0.75);
    });

    it("keeps every ticket's story in order and inside its calendar's working hours", async () => {
      const working = async (ticket: TicketRow, at: number) => {
        const { time } = await ctx.policies.forContract(ticket.contractId);
        // An interval's end (18:00 sharp) is still the working day.
        return time.isWorking(at) || time.isWorking(at - 1);
      };
      const byTicket = new Map<number, TicketEventRow[]>();
      for (const event of events)
        byTicket.set(event.ticketId, [...(byTicket.get(event.ticketId) ?? []), event]);
      for (const ticket of tickets) {
        const label = `#${ticket.number}`;
        expect(ticket.contractId, label).not.toBeNull();
        expect(await working(ticket, ticket.createdAt), `${label} created`).toBe(true);
        if (ticket.firstRespondedAt !== null) {
          expect(ticket.firstRespondedAt, label).toBeGreaterThan(ticket.createdAt);
          expect(await working(ticket, ticket.firstRespondedAt), `${label} answered`).toBe(true);
        }
        if (ticket.resolvedAt !== null) {
          expect(ticket.resolvedAt, label).toBeGreaterThan(
            ticket.firstRespondedAt ?? Number.POSITIVE_INFINITY,
          );
          expect(ticket.resolutionMinutes, label).toBeGreaterThan(0);
        }
        const story = byTicket.get(ticket.id) ?? [];
        expect(story[0]?.type, label).toBe('created');
        expect(story[0]?.at, label).toBe(ticket.createdAt);
        for (const [i, event] of story.entries()) {
          expect(event.at, `${label} ${event.type}`).toBeGreaterThanOrEqual(
            story[i - 1]?.at ?? ticket.createdAt,
          );
          expect(
            await working(ticket, event.at),
            `${label} ${event.type} at ${new Date(event.at).toISOString()}`,
          ).toBe(true);
        }
      }
    });

    it('keeps the demo people, and the requests the sandbox shows open now', () => {
      const people = sandboxPeople(ctx.db);
      expect(people.map((p) => p.personId).sort((a, b) => a - b)).toEqual(
        Object.values(ids as unknown as Record<keyof DemoPeople, number>).sort((a, b) => a - b),
      );
      expect(ids).toEqual({
        clientA: 1,
        managerA: 2,
        clientB: 3,
        managerB: 4,
        line1: 5,
        line2: 6,
        field: 7,
        supervisor: 8,
        admin: 9,
      });
      const open = tickets.filter((t) => !['closed', 'cancelled', 'resolved'].includes(t.status));
      expect(open.map((t) => [t.status, t.subject.slice(0, 24)])).toEqual([
        ['waiting_for_customer', '1С: Бухгалтерия выдаёт о'],
        ['in_progress', 'No network in the wareho'],
        ['new', 'Не приходит почта на ящи'],
        ['new', 'Ноутбук не включается по'],
      ]);
      const [, network] = open;
      expect(network?.visitStartsAt).toBeGreaterThan(now);
      expect(network?.assigneeId).toBe(ids.field);
      // The numbers follow the order the requests came in.
      const created = tickets.map((t) => t.createdAt);
      expect(created).toEqual([...created].sort((a, b) => a - b));
    });
  },
);

it('is the same demo every time it is seeded for the same moment', async () => {
  const now = NOWS[0] as number;
  const strip = ({ tickets, events }: Seeded) => ({ tickets, events });
  expect(strip(await seeded(now))).toEqual(strip(await seeded(now)));
});

// Reports over a hand-built data set. Every expected figure is computed by hand in the comments.
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../core/errors.ts';
import { exportTicketsCsv, reportCsv } from '../core/exports.ts';
import type { Priority, Status } from '../core/model.ts';
import { SYSTEM } from '../core/permissions.ts';
import { buildReport, percentile } from '../core/reports.ts';
import { execute } from '../db/access.ts';
import { type TicketRow, tickets } from '../db/schema.ts';
import { translator } from '../locales/index.ts';
import { at, makeWorld, type World } from './fixtures.ts';

const Q4 = { from: at('2026-10-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') };
const AS_OF = '2027-01-10T12:00:00Z';
const PAST = at('2026-12-01T00:00:00Z');
const FUTURE = at('2027-02-01T00:00:00Z');

let number = 5000;
async function put(
  w: World,
  row: Partial<TicketRow> & { status: Status; priority: Priority },
): Promise<void> {
  const created = row.createdAt ?? at('2026-11-15T09:00:00Z');
  await execute(
    w.ctx.db.insert(tickets).values({
      number: ++number,
      channel: 'telegram',
      requesterId: w.ids.clientA,
      companyId: w.companyA,
      subject: 'Report row',
      description: 'Report row',
      impact: 'person',
      urgency: 'medium',
      line: 'line1',
      createdAt: created,
      updatedAt: created,
      firstResponseDueAt: PAST,
      resolutionDueAt: PAST,
      ...row,
    }),
  );
}

async function world(): Promise<World> {
  number = 5000;
  const w = await makeWorld({ start: AS_OF });
  const { printer, network } = w.category;
  const { line1, line2 } = w.ids;
  // 1–2: closed on time by line1, rated 5 and 4; the first came from the company's own Telegram group,
  // counted apart from the private chat.
  await put(w, {
    channel: 'telegram_group',
    status: 'closed',
    priority: 'P2',
    categoryId: printer,
    assigneeId: line1,
    firstResponseMinutes: 10,
    firstResponseMet: true,
    resolutionMinutes: 100,
    resolutionMet: true,
    rating: 5,
  });
  await put(w, {
    status: 'closed',
    priority: 'P3',
    channel: 'email',
    categoryId: printer,
    assigneeId: line1,
    firstResponseMinutes: 30,
    firstResponseMet: true,
    resolutionMinutes: 400,
    resolutionMet: true,
    rating: 4,
  });
  // 3: answered and solved late by line2.
  await put(w, {
    status: 'resolved',
    priority: 'P3',
    categoryId: network,
    assigneeId: line2,
    firstResponseMinutes: 90,
    firstResponseMet: false,
    resolutionMinutes: 1000,
    resolutionMet: false,
  });
  // 4: answered in time, still in progress past its resolution due time → counts as missed.
  await put(w, {
    status: 'in_progress',
    priority: 'P1',
    channel: 'phone',
    categoryId: network,
    assigneeId: line2,
    firstResponseMinutes: 5,
    firstResponseMet: true,
  });
  // 5: waiting for the customer past the due time: paused, so not decided.
  await put(w, {
    status: 'waiting_for_customer',
    priority: 'P4',
    channel: 'web',
    assigneeId: line2,
    firstResponseMinutes: 20,
    firstResponseMet: true,
    slaPausedAt: PAST,
  });
  // 6: new, nothing due yet.
  await put(w, {
    status: 'new',
    priority: 'P4',
    categoryId: printer,
    firstResponseDueAt: FUTURE,
    resolutionDueAt: FUTURE,
  });
  // 7: new and overdue on both clocks.
  await put(w, { status: 'new', priority: 'P3', categoryId: printer });
  // 8: cancelled: counted, but no SLA figures.
  await put(w, { status: 'cancelled', priority: 'P2', channel: 'email', categoryId: network });
  // 9: same company, previous quarter: outside the period.
  await put(w, {
    status: 'closed',
    priority: 'P3',
    categoryId: printer,
    assigneeId: line1,
    createdAt: at('2026-09-30T23:59:59Z'),
    firstResponseMinutes: 50,
    firstResponseMet: true,
    resolutionMinutes: 700,
    resolutionMet: true,
    rating: 2,
  });
  // 10: company B, in the period.
  await put(w, {
    status: 'closed',
    priority: 'P1',
    companyId: w.companyB,
    requesterId: w.ids.clientB,
    assigneeId: line1,
    firstResponseMinutes: 3,
    firstResponseMet: true,
    resolutionMinutes: 60,
    resolutionMet: true,
    rating: 1,
  });
  return w;
}

describe('a company report for a quarter', () => {
  let w: World;
  let r: Awaited<ReturnType<typeof buildReport>>;
  beforeAll(async () => {
    w = await world();
    r = await buildReport(w.ctx, w.as.managerA, { companyId: w.companyA, ...Q4 });
  });

  it('counts tickets by status, priority, channel and category', () => {
    expect(r.total).toBe(8);
    expect(r.byStatus).toEqual({
      closed: 2,
      resolved: 1,
      in_progress: 1,
      waiting_for_customer: 1,
      new: 2,
      cancelled: 1,
    });
    expect(r.byPriority).toEqual({ P1: 1, P2: 2, P3: 3, P4: 2 });
    expect(r.byChannel).toEqual({ telegram: 3, telegram_group: 1, email: 2, phone: 1, web: 1 });
    expect(r.byCategory.map((c) => [c.nameEn, c.count])).toEqual([
      ['Printer', 4],
      ['Network', 3],
      [null, 1],
    ]);
  });

  it('computes SLA compliance over the decided tickets', () => {
    // First response: 1, 2, 4, 5 met; 3 late; 7 overdue unanswered; 6 undecided; 8 cancelled → 4 / 6.
    expect(r.firstResponse).toMatchObject({ decided: 6, met: 4 });
    expect(r.firstResponse.percent).toBeCloseTo((4 / 6) * 100, 10);
    // Resolution: 1, 2 met; 3 late; 4 and 7 overdue; 5 paused and 6 not due → 2 / 5.
    expect(r.resolution).toMatchObject({ decided: 5, met: 2, percent: 40 });
  });

  it('gives median and 90th percentile times in business minutes', () => {
    // 5, 10, 20, 30, 90: median 20; p90 at rank 3.6 → 30 + 0.6 × 60 = 66.
    expect(r.firstResponse.minutes).toEqual({ count: 5, median: 20, p90: 66 });
    // 100, 400, 1000: median 400; p90 at rank 1.8 → 400 + 0.8 × 600 = 880.
    expect(r.resolution.minutes.median).toBe(400);
    expect(r.resolution.minutes.p90).toBeCloseTo(880, 10);
    expect(r.rating).toEqual({ count: 2, average: 4.5 });
  });

  it('gives per-assignee figures', () => {
    expect(r.assignees).toEqual([
      {
        assigneeId: w.ids.line2,
        name: 'Line Two',
        tickets: 3,
        resolved: 1,
        resolution: { decided: 2, met: 0, percent: 0 },
        resolutionMinutes: { count: 1, median: 1000, p90: 1000 },
        averageRating: null,
      },
      {
        assigneeId: w.ids.line1,
        name: 'Line One',
        tickets: 2,
        resolved: 2,
        resolution: { decided: 2, met: 2, percent: 100 },
        resolutionMinutes: { count: 2, median: 250, p90: 370 },
        averageRating: 4.5,
      },
    ]);
  });

  it('covers all companies for staff', async () => {
    const all = await buildReport(w.ctx, SYSTEM, { companyId: null, ...Q4 });
    expect(all.total).toBe(9);
    expect(all.rating.count).toBe(3);
    expect(all.rating.average).toBeCloseTo(10 / 3, 10);
    expect(all.firstResponse).toMatchObject({ decided: 7, met: 5 });
  });

  it('rejects a bad period', async () => {
    await expect(buildReport(w.ctx, SYSTEM, { companyId: null, from: Q4.to, to: Q4.from })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(
      buildReport(w.ctx, SYSTEM, { companyId: null, from: Date.UTC(2000, 0, 1), to: Date.UTC(2010, 0, 2) }),
    ).rejects.toThrow(/five years/);
  });

  it('exports the report as CSV in the reader’s language', async () => {
    const ru = await reportCsv(w.ctx, r, { t: translator('ru'), language: 'ru', timeZone: 'Europe/Moscow' });
    expect(ru.startsWith('\uFEFF')).toBe(true);
    const lines = ru.slice(1).split('\r\n');
    expect(lines[0]).toBe('Раздел,Показатель,Значение');
    expect(lines).toContain('Период,Компания,Alpha LLC');
    expect(lines).toContain('Период,2026-10-01 03:00,2027-01-01 03:00');
    expect(lines).toContain('SLA,"Реакция в срок, %",66.7');
    expect(lines).toContain('SLA,"Время решения, 90-й процентиль (раб. мин)",880');
    expect(lines).toContain('По категориям,Без категории,1');
    const en = await reportCsv(w.ctx, r, { t: translator('en'), language: 'en', timeZone: 'UTC' });
    expect(en).toContain('SLA,"Resolved on time, %",40');
    expect(en).toContain('By assignee,Line One: average rating,4.5');
  });
});

describe('the ticket list export', () => {
  it('writes one row per ticket with local times, and defuses formulas', async () => {
    const w = await world();
    await put(w, {
      status: 'new',
      priority: 'P1',
      subject: '=HYPERLINK("http://evil")',
      createdAt: at('2026-12-31T21:30:00Z'),
    });
    const csv = await exportTicketsCsv(
      w.ctx,
      w.as.managerA,
      { from: Q4.from, to: Q4.to },
      {
        t: translator('en'),
        language: 'en',
        timeZone: 'Europe/Moscow',
      },
    );
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(
      /^Number,Created \(Europe\/Moscow\),Company,Requester,Channel,Category,Subject,Priority,Status/,
    );
    expect(lines).toHaveLength(1 + 9); // 8 of company A in the quarter + the new one
    expect(lines[1]).toContain(
      `5011,2027-01-01 00:30,Alpha LLC,Client A,Telegram,,"'=HYPERLINK(""http://evil"")",P1,New`,
    );
    expect(csv).not.toContain('Beta JSC');
  });
});

describe('percentile', () => {
  it('interpolates between ranks', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(91);
  });
});

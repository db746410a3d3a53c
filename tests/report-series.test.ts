// The series beside a report, over a hand-built set: tickets per local day (per ISO week past 92 days),
// by priority and category, in a given zone, across a daylight-saving change.
import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidInputError } from '../core/errors.ts';
import type { Priority } from '../core/model.ts';
import { reportSeries } from '../core/report-series.ts';
import { execute } from '../db/access.ts';
import { type TicketRow, tickets } from '../db/schema.ts';
import { at, makeWorld, type World } from './fixtures.ts';

let number = 9000;
async function put(
  w: World,
  createdAt: number,
  priority: Priority,
  extra: Partial<TicketRow> = {},
): Promise<void> {
  await execute(
    w.ctx.db.insert(tickets).values({
      number: ++number,
      channel: 'telegram',
      requesterId: w.ids.clientA,
      companyId: w.companyA,
      subject: 'Row',
      description: 'Row',
      impact: 'person',
      urgency: 'medium',
      priority,
      status: 'new',
      line: 'line1',
      createdAt,
      updatedAt: createdAt,
      firstResponseDueAt: createdAt,
      resolutionDueAt: createdAt,
      ...extra,
    }),
  );
}

describe('report series', () => {
  it('counts per local day in the zone, by priority and by category', async () => {
    const w = await makeWorld({ start: '2027-01-10T12:00:00Z' });
    const { printer, network } = w.category;
    // Berlin leaves summer time at 03:00 on 25 October 2026 (that day has 25 hours).
    await put(w, at('2026-10-24T23:59:00+02:00'), 'P1', { categoryId: printer }); // the 24th
    await put(w, at('2026-10-25T00:00:00+02:00'), 'P1', { categoryId: printer }); // the 25th
    await put(w, at('2026-10-25T23:30:00+01:00'), 'P2', { categoryId: network }); // still the 25th (22:30 UTC)
    await put(w, at('2026-10-26T00:10:00+01:00'), 'P2'); // the 26th, 23:10 UTC on the 25th
    await put(w, at('2026-10-27T12:00:00+01:00'), 'P4', {
      companyId: w.companyB,
      requesterId: w.ids.clientB,
    });
    const q = {
      from: at('2026-10-24T00:00:00+02:00'),
      to: at('2026-10-28T00:00:00+01:00'),
      timeZone: 'Europe/Berlin',
    };

    const all = await reportSeries(w.ctx, w.as.supervisor, q, 'en');
    expect(all.bucket).toBe('day');
    expect(all.days).toEqual(['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27']);
    expect(all.byPriority).toEqual({
      P1: [1, 1, 0, 0],
      P2: [0, 1, 1, 0],
      P3: [0, 0, 0, 0],
      P4: [0, 0, 0, 1],
    });
    expect(all.byCategory).toEqual([
      { categoryId: null, name: null, counts: [0, 0, 1, 1] },
      { categoryId: printer, name: 'Printer', counts: [1, 1, 0, 0] },
      { categoryId: network, name: 'Network', counts: [0, 1, 0, 0] },
    ]);

    const a = await reportSeries(w.ctx, w.as.managerA, { ...q, companyId: w.companyA }, 'ru');
    expect(a.byPriority.P4).toEqual([0, 0, 0, 0]);
    expect(a.byCategory.find((c) => c.categoryId === printer)?.name).toBe('Принтер');

    // The same instants in UTC fall on other days.
    const utc = await reportSeries(w.ctx, w.as.supervisor, { ...q, timeZone: 'UTC' }, 'en');
    expect(utc.days).toEqual(['2026-10-23', '2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27']);
    expect(utc.byPriority.P2).toEqual([0, 0, 2, 0, 0]);
  });

  it('counts per ISO week, labelled by Monday, for periods over 31 days (a quarter is weeks)', async () => {
    const w = await makeWorld({ start: '2027-01-10T12:00:00Z' });
    await put(w, at('2026-09-01T10:00:00+03:00'), 'P3'); // Tuesday: week of 31 August
    await put(w, at('2026-09-06T23:00:00+03:00'), 'P3'); // Sunday: same week
    await put(w, at('2026-09-07T00:30:00+03:00'), 'P3'); // Monday: next week
    await put(w, at('2026-12-31T23:00:00+03:00'), 'P1'); // Thursday of the last week
    const from = at('2026-09-01T00:00:00+03:00');
    const to = at('2027-01-01T00:00:00+03:00');
    const s = await reportSeries(w.ctx, w.as.admin, { from, to, timeZone: 'Europe/Moscow' }, 'en');
    expect(s.bucket).toBe('week');
    expect(s.days[0]).toBe('2026-08-31');
    expect(s.days[1]).toBe('2026-09-07');
    expect(s.days.at(-1)).toBe('2026-12-28');
    expect(s.days).toHaveLength(18);
    expect(s.byPriority.P3.slice(0, 2)).toEqual([2, 1]);
    expect(s.byPriority.P1.at(-1)).toBe(1);
    expect(s.byPriority.P3.reduce((x, y) => x + y)).toBe(3);

    // 31 days exactly (a long month) are still days; a quarter is thirteen or fourteen weeks.
    const days = await reportSeries(
      w.ctx,
      w.as.admin,
      { from, to: from + 31 * 86_400_000, timeZone: 'Europe/Moscow' },
      'en',
    );
    expect(days.bucket).toBe('day');
    expect(days.days).toHaveLength(31);
    const quarter = await reportSeries(
      w.ctx,
      w.as.admin,
      { from, to: at('2026-12-01T00:00:00+03:00'), timeZone: 'Europe/Moscow' },
      'en',
    );
    expect(quarter.bucket).toBe('week');
    expect(quarter.days).toHaveLength(14);
  });

  it('is refused to clients and to managers of another company, and checks its input', async () => {
    const w = await makeWorld();
    const q = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2), timeZone: 'UTC' };
    await expect(reportSeries(w.ctx, w.as.clientA, { ...q, companyId: w.companyA }, 'en')).rejects.toThrow(
      ForbiddenError,
    );
    await expect(reportSeries(w.ctx, w.as.managerB, { ...q, companyId: w.companyA }, 'en')).rejects.toThrow(
      ForbiddenError,
    );
    await expect(reportSeries(w.ctx, w.as.managerA, q, 'en')).rejects.toThrow(ForbiddenError);
    await expect(reportSeries(w.ctx, w.as.field, q, 'en')).rejects.toThrow(ForbiddenError);
    await expect(reportSeries(w.ctx, w.as.admin, { ...q, timeZone: 'Mars/Olympus' }, 'en')).rejects.toThrow(
      InvalidInputError,
    );
    await expect(reportSeries(w.ctx, w.as.admin, { ...q, to: -1 }, 'en')).rejects.toThrow(InvalidInputError);
  });
});

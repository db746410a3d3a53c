// Business time over long spans: `between` sums the whole days in between from running sums instead of
// walking them, and must give exactly what the day-by-day walk gives (spans shorter than a day still walk).
import { describe, expect, it } from 'vitest';
import { randomSource } from '../bench/seed-store.ts';
import { type CalendarSpec, compileCalendar, workWeek } from '../core/calendar/business-calendar.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The same span cut into pieces shorter than a day, each measured by the day-by-day walk. */
function walked(time: ReturnType<typeof compileCalendar>, from: number, to: number): number {
  let total = 0;
  for (let start = from; start < to; start += 20 * HOUR)
    total += time.between(start, Math.min(to, start + 20 * HOUR));
  return total;
}

const specs: Record<string, CalendarSpec> = {
  moscow: {
    timeZone: 'Europe/Moscow',
    week: workWeek(['09:00-13:00', '14:00-18:00']),
    exceptions: [
      { date: '2025-01-01', hours: [] },
      { date: '2025-03-07', hours: ['09:00-17:00'] },
      { date: '2026-05-01', hours: [] },
    ],
  },
  // Daylight saving time both ways, and a night shift that ends at midnight.
  berlin: {
    timeZone: 'Europe/Berlin',
    week: { ...workWeek(['08:00-12:00']), sat: ['20:00-24:00'] },
    exceptions: [{ date: '2025-10-26', hours: ['00:00-24:00'] }],
  },
};

describe('business time over long spans', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`${name}: equals the day-by-day sum, in any order of asking`, () => {
      const time = compileCalendar(spec);
      const random = randomSource(7);
      const origin = Date.UTC(2024, 0, 1);
      for (let i = 0; i < 300; i++) {
        const from = origin + Math.floor(random() * 900 * DAY);
        const to = from + Math.floor(random() * random() * 600 * DAY);
        expect(time.between(from, to)).toBe(walked(time, from, to));
      }
    });
  }

  it('a ticket two years old: the same figure, asked many times', () => {
    const time = compileCalendar(specs.moscow as CalendarSpec);
    const from = Date.UTC(2024, 6, 1, 10);
    const to = Date.UTC(2026, 6, 1, 10);
    const expected = walked(time, from, to);
    for (let i = 0; i < 1000; i++) expect(time.between(from, to)).toBe(expected);
    // Asked from later and earlier origins than the running sums started at.
    expect(time.between(from + 400 * DAY, to)).toBe(walked(time, from + 400 * DAY, to));
    expect(time.between(from - 400 * DAY, to)).toBe(walked(time, from - 400 * DAY, to));
  });
});

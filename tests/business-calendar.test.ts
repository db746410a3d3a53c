import { describe, expect, it } from 'vitest';
import {
  type CalendarSpec,
  calendarSpecSchema,
  compileCalendar,
  type DayHours,
  roundTheClock,
  type Weekday,
} from '../core/calendar/business-calendar.ts';
import { isValidTimeZone, localDateOf, zonedTimeToUtc } from '../core/calendar/time-zone.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

function weekOf(weekdays: DayHours, weekend: DayHours = []): Record<Weekday, DayHours> {
  return {
    mon: weekdays,
    tue: weekdays,
    wed: weekdays,
    thu: weekdays,
    fri: weekdays,
    sat: weekend,
    sun: weekend,
  };
}

const moscowSpec: CalendarSpec = { timeZone: 'Europe/Moscow', week: weekOf(['09:00-18:00']), exceptions: [] };
const moscow = compileCalendar(moscowSpec);

describe('Moscow Mon–Fri 09:00–18:00 (UTC+3, no DST)', () => {
  it('carries 4 hours from Friday afternoon over to Monday', () => {
    // Fri 15:00 → 3 h left on Friday (15–18), 1 h on Monday → Mon 10:00
    expect(moscow.add(at('2026-03-13T15:00:00+03:00'), 4 * HOUR)).toBe(at('2026-03-16T10:00:00+03:00'));
    // Fri 17:30 → 0.5 h on Friday, 3.5 h on Monday → Mon 12:30
    expect(moscow.add(at('2026-03-13T17:30:00+03:00'), 4 * HOUR)).toBe(at('2026-03-16T12:30:00+03:00'));
  });

  it('starts counting at the next morning when created after hours', () => {
    // Tue 20:00 → counting starts Wed 09:00 → +2 h = Wed 11:00
    expect(moscow.add(at('2026-03-10T20:00:00+03:00'), 2 * HOUR)).toBe(at('2026-03-11T11:00:00+03:00'));
    // Exactly one working day lands on the end of that day, not on the next morning
    expect(moscow.add(at('2026-03-10T20:00:00+03:00'), 9 * HOUR)).toBe(at('2026-03-11T18:00:00+03:00'));
  });

  it('starts counting on Monday when created on Saturday', () => {
    // Sat 11:00 → Mon 09:00 + 1 h = Mon 10:00
    expect(moscow.add(at('2026-03-14T11:00:00+03:00'), HOUR)).toBe(at('2026-03-16T10:00:00+03:00'));
  });

  it('returns start unchanged for a zero duration, even outside hours', () => {
    const saturday = at('2026-03-14T11:00:00+03:00');
    expect(moscow.add(saturday, 0)).toBe(saturday);
  });

  it('rejects negative durations', () => {
    expect(() => moscow.add(at('2026-03-16T10:00:00+03:00'), -1)).toThrow(/non-negative/);
  });

  it('isWorking at the edges: 09:00 is working, 18:00 is not', () => {
    expect(moscow.isWorking(at('2026-03-16T08:59:59.999+03:00'))).toBe(false);
    expect(moscow.isWorking(at('2026-03-16T09:00:00+03:00'))).toBe(true);
    expect(moscow.isWorking(at('2026-03-16T17:59:59.999+03:00'))).toBe(true);
    expect(moscow.isWorking(at('2026-03-16T18:00:00+03:00'))).toBe(false);
    expect(moscow.isWorking(at('2026-03-14T12:00:00+03:00'))).toBe(false); // Saturday
  });

  it('between counts only working time and is 0 for empty ranges', () => {
    // Fri 17:00 → Mon 10:00: 1 h Friday + 1 h Monday
    expect(moscow.between(at('2026-03-13T17:00:00+03:00'), at('2026-03-16T10:00:00+03:00'))).toBe(2 * HOUR);
    const t = at('2026-03-16T10:00:00+03:00');
    expect(moscow.between(t, t)).toBe(0);
    expect(moscow.between(t + HOUR, t)).toBe(0);
  });

  it('between over a whole year stays exact and fast', () => {
    // 2026 starts on a Thursday: 52 full weeks (260 weekdays) + Thu 31 Dec = 261 days × 9 h
    const started = performance.now();
    expect(moscow.between(at('2026-01-01T00:00:00+03:00'), at('2027-01-01T00:00:00+03:00'))).toBe(
      261 * 9 * HOUR,
    );
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('exceptions: holidays, shortened days, working Saturdays', () => {
  const november = compileCalendar({
    ...moscowSpec,
    exceptions: [
      { date: '2026-11-03', name: 'Pre-holiday (shortened)', hours: ['09:00-17:00'] },
      { date: '2026-11-04', name: 'Unity Day', hours: [] },
      { date: '2026-11-07', name: 'Working Saturday', hours: ['09:00-18:00'] },
    ],
  });

  it('skips a holiday', () => {
    // Tue 3 Nov 16:00 → 1 h until the shortened 17:00 close, Wed 4 Nov is off, Thu 09:00 + 1 h = 10:00
    expect(november.add(at('2026-11-03T16:00:00+03:00'), 2 * HOUR)).toBe(at('2026-11-05T10:00:00+03:00'));
    expect(november.isWorking(at('2026-11-04T11:00:00+03:00'))).toBe(false);
    // Mon 2 Nov 09:00 → Fri 6 Nov 09:00: 9 h Mon + 8 h Tue (shortened) + 0 Wed + 9 h Thu
    expect(november.between(at('2026-11-02T09:00:00+03:00'), at('2026-11-06T09:00:00+03:00'))).toBe(
      26 * HOUR,
    );
  });

  it('uses shortened hours on a pre-holiday day', () => {
    expect(november.isWorking(at('2026-11-03T16:59:00+03:00'))).toBe(true);
    expect(november.isWorking(at('2026-11-03T17:00:00+03:00'))).toBe(false);
  });

  it('works on an exceptional working Saturday', () => {
    // Fri 6 Nov 17:00 → 1 h on Friday, then Sat 7 Nov 09:00 + 2 h = Sat 11:00
    expect(november.add(at('2026-11-06T17:00:00+03:00'), 3 * HOUR)).toBe(at('2026-11-07T11:00:00+03:00'));
    // The ordinary Saturday after it is still off: Sat 14 Nov 10:00 → Mon 16 Nov 09:00 + 1 h
    expect(november.add(at('2026-11-14T10:00:00+03:00'), HOUR)).toBe(at('2026-11-16T10:00:00+03:00'));
  });
});

describe('lunch break (two intervals per day)', () => {
  const withLunch = compileCalendar({
    timeZone: 'Europe/Moscow',
    week: weekOf(['09:00-13:00', '14:00-18:00']),
    exceptions: [],
  });

  it('skips the break', () => {
    // Mon 12:00 → 1 h until 13:00, resume 14:00 + 1 h = 15:00
    expect(withLunch.add(at('2026-03-16T12:00:00+03:00'), 2 * HOUR)).toBe(at('2026-03-16T15:00:00+03:00'));
    // Created during lunch: counting starts at 14:00 → 14:30
    expect(withLunch.add(at('2026-03-16T13:15:00+03:00'), 30 * MINUTE)).toBe(at('2026-03-16T14:30:00+03:00'));
    expect(withLunch.isWorking(at('2026-03-16T13:30:00+03:00'))).toBe(false);
    expect(withLunch.between(at('2026-03-16T09:00:00+03:00'), at('2026-03-16T18:00:00+03:00'))).toBe(
      8 * HOUR,
    );
  });
});

describe('time zones', () => {
  it('the same local hours in Moscow and Novosibirsk give due times 4 hours apart', () => {
    const novosibirsk = compileCalendar({ ...moscowSpec, timeZone: 'Asia/Novosibirsk' });
    // Mon 2026-03-16 00:00 UTC is before opening in both zones; +1 h →
    // Moscow 10:00+03 = 07:00Z, Novosibirsk 10:00+07 = 03:00Z
    const start = at('2026-03-16T00:00:00Z');
    const dueMoscow = moscow.add(start, HOUR);
    const dueNovosibirsk = novosibirsk.add(start, HOUR);
    expect(dueMoscow).toBe(at('2026-03-16T07:00:00Z'));
    expect(dueNovosibirsk).toBe(at('2026-03-16T03:00:00Z'));
    expect(dueMoscow - dueNovosibirsk).toBe(4 * HOUR);
  });

  it('helpers: local date, DST gap and overlap, zone validation', () => {
    // Sun 2026-03-29 23:30Z is already Mon 30 Mar 02:30 in Moscow (ISO weekday 1)
    expect(localDateOf(at('2026-03-29T23:30:00Z'), 'Europe/Moscow')).toEqual({
      year: 2026,
      month: 3,
      day: 30,
      weekday: 1,
    });
    // Berlin 2026-03-29 02:30 does not exist (clocks jump 02:00 → 03:00): maps to the gap's end, 03:00+02
    expect(zonedTimeToUtc(2026, 3, 29, 150, 'Europe/Berlin')).toBe(at('2026-03-29T03:00:00+02:00'));
    // Berlin 2026-10-25 02:30 happens twice: the earlier one is 02:30+02
    expect(zonedTimeToUtc(2026, 10, 25, 150, 'Europe/Berlin')).toBe(at('2026-10-25T02:30:00+02:00'));
    // Minute 1440 is the next day's midnight
    expect(zonedTimeToUtc(2026, 3, 16, 1440, 'Europe/Moscow')).toBe(at('2026-03-17T00:00:00+03:00'));
    expect(isValidTimeZone('Asia/Novosibirsk')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('DST (Europe/Berlin)', () => {
  const allDay = compileCalendar({
    timeZone: 'Europe/Berlin',
    week: weekOf(['00:00-24:00'], ['00:00-24:00']),
    exceptions: [],
  });

  it('a local-day calendar has a 23 h spring Sunday and a 25 h autumn Sunday', () => {
    // Sun 29 Mar 2026: 00:00+01 → 00:00+02 next day = 23 h
    expect(allDay.between(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(23 * HOUR);
    // Sun 25 Oct 2026: 00:00+02 → 00:00+01 next day = 25 h
    expect(allDay.between(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(25 * HOUR);
    // Adding across the gap: 01:30+01 (00:30Z) + 1 h = 01:30Z = 03:30+02
    expect(allDay.add(at('2026-03-29T01:30:00+01:00'), HOUR)).toBe(at('2026-03-29T03:30:00+02:00'));
    expect(allDay.isWorking(at('2026-03-29T02:00:00Z'))).toBe(true);
  });

  it('an interval starting inside the gap begins when the gap ends; in the overlap, at the earlier instant', () => {
    const sundayNight = compileCalendar({
      timeZone: 'Europe/Berlin',
      week: { ...weekOf([]), sun: ['02:30-05:00'] },
      exceptions: [],
    });
    // Spring: 02:30 does not exist → 03:00+02 … 05:00+02 = 2 h
    expect(sundayNight.isWorking(at('2026-03-29T01:59:59+01:00'))).toBe(false);
    expect(sundayNight.isWorking(at('2026-03-29T03:00:00+02:00'))).toBe(true);
    expect(sundayNight.between(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(
      2 * HOUR,
    );
    // Autumn: 02:30+02 (00:30Z) … 05:00+01 (04:00Z) = 3.5 h
    expect(sundayNight.between(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(
      3.5 * HOUR,
    );
    // An ordinary Sunday: 2.5 h
    expect(sundayNight.between(at('2026-04-05T00:00:00+02:00'), at('2026-04-06T00:00:00+02:00'))).toBe(
      2.5 * HOUR,
    );
  });
});

/** mulberry32: tiny deterministic PRNG so failures reproduce. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('between is the inverse of add', () => {
  const calendars = {
    'Moscow with lunch and holidays': compileCalendar({
      timeZone: 'Europe/Moscow',
      week: weekOf(['09:00-13:00', '14:00-18:00'], []),
      exceptions: [
        { date: '2026-05-01', hours: [] },
        { date: '2026-05-09', hours: [] },
        { date: '2026-11-03', hours: ['09:00-17:00'] },
        { date: '2026-11-04', hours: [] },
        { date: '2026-12-27', hours: ['10:00-15:00'] },
      ],
    }),
    'Berlin night shifts across DST': compileCalendar({
      timeZone: 'Europe/Berlin',
      week: { ...weekOf(['00:00-06:00', '22:00-24:00']), sun: ['01:30-03:30'] },
      exceptions: [],
    }),
  };

  for (const [name, calendar] of Object.entries(calendars)) {
    it(`${name}: between(s, add(s, d)) === d and add(s, between(s, t)) <= t`, () => {
      const random = seededRandom(20260306);
      const yearStart = at('2026-01-01T00:00:00Z');
      let workingStarts = 0;
      for (let i = 0; i < 3000; i++) {
        const start = yearStart + Math.floor(random() * 365 * 24 * HOUR);
        const duration = Math.floor(random() * 80 * HOUR);
        if (calendar.isWorking(start)) workingStarts++;
        // Holds for any start: time before the first working instant counts as zero.
        expect(calendar.between(start, calendar.add(start, duration))).toBe(duration);

        const end = start + Math.floor(random() * 30 * 24 * HOUR);
        const reached = calendar.add(start, calendar.between(start, end));
        expect(reached).toBeLessThanOrEqual(end);
        expect(calendar.between(reached, end)).toBe(0);
      }
      expect(workingStarts).toBeGreaterThan(300);
    });
  }
});

describe('roundTheClock', () => {
  it('is plain arithmetic', () => {
    const start = at('2026-03-14T23:00:00+03:00');
    expect(roundTheClock.add(start, 5 * HOUR)).toBe(at('2026-03-15T04:00:00+03:00'));
    expect(roundTheClock.between(start, start + 7 * HOUR)).toBe(7 * HOUR);
    expect(roundTheClock.between(start, start - HOUR)).toBe(0);
    expect(roundTheClock.isWorking(start)).toBe(true);
  });
});

describe('calendarSpecSchema and compileCalendar validation', () => {
  const withMonday = (mon: DayHours): CalendarSpec => ({ ...moscowSpec, week: { ...moscowSpec.week, mon } });
  const cases: [string, CalendarSpec, RegExp][] = [
    [
      'unknown zone',
      { ...moscowSpec, timeZone: 'Mars/Olympus' },
      /timeZone: Unknown IANA time zone "Mars\/Olympus"/,
    ],
    [
      'end before start',
      withMonday(['18:00-09:00']),
      /week\.mon\.0: "18:00-09:00" must start before it ends/,
    ],
    [
      'overlapping intervals',
      withMonday(['09:00-13:00', '12:00-18:00']),
      /week\.mon\.1: "12:00-18:00" overlaps or comes before "09:00-13:00"/,
    ],
    [
      'unsorted intervals',
      withMonday(['14:00-18:00', '09:00-13:00']),
      /"09:00-13:00" overlaps or comes before "14:00-18:00"/,
    ],
    ['malformed interval', withMonday(['9-18']), /"9-18" is not a time interval of the form "HH:MM-HH:MM"/],
    ['invalid hour', withMonday(['25:00-26:00']), /"25:00-26:00" has an invalid start time/],
    [
      'impossible date',
      { ...moscowSpec, exceptions: [{ date: '2026-02-30', hours: [] }] },
      /exceptions\.0\.date: "2026-02-30" is not a valid date/,
    ],
    [
      'duplicate date',
      {
        ...moscowSpec,
        exceptions: [
          { date: '2026-11-04', hours: [] },
          { date: '2026-11-04', hours: ['09:00-12:00'] },
        ],
      },
      /Duplicate exception for 2026-11-04/,
    ],
    [
      'a week with no hours',
      { ...moscowSpec, week: weekOf([]) },
      /week: The week has no working hours at all/,
    ],
  ];

  for (const [name, spec, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(calendarSpecSchema.safeParse(spec).success).toBe(false);
      expect(() => compileCalendar(spec)).toThrow(message);
      expect(() => compileCalendar(spec)).toThrow(/^Invalid business calendar: /);
    });
  }

  it('accepts 24:00 as an end and touching intervals', () => {
    expect(calendarSpecSchema.safeParse(withMonday(['00:00-12:00', '12:00-24:00'])).success).toBe(true);
  });
});

describe('loop guard', () => {
  it('throws instead of looping when no working time exists for ~10 years', () => {
    // Only Mondays work, and every Monday from 2026-03-16 for 11 years is a holiday.
    const exceptions: CalendarSpec['exceptions'] = [];
    for (
      let monday = at('2026-03-16T00:00:00Z');
      monday < at('2037-03-16T00:00:00Z');
      monday += 7 * 24 * HOUR
    ) {
      exceptions.push({ date: new Date(monday).toISOString().slice(0, 10), hours: [] });
    }
    const neverWorks = compileCalendar({
      timeZone: 'Europe/Moscow',
      week: { ...weekOf([]), mon: ['09:00-18:00'] },
      exceptions,
    });
    expect(() => neverWorks.add(at('2026-03-14T10:00:00+03:00'), HOUR)).toThrow(/No working time within/);
  });
});

describe('addBusinessDays (the same wall time N working days later)', () => {
  const november = compileCalendar({
    ...moscowSpec,
    exceptions: [
      { date: '2026-11-04', name: 'Unity Day', hours: [] },
      { date: '2026-11-07', name: 'Working Saturday (short)', hours: ['10:00-14:00'] },
    ],
  });

  it('counts weekdays and skips the weekend', () => {
    // Mon → Tue (1), Wed (2), Thu (3)
    expect(moscow.addBusinessDays(at('2026-03-16T10:00:00+03:00'), 3)).toBe(at('2026-03-19T10:00:00+03:00'));
    // Fri → Mon
    expect(moscow.addBusinessDays(at('2026-03-13T15:00:30.123+03:00'), 1)).toBe(
      at('2026-03-16T15:00:30.123+03:00'),
    );
    // From a Saturday the first business day is Monday
    expect(moscow.addBusinessDays(at('2026-03-14T12:00:00+03:00'), 1)).toBe(at('2026-03-16T12:00:00+03:00'));
    // Outside working hours the wall time is kept: Fri 20:00 → Mon 20:00
    expect(moscow.addBusinessDays(at('2026-03-13T20:00:00+03:00'), 1)).toBe(at('2026-03-16T20:00:00+03:00'));
    expect(moscow.addBusinessDays(at('2026-03-13T20:00:00+03:00'), 0)).toBe(at('2026-03-13T20:00:00+03:00'));
  });

  it('skips a holiday and counts a working Saturday, however short', () => {
    // Mon 2 Nov → Tue 3 (1), Wed 4 holiday, Thu 5 (2), Fri 6 (3)
    expect(november.addBusinessDays(at('2026-11-02T10:00:00+03:00'), 3)).toBe(
      at('2026-11-06T10:00:00+03:00'),
    );
    // Thu 5 Nov → Fri 6 (1), Sat 7 working (2), Mon 9 (3)
    expect(november.addBusinessDays(at('2026-11-05T16:00:00+03:00'), 3)).toBe(
      at('2026-11-09T16:00:00+03:00'),
    );
  });

  it('keeps the wall time across a DST change, and moves a time inside a gap to its end', () => {
    const berlin = compileCalendar({ ...moscowSpec, timeZone: 'Europe/Berlin' });
    // Clocks go forward on Sunday 29 March 2026: Fri 15:00 CET → Mon 15:00 CEST, 71 h later
    const friday = at('2026-03-27T15:00:00+01:00');
    expect(berlin.addBusinessDays(friday, 1)).toBe(at('2026-03-30T15:00:00+02:00'));
    expect(berlin.addBusinessDays(friday, 1) - friday).toBe(71 * HOUR);
    // New York springs forward at 02:00 on Sunday 8 March 2026: 02:30 does not exist that day
    const newYork = compileCalendar({
      timeZone: 'America/New_York',
      week: weekOf(['00:00-24:00'], ['00:00-24:00']),
      exceptions: [],
    });
    expect(newYork.addBusinessDays(at('2026-03-07T02:30:00-05:00'), 1)).toBe(at('2026-03-08T03:00:00-04:00'));
  });

  it('is whole days on a 24/7 calendar, and refuses negative or fractional counts', () => {
    const start = at('2026-11-07T12:34:56+03:00');
    expect(roundTheClock.addBusinessDays(start, 3)).toBe(start + 72 * HOUR);
    for (const time of [moscow, roundTheClock]) {
      expect(() => time.addBusinessDays(start, -1)).toThrow(RangeError);
      expect(() => time.addBusinessDays(start, 1.5)).toThrow(RangeError);
      expect(() => time.addBusinessDays(start, Number.NaN)).toThrow(RangeError);
    }
  });
});

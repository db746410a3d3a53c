/**
 * Business-time arithmetic over a business calendar (working hours per weekday + dated exceptions).
 *
 * Working intervals are defined per local day and never cross midnight. Each local day is turned
 * into UTC intervals once and cached, so the hot path (add / between / isWorking) is plain number
 * comparisons with no Intl calls.
 */
import { z } from 'zod';
import {
  DAY_MS,
  dateOfEpochDay,
  epochDayOf,
  isValidTimeZone,
  localDateOf,
  localDayToUtc,
  offsetAt,
} from './time-zone.ts';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** Working intervals of one day as "HH:MM-HH:MM" strings, e.g. ["09:00-13:00", "14:00-18:00"]; "24:00" allowed as an end. */
export type DayHours = string[];
export interface CalendarSpec {
  timeZone: string; // IANA, e.g. "Europe/Moscow"
  week: Record<Weekday, DayHours>; // [] = day off
  /** date "YYYY-MM-DD" local; hours [] = holiday, non-empty = special hours that day */
  exceptions: { date: string; name?: string; hours: DayHours }[];
}

export interface BusinessTime {
  /** Instant at which `ms` milliseconds of working time have elapsed, counting from `start` (UTC ms). If start is outside working hours, counting begins at the next working instant. ms = 0 returns start unchanged. */
  add(start: number, ms: number): number;
  /** Working milliseconds inside [from, to); 0 if to <= from. */
  between(from: number, to: number): number;
  /** Whether the instant lies inside working hours. */
  isWorking(at: number): boolean;
  /**
   * The same local wall-clock time as `start`, `days` business days later: counting the local calendar days
   * after the one containing `start`, only days with working hours count (weekends and holidays do not).
   * A wall time that does not exist that day (a DST gap) moves to just after the gap. days = 0 returns start.
   */
  addBusinessDays(start: number, days: number): number;
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Give up when this many consecutive days have no working time (about 10 years). */
const MAX_IDLE_DAYS = 3660;
/** Caches are dropped wholesale past this size; a year of tickets needs only a few hundred entries. */
const MAX_CACHE_ENTRIES = 100_000;

// ---------------------------------------------------------------------------------------------
// Parsing and validation
// ---------------------------------------------------------------------------------------------

/** Local working interval in minutes of the day, [start, end). */
interface MinuteInterval {
  start: number;
  end: number;
}

const INTERVAL_PATTERN = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Parses "HH:MM-HH:MM"; returns an error message instead when the text is invalid. */
function parseInterval(text: string): MinuteInterval | string {
  const match = INTERVAL_PATTERN.exec(text);
  if (!match) return `"${text}" is not a time interval of the form "HH:MM-HH:MM"`;
  const [startHour, startMinute, endHour, endMinute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  if (startHour > 23 || startMinute > 59) return `"${text}" has an invalid start time`;
  const endIsMidnight = endHour === 24 && endMinute === 0;
  if (!endIsMidnight && (endHour > 23 || endMinute > 59)) return `"${text}" has an invalid end time`;
  const interval = { start: startHour * 60 + startMinute, end: endHour * 60 + endMinute };
  if (interval.start >= interval.end) return `"${text}" must start before it ends`;
  return interval;
}

/** Parses a validated day's hours (the schema has already rejected bad input). */
function parseDayHours(hours: DayHours): MinuteInterval[] {
  return hours.map((text) => {
    const interval = parseInterval(text);
    if (typeof interval === 'string') throw new Error(interval);
    return interval;
  });
}

/** "YYYY-MM-DD" to an epoch day, or undefined if it is not a real calendar date. */
function parseDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const epochDay = epochDayOf(year, month, day);
  const check = dateOfEpochDay(epochDay);
  // Date.UTC silently rolls over (Feb 30 -> Mar 2), so round-trip to detect impossible dates.
  return check.year === year && check.month === month && check.day === day ? epochDay : undefined;
}

const dayHoursSchema = z.array(z.string()).superRefine((hours, ctx) => {
  let previous: { text: string; interval: MinuteInterval } | undefined;
  hours.forEach((text, index) => {
    const interval = parseInterval(text);
    if (typeof interval === 'string') {
      ctx.addIssue({ code: 'custom', message: interval, path: [index] });
      return;
    }
    if (previous && interval.start < previous.interval.end) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" overlaps or comes before "${previous.text}"; intervals must be sorted and not overlap`,
        path: [index],
      });
    }
    previous = { text, interval };
  });
});

export const calendarSpecSchema = z
  .object({
    timeZone: z
      .string()
      .refine(isValidTimeZone, { error: (issue) => `Unknown IANA time zone "${String(issue.input)}"` }),
    week: z.object({
      mon: dayHoursSchema,
      tue: dayHoursSchema,
      wed: dayHoursSchema,
      thu: dayHoursSchema,
      fri: dayHoursSchema,
      sat: dayHoursSchema,
      sun: dayHoursSchema,
    }),
    exceptions: z.array(
      z.object({
        date: z.string().refine((text) => parseDate(text) !== undefined, {
          error: (issue) => `"${String(issue.input)}" is not a valid date of the form "YYYY-MM-DD"`,
        }),
        name: z.string().optional(),
        hours: dayHoursSchema,
      }),
    ),
  })
  .superRefine((spec, ctx) => {
    if (WEEKDAYS.every((weekday) => spec.week[weekday].length === 0)) {
      ctx.addIssue({ code: 'custom', message: 'The week has no working hours at all', path: ['week'] });
    }
    const seen = new Set<string>();
    spec.exceptions.forEach((exception, index) => {
      if (seen.has(exception.date)) {
        ctx.addIssue({
          code: 'custom',
          message: `Duplicate exception for ${exception.date}`,
          path: ['exceptions', index, 'date'],
        });
      }
      seen.add(exception.date);
    });
  });

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/** One local day resolved to UTC: [startUtc, endUtc) spans the day, `intervals` are its working parts. */
interface ResolvedDay {
  epochDay: number;
  startUtc: number;
  endUtc: number;
  /** Flattened [start0, end0, start1, end1, ...] in UTC ms, sorted, non-empty intervals only. */
  intervals: number[];
}

export function compileCalendar(spec: CalendarSpec): BusinessTime {
  const result = calendarSpecSchema.safeParse(spec);
  if (!result.success) {
    const details = result.error.issues
      .map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
      .join('; ');
    throw new Error(`Invalid business calendar: ${details}`);
  }
  // Typed as CalendarSpec so the compiler checks that the schema and the interface agree.
  const parsed: CalendarSpec = result.data;
  const { timeZone } = parsed;
  // Index 0 unused so ISO weekdays (1..7) index directly.
  const weekHours: MinuteInterval[][] = [
    [],
    ...WEEKDAYS.map((weekday) => parseDayHours(parsed.week[weekday])),
  ];
  const exceptionHours = new Map<number, MinuteInterval[]>();
  for (const exception of parsed.exceptions) {
    exceptionHours.set(parseDate(exception.date) as number, parseDayHours(exception.hours));
  }

  const days = new Map<number, ResolvedDay>();
  /** UTC day number -> local day in effect at that UTC midnight. */
  const dayAtUtcMidnight = new Map<number, ResolvedDay>();

  function resolvedDay(epochDay: number): ResolvedDay {
    const cached = days.get(epochDay);
    if (cached) return cached;
    if (days.size >= MAX_CACHE_ENTRIES) days.clear();
    const { year, month, day, weekday } = dateOfEpochDay(epochDay);
    const toUtc = localDayToUtc(year, month, day, timeZone);
    const hours = exceptionHours.get(epochDay) ?? weekHours[weekday] ?? [];
    const intervals: number[] = [];
    for (const { start, end } of hours) {
      const startUtc = toUtc(start);
      const endUtc = toUtc(end);
      // An interval lying wholly inside a DST gap collapses to nothing.
      if (endUtc > startUtc) intervals.push(startUtc, endUtc);
    }
    const resolved = { epochDay, startUtc: toUtc(0), endUtc: toUtc(1440), intervals };
    days.set(epochDay, resolved);
    return resolved;
  }

  /** The local day containing `at`, found via a per-UTC-day cache then a short walk. */
  function dayContaining(at: number): ResolvedDay {
    if (!Number.isFinite(at)) throw new RangeError(`Invalid instant: ${at}`);
    const utcDay = Math.floor(at / DAY_MS);
    let day = dayAtUtcMidnight.get(utcDay);
    if (!day) {
      if (dayAtUtcMidnight.size >= MAX_CACHE_ENTRIES) dayAtUtcMidnight.clear();
      const local = localDateOf(utcDay * DAY_MS, timeZone);
      day = resolvedDay(epochDayOf(local.year, local.month, local.day));
      dayAtUtcMidnight.set(utcDay, day);
    }
    // A UTC day overlaps at most two or three local days; walk to the right one.
    while (at < day.startUtc) day = resolvedDay(day.epochDay - 1);
    while (at >= day.endUtc) day = resolvedDay(day.epochDay + 1);
    return day;
  }

  /** Working ms of a day inside [from, to). */
  function workedIn(day: ResolvedDay, from: number, to: number): number {
    const { intervals } = day;
    let total = 0;
    for (let i = 0; i < intervals.length; i += 2) {
      const start = Math.max(intervals[i] as number, from);
      const end = Math.min(intervals[i + 1] as number, to);
      if (end > start) total += end - start;
    }
    return total;
  }

  /**
   * Running sums of working time: `workBefore.get(d)` is the working ms of the local days from an origin
   * day up to d (negative before the origin), known for one contiguous run of days [low, high] that grows
   * as asked. Integer milliseconds throughout, so a difference of two sums is exactly the day-by-day sum.
   */
  const workBefore = new Map<number, number>();
  let low = 0;
  let high = -1;
  function workUpTo(epochDay: number): number {
    while (epochDay > high) {
      const previous = workBefore.get(high) as number;
      workBefore.set(high + 1, previous + workedIn(resolvedDay(high), -Infinity, Infinity));
      high++;
    }
    while (epochDay < low) {
      const next = workBefore.get(low) as number;
      workBefore.set(low - 1, next - workedIn(resolvedDay(low - 1), -Infinity, Infinity));
      low--;
    }
    return workBefore.get(epochDay) as number;
  }

  /** Working ms of the whole local days [fromDay, toDay). */
  function workOfDays(fromDay: number, toDay: number): number {
    if (toDay <= fromDay) return 0;
    if (toDay - fromDay > MAX_CACHE_ENTRIES) {
      let total = 0;
      for (let d = fromDay; d < toDay; d++) total += workedIn(resolvedDay(d), -Infinity, Infinity);
      return total;
    }
    if (high < low || Math.max(high, toDay) - Math.min(low, fromDay) > MAX_CACHE_ENTRIES) {
      workBefore.clear();
      workBefore.set(fromDay, 0);
      low = fromDay;
      high = fromDay;
    }
    return workUpTo(toDay) - workUpTo(fromDay);
  }

  return {
    add(start, ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`Duration must be a non-negative number, got ${ms}`);
      }
      if (ms === 0) return start;
      let remaining = ms;
      let cursor = start;
      let day = dayContaining(start);
      let idleDays = 0;
      for (;;) {
        const { intervals } = day;
        let worked = false;
        for (let i = 0; i < intervals.length; i += 2) {
          const end = intervals[i + 1] as number;
          if (end <= cursor) continue;
          const from = Math.max(intervals[i] as number, cursor);
          if (remaining <= end - from) return from + remaining;
          remaining -= end - from;
          worked = true;
        }
        idleDays = worked ? 0 : idleDays + 1;
        if (idleDays > MAX_IDLE_DAYS) {
          throw new Error(
            `No working time within ${MAX_IDLE_DAYS} consecutive days (searched up to ${new Date(cursor).toISOString()})`,
          );
        }
        day = resolvedDay(day.epochDay + 1);
        cursor = day.startUtc;
      }
    },

    between(from, to) {
      if (!Number.isFinite(to)) throw new RangeError(`Invalid instant: ${to}`);
      if (to <= from) return 0;
      const first = dayContaining(from);
      const last = dayContaining(to);
      if (last.epochDay <= first.epochDay + 1) {
        let total = 0;
        for (let day = first; day.startUtc < to; day = resolvedDay(day.epochDay + 1)) {
          total += workedIn(day, from, to);
        }
        return total;
      }
      // The days in between whole, from the running sums: an old ticket costs no more than a new one.
      return (
        workedIn(first, from, to) + workOfDays(first.epochDay + 1, last.epochDay) + workedIn(last, from, to)
      );
    },

    isWorking(at) {
      const { intervals } = dayContaining(at);
      for (let i = 0; i < intervals.length; i += 2) {
        if (at >= (intervals[i] as number) && at < (intervals[i + 1] as number)) return true;
      }
      return false;
    },

    addBusinessDays(start, days) {
      assertDayCount(days);
      if (days === 0) return start;
      const startDay = dayContaining(start);
      // Wall-clock time of day, so a DST change in between keeps "15:00" at 15:00.
      const wallOfDay = start + offsetAt(start, timeZone) - startDay.epochDay * DAY_MS;
      let day = startDay;
      let left = days;
      let idleDays = 0;
      while (left > 0) {
        day = resolvedDay(day.epochDay + 1);
        if (day.intervals.length > 0) {
          left--;
          idleDays = 0;
        } else if (++idleDays > MAX_IDLE_DAYS) {
          throw new Error(`No working day within ${MAX_IDLE_DAYS} consecutive days`);
        }
      }
      const { year, month, day: dayOfMonth } = dateOfEpochDay(day.epochDay);
      const minute = Math.floor(wallOfDay / 60_000);
      return localDayToUtc(year, month, dayOfMonth, timeZone)(minute) + (wallOfDay - minute * 60_000);
    },
  };
}

function assertDayCount(days: number): void {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`Business days must be a non-negative integer, got ${days}`);
  }
}

/** 24/7 calendar: every instant is working time. */
export const roundTheClock: BusinessTime = {
  add: (start, ms) => start + ms,
  between: (from, to) => Math.max(0, to - from),
  isWorking: () => true,
  addBusinessDays: (start, days) => {
    assertDayCount(days);
    return start + days * DAY_MS;
  },
};

/** The same hours Monday to Friday, the weekend off: the usual office week. */
export function workWeek(hours: DayHours): Record<Weekday, DayHours> {
  return { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] };
}

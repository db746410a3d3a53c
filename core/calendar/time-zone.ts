/**
 * Time-zone helpers built on Intl.DateTimeFormat (no dependencies).
 *
 * Local calendar dates are handled as "epoch days" (days since 1970-01-01, computed with Date.UTC),
 * so plain date arithmetic never touches a time zone.
 */

export const DAY_MS = 86_400_000;

export interface LocalDate {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** ISO weekday: 1 = Monday .. 7 = Sunday */
  weekday: number;
}

// Creating a DateTimeFormat is expensive, so keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23: 'hour12: false' can render midnight as "24" in some engines.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (formatters.has(timeZone)) return true;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock reading of `instant` in the zone, expressed as if it were UTC ms (seconds precision). */
function wallClockAsUtc(instant: number, timeZone: string): number {
  const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
}

/** UTC offset of the zone at `instant`, in ms (local = utc + offset). */
export function offsetAt(instant: number, timeZone: string): number {
  // The formatter has second precision, so compare against the instant truncated to the second.
  const second = Math.floor(instant / 1000) * 1000;
  return wallClockAsUtc(second, timeZone) - second;
}

/** Local calendar date of a UTC instant in the zone. */
export function localDateOf(instant: number, timeZone: string): LocalDate {
  const wall = wallClockAsUtc(instant, timeZone);
  return dateOfEpochDay(Math.floor(wall / DAY_MS));
}

/**
 * UTC instant of a local wall time. `minuteOfDay` may be 1440 (= next day's 00:00).
 * A wall time inside a DST gap maps to the first instant after the gap; an ambiguous one
 * (inside a DST overlap) maps to the earlier instant.
 */
export function zonedTimeToUtc(
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
  timeZone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  // Offsets a day either side bracket any single transition near this wall time.
  const offsetBefore = offsetAt(wall - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wall + DAY_MS, timeZone);
  let best = Number.POSITIVE_INFINITY;
  for (const offset of [offsetBefore, offsetAfter]) {
    const candidate = wall - offset;
    if (offsetAt(candidate, timeZone) === offset && candidate < best) best = candidate;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;

  // No instant shows this wall time: it is in a gap. Binary-search the transition instant.
  let lo = Math.min(wall - offsetBefore, wall - offsetAfter);
  let hi = Math.max(wall - offsetBefore, wall - offsetAfter);
  const offsetAtLo = offsetAt(lo, timeZone);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, timeZone) === offsetAtLo) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Converter from minute-of-day to UTC instant for one local date. When the offset is the same a day
 * before and two days after local midnight, no transition touches this day and the conversion is
 * plain arithmetic (2 Intl calls per day instead of ~4 per converted time).
 */
export function localDayToUtc(
  year: number,
  month: number,
  day: number,
  timeZone: string,
): (minuteOfDay: number) => number {
  const midnightWall = Date.UTC(year, month - 1, day);
  const offset = offsetAt(midnightWall - DAY_MS, timeZone);
  if (offset === offsetAt(midnightWall + 2 * DAY_MS, timeZone)) {
    return (minuteOfDay) => midnightWall + minuteOfDay * 60_000 - offset;
  }
  return (minuteOfDay) => zonedTimeToUtc(year, month, day, minuteOfDay, timeZone);
}

/** Days since 1970-01-01 of a calendar date. */
export function epochDayOf(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function dateOfEpochDay(epochDay: number): LocalDate {
  const date = new Date(epochDay * DAY_MS);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: ((date.getUTCDay() + 6) % 7) + 1,
  };
}

/** Calendar date `days` after the given one (plain date arithmetic, no zone involved). */
export function addDays(date: Pick<LocalDate, 'year' | 'month' | 'day'>, days: number): LocalDate {
  return dateOfEpochDay(epochDayOf(date.year, date.month, date.day) + days);
}

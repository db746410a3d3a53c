// Wall-clock arithmetic in an IANA time zone, for visit times and report periods.

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function parts(at: number, timeZone: string) {
  let f = partsFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offset(at: number, timeZone: string): number {
  const p = parts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** The instant of a wall time (`YYYY-MM-DD` and optional `HH:mm`) in `timeZone`. */
export function zonedInstant(dateText: string, timeText: string, timeZone: string): number {
  const [y = 1970, m = 1, d = 1] = dateText.split('-').map(Number);
  const [hh = 0, mm = 0] = timeText.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const first = wall - offset(wall, timeZone);
  const second = wall - offset(first, timeZone);
  return second;
}

/** The local calendar date `YYYY-MM-DD` of `at` in `timeZone`. */
export function localDate(at: number, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(dateText: string, days: number): string {
  const [y = 1970, m = 1, d = 1] = dateText.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export type Preset = 'this_month' | 'last_month' | 'this_quarter' | 'custom';

/** A report period as local dates [from, to) in `timeZone`. */
export function presetPeriod(preset: Exclude<Preset, 'custom'>, now: number, timeZone: string) {
  const today = localDate(now, timeZone);
  const [y = 1970, m = 1] = today.split('-').map(Number);
  const first = (year: number, month: number) => {
    const date = new Date(Date.UTC(year, month - 1, 1));
    return date.toISOString().slice(0, 10);
  };
  switch (preset) {
    case 'this_month':
      return { from: first(y, m), to: first(y, m + 1) };
    case 'last_month':
      return { from: first(y, m - 1), to: first(y, m) };
    case 'this_quarter': {
      const q = Math.floor((m - 1) / 3) * 3 + 1;
      return { from: first(y, q), to: first(y, q + 3) };
    }
  }
}

// The Russian production calendar: the days a five-day week does not work (public holidays and the
// government's transfers) and the shortened pre-holiday days (one hour less, Labour Code art. 95).
//
// 2026 follows the government's decree of 24 September 2025 (No. 1466): 3 and 4 January moved to 9 January
// and 31 December. 2027 follows the Labour Code (art. 112): the fixed holidays, a holiday on a weekend moved
// to the next working day, and the shortened days before holidays. The decree for 2027 moves the January
// weekend holidays to other dates; an admin adds those in the calendar's exceptions once it is published.
// Weekends themselves are not listed: the calendar's week already has them off.

export interface ProductionDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** The reason, in Russian as the decree says it. */
  name: string;
  /** True: a shortened pre-holiday day (an hour less at the end); false: a day off. */
  shortened: boolean;
}

const off = (date: string, name: string): ProductionDay => ({ date, name, shortened: false });
const short = (date: string): ProductionDay => ({ date, name: 'Предпраздничный день', shortened: true });
const NEW_YEAR = 'Новогодние каникулы';

export const RUSSIAN_PRODUCTION_CALENDAR: readonly ProductionDay[] = [
  // 2026
  ...[1, 2, 5, 6, 7, 8].map((d) => off(`2026-01-0${d}`, NEW_YEAR)),
  off('2026-01-09', `${NEW_YEAR} (перенос с 3 января)`),
  off('2026-02-23', 'День защитника Отечества'),
  off('2026-03-09', 'Международный женский день (перенос с 8 марта)'),
  short('2026-04-30'),
  off('2026-05-01', 'Праздник Весны и Труда'),
  short('2026-05-08'),
  off('2026-05-11', 'День Победы (перенос с 9 мая)'),
  short('2026-06-11'),
  off('2026-06-12', 'День России'),
  short('2026-11-03'),
  off('2026-11-04', 'День народного единства'),
  off('2026-12-31', 'Выходной (перенос с 4 января)'),
  // 2027
  ...[1, 4, 5, 6, 7, 8].map((d) => off(`2027-01-0${d}`, NEW_YEAR)),
  short('2027-02-22'),
  off('2027-02-23', 'День защитника Отечества'),
  off('2027-03-08', 'Международный женский день'),
  short('2027-04-30'),
  off('2027-05-03', 'Праздник Весны и Труда (перенос с 1 мая)'),
  off('2027-05-10', 'День Победы (перенос с 9 мая)'),
  short('2027-06-11'),
  off('2027-06-14', 'День России (перенос с 12 июня)'),
  short('2027-11-03'),
  off('2027-11-04', 'День народного единства'),
  short('2027-12-31'),
];

/**
 * The calendar's exceptions for a day shape: days off have no hours; a shortened day ends an hour
 * earlier than the last interval of `hours` (e.g. 09:00-18:00 → 09:00-17:00).
 */
export function productionExceptions(
  hours: readonly string[],
): { date: string; name: string; hours: string[] }[] {
  return RUSSIAN_PRODUCTION_CALENDAR.map((day) => ({
    date: day.date,
    name: day.name,
    hours: day.shortened ? shortenByAnHour(hours) : [],
  }));
}

function shortenByAnHour(hours: readonly string[]): string[] {
  const result = [...hours];
  const last = result.at(-1);
  if (!last) return result;
  const [from, to] = last.split('-') as [string, string];
  const [h, m] = to.split(':').map(Number) as [number, number];
  const end = h * 60 + m - 60;
  const [fh, fm] = from.split(':').map(Number) as [number, number];
  if (end <= fh * 60 + fm) return result.slice(0, -1);
  result[result.length - 1] =
    `${from}-${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
  return result;
}

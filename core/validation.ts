// Input checking at the edge of core: a zod schema, and a typed error listing what is wrong.
import { z } from 'zod';
import { InvalidInputError } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(withoutNul(raw));
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path, message: i.message }));
    throw new InvalidInputError(
      issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
      issues,
    );
  }
  return result.data;
}

/** The earliest and the latest instant any input may name: 2000-01-01 and 2100-01-01 (UTC). */
export const MIN_INSTANT = Date.UTC(2000, 0, 1);
export const MAX_INSTANT = Date.UTC(2100, 0, 1);
const outOfRange = 'not a time between 2000-01-01 and 2100-01-01';

/**
 * An instant (UTC ms) that input may name: within 2000-01-01 … 2100-01-01, so that every date function
 * can show it (a JavaScript date ends at ±8.64e15 ms and formatting beyond throws).
 */
export const instantSchema = z.number().int().min(MIN_INSTANT, outOfRange).max(MAX_INSTANT, outOfRange);

/** A local date "YYYY-MM-DD" of the years 2000–2099 (whether the day exists is checked where it is used). */
export const dateTextSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date of the form YYYY-MM-DD')
  .refine(
    (text) => text >= '2000-01-01' && text < '2100-01-01',
    'not a date between 2000-01-01 and 2100-01-01',
  );

/**
 * The input with every NUL character taken out of its texts. NUL is no text anyone typed, and the stores
 * disagree on it (SQLite keeps it, PostgreSQL refuses a text or JSON holding it), so core never lets one in.
 */
function withoutNul(raw: unknown): unknown {
  if (typeof raw === 'string') return raw.includes('\u0000') ? raw.replaceAll('\u0000', '') : raw;
  if (Array.isArray(raw)) {
    const cleaned = raw.map(withoutNul);
    return cleaned.some((value, i) => value !== raw[i]) ? cleaned : raw;
  }
  if (raw !== null && typeof raw === 'object' && Object.getPrototypeOf(raw) === Object.prototype) {
    const entries = Object.entries(raw);
    const cleaned = entries.map(([key, value]) => [key, withoutNul(value)] as const);
    return cleaned.some(([, value], i) => value !== entries[i]?.[1]) ? Object.fromEntries(cleaned) : raw;
  }
  return raw;
}

// Input checking at the edge of core: a zod schema, and a typed error listing what is wrong.
import { z } from 'zod';
import { InvalidInputError } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
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

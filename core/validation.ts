// Input checking at the edge of core: a zod schema, and a typed error listing what is wrong.
import type { z } from 'zod';
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

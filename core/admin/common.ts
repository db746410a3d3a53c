// What the set-up functions share: ids checked like any other input, and a row that must exist.
import { z } from 'zod';
import { NotFoundError } from '../errors.ts';
import { parseInput } from '../validation.ts';

export const idSchema = z.number().int().positive();

/** A valid row id (a bad one is invalid input, not a crash). */
export function parseId(raw: unknown): number {
  return parseInput(idSchema, raw);
}

export function found<T>(row: T | undefined, what: string, id: number): T {
  if (row === undefined) throw new NotFoundError(what, id);
  return row;
}

/** Optional text: trimmed, and an empty one means "none". */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s ? s : null));

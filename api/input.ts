// Reading HTTP input: JSON bodies (by content type, parsed by us so that bad JSON is a 400), query
// strings and path ids, each through a zod schema; failures are core's InvalidInputError (400).
import type { Context } from 'hono';
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.ts';
import { instantSchema, parseInput } from '../core/validation.ts';
import { ApiError } from './errors.ts';

/** The JSON body, parsed by `schema` (unknown fields are dropped by zod's objects). */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'send JSON with Content-Type: application/json');
  }
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidInputError('the body is not valid JSON');
  }
  return parseInput(schema, body);
}

/** The query string (first value of each name), parsed by `schema`. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseInput(schema, c.req.query());
}

/** A positive integer id as text: "42". */
export const idText = z
  .string()
  .regex(/^[1-9]\d{0,14}$/, 'not an id')
  .transform(Number);

/** A path parameter that must be an id. */
export function pathId(c: Context, name: string): number {
  const result = idText.safeParse(c.req.param(name));
  if (!result.success)
    throw new InvalidInputError(`${name}: not an id`, [{ path: [name], message: 'not an id' }]);
  return result.data;
}

/** An instant (UTC ms) as text, within core's bounds (2000–2100). */
export const instantText = z
  .string()
  .regex(/^-?\d{1,15}$/, 'not a time in milliseconds')
  .transform(Number)
  .pipe(instantSchema);

/** A comma list of enum values: "new,open". */
export function listText<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .max(500)
    .transform((s) => s.split(',').filter((v) => v !== ''))
    .pipe(z.array(z.enum(values)).max(values.length * 2));
}

/** An id, or "none" for nobody (null). */
export const idOrNone = z.union([z.literal('none').transform(() => null), idText]);

/** "1"/"true" or "0"/"false". */
export const flagText = z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true');

/** A bounded page size. */
export const limitText = (max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, 'not a number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

/** An IANA time zone name (checked by core where it is used). */
export const zoneText = z.string().min(1).max(64);

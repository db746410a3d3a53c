// The desk's own name (what clients see the service called) and its time zone. The time zone is the one
// of the default business calendar, so changing it moves the default contract's working hours with it.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { execute, queryOne } from '../../db/access.ts';
import { businessCalendars } from '../../db/schema.ts';
import { isValidTimeZone } from '../calendar/time-zone.ts';
import type { DeskContext } from '../context.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { readSetting, writeSetting } from '../settings.ts';
import { inTransaction } from '../transaction.ts';
import { parseInput } from '../validation.ts';
import { DEFAULT_CALENDAR, DEFAULT_TIME_ZONE } from './defaults.ts';

const DESK_NAME = 'desk_name';
const DESK_TIME_ZONE = 'desk_time_zone';

export interface DeskProfile {
  /** Null until an admin names the desk. */
  name: string | null;
  timeZone: string;
}

export const deskProfileSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  timeZone: z
    .string()
    .trim()
    .max(64)
    .refine(isValidTimeZone, { message: 'not a time zone (e.g. Europe/Moscow)' })
    .optional(),
});
export type DeskProfileInput = z.input<typeof deskProfileSchema>;

async function defaultCalendarId(ctx: DeskContext): Promise<number | null> {
  const value = await readSetting(ctx.db, DEFAULT_CALENDAR);
  return value === null ? null : Number(value);
}

export async function deskProfile(ctx: DeskContext): Promise<DeskProfile> {
  const stored = await readSetting(ctx.db, DESK_TIME_ZONE);
  let timeZone = stored;
  if (timeZone === null) {
    const id = await defaultCalendarId(ctx);
    timeZone =
      (id === null
        ? undefined
        : (
            await queryOne(
              ctx.db
                .select({ timeZone: businessCalendars.timeZone })
                .from(businessCalendars)
                .where(eq(businessCalendars.id, id)),
            )
          )?.timeZone) ?? DEFAULT_TIME_ZONE;
  }
  return { name: await readSetting(ctx.db, DESK_NAME), timeZone };
}

/** An admin names the desk and/or sets its time zone (which the default calendar follows). */
export async function updateDeskProfile(
  ctx: DeskContext,
  actor: Actor,
  raw: DeskProfileInput,
): Promise<DeskProfile> {
  assertAdmin(actor);
  const input = parseInput(deskProfileSchema, raw);
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    if (input.timeZone !== undefined) {
      const id = await defaultCalendarId(ctx);
      if (id !== null) {
        await execute(
          ctx.db
            .update(businessCalendars)
            .set({ timeZone: input.timeZone })
            .where(eq(businessCalendars.id, id)),
        );
      }
      await writeSetting(ctx.db, DESK_TIME_ZONE, input.timeZone, now);
    }
    if (input.name !== undefined) await writeSetting(ctx.db, DESK_NAME, input.name, now);
  });
  if (input.timeZone !== undefined) ctx.policies.invalidate();
  return await deskProfile(ctx);
}

// Business calendars: a time zone, the hours of each weekday, holidays and special days. Every change
// drops the compiled policies, so SLA due times of new changes follow the saved calendar.
import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import { businessCalendars, calendarExceptions } from '../../db/schema.ts';
import { type CalendarSpec, calendarSpecSchema } from '../calendar/business-calendar.ts';
import type { DeskContext } from '../context.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { inTransaction } from '../transaction.ts';
import { dateTextSchema, parseInput } from '../validation.ts';
import { found, parseId } from './common.ts';

export interface CalendarView extends CalendarSpec {
  id: number;
  name: string;
  exceptions: { date: string; name?: string; hours: string[] }[];
}

const hoursSchema = z.array(z.string().max(11)).max(24);
/** Shapes and sizes first (so that no input is unreasonably large); the calendar's own rules after. */
const calendarFields = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: z.string().max(64),
  week: z.object({
    mon: hoursSchema,
    tue: hoursSchema,
    wed: hoursSchema,
    thu: hoursSchema,
    fri: hoursSchema,
    sat: hoursSchema,
    sun: hoursSchema,
  }),
  exceptions: z
    .array(
      z.object({ date: dateTextSchema, name: z.string().trim().max(200).optional(), hours: hoursSchema }),
    )
    .max(2000)
    .default([]),
});
export type CalendarInput = z.input<typeof calendarFields>;
const calendarPatchSchema = calendarFields.partial();

/** A whole calendar checked: its shape, then the rules of business calendars (zone, hours, dates). */
function parseCalendar(raw: unknown): CalendarSpec & { name: string } {
  const input = parseInput(calendarFields, raw);
  const spec = parseInput(calendarSpecSchema, {
    timeZone: input.timeZone,
    week: input.week,
    exceptions: input.exceptions,
  });
  return { name: input.name, ...spec };
}

async function readCalendar(ctx: DeskContext, id: number): Promise<CalendarView | undefined> {
  const calendar = await queryOne(
    ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, id)),
  );
  if (!calendar) return undefined;
  return { ...calendar, exceptions: (await exceptionsOf(ctx, [id])).get(id) ?? [] };
}

async function exceptionsOf(ctx: DeskContext, ids: number[]) {
  const byCalendar = new Map<number, CalendarView['exceptions']>();
  if (ids.length === 0) return byCalendar;
  const rows = await queryAll(
    ctx.db
      .select()
      .from(calendarExceptions)
      .where(inArray(calendarExceptions.calendarId, ids))
      .orderBy(asc(calendarExceptions.date)),
  );
  for (const e of rows) {
    const list = byCalendar.get(e.calendarId) ?? [];
    list.push({ date: e.date, ...(e.name === null ? {} : { name: e.name }), hours: e.hours });
    byCalendar.set(e.calendarId, list);
  }
  return byCalendar;
}

export async function listCalendars(ctx: DeskContext, actor: Actor): Promise<CalendarView[]> {
  assertAdmin(actor);
  const calendars = await queryAll(
    ctx.db.select().from(businessCalendars).orderBy(asc(businessCalendars.id)),
  );
  const exceptions = await exceptionsOf(
    ctx,
    calendars.map((c) => c.id),
  );
  return calendars.map((c) => ({ ...c, exceptions: exceptions.get(c.id) ?? [] }));
}

async function writeExceptions(ctx: DeskContext, calendarId: number, spec: CalendarSpec): Promise<void> {
  await execute(ctx.db.delete(calendarExceptions).where(eq(calendarExceptions.calendarId, calendarId)));
  if (spec.exceptions.length === 0) return;
  await execute(
    ctx.db
      .insert(calendarExceptions)
      .values(
        spec.exceptions.map((e) => ({ calendarId, date: e.date, name: e.name ?? null, hours: e.hours })),
      ),
  );
}

export async function createCalendar(
  ctx: DeskContext,
  actor: Actor,
  raw: CalendarInput,
): Promise<CalendarView> {
  assertAdmin(actor);
  const input = parseCalendar(raw);
  const id = await inTransaction(ctx.db, async () => {
    const row = await queryOne(
      ctx.db
        .insert(businessCalendars)
        .values({ name: input.name, timeZone: input.timeZone, week: input.week })
        .returning(),
    );
    await writeExceptions(ctx, row.id, input);
    ctx.policies.invalidate();
    return row.id;
  });
  return found(await readCalendar(ctx, id), 'calendar', id);
}

/** Changes the name, zone, week or exceptions (the list given replaces the stored one). */
export async function updateCalendar(
  ctx: DeskContext,
  actor: Actor,
  rawId: number,
  raw: Partial<CalendarInput>,
): Promise<CalendarView> {
  assertAdmin(actor);
  const id = parseId(rawId);
  const patch = parseInput(calendarPatchSchema, raw);
  await inTransaction(ctx.db, async () => {
    const current = found(await readCalendar(ctx, id), 'calendar', id);
    const merged = {
      name: patch.name ?? current.name,
      timeZone: patch.timeZone ?? current.timeZone,
      week: patch.week ?? current.week,
      exceptions: patch.exceptions ?? current.exceptions,
    };
    const next = parseCalendar(merged);
    await execute(
      ctx.db
        .update(businessCalendars)
        .set({ name: next.name, timeZone: next.timeZone, week: next.week })
        .where(eq(businessCalendars.id, id)),
    );
    if (patch.exceptions !== undefined) await writeExceptions(ctx, id, next);
    ctx.policies.invalidate();
  });
  return found(await readCalendar(ctx, id), 'calendar', id);
}

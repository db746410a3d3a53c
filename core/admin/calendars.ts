// Business calendars: a time zone, the hours of each weekday, holidays and special days. Every change
// drops the compiled policies, so SLA due times of new changes follow the saved calendar.
import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
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

function readCalendar(ctx: DeskContext, id: number): CalendarView | undefined {
  const calendar = ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, id)).get();
  if (!calendar) return undefined;
  return { ...calendar, exceptions: exceptionsOf(ctx, [id]).get(id) ?? [] };
}

function exceptionsOf(ctx: DeskContext, ids: number[]) {
  const byCalendar = new Map<number, CalendarView['exceptions']>();
  if (ids.length === 0) return byCalendar;
  const rows = ctx.db
    .select()
    .from(calendarExceptions)
    .where(inArray(calendarExceptions.calendarId, ids))
    .orderBy(asc(calendarExceptions.date))
    .all();
  for (const e of rows) {
    const list = byCalendar.get(e.calendarId) ?? [];
    list.push({ date: e.date, ...(e.name === null ? {} : { name: e.name }), hours: e.hours });
    byCalendar.set(e.calendarId, list);
  }
  return byCalendar;
}

export function listCalendars(ctx: DeskContext, actor: Actor): CalendarView[] {
  assertAdmin(actor);
  const calendars = ctx.db.select().from(businessCalendars).orderBy(asc(businessCalendars.id)).all();
  const exceptions = exceptionsOf(
    ctx,
    calendars.map((c) => c.id),
  );
  return calendars.map((c) => ({ ...c, exceptions: exceptions.get(c.id) ?? [] }));
}

function writeExceptions(ctx: DeskContext, calendarId: number, spec: CalendarSpec): void {
  ctx.db.delete(calendarExceptions).where(eq(calendarExceptions.calendarId, calendarId)).run();
  if (spec.exceptions.length === 0) return;
  ctx.db
    .insert(calendarExceptions)
    .values(spec.exceptions.map((e) => ({ calendarId, date: e.date, name: e.name ?? null, hours: e.hours })))
    .run();
}

export function createCalendar(ctx: DeskContext, actor: Actor, raw: CalendarInput): CalendarView {
  assertAdmin(actor);
  const input = parseCalendar(raw);
  const id = inTransaction(ctx.db, () => {
    const row = ctx.db
      .insert(businessCalendars)
      .values({ name: input.name, timeZone: input.timeZone, week: input.week })
      .returning()
      .get();
    writeExceptions(ctx, row.id, input);
    ctx.policies.invalidate();
    return row.id;
  });
  return found(readCalendar(ctx, id), 'calendar', id);
}

/** Changes the name, zone, week or exceptions (the list given replaces the stored one). */
export function updateCalendar(
  ctx: DeskContext,
  actor: Actor,
  rawId: number,
  raw: Partial<CalendarInput>,
): CalendarView {
  assertAdmin(actor);
  const id = parseId(rawId);
  const patch = parseInput(calendarPatchSchema, raw);
  inTransaction(ctx.db, () => {
    const current = found(readCalendar(ctx, id), 'calendar', id);
    const merged = {
      name: patch.name ?? current.name,
      timeZone: patch.timeZone ?? current.timeZone,
      week: patch.week ?? current.week,
      exceptions: patch.exceptions ?? current.exceptions,
    };
    const next = parseCalendar(merged);
    ctx.db
      .update(businessCalendars)
      .set({ name: next.name, timeZone: next.timeZone, week: next.week })
      .where(eq(businessCalendars.id, id))
      .run();
    if (patch.exceptions !== undefined) writeExceptions(ctx, id, next);
    ctx.policies.invalidate();
  });
  return found(readCalendar(ctx, id), 'calendar', id);
}

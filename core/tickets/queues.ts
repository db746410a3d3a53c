// What staff work from: the queue of unassigned tickets of their lines and their own open tickets, both
// most urgent first — ordered by whichever SLA clock is the next to run out.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryAll } from '../../db/access.ts';
import { storeDialect } from '../../db/dialect.ts';
import type { TicketRow } from '../../db/schema.ts';
import { memberships, people, tickets } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { ForbiddenError } from '../errors.ts';
import { LINES, type Line, type StaffRole, type Status } from '../model.ts';
import { type Actor, staffRoles, ticketScope } from '../permissions.ts';
import { type ClockReading, readSla } from '../sla-clock.ts';
import { parseInput } from '../validation.ts';
import { scopeCondition } from './read.ts';

export interface QueueEntry {
  ticket: TicketRow;
  /** The clock that matters now: the first response until there is one, then the resolution. */
  clock: 'first_response' | 'resolution';
  reading: ClockReading;
}

const LINES_OF: Record<StaffRole, readonly Line[]> = {
  line1: ['line1'],
  line2: ['line2'],
  field_engineer: ['field'],
  supervisor: ['line1', 'line2', 'field'],
  admin: ['line1', 'line2', 'field'],
};

/** The SLA instant a ticket must be acted on by next. */
// SQLite's two-argument min() is null when either is; PostgreSQL's least() would skip a null, so it is spelt
// out there to give the same order.
const earlierDue =
  storeDialect() === 'postgres'
    ? sql`case when ${tickets.firstResponseDueAt} is null or ${tickets.resolutionDueAt} is null then null
        else least(${tickets.firstResponseDueAt}, ${tickets.resolutionDueAt}) end`
    : sql`min(${tickets.firstResponseDueAt}, ${tickets.resolutionDueAt})`;
const nextDue = sql<number>`case when ${tickets.firstRespondedAt} is null
  then ${earlierDue} else ${tickets.resolutionDueAt} end`;

function staffOnly(actor: Actor): StaffRole[] {
  const roles = staffRoles(actor);
  if (roles.length === 0) throw new ForbiddenError('queues are for staff');
  return roles;
}

function entries(ctx: DeskContext, rows: TicketRow[]): Promise<QueueEntry[]> {
  const now = ctx.clock.now();
  return Promise.all(
    rows.map(async (ticket) => {
      const policy = await ctx.policies.forContract(ticket.contractId);
      const sla = readSla(policy.time, policy.targets[ticket.priority], ticket, now);
      const clock = ticket.firstRespondedAt === null ? 'first_response' : 'resolution';
      return { ticket, clock, reading: clock === 'first_response' ? sla.firstResponse : sla.resolution };
    }),
  );
}

/** Unassigned new and open tickets of the actor's lines (a given one, if asked), most urgent first. */
export async function staffQueue(ctx: DeskContext, actor: Actor, opts: { line?: Line; limit?: number } = {}) {
  const lines = [...new Set(staffOnly(actor).flatMap((r) => LINES_OF[r]))];
  const wanted = opts.line ? lines.filter((l) => l === opts.line) : lines;
  if (wanted.length === 0) return [];
  const rows = await queryAll(
    ctx.db
      .select()
      .from(tickets)
      .where(
        and(
          inArray(tickets.status, ['new', 'open']),
          isNull(tickets.assigneeId),
          inArray(tickets.line, wanted),
        ),
      )
      .orderBy(asc(nextDue), asc(tickets.id))
      .limit(opts.limit ?? 30),
  );
  return entries(ctx, rows);
}

/** The actor's own tickets that still need work (not resolved, closed or cancelled), most urgent first. */
export async function myTickets(
  ctx: DeskContext,
  actor: Actor,
  opts: { limit?: number } = {},
): Promise<QueueEntry[]> {
  staffOnly(actor);
  if (actor.kind !== 'person') return [];
  const rows = await queryAll(
    ctx.db
      .select()
      .from(tickets)
      .where(
        and(
          eq(tickets.assigneeId, actor.personId),
          inArray(tickets.status, ['new', 'open', 'in_progress', 'waiting_for_customer']),
        ),
      )
      .orderBy(asc(nextDue), asc(tickets.id))
      .limit(opts.limit ?? 30),
  );
  return entries(ctx, rows);
}

/** Work still to do: what the board shows. */
export const OPEN_WORK: readonly Status[] = ['new', 'open', 'in_progress', 'waiting_for_customer'];

export const boardFilterSchema = z.object({
  line: z.enum(LINES).optional(),
  categoryId: z.number().int().positive().optional(),
  companyId: z.number().int().positive().optional(),
  /** A person, or null for tickets nobody holds. */
  assigneeId: z.number().int().positive().nullable().optional(),
  limit: z.number().int().min(1).max(500).default(200),
});
export type BoardFilter = z.input<typeof boardFilterSchema>;

/**
 * The staff board: every open ticket (new, open, in progress, waiting for the client) the actor may see,
 * whichever SLA clock runs out next first. Staff only; a field engineer sees on-site tickets and theirs.
 */
export async function board(ctx: DeskContext, actor: Actor, raw: BoardFilter = {}): Promise<QueueEntry[]> {
  staffOnly(actor);
  const f = parseInput(boardFilterSchema, raw);
  const rows = await queryAll(
    ctx.db
      .select()
      .from(tickets)
      .where(
        and(
          scopeCondition(ticketScope(actor)),
          inArray(tickets.status, [...OPEN_WORK]),
          f.line ? eq(tickets.line, f.line) : undefined,
          f.categoryId ? eq(tickets.categoryId, f.categoryId) : undefined,
          f.companyId ? eq(tickets.companyId, f.companyId) : undefined,
          f.assigneeId === null
            ? isNull(tickets.assigneeId)
            : f.assigneeId !== undefined
              ? eq(tickets.assigneeId, f.assigneeId)
              : undefined,
        ),
      )
      .orderBy(asc(nextDue), asc(tickets.id))
      .limit(f.limit),
  );
  return entries(ctx, rows);
}

export interface StaffMember {
  id: number;
  name: string;
}

const ROLE_OF_LINE: Record<Line, StaffRole> = { line1: 'line1', line2: 'line2', field: 'field_engineer' };

/** The people a ticket on `line` can be assigned to (staff ask; core checks again on assignment). */
export async function assignableStaff(ctx: DeskContext, actor: Actor, line: Line): Promise<StaffMember[]> {
  staffOnly(actor);
  return await queryAll(
    ctx.db
      .selectDistinct({ id: people.id, name: people.name })
      .from(people)
      .innerJoin(memberships, eq(memberships.personId, people.id))
      .where(eq(memberships.role, ROLE_OF_LINE[line]))
      .orderBy(asc(people.name)),
  );
}

// Reading tickets through the permission rules: one ticket with its SLA clocks, its timeline (internal
// entries only for staff), and lists limited to what the actor may see.
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import { attachments, type TicketEventRow, type TicketRow, ticketEvents, tickets } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import type { ActingRole } from '../lifecycle.ts';
import { CHANNELS, LINES, PRIORITIES, STATUSES } from '../model.ts';
import {
  type Actor,
  assertCanSeeTicket,
  canSeeInternal,
  type TicketScope,
  ticketScope,
} from '../permissions.ts';
import { readSla, type SlaReading } from '../sla-clock.ts';
import { parseInput } from '../validation.ts';

export interface TicketView {
  ticket: TicketRow;
  sla: SlaReading;
  /** The actor's roles on this ticket: what the adapters offer as buttons. */
  roles: ActingRole[];
  timeZone: string;
}

function view(
  ctx: DeskContext,
  actor: Actor,
  ticket: TicketRow | undefined,
  ref: number | string,
): TicketView {
  if (!ticket) throw new NotFoundError('ticket', ref);
  const roles = assertCanSeeTicket(actor, ticket);
  const policy = ctx.policies.forContract(ticket.contractId);
  return {
    ticket,
    roles,
    sla: readSla(policy.time, policy.targets[ticket.priority], ticket, ctx.clock.now()),
    timeZone: policy.timeZone,
  };
}

export function getTicket(ctx: DeskContext, actor: Actor, ticketId: number): TicketView {
  return view(ctx, actor, ctx.db.select().from(tickets).where(eq(tickets.id, ticketId)).get(), ticketId);
}

export function getTicketByNumber(ctx: DeskContext, actor: Actor, number: number): TicketView {
  return view(
    ctx,
    actor,
    ctx.db.select().from(tickets).where(eq(tickets.number, number)).get(),
    `#${number}`,
  );
}

/** The history of a ticket as the actor may see it, oldest first. */
export function timeline(ctx: DeskContext, actor: Actor, ticketId: number): TicketEventRow[] {
  getTicket(ctx, actor, ticketId);
  const internalToo = canSeeInternal(actor);
  return ctx.db
    .select()
    .from(ticketEvents)
    .where(
      and(eq(ticketEvents.ticketId, ticketId), internalToo ? undefined : eq(ticketEvents.internal, false)),
    )
    .orderBy(asc(ticketEvents.id))
    .all();
}

export function ticketAttachments(ctx: DeskContext, actor: Actor, ticketId: number) {
  getTicket(ctx, actor, ticketId);
  const internalToo = canSeeInternal(actor);
  return ctx.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.ticketId, ticketId), internalToo ? undefined : eq(attachments.internal, false)))
    .orderBy(asc(attachments.id))
    .all();
}

/** The SQL condition that keeps a query inside the actor's scope. */
export function scopeCondition(scope: TicketScope): SQL | undefined {
  if (scope.kind === 'all') return undefined;
  const parts: (SQL | undefined)[] = [];
  if (scope.companyIds.length > 0) parts.push(inArray(tickets.companyId, scope.companyIds));
  if (scope.requesterId !== null) parts.push(eq(tickets.requesterId, scope.requesterId));
  if (scope.fieldEngineerId !== null) {
    parts.push(or(eq(tickets.line, 'field'), eq(tickets.assigneeId, scope.fieldEngineerId)));
  }
  return or(...parts);
}

export const ticketFilterSchema = z.object({
  status: z.array(z.enum(STATUSES)).max(STATUSES.length).optional(),
  priority: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
  channel: z.enum(CHANNELS).optional(),
  line: z.enum(LINES).optional(),
  companyId: z.number().int().positive().optional(),
  requesterId: z.number().int().positive().optional(),
  assigneeId: z.number().int().positive().nullable().optional(),
  /** Created at or after / before (UTC ms). */
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  /** Keyset pagination: tickets with a smaller id than this (newest first). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type TicketFilter = z.input<typeof ticketFilterSchema>;

export function filterCondition(actor: Actor, f: z.output<typeof ticketFilterSchema>): SQL | undefined {
  return and(
    scopeCondition(ticketScope(actor)),
    f.status ? inArray(tickets.status, f.status) : undefined,
    f.priority ? inArray(tickets.priority, f.priority) : undefined,
    f.channel ? eq(tickets.channel, f.channel) : undefined,
    f.line ? eq(tickets.line, f.line) : undefined,
    f.companyId ? eq(tickets.companyId, f.companyId) : undefined,
    f.requesterId ? eq(tickets.requesterId, f.requesterId) : undefined,
    f.assigneeId === null
      ? isNull(tickets.assigneeId)
      : f.assigneeId !== undefined
        ? eq(tickets.assigneeId, f.assigneeId)
        : undefined,
    f.from !== undefined ? gte(tickets.createdAt, f.from) : undefined,
    f.to !== undefined ? lt(tickets.createdAt, f.to) : undefined,
    f.before !== undefined ? lt(tickets.id, f.before) : undefined,
  );
}

/** Newest first, at most `limit`, only tickets the actor may see. */
export function listTickets(db: Db, actor: Actor, raw: TicketFilter = {}): TicketRow[] {
  const f = parseInput(ticketFilterSchema, raw);
  return db
    .select()
    .from(tickets)
    .where(filterCondition(actor, f))
    .orderBy(desc(tickets.id))
    .limit(f.limit)
    .all();
}

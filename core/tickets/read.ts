// Reading tickets through the permission rules: one ticket with its SLA clocks, its timeline (internal
// entries only for staff), and lists limited to what the actor may see.
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import {
  attachments,
  type CommentRow,
  comments,
  type TicketEventRow,
  type TicketRow,
  ticketEvents,
  tickets,
} from '../../db/schema.ts';
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
import { instantSchema, parseInput } from '../validation.ts';
import { eventForClient } from './client-history.ts';

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
  const { ticket } = getTicket(ctx, actor, ticketId);
  const internalToo = canSeeInternal(actor);
  const rows = ctx.db
    .select()
    .from(ticketEvents)
    .where(
      and(eq(ticketEvents.ticketId, ticketId), internalToo ? undefined : eq(ticketEvents.internal, false)),
    )
    .orderBy(asc(ticketEvents.id))
    .all();
  // Clients (and client managers) read the history without the staff's own words (core/tickets/client-history.ts).
  return internalToo ? rows : rows.map((e) => eventForClient(e, ticket));
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

/** The parts of the actor's scope, each served by its own index; none for "everything". */
function scopeParts(scope: TicketScope): SQL[] {
  if (scope.kind === 'all') return [];
  const parts: SQL[] = [];
  for (const companyId of scope.companyIds) parts.push(eq(tickets.companyId, companyId));
  if (scope.requesterId !== null) parts.push(eq(tickets.requesterId, scope.requesterId));
  if (scope.fieldEngineerId !== null) {
    parts.push(eq(tickets.line, 'field'), eq(tickets.assigneeId, scope.fieldEngineerId));
  }
  return parts;
}

/** The SQL condition that keeps a query inside the actor's scope. */
export function scopeCondition(scope: TicketScope): SQL | undefined {
  if (scope.kind === 'all') return undefined;
  return or(...scopeParts(scope)) ?? sql`0`;
}

/** The longest search text; longer input is refused rather than cut. */
export const SEARCH_MAX = 200;

export const ticketFilterSchema = z.object({
  status: z.array(z.enum(STATUSES)).max(STATUSES.length).optional(),
  priority: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
  channel: z.enum(CHANNELS).optional(),
  line: z.enum(LINES).optional(),
  companyId: z.number().int().positive().optional(),
  categoryId: z.number().int().positive().optional(),
  requesterId: z.number().int().positive().optional(),
  assigneeId: z.number().int().positive().nullable().optional(),
  /** Only the actor's own requests (as requester). */
  mine: z.boolean().optional(),
  /** "#1042" or "1042" finds that number; anything else, tickets whose subject or description has every word. */
  q: z.string().trim().max(SEARCH_MAX).optional(),
  /** Created at or after / before (UTC ms). */
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  /** Keyset pagination: tickets with a smaller id than this (newest first). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type TicketFilter = z.input<typeof ticketFilterSchema>;
export type ParsedTicketFilter = Omit<z.output<typeof ticketFilterSchema>, 'limit'>;

/** Case folding for search: SQLite's own lower() and LIKE fold ASCII only, and "ё" is written as "е". */
export function foldForSearch(text: string): string {
  return text.toLocaleLowerCase('ru').replaceAll('ё', 'е');
}

const FOLD = 'desk_fold';
const folding = new WeakSet<Db>();
/** Registers the folding function on the connection once (better-sqlite3 keeps it for its lifetime). */
function withFolding(db: Db): void {
  if (folding.has(db)) return;
  db.$client.function(FOLD, { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldForSearch(value) : value,
  );
  folding.add(db);
}

/** A LIKE pattern that matches `word` literally anywhere: %, _ and the escape character are escaped. */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column` contains `word` (case-folded), literally. */
export function containsFolded(db: Db, column: SQLiteColumn, word: string): SQL {
  withFolding(db);
  return sql`${sql.raw(FOLD)}(${column}) like ${containsPattern(foldForSearch(word))} escape '\\'`;
}

/** The condition of a search text: a ticket number, or every word in the subject or the description. */
export function searchCondition(db: Db, q: string | undefined): SQL | undefined {
  const text = q?.trim() ?? '';
  if (text === '') return undefined;
  const number = /^#?\s*(\d{1,9})$/.exec(text);
  if (number) return eq(tickets.number, Number(number[1]));
  const words = [...new Set(text.split(/\s+/).filter(Boolean))].slice(0, 10);
  return and(
    ...words.map((word) =>
      or(containsFolded(db, tickets.subject, word), containsFolded(db, tickets.description, word)),
    ),
  );
}

export function filterCondition(db: Db, actor: Actor, f: ParsedTicketFilter): SQL | undefined {
  return and(scopeCondition(ticketScope(actor)), filtersOnly(db, actor, f));
}

/** The filter without the scope. */
function filtersOnly(db: Db, actor: Actor, f: ParsedTicketFilter): SQL | undefined {
  return and(
    f.status ? inArray(tickets.status, f.status) : undefined,
    f.priority ? inArray(tickets.priority, f.priority) : undefined,
    f.channel ? eq(tickets.channel, f.channel) : undefined,
    f.line ? eq(tickets.line, f.line) : undefined,
    f.companyId ? eq(tickets.companyId, f.companyId) : undefined,
    f.categoryId ? eq(tickets.categoryId, f.categoryId) : undefined,
    f.requesterId ? eq(tickets.requesterId, f.requesterId) : undefined,
    f.mine ? eq(tickets.requesterId, actor.kind === 'person' ? actor.personId : -1) : undefined,
    f.assigneeId === null
      ? isNull(tickets.assigneeId)
      : f.assigneeId !== undefined
        ? eq(tickets.assigneeId, f.assigneeId)
        : undefined,
    f.from !== undefined ? gte(tickets.createdAt, f.from) : undefined,
    f.to !== undefined ? lt(tickets.createdAt, f.to) : undefined,
    f.before !== undefined ? lt(tickets.id, f.before) : undefined,
    searchCondition(db, f.q),
  );
}

/**
 * Newest first, at most `limit`, only tickets the actor may see. A scope of several parts (a manager's
 * company and their own requests) is read part by part, each newest-first along its (…, id) index and
 * stopping at `limit`, then merged: one OR over them would sort every ticket of the company on each call.
 */
export function listTickets(db: Db, actor: Actor, raw: TicketFilter = {}): TicketRow[] {
  const f = parseInput(ticketFilterSchema, raw);
  const filters = filtersOnly(db, actor, f);
  const newest = (where: SQL | undefined) =>
    db.select().from(tickets).where(where).orderBy(desc(tickets.id)).limit(f.limit).all();
  const scope = ticketScope(actor);
  if (scope.kind === 'all') return newest(filters);
  const parts = scopeParts(scope);
  if (parts.length === 1) return newest(and(parts[0], filters));
  // Ids first (from the indexes alone), then only the rows that make the page.
  const ids = new Set<number>();
  for (const part of parts) {
    const newestIds = db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(part, filters))
      .orderBy(desc(tickets.id))
      .limit(f.limit)
      .all();
    for (const { id } of newestIds) ids.add(id);
  }
  const page = [...ids].sort((a, b) => b - a).slice(0, f.limit);
  return page.length === 0 ? [] : newest(inArray(tickets.id, page));
}

/** The comments of a ticket as the actor may see them (internal notes only for staff), oldest first. */
export function ticketComments(ctx: DeskContext, actor: Actor, ticketId: number): CommentRow[] {
  getTicket(ctx, actor, ticketId);
  const internalToo = canSeeInternal(actor);
  return ctx.db
    .select()
    .from(comments)
    .where(and(eq(comments.ticketId, ticketId), internalToo ? undefined : eq(comments.internal, false)))
    .orderBy(asc(comments.id))
    .all();
}

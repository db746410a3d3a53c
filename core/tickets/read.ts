// Reading tickets through the permission rules: one ticket with its SLA clocks, its timeline (internal
// entries only for staff), and lists limited to what the actor may see.

import type { Statement } from 'better-sqlite3';
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { queryAll, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { storeDialect } from '../../db/dialect.ts';
import { isPostgresStore } from '../../db/pg/store.ts';
import { preparedFor } from '../../db/prepared.ts';
import {
  attachments,
  type CommentRow,
  categories,
  comments,
  companies,
  people,
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

async function view(
  ctx: DeskContext,
  actor: Actor,
  ticket: TicketRow | undefined,
  ref: number | string,
): Promise<TicketView> {
  if (!ticket) throw new NotFoundError('ticket', ref);
  const roles = assertCanSeeTicket(actor, ticket);
  const policy = await ctx.policies.forContract(ticket.contractId);
  return {
    ticket,
    roles,
    sla: readSla(policy.time, policy.targets[ticket.priority], ticket, ctx.clock.now()),
    timeZone: policy.timeZone,
  };
}

const p = sql.placeholder;

/** The reads of one ticket built by Drizzle: the same queries on both stores. */
function prepareBuilt(db: Db) {
  const byTicket = <T extends { ticketId: SQLiteColumn; internal: SQLiteColumn }>(table: T) =>
    and(eq(table.ticketId, p('ticketId')), or(eq(sql`${p('internalToo')}`, 1), eq(table.internal, false)));
  return {
    ticketById: db
      .select()
      .from(tickets)
      .where(eq(tickets.id, p('id')))
      .prepare(),
    events: db
      .select()
      .from(ticketEvents)
      .where(byTicket(ticketEvents))
      .orderBy(asc(ticketEvents.id))
      .prepare(),
    attachments: db
      .select()
      .from(attachments)
      .where(byTicket(attachments))
      .orderBy(asc(attachments.id))
      .prepare(),
    comments: db.select().from(comments).where(byTicket(comments)).orderBy(asc(comments.id)).prepare(),
  };
}

/** The reads a ticket's page makes on every request, built by Drizzle and compiled by SQLite once per connection. */
function prepareReads(db: Db) {
  return {
    ...prepareBuilt(db),
    /** Newest-first ids of one part of a scope, with no other filter (the list's first and next pages). */
    idsAll: db.$client.prepare('select id from tickets where id < ? order by id desc limit ?').pluck(),
    idsOfCompany: db.$client
      .prepare('select id from tickets where company_id = ? and id < ? order by id desc limit ?')
      .pluck(),
    idsOfRequester: db.$client
      .prepare('select id from tickets where requester_id = ? and id < ? order by id desc limit ?')
      .pluck(),
    idsOfLine: db.$client
      .prepare('select id from tickets where line = ? and id < ? order by id desc limit ?')
      .pluck(),
    idsOfAssignee: db.$client
      .prepare('select id from tickets where assignee_id = ? and id < ? order by id desc limit ?')
      .pluck(),
    summaries: db.$client
      .prepare(`
      select ${SUMMARY_COLUMNS}
      from tickets t ${SUMMARY_JOINS}
      where t.id in (select value from json_each(?))
      order by t.id desc`)
      .raw() as Statement<[string], SummaryColumns>,
    page: db.$client.prepare(TICKET_PAGE_SQL).raw() as Statement<
      [{ id: number; internalToo: 0 | 1 }],
      PageColumns
    >,
  };
}

const reads = new WeakMap<Db, ReturnType<typeof prepareReads>>();
/** SQLite only: its statements are better-sqlite3's (PostgreSQL reads through builtOf and its own branches). */
function readsOf(db: Db): ReturnType<typeof prepareReads> {
  let r = reads.get(db);
  if (!r) {
    r = prepareReads(db);
    reads.set(db, r);
  }
  return r;
}

const pgBuilt = new WeakMap<object, ReturnType<typeof prepareBuilt>>();
/** The Drizzle-built reads: on SQLite those of readsOf; on PostgreSQL prepared per pool or transaction. */
function builtOf(db: Db): ReturnType<typeof prepareBuilt> {
  return isPostgresStore(db) ? preparedFor(pgBuilt, db, prepareBuilt) : readsOf(db);
}

export async function getTicket(ctx: DeskContext, actor: Actor, ticketId: number): Promise<TicketView> {
  return await view(ctx, actor, await queryOne(builtOf(ctx.db).ticketById, { id: ticketId }), ticketId);
}

/** A ticket read already (a TicketView from getTicket) or its id, read now through the permission rules. */
type TicketRef = number | TicketView;
async function seen(ctx: DeskContext, actor: Actor, ref: TicketRef): Promise<TicketView> {
  return typeof ref === 'number' ? await getTicket(ctx, actor, ref) : ref;
}

export async function getTicketByNumber(ctx: DeskContext, actor: Actor, number: number): Promise<TicketView> {
  return await view(
    ctx,
    actor,
    await queryOne(ctx.db.select().from(tickets).where(eq(tickets.number, number))),
    `#${number}`,
  );
}

/**
 * The history of a ticket as the actor may see it, oldest first. Given the ticket's view (from getTicket,
 * for this same actor) it is not read again.
 */
export async function timeline(ctx: DeskContext, actor: Actor, ref: TicketRef): Promise<TicketEventRow[]> {
  const { ticket } = await seen(ctx, actor, ref);
  const internalToo = canSeeInternal(actor);
  const rows = await queryAll(builtOf(ctx.db).events, {
    ticketId: ticket.id,
    internalToo: internalToo ? 1 : 0,
  });
  // Clients (and client managers) read the history without the staff's own words (core/tickets/client-history.ts).
  return internalToo ? rows : rows.map((e) => eventForClient(e, ticket));
}

/** The files of a ticket as the actor may see them (internal ones only for staff), oldest first. */
export async function ticketAttachments(ctx: DeskContext, actor: Actor, ref: TicketRef) {
  const { ticket } = await seen(ctx, actor, ref);
  return await queryAll(builtOf(ctx.db).attachments, {
    ticketId: ticket.id,
    internalToo: canSeeInternal(actor) ? 1 : 0,
  });
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
  // An empty scope sees nothing: PostgreSQL's where takes a boolean only.
  return or(...scopeParts(scope)) ?? (storeDialect() === 'postgres' ? sql`false` : sql`0`);
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

/**
 * foldForSearch on PostgreSQL: lower() under ICU's root collation (the database's own may be "C", whose
 * lower() folds ASCII only; ICU lowers every letter, as toLocaleLowerCase('ru') does), then "ё" as "е".
 * Needs a server built with ICU (what the packaged and Docker images are).
 */
function pgFolded(column: SQLiteColumn): SQL {
  return sql`translate(lower(${column} collate "und-x-icu"), 'ё', 'е')`;
}

/** `column` contains `word` (case-folded), literally. */
export function containsFolded(db: Db, column: SQLiteColumn, word: string): SQL {
  if (isPostgresStore(db))
    return sql`${pgFolded(column)} like ${containsPattern(foldForSearch(word))} escape '\\'`;
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
export async function listTickets(db: Db, actor: Actor, raw: TicketFilter = {}): Promise<TicketRow[]> {
  const f = parseInput(ticketFilterSchema, raw);
  const filters = filtersOnly(db, actor, f);
  const newest = async (where: SQL | undefined) =>
    await queryAll(db.select().from(tickets).where(where).orderBy(desc(tickets.id)).limit(f.limit));
  const scope = ticketScope(actor);
  if (scope.kind === 'all') return await newest(filters);
  const parts = scopeParts(scope);
  if (parts.length === 1) return await newest(and(parts[0], filters));
  // Ids first (from the indexes alone), then only the rows that make the page.
  const ids = new Set<number>();
  for (const part of parts) {
    const newestIds = await queryAll(
      db
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(part, filters))
        .orderBy(desc(tickets.id))
        .limit(f.limit),
    );
    for (const { id } of newestIds) ids.add(id);
  }
  const page = [...ids].sort((a, b) => b - a).slice(0, f.limit);
  return page.length === 0 ? [] : await newest(inArray(tickets.id, page));
}

/** The comments of a ticket as the actor may see them (internal notes only for staff), oldest first. */
export async function ticketComments(ctx: DeskContext, actor: Actor, ref: TicketRef): Promise<CommentRow[]> {
  const { ticket } = await seen(ctx, actor, ref);
  return await queryAll(builtOf(ctx.db).comments, {
    ticketId: ticket.id,
    internalToo: canSeeInternal(actor) ? 1 : 0,
  });
}

/** What a list shows of a ticket: its summary columns and the names they point to, in one joined read. */
export interface TicketSummaryRow {
  id: number;
  number: number;
  subject: string;
  status: TicketRow['status'];
  priority: TicketRow['priority'];
  impact: TicketRow['impact'];
  urgency: TicketRow['urgency'];
  line: TicketRow['line'];
  channel: TicketRow['channel'];
  categoryId: number | null;
  categoryNameRu: string | null;
  categoryNameEn: string | null;
  companyId: number | null;
  companyName: string | null;
  requesterId: number;
  requesterName: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
  contractId: number | null;
  firstResponseDueAt: number;
  firstRespondedAt: number | null;
  resolutionDueAt: number;
  slaPausedAt: number | null;
  slaPausedMinutes: number;
  resolvedAt: number | null;
}

/** The summaries statement's columns, in its order (names as in TicketSummaryRow). */
type SummaryColumns = [
  id: number,
  number: number,
  subject: string,
  status: TicketSummaryRow['status'],
  priority: TicketSummaryRow['priority'],
  impact: TicketSummaryRow['impact'],
  urgency: TicketSummaryRow['urgency'],
  line: TicketSummaryRow['line'],
  channel: TicketSummaryRow['channel'],
  categoryId: number | null,
  categoryNameRu: string | null,
  categoryNameEn: string | null,
  companyId: number | null,
  companyName: string | null,
  requesterId: number,
  requesterName: string | null,
  assigneeId: number | null,
  assigneeName: string | null,
  createdAt: number,
  updatedAt: number,
  version: number,
  contractId: number | null,
  firstResponseDueAt: number,
  firstRespondedAt: number | null,
  resolutionDueAt: number,
  slaPausedAt: number | null,
  slaPausedMinutes: number,
  resolvedAt: number | null,
];

/**
 * A summary row from the statement's columns. Read as arrays and made objects here: better-sqlite3 on
 * Node 20 builds a row object of named columns at about twice the cost of the array (a page of 50
 * summaries: ~390 µs against ~210 µs).
 */
function summaryRow(r: SummaryColumns): TicketSummaryRow {
  return {
    id: r[0],
    number: r[1],
    subject: r[2],
    status: r[3],
    priority: r[4],
    impact: r[5],
    urgency: r[6],
    line: r[7],
    channel: r[8],
    categoryId: r[9],
    categoryNameRu: r[10],
    categoryNameEn: r[11],
    companyId: r[12],
    companyName: r[13],
    requesterId: r[14],
    requesterName: r[15],
    assigneeId: r[16],
    assigneeName: r[17],
    createdAt: r[18],
    updatedAt: r[19],
    version: r[20],
    contractId: r[21],
    firstResponseDueAt: r[22],
    firstRespondedAt: r[23],
    resolutionDueAt: r[24],
    slaPausedAt: r[25],
    slaPausedMinutes: r[26],
    resolvedAt: r[27],
  };
}

/**
 * listTickets's page as summary rows: the same tickets in the same order, read as ids first (along the
 * scope's indexes) and then in one joined statement with their names. A list with no filter but the page
 * runs on statements prepared once.
 */
export async function listTicketSummaries(
  db: Db,
  actor: Actor,
  raw: TicketFilter = {},
): Promise<TicketSummaryRow[]> {
  const ids = await listTicketIds(db, actor, raw);
  if (ids.length === 0) return [];
  if (isPostgresStore(db)) return await pgSummaries(db, ids);
  return (await queryAll(readsOf(db).summaries, JSON.stringify(ids))).map(summaryRow);
}

/**
 * The summaries on PostgreSQL: the same joined read built by Drizzle (which reads its rows as arrays and
 * names them itself), keys in summaryRow's order.
 */
async function pgSummaries(db: Db, ids: number[]): Promise<TicketSummaryRow[]> {
  const cat = alias(categories, 'cat');
  const co = alias(companies, 'co');
  const rq = alias(people, 'rq');
  const asg = alias(people, 'asg');
  return await queryAll(
    db
      .select({
        id: tickets.id,
        number: tickets.number,
        subject: tickets.subject,
        status: tickets.status,
        priority: tickets.priority,
        impact: tickets.impact,
        urgency: tickets.urgency,
        line: tickets.line,
        channel: tickets.channel,
        categoryId: tickets.categoryId,
        categoryNameRu: cat.nameRu,
        categoryNameEn: cat.nameEn,
        companyId: tickets.companyId,
        companyName: co.name,
        requesterId: tickets.requesterId,
        requesterName: rq.name,
        assigneeId: tickets.assigneeId,
        assigneeName: asg.name,
        createdAt: tickets.createdAt,
        updatedAt: tickets.updatedAt,
        version: tickets.version,
        contractId: tickets.contractId,
        firstResponseDueAt: tickets.firstResponseDueAt,
        firstRespondedAt: tickets.firstRespondedAt,
        resolutionDueAt: tickets.resolutionDueAt,
        slaPausedAt: tickets.slaPausedAt,
        slaPausedMinutes: tickets.slaPausedMinutes,
        resolvedAt: tickets.resolvedAt,
      })
      .from(tickets)
      .leftJoin(cat, eq(cat.id, tickets.categoryId))
      .leftJoin(co, eq(co.id, tickets.companyId))
      .leftJoin(rq, eq(rq.id, tickets.requesterId))
      .leftJoin(asg, eq(asg.id, tickets.assigneeId))
      .where(inArray(tickets.id, ids))
      .orderBy(desc(tickets.id)),
  );
}

/** A filter that narrows nothing but the page (limit, before). */
function onlyPaging(f: ParsedTicketFilter): boolean {
  return Object.entries(f).every(
    ([key, value]) => key === 'before' || value === undefined || (key === 'mine' && value === false),
  );
}

/** The ids of listTickets's page, newest first. */
export async function listTicketIds(db: Db, actor: Actor, raw: TicketFilter = {}): Promise<number[]> {
  const { limit, ...f } = parseInput(ticketFilterSchema, raw);
  const scope = ticketScope(actor);
  // On PostgreSQL the general path below reads the same ids (the scope's parts, `before` as a filter).
  if (onlyPaging(f) && !isPostgresStore(db)) {
    const r = readsOf(db);
    const before = f.before ?? Number.MAX_SAFE_INTEGER;
    if (scope.kind === 'all') return (await queryAll(r.idsAll, before, limit)) as number[];
    const parts: number[][] = [];
    for (const companyId of scope.companyIds)
      parts.push((await queryAll(r.idsOfCompany, companyId, before, limit)) as number[]);
    if (scope.requesterId !== null)
      parts.push((await queryAll(r.idsOfRequester, scope.requesterId, before, limit)) as number[]);
    if (scope.fieldEngineerId !== null) {
      parts.push(
        (await queryAll(r.idsOfLine, 'field', before, limit)) as number[],
        (await queryAll(r.idsOfAssignee, scope.fieldEngineerId, before, limit)) as number[],
      );
    }
    return newestOf(parts, limit);
  }
  const filters = filtersOnly(db, actor, f);
  const idsWhere = async (where: SQL | undefined) =>
    (
      await queryAll(
        db.select({ id: tickets.id }).from(tickets).where(where).orderBy(desc(tickets.id)).limit(limit),
      )
    ).map((row) => row.id);
  if (scope.kind === 'all') return await idsWhere(filters);
  const lists: number[][] = [];
  for (const part of scopeParts(scope)) lists.push(await idsWhere(and(part, filters)));
  return newestOf(lists, limit);
}

/** The newest `limit` of several newest-first id lists, without repeats. */
function newestOf(parts: number[][], limit: number): number[] {
  if (parts.length === 1) return parts[0] ?? [];
  const ids = new Set<number>();
  for (const part of parts) for (const id of part) ids.add(id);
  return [...ids].sort((a, b) => b - a).slice(0, limit);
}

/**
 * A ticket's page in one read, as one JSON document: the ticket with its names, the visit times offered, the
 * timeline, comments and files. JSON because better-sqlite3 on Node 20 makes a row's columns into a
 * JavaScript object several times slower than JSON.parse does (and its objects of many columns are slow
 * to read); SQLite writes its numbers, reals too, so that they parse back to the very same values.
 */
/** The summary's columns (SummaryColumns) of tickets `t` with SUMMARY_JOINS. */
const SUMMARY_COLUMNS = `t.id, t.number, t.subject, t.status, t.priority, t.impact, t.urgency, t.line, t.channel,
  t.category_id, cat.name_ru, cat.name_en, t.company_id, co.name, t.requester_id, rq.name,
  t.assignee_id, asg.name, t.created_at, t.updated_at, t.version, t.contract_id,
  t.first_response_due_at, t.first_responded_at, t.resolution_due_at, t.sla_paused_at,
  t.sla_paused_minutes, t.resolved_at`;
const SUMMARY_JOINS = `
  left join categories cat on cat.id = t.category_id
  left join companies co on co.id = t.company_id
  left join people rq on rq.id = t.requester_id
  left join people asg on asg.id = t.assignee_id`;

/**
 * The page in one row (PageColumns): the summary's columns, the page's own, and the lists as JSON arrays of
 * arrays (no keys: less for SQLite to write and for JSON.parse to read), made objects in pageOf.
 */
const TICKET_PAGE_SQL = `
  select ${SUMMARY_COLUMNS},
    t.description, t.location, t.resolution_text, t.rating, t.rating_comment,
    t.visit_starts_at, t.visit_ends_at, t.visit_checked_in_at, t.visit_checked_out_at,
    (select json_group_array(json_array(s.id, s.starts_at, s.ends_at)) from (
      select id, starts_at, ends_at from visit_slots where ticket_id = t.id and state = 'offered'
      order by starts_at, id) s),
    (select json_group_array(json_array(e.id, e.at, e.type, e.actor_id, p.name, e.from_status, e.to_status,
        e.internal, json(e.data))) from (
      select * from ticket_events where ticket_id = t.id and (:internalToo = 1 or internal = 0) order by id) e
      left join people p on p.id = e.actor_id),
    (select json_group_array(json_array(c.id, c.author_id, p.name, c.body, c.internal, c.created_at)) from (
      select * from comments where ticket_id = t.id and (:internalToo = 1 or internal = 0) order by id) c
      left join people p on p.id = c.author_id),
    (select json_group_array(json_array(a.id, a.comment_id, a.kind, a.file_name, a.mime_type, a.size,
        a.internal)) from (
      select * from attachments where ticket_id = t.id and (:internalToo = 1 or internal = 0) order by id) a)
  from tickets t ${SUMMARY_JOINS}
  where t.id = :id`;

/** SUMMARY_COLUMNS with a name each, so that PostgreSQL's keyed row keeps every one (three are `name`). */
const PG_SUMMARY_COLUMNS = SUMMARY_COLUMNS.split(',')
  .map((column, i) => `${column.trim()} as c${i}`)
  .join(', ');

/**
 * TICKET_PAGE_SQL on PostgreSQL: the same row, each column named apart (c0, c1, …, in PageColumns's order),
 * the lists as the same keyless JSON arrays (json_agg in the lists' order, '[]' when empty; flags as 0/1, as
 * SQLite writes them), sent as text for pageOf to parse.
 */
function pgPageSql(id: number, internalToo: boolean): SQL {
  const n = SUMMARY_COLUMNS.split(',').length;
  const page = [
    't.description',
    't.location',
    't.resolution_text',
    't.rating',
    't.rating_comment',
    't.visit_starts_at',
    't.visit_ends_at',
    't.visit_checked_in_at',
    't.visit_checked_out_at',
  ]
    .map((column, i) => `${column} as c${n + i}`)
    .join(', ');
  const m = n + 9;
  return sql`
  select ${sql.raw(PG_SUMMARY_COLUMNS)}, ${sql.raw(page)},
    (select coalesce(json_agg(json_build_array(s.id, s.starts_at, s.ends_at) order by s.starts_at, s.id), '[]')
      from visit_slots s where s.ticket_id = t.id and s.state = 'offered')::text as ${sql.raw(`c${m}`)},
    (select coalesce(json_agg(json_build_array(e.id, e.at, e.type, e.actor_id, p.name, e.from_status, e.to_status,
        e.internal::int, e.data) order by e.id), '[]')
      from ticket_events e left join people p on p.id = e.actor_id
      where e.ticket_id = t.id and (${internalToo} or not e.internal))::text as ${sql.raw(`c${m + 1}`)},
    (select coalesce(json_agg(json_build_array(c.id, c.author_id, p.name, c.body, c.internal::int, c.created_at)
        order by c.id), '[]')
      from comments c left join people p on p.id = c.author_id
      where c.ticket_id = t.id and (${internalToo} or not c.internal))::text as ${sql.raw(`c${m + 2}`)},
    (select coalesce(json_agg(json_build_array(a.id, a.comment_id, a.kind, a.file_name, a.mime_type, a.size,
        a.internal::int) order by a.id), '[]')
      from attachments a
      where a.ticket_id = t.id and (${internalToo} or not a.internal))::text as ${sql.raw(`c${m + 3}`)}
  from tickets t ${sql.raw(SUMMARY_JOINS)}
  where t.id = ${id}`;
}

/** The page's row on PostgreSQL, in PageColumns's order; undefined when there is no such ticket. */
async function pgPageRow(db: Db, id: number, internalToo: boolean): Promise<PageColumns | undefined> {
  const row = (await queryOne(db, pgPageSql(id, internalToo))) as Record<string, unknown> | undefined;
  if (row === undefined) return undefined;
  // Drizzle's raw reads hand bigint (the instants) over as text, whatever the pool's parser: made numbers here.
  return Array.from({ length: Object.keys(row).length }, (_, i) => {
    const value = row[`c${i}`];
    return typeof value === 'string' && PG_PAGE_NUMBERS.has(i) ? Number(value) : value;
  }) as PageColumns;
}

/** The positions of PageColumns that hold numbers. */
const PG_PAGE_NUMBERS = new Set([
  0, 1, 9, 12, 14, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 31, 33, 34, 35, 36,
]);

type PageColumns = [
  ...SummaryColumns,
  description: string,
  location: string | null,
  resolutionText: string | null,
  rating: number | null,
  ratingComment: string | null,
  visitStartsAt: number | null,
  visitEndsAt: number | null,
  visitCheckedInAt: number | null,
  visitCheckedOutAt: number | null,
  slots: string,
  events: string,
  comments: string,
  files: string,
];

type SlotCells = [id: number, startsAt: number, endsAt: number];
type EventCells = [
  id: number,
  at: number,
  type: TicketEventRow['type'],
  actorId: number | null,
  actorName: string | null,
  fromStatus: TicketEventRow['fromStatus'],
  toStatus: TicketEventRow['toStatus'],
  internal: 0 | 1,
  data: TicketEventRow['data'],
];
type CommentCells = [
  id: number,
  authorId: number | null,
  authorName: string | null,
  body: string,
  internal: 0 | 1,
  createdAt: number,
];
type FileCells = [
  id: number,
  commentId: number | null,
  kind: AttachmentRow['kind'],
  fileName: string | null,
  mimeType: string | null,
  size: number | null,
  internal: 0 | 1,
];

/** The page's row made objects, their keys in the order the API has always sent them. */
function pageOf(r: PageColumns): TicketPageDocument {
  // One literal, not the summary spread into it: V8 builds a spread object far slower.
  const ticket: TicketPageTicket = {
    id: r[0],
    number: r[1],
    subject: r[2],
    status: r[3],
    priority: r[4],
    impact: r[5],
    urgency: r[6],
    line: r[7],
    channel: r[8],
    categoryId: r[9],
    categoryNameRu: r[10],
    categoryNameEn: r[11],
    companyId: r[12],
    companyName: r[13],
    requesterId: r[14],
    requesterName: r[15],
    assigneeId: r[16],
    assigneeName: r[17],
    createdAt: r[18],
    updatedAt: r[19],
    version: r[20],
    contractId: r[21],
    firstResponseDueAt: r[22],
    firstRespondedAt: r[23],
    resolutionDueAt: r[24],
    slaPausedAt: r[25],
    slaPausedMinutes: r[26],
    resolvedAt: r[27],
    description: r[28],
    location: r[29],
    resolutionText: r[30],
    rating: r[31],
    ratingComment: r[32],
    visitStartsAt: r[33],
    visitEndsAt: r[34],
    visitCheckedInAt: r[35],
    visitCheckedOutAt: r[36],
  };
  return {
    ticket,
    offeredSlots: (JSON.parse(r[37]) as SlotCells[]).map((c) => ({ id: c[0], startsAt: c[1], endsAt: c[2] })),
    timeline: (JSON.parse(r[38]) as EventCells[]).map((c) => ({
      id: c[0],
      at: c[1],
      type: c[2],
      actorId: c[3],
      actorName: c[4],
      fromStatus: c[5],
      toStatus: c[6],
      internal: c[7] === 1,
      data: c[8],
    })),
    comments: (JSON.parse(r[39]) as CommentCells[]).map((c) => ({
      id: c[0],
      authorId: c[1],
      authorName: c[2],
      body: c[3],
      internal: c[4] === 1,
      createdAt: c[5],
    })),
    attachments: (JSON.parse(r[40]) as FileCells[]).map((c) => ({
      id: c[0],
      commentId: c[1],
      kind: c[2],
      fileName: c[3],
      mimeType: c[4],
      size: c[5],
      internal: c[6] === 1,
    })),
  };
}

/** The ticket as its page shows it: the summary's columns and names, and the page's own columns. */
export interface TicketPageTicket extends TicketSummaryRow {
  description: string;
  location: string | null;
  resolutionText: string | null;
  rating: number | null;
  ratingComment: string | null;
  visitStartsAt: number | null;
  visitEndsAt: number | null;
  visitCheckedInAt: number | null;
  visitCheckedOutAt: number | null;
}

/** What the statement's JSON document holds. */
type TicketPageDocument = Pick<
  TicketPage,
  'ticket' | 'offeredSlots' | 'timeline' | 'comments' | 'attachments'
>;

/** An event of the timeline with the name of who made it (null: the system, or nobody known). */
export type TicketPageEvent = Omit<TicketEventRow, 'ticketId'> & { actorName: string | null };
export type TicketPageComment = Omit<CommentRow, 'ticketId'> & { authorName: string | null };
export interface TicketPageFile {
  id: number;
  commentId: number | null;
  kind: AttachmentRow['kind'];
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
  internal: boolean;
}
type AttachmentRow = typeof attachments.$inferSelect;

export interface TicketPage {
  ticket: TicketPageTicket;
  sla: SlaReading;
  roles: ActingRole[];
  timeZone: string;
  /** The visit times offered now, earliest first. */
  offeredSlots: { id: number; startsAt: number; endsAt: number }[];
  /** As the actor may read them, oldest first: what getTicket, offeredSlots, timeline, ticketComments and ticketAttachments give. */
  timeline: TicketPageEvent[];
  comments: TicketPageComment[];
  attachments: TicketPageFile[];
}

/**
 * A ticket's page — the ticket with its names and SLA clocks, offered visit times, timeline, comments and
 * files, each as the actor may see them — in one statement prepared once per connection (the names joined,
 * the lists as JSON arrays): what getTicket, timeline, ticketComments, ticketAttachments and offeredSlots
 * read apart. Not found when the actor may not see the ticket.
 */
export async function readTicketPage(ctx: DeskContext, actor: Actor, ticketId: number): Promise<TicketPage> {
  const internalToo = canSeeInternal(actor);
  const row = isPostgresStore(ctx.db)
    ? await pgPageRow(ctx.db, ticketId, internalToo)
    : await queryOne(readsOf(ctx.db).page, { id: ticketId, internalToo: internalToo ? 1 : 0 });
  if (row === undefined) throw new NotFoundError('ticket', ticketId);
  const page = pageOf(row);
  const { ticket } = page;
  const roles = assertCanSeeTicket(actor, ticket);
  const policy = await ctx.policies.forContract(ticket.contractId);
  return {
    ticket,
    sla: readSla(policy.time, policy.targets[ticket.priority], ticket, ctx.clock.now()),
    roles,
    timeZone: policy.timeZone,
    offeredSlots: page.offeredSlots,
    // Clients (and client managers) read the history without the staff's own words (core/tickets/client-history.ts).
    timeline: internalToo ? page.timeline : page.timeline.map((e) => eventForClient(e, ticket)),
    comments: page.comments,
    attachments: page.attachments,
  };
}

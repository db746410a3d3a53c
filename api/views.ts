// Shaping tickets, events and comments as the API returns them (docs/API.md, "Shapes"). Names of people,
// companies and categories are looked up in one query per table for a whole list, never per row.
import type { Statement } from 'better-sqlite3';
import { inArray } from 'drizzle-orm';
import type { DeskContext } from '../core/context.ts';
import type { Language } from '../core/model.ts';
import { type Actor, allowedActions, type TicketForActions } from '../core/permissions.ts';
import { type ClockReading, readSla, type SlaReading } from '../core/sla-clock.ts';
import type { TicketPage, TicketPageFile, TicketSummaryRow, TicketView } from '../core/tickets/read.ts';
import { offeredSlots } from '../core/tickets/visits.ts';
import { queryAll } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { isPostgresStore } from '../db/pg/store.ts';
import {
  type attachments,
  type CommentRow,
  categories,
  companies,
  people,
  type TicketEventRow,
  type TicketRow,
} from '../db/schema.ts';

type AttachmentRow = typeof attachments.$inferSelect;

export interface TicketSummary {
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
  categoryName: string | null;
  companyId: number | null;
  companyName: string | null;
  requesterId: number;
  requesterName: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
  sla: { firstResponse: ClockReading; resolution: ClockReading };
  /** The clock that runs out next, and its due instant (what countdowns show). */
  next: 'first_response' | 'resolution';
  dueAt: number;
}

export interface TicketDetail extends TicketSummary {
  description: string;
  location: string | null;
  resolutionText: string | null;
  rating: number | null;
  ratingComment: string | null;
  visit: { startsAt: number; endsAt: number; checkedInAt: number | null; checkedOutAt: number | null } | null;
  offeredSlots: { id: number; startsAt: number; endsAt: number }[];
  timeZone: string;
  roles: string[];
  actions: string[];
}

export interface EventView {
  id: number;
  at: number;
  type: string;
  actorId: number | null;
  actorName: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  internal: boolean;
  data: Record<string, unknown> | null;
}

export interface AttachmentView {
  id: number;
  kind: string;
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
  internal: boolean;
  url: string;
}

export interface CommentView {
  id: number;
  authorId: number | null;
  authorName: string | null;
  body: string;
  internal: boolean;
  createdAt: number;
  attachments: AttachmentView[];
}

type NameStatements = {
  people: Statement<[string], { id: number; name: string }>;
  companies: Statement<[string], { id: number; name: string }>;
  categories: Statement<[], { id: number; nameRu: string; nameEn: string }>;
};
const nameStatements = new WeakMap<Db, NameStatements>();
/** The name lookups, compiled once per connection; id lists go in as one JSON array. */
function namesOf(db: Db): NameStatements {
  let s = nameStatements.get(db);
  if (!s) {
    const sqlite = db.$client;
    s = {
      people: sqlite.prepare('select id, name from people where id in (select value from json_each(?))'),
      companies: sqlite.prepare(
        'select id, name from companies where id in (select value from json_each(?))',
      ),
      categories: sqlite.prepare('select id, name_ru as nameRu, name_en as nameEn from categories'),
    } as NameStatements;
    nameStatements.set(db, s);
  }
  return s;
}

// On PostgreSQL the same lookups built by Drizzle (the id list as `= any($1)`); SQLite keeps its statements.
async function peopleNamed(db: Db, ids: number[]): Promise<{ id: number; name: string }[]> {
  if (isPostgresStore(db))
    return await queryAll(
      db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, ids)),
    );
  return await queryAll(namesOf(db).people, JSON.stringify(ids));
}

async function companiesNamed(db: Db, ids: number[]): Promise<{ id: number; name: string }[]> {
  if (isPostgresStore(db))
    return await queryAll(
      db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, ids)),
    );
  return await queryAll(namesOf(db).companies, JSON.stringify(ids));
}

async function categoryNames(db: Db): Promise<{ id: number; nameRu: string; nameEn: string }[]> {
  if (isPostgresStore(db))
    return await queryAll(
      db.select({ id: categories.id, nameRu: categories.nameRu, nameEn: categories.nameEn }).from(categories),
    );
  return await queryAll(namesOf(db).categories);
}

/** Names by id, looked up once for a whole response. */
export class Names {
  private people = new Map<number, string>();
  private companies = new Map<number, string>();
  private categories: Map<number, { nameRu: string; nameEn: string }> | undefined;

  constructor(
    private readonly ctx: DeskContext,
    private readonly language: Language,
  ) {}

  /** Loads the names these ids need that are not known yet: at most one query per table. */
  async load(ids: { people?: (number | null)[]; companies?: (number | null)[] }): Promise<this> {
    const missing = (known: Map<number, string>, list: (number | null)[] = []) => [
      ...new Set(list.filter((id): id is number => id !== null && !known.has(id))),
    ];
    const personIds = missing(this.people, ids.people);
    if (personIds.length > 0) {
      for (const p of await peopleNamed(this.ctx.db, personIds)) this.people.set(p.id, p.name);
    }
    const companyIds = missing(this.companies, ids.companies);
    if (companyIds.length > 0) {
      for (const c of await companiesNamed(this.ctx.db, companyIds)) this.companies.set(c.id, c.name);
    }
    return this;
  }

  person(id: number | null): string | null {
    return id === null ? null : (this.people.get(id) ?? null);
  }

  company(id: number | null): string | null {
    return id === null ? null : (this.companies.get(id) ?? null);
  }

  async category(id: number | null): Promise<string | null> {
    if (id === null) return null;
    // The categories are a short list: all of them in one query, the first time one is asked for.
    this.categories ??= new Map((await categoryNames(this.ctx.db)).map((c) => [c.id, c]));
    const c = this.categories.get(id);
    return c ? (this.language === 'ru' ? c.nameRu : c.nameEn) : null;
  }
}

/** What a summary shows of a ticket, whichever way it was read. */
type SummaryFields = Pick<
  TicketRow,
  | 'id'
  | 'number'
  | 'subject'
  | 'status'
  | 'priority'
  | 'impact'
  | 'urgency'
  | 'line'
  | 'channel'
  | 'categoryId'
  | 'companyId'
  | 'requesterId'
  | 'assigneeId'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
  | 'contractId'
  | 'firstResponseDueAt'
  | 'firstRespondedAt'
  | 'resolutionDueAt'
  | 'slaPausedAt'
  | 'slaPausedMinutes'
  | 'resolvedAt'
>;

interface SummaryNames {
  categoryName: string | null;
  companyName: string | null;
  requesterName: string | null;
  assigneeName: string | null;
}

async function summaryOf(
  ctx: DeskContext,
  t: SummaryFields,
  names: SummaryNames,
  now: number,
): Promise<TicketSummary> {
  const policy = await ctx.policies.forContract(t.contractId);
  return summaryWith(t, names, readSla(policy.time, policy.targets[t.priority], t, now));
}

/** The clock that runs out next. */
function nextClock(t: SummaryFields): TicketSummary['next'] {
  return t.firstRespondedAt === null && t.firstResponseDueAt <= t.resolutionDueAt
    ? 'first_response'
    : 'resolution';
}

/** The summary with its SLA clocks read already. */
function summaryWith(t: SummaryFields, names: SummaryNames, sla: SlaReading): TicketSummary {
  const next = nextClock(t);
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    line: t.line,
    channel: t.channel,
    categoryId: t.categoryId,
    categoryName: names.categoryName,
    companyId: t.companyId,
    companyName: names.companyName,
    requesterId: t.requesterId,
    requesterName: names.requesterName,
    assigneeId: t.assigneeId,
    assigneeName: names.assigneeName,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    version: t.version,
    sla,
    next,
    dueAt: next === 'first_response' ? t.firstResponseDueAt : t.resolutionDueAt,
  };
}

/** What a detail shows of the ticket beyond the summary's fields. */
type DetailFields = Pick<
  TicketRow,
  | 'description'
  | 'location'
  | 'resolutionText'
  | 'rating'
  | 'ratingComment'
  | 'visitStartsAt'
  | 'visitEndsAt'
  | 'visitCheckedInAt'
  | 'visitCheckedOutAt'
>;

/**
 * A detail: the summary's fields and the page's in one literal. Spread ({ ...summary, description, … })
 * it took V8 on Node 20 some 18 µs to build, thirty times as long (measured in a loop).
 */
function detailWith(
  t: SummaryFields & DetailFields,
  names: SummaryNames,
  sla: SlaReading,
  more: Pick<TicketDetail, 'offeredSlots' | 'timeZone' | 'roles' | 'actions'>,
): TicketDetail {
  const next = nextClock(t);
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    line: t.line,
    channel: t.channel,
    categoryId: t.categoryId,
    categoryName: names.categoryName,
    companyId: t.companyId,
    companyName: names.companyName,
    requesterId: t.requesterId,
    requesterName: names.requesterName,
    assigneeId: t.assigneeId,
    assigneeName: names.assigneeName,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    version: t.version,
    sla,
    next,
    dueAt: next === 'first_response' ? t.firstResponseDueAt : t.resolutionDueAt,
    description: t.description,
    location: t.location,
    resolutionText: t.resolutionText,
    rating: t.rating,
    ratingComment: t.ratingComment,
    visit:
      t.visitStartsAt === null || t.visitEndsAt === null
        ? null
        : {
            startsAt: t.visitStartsAt,
            endsAt: t.visitEndsAt,
            checkedInAt: t.visitCheckedInAt,
            checkedOutAt: t.visitCheckedOutAt,
          },
    offeredSlots: more.offeredSlots,
    timeZone: more.timeZone,
    roles: more.roles,
    actions: more.actions,
  };
}

/**
 * The moves the actor may make on the ticket, given how many visit times are offered on it: the fields
 * they depend on copied by name ({ ...row, offeredSlots } took about 4 µs).
 */
function actionsOn(actor: Actor, t: TicketForActions, offeredSlots: number) {
  return allowedActions(actor, {
    requesterId: t.requesterId,
    companyId: t.companyId,
    line: t.line,
    assigneeId: t.assigneeId,
    channel: t.channel,
    status: t.status,
    rating: t.rating,
    visitStartsAt: t.visitStartsAt,
    visitCheckedInAt: t.visitCheckedInAt,
    visitCheckedOutAt: t.visitCheckedOutAt,
    offeredSlots,
  });
}

/** A list of tickets (already limited to what the person may see) as summaries: three lookups in all. */
export async function ticketSummaries(
  ctx: DeskContext,
  rows: TicketRow[],
  language: Language,
): Promise<TicketSummary[]> {
  const names = await new Names(ctx, language).load({
    people: rows.flatMap((t) => [t.requesterId, t.assigneeId]),
    companies: rows.map((t) => t.companyId),
  });
  const now = ctx.clock.now();
  const summaries: TicketSummary[] = [];
  for (const t of rows) summaries.push(await summaryOf(ctx, t, await namesFor(t, names), now));
  return summaries;
}

async function namesFor(t: SummaryFields, names: Names): Promise<SummaryNames> {
  return {
    categoryName: await names.category(t.categoryId),
    companyName: names.company(t.companyId),
    requesterName: names.person(t.requesterId),
    assigneeName: names.person(t.assigneeId),
  };
}

/** Summaries of rows read with their names already (core's listTicketSummaries): no lookups at all. */
export async function summariesOfRows(
  ctx: DeskContext,
  rows: TicketSummaryRow[],
  language: Language,
): Promise<TicketSummary[]> {
  const now = ctx.clock.now();
  const summaries: TicketSummary[] = [];
  for (const r of rows) summaries.push(await summaryOf(ctx, r, rowNames(r, language), now));
  return summaries;
}

/** The names a summary shows, from a row read with them. */
function rowNames(r: TicketSummaryRow, language: Language): SummaryNames {
  return {
    categoryName: r.categoryId === null ? null : language === 'ru' ? r.categoryNameRu : r.categoryNameEn,
    companyName: r.companyId === null ? null : r.companyName,
    requesterName: r.requesterName,
    assigneeName: r.assigneeId === null ? null : r.assigneeName,
  };
}

function pageFileView(ticketId: number, a: TicketPageFile): AttachmentView {
  return {
    id: a.id,
    kind: a.kind,
    fileName: a.fileName,
    mimeType: a.mimeType,
    size: a.size,
    internal: a.internal,
    url: `/api/tickets/${ticketId}/attachments/${a.id}`,
  };
}

/**
 * `GET /api/tickets/:id` from core's readTicketPage: what ticketDetail, eventViews and commentViews make of
 * getTicket, timeline, ticketComments and ticketAttachments, read in one statement.
 */
export function ticketPageView(actor: Actor, page: TicketPage, language: Language) {
  const t = page.ticket;
  const slots = page.offeredSlots;
  const ticket = detailWith(t, rowNames(t, language), page.sla, {
    offeredSlots: slots.map((s) => ({ id: s.id, startsAt: s.startsAt, endsAt: s.endsAt })),
    timeZone: page.timeZone,
    roles: page.roles,
    actions: actionsOn(actor, t, slots.length),
  });
  const byComment = new Map<number, AttachmentView[]>();
  const own: AttachmentView[] = [];
  for (const a of page.attachments) {
    const view = pageFileView(t.id, a);
    if (a.commentId === null) own.push(view);
    else {
      const views = byComment.get(a.commentId);
      if (views) views.push(view);
      else byComment.set(a.commentId, [view]);
    }
  }
  return {
    ticket,
    timeline: page.timeline.map(
      (e): EventView => ({
        id: e.id,
        at: e.at,
        type: e.type,
        actorId: e.actorId,
        actorName: e.actorName,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        internal: e.internal,
        data: e.data,
      }),
    ),
    comments: page.comments.map(
      (c): CommentView => ({
        id: c.id,
        authorId: c.authorId,
        authorName: c.authorName,
        body: c.body,
        internal: c.internal,
        createdAt: c.createdAt,
        attachments: byComment.get(c.id) ?? [],
      }),
    ),
    /** Files that came with the request itself rather than with a comment. */
    attachments: own,
  };
}

/** One ticket as its page shows it, with the moves this person may make on it now. */
export async function ticketDetail(
  ctx: DeskContext,
  actor: Actor,
  view: TicketView,
  language: Language,
  names: Names = new Names(ctx, language),
): Promise<TicketDetail> {
  const t = view.ticket;
  await names.load({ people: [t.requesterId, t.assigneeId], companies: [t.companyId] });
  const slots = await offeredSlots(ctx.db, t.id);
  const policy = await ctx.policies.forContract(t.contractId);
  return detailWith(
    t,
    await namesFor(t, names),
    readSla(policy.time, policy.targets[t.priority], t, ctx.clock.now()),
    {
      offeredSlots: slots.map((s) => ({ id: s.id, startsAt: s.startsAt, endsAt: s.endsAt })),
      timeZone: view.timeZone,
      roles: view.roles,
      actions: actionsOn(actor, t, slots.length),
    },
  );
}

export function attachmentView(a: AttachmentRow): AttachmentView {
  return {
    id: a.id,
    kind: a.kind,
    fileName: a.fileName,
    mimeType: a.mimeType,
    size: a.size,
    internal: a.internal,
    url: `/api/tickets/${a.ticketId}/attachments/${a.id}`,
  };
}

export async function eventViews(events: TicketEventRow[], names: Names): Promise<EventView[]> {
  await names.load({ people: events.map((e) => e.actorId) });
  return events.map((e) => ({
    id: e.id,
    at: e.at,
    type: e.type,
    actorId: e.actorId,
    actorName: names.person(e.actorId),
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    internal: e.internal,
    data: e.data,
  }));
}

/** Comments with their files; `files` must already be limited to what the person may see. */
export async function commentViews(
  list: CommentRow[],
  files: AttachmentRow[],
  names: Names,
): Promise<CommentView[]> {
  await names.load({ people: list.map((c) => c.authorId) });
  const byComment = new Map<number, AttachmentView[]>();
  for (const a of files) {
    if (a.commentId === null) continue;
    const views = byComment.get(a.commentId) ?? [];
    views.push(attachmentView(a));
    byComment.set(a.commentId, views);
  }
  return list.map((c) => ({
    id: c.id,
    authorId: c.authorId,
    authorName: names.person(c.authorId),
    body: c.body,
    internal: c.internal,
    createdAt: c.createdAt,
    attachments: byComment.get(c.id) ?? [],
  }));
}

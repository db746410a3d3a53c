// Shaping tickets, events and comments as the API returns them (docs/API.md, "Shapes"). Names of people,
// companies and categories are looked up in one query per table for a whole list, never per row.
import { inArray } from 'drizzle-orm';
import type { DeskContext } from '../core/context.ts';
import type { Language } from '../core/model.ts';
import { type Actor, allowedActions } from '../core/permissions.ts';
import { type ClockReading, readSla } from '../core/sla-clock.ts';
import type { TicketView } from '../core/tickets/read.ts';
import { offeredSlots, visitOf } from '../core/tickets/visits.ts';
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
  load(ids: { people?: (number | null)[]; companies?: (number | null)[] }): this {
    const missing = (known: Map<number, string>, list: (number | null)[] = []) => [
      ...new Set(list.filter((id): id is number => id !== null && !known.has(id))),
    ];
    const personIds = missing(this.people, ids.people);
    if (personIds.length > 0) {
      for (const p of this.ctx.db
        .select({ id: people.id, name: people.name })
        .from(people)
        .where(inArray(people.id, personIds))
        .all())
        this.people.set(p.id, p.name);
    }
    const companyIds = missing(this.companies, ids.companies);
    if (companyIds.length > 0) {
      for (const c of this.ctx.db
        .select({ id: companies.id, name: companies.name })
        .from(companies)
        .where(inArray(companies.id, companyIds))
        .all())
        this.companies.set(c.id, c.name);
    }
    return this;
  }

  person(id: number | null): string | null {
    return id === null ? null : (this.people.get(id) ?? null);
  }

  company(id: number | null): string | null {
    return id === null ? null : (this.companies.get(id) ?? null);
  }

  category(id: number | null): string | null {
    if (id === null) return null;
    // The categories are a short list: all of them in one query, the first time one is asked for.
    this.categories ??= new Map(
      this.ctx.db
        .select({ id: categories.id, nameRu: categories.nameRu, nameEn: categories.nameEn })
        .from(categories)
        .all()
        .map((c) => [c.id, c]),
    );
    const c = this.categories.get(id);
    return c ? (this.language === 'ru' ? c.nameRu : c.nameEn) : null;
  }
}

function summaryOf(ctx: DeskContext, t: TicketRow, names: Names, now: number): TicketSummary {
  const policy = ctx.policies.forContract(t.contractId);
  const sla = readSla(policy.time, policy.targets[t.priority], t, now);
  const next =
    t.firstRespondedAt === null && t.firstResponseDueAt <= t.resolutionDueAt
      ? 'first_response'
      : 'resolution';
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
    categoryName: names.category(t.categoryId),
    companyId: t.companyId,
    companyName: names.company(t.companyId),
    requesterId: t.requesterId,
    requesterName: names.person(t.requesterId),
    assigneeId: t.assigneeId,
    assigneeName: names.person(t.assigneeId),
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    version: t.version,
    sla,
    next,
    dueAt: next === 'first_response' ? t.firstResponseDueAt : t.resolutionDueAt,
  };
}

/** A list of tickets (already limited to what the person may see) as summaries: three lookups in all. */
export function ticketSummaries(ctx: DeskContext, rows: TicketRow[], language: Language): TicketSummary[] {
  const names = new Names(ctx, language).load({
    people: rows.flatMap((t) => [t.requesterId, t.assigneeId]),
    companies: rows.map((t) => t.companyId),
  });
  const now = ctx.clock.now();
  return rows.map((t) => summaryOf(ctx, t, names, now));
}

/** One ticket as its page shows it, with the moves this person may make on it now. */
export function ticketDetail(
  ctx: DeskContext,
  actor: Actor,
  view: TicketView,
  language: Language,
  names: Names = new Names(ctx, language),
): TicketDetail {
  const t = view.ticket;
  names.load({ people: [t.requesterId, t.assigneeId], companies: [t.companyId] });
  const slots = offeredSlots(ctx.db, t.id);
  const visit = visitOf(t);
  return {
    ...summaryOf(ctx, t, names, ctx.clock.now()),
    description: t.description,
    location: t.location,
    resolutionText: t.resolutionText,
    rating: t.rating,
    ratingComment: t.ratingComment,
    visit: visit && {
      startsAt: visit.startsAt,
      endsAt: visit.endsAt,
      checkedInAt: visit.checkedInAt,
      checkedOutAt: visit.checkedOutAt,
    },
    offeredSlots: slots.map((s) => ({ id: s.id, startsAt: s.startsAt, endsAt: s.endsAt })),
    timeZone: view.timeZone,
    roles: view.roles,
    actions: allowedActions(actor, { ...t, offeredSlots: slots.length }),
  };
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

export function eventViews(events: TicketEventRow[], names: Names): EventView[] {
  names.load({ people: events.map((e) => e.actorId) });
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
export function commentViews(list: CommentRow[], files: AttachmentRow[], names: Names): CommentView[] {
  names.load({ people: list.map((c) => c.authorId) });
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

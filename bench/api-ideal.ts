// The API benchmark's baseline: hand-written routes answering exactly what tgdesk's `GET /api/tickets`
// (first page) and `GET /api/tickets/:id` answer, for a client manager of one company — Hono, one prepared
// better-sqlite3 statement per route, the init-data check and the person cached per Authorization value
// for the life of the process. It borrows core's pure rules (SLA clock, roles, allowed actions, what a
// client may read of an event) so that the JSON is byte-identical; bench/api.ts checks that it is.
import type Database from 'better-sqlite3';
import { Hono } from 'hono';
import { verifyInitData } from '../api/init-data.ts';
import type { ActingRole } from '../core/lifecycle.ts';
import type { Language } from '../core/model.ts';
import {
  type Actor,
  allowedActions,
  canSeeInternal,
  managedCompanies,
  rolesOnTicket,
} from '../core/permissions.ts';
import type { PolicyBook } from '../core/policies.ts';
import { readSla } from '../core/sla-clock.ts';
import { eventForClient } from '../core/tickets/client-history.ts';
import type { TicketEventRow, TicketRow } from '../db/schema.ts';

interface Caller {
  personId: number;
  language: Language;
  actor: Actor & { kind: 'person' };
  companyId: number;
  internalToo: boolean;
}

type Row = Record<string, unknown>;

const SUMMARY_COLUMNS = `t.id, t.number, t.subject, t.status, t.priority, t.impact, t.urgency, t.line, t.channel,
  t.category_id, cat.name_ru as cat_ru, cat.name_en as cat_en, t.company_id, co.name as company_name,
  t.requester_id, rq.name as requester_name, t.assignee_id, asg.name as assignee_name, t.created_at,
  t.updated_at, t.version, t.contract_id, t.first_response_due_at, t.first_responded_at,
  t.resolution_due_at, t.sla_paused_at, t.sla_paused_minutes, t.resolved_at`;
const NAME_JOINS = `left join categories cat on cat.id = t.category_id
  left join companies co on co.id = t.company_id
  left join people rq on rq.id = t.requester_id
  left join people asg on asg.id = t.assignee_id`;

export function idealApp(
  sqlite: Database.Database,
  policies: PolicyBook,
  botToken: string,
  now: number,
  maxAgeSeconds: number,
): Hono {
  const personByTelegram = sqlite.prepare('select id, language from people where telegram_user_id = ?');
  const membershipsOf = sqlite.prepare(
    'select role, company_id as companyId from memberships where person_id = ?',
  );
  const listPage = sqlite.prepare(`
    with page(id) as (
      select id from (select id from tickets where company_id = :company order by id desc limit :limit)
      union
      select id from (select id from tickets where requester_id = :person order by id desc limit :limit)
      order by id desc limit :limit
    )
    select ${SUMMARY_COLUMNS} from page join tickets t on t.id = page.id ${NAME_JOINS} order by t.id desc`);
  const detail = sqlite.prepare(`
    select ${SUMMARY_COLUMNS}, t.description, t.location, t.resolution_text, t.rating, t.rating_comment,
      t.visit_starts_at, t.visit_ends_at, t.visit_checked_in_at, t.visit_checked_out_at,
      (select json_group_array(json_array(s.id, s.starts_at, s.ends_at)) from (
        select id, starts_at, ends_at from visit_slots where ticket_id = t.id and state = 'offered'
        order by starts_at, id) s) as slots,
      (select json_group_array(json_array(e.id, e.at, e.type, e.actor_id, p.name, e.from_status, e.to_status,
          e.internal, json(e.data))) from (
        select * from ticket_events where ticket_id = t.id and (:internal or internal = 0) order by id) e
        left join people p on p.id = e.actor_id) as events,
      (select json_group_array(json_array(c.id, c.author_id, p.name, c.body, c.internal, c.created_at)) from (
        select * from comments where ticket_id = t.id and (:internal or internal = 0) order by id) c
        left join people p on p.id = c.author_id) as comments,
      (select json_group_array(json_array(a.id, a.comment_id, a.kind, a.file_name, a.mime_type, a.size,
          a.internal)) from (
        select * from attachments where ticket_id = t.id and (:internal or internal = 0) order by id) a) as files
    from tickets t ${NAME_JOINS} where t.id = :id`);

  const callers = new Map<string, Caller>();
  function caller(header: string | undefined): Caller | null {
    if (header === undefined) return null;
    const cached = callers.get(header);
    if (cached) return cached;
    const check = verifyInitData(/^tma\s+(\S+)\s*$/i.exec(header)?.[1], botToken, { now, maxAgeSeconds });
    if (!check.ok) return null;
    const person = personByTelegram.get(check.data.user.id) as { id: number; language: Language } | undefined;
    if (!person) return null;
    const actor: Actor & { kind: 'person' } = {
      kind: 'person',
      personId: person.id,
      memberships: membershipsOf.all(person.id) as Actor extends { memberships: infer M } ? M : never,
    };
    const [companyId, ...more] = managedCompanies(actor);
    // The baseline is written for one shape of caller: a client manager of one company.
    if (companyId === undefined || more.length > 0 || canSeeInternal(actor)) return null;
    const found = { personId: person.id, language: person.language, actor, companyId, internalToo: false };
    callers.set(header, found);
    return found;
  }

  async function summary(r: Row, language: Language) {
    const t = {
      createdAt: r.created_at as number,
      firstResponseDueAt: r.first_response_due_at as number,
      firstRespondedAt: r.first_responded_at as number | null,
      resolutionDueAt: r.resolution_due_at as number,
      slaPausedAt: r.sla_paused_at as number | null,
      slaPausedMinutes: r.sla_paused_minutes as number,
      resolvedAt: r.resolved_at as number | null,
    };
    const policy = await policies.forContract(r.contract_id as number | null);
    const priority = r.priority as TicketRow['priority'];
    const next =
      t.firstRespondedAt === null && t.firstResponseDueAt <= t.resolutionDueAt
        ? 'first_response'
        : 'resolution';
    return {
      id: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status,
      priority,
      impact: r.impact,
      urgency: r.urgency,
      line: r.line,
      channel: r.channel,
      categoryId: r.category_id,
      categoryName: r.category_id === null ? null : ((language === 'ru' ? r.cat_ru : r.cat_en) ?? null),
      companyId: r.company_id,
      companyName: r.company_name ?? null,
      requesterId: r.requester_id,
      requesterName: r.requester_name ?? null,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name ?? null,
      createdAt: t.createdAt,
      updatedAt: r.updated_at,
      version: r.version,
      sla: readSla(policy.time, policy.targets[priority], t, now),
      next,
      dueAt: next === 'first_response' ? t.firstResponseDueAt : t.resolutionDueAt,
    };
  }

  const unauthorized = { error: { code: 'unauthorized' } };
  const app = new Hono();
  app.get('/api/tickets', async (c) => {
    const who = caller(c.req.header('authorization'));
    if (!who) return c.json(unauthorized, 401);
    const limit = 50;
    const rows = listPage.all({ company: who.companyId, person: who.personId, limit: limit + 1 }) as Row[];
    const page = rows.slice(0, limit);
    const tickets = [];
    for (const r of page) tickets.push(await summary(r, who.language));
    return c.json({
      tickets,
      next: rows.length > limit ? ((page.at(-1)?.id as number | undefined) ?? null) : null,
    });
  });
  app.get('/api/tickets/:id', async (c) => {
    const who = caller(c.req.header('authorization'));
    if (!who) return c.json(unauthorized, 401);
    const r = detail.get({ id: Number(c.req.param('id')), internal: who.internalToo ? 1 : 0 }) as
      | Row
      | undefined;
    const access = r && {
      requesterId: r.requester_id as number,
      companyId: r.company_id as number | null,
      line: r.line as TicketRow['line'],
      assigneeId: r.assignee_id as number | null,
      channel: r.channel as TicketRow['channel'],
    };
    const roles: ActingRole[] = access ? rolesOnTicket(who.actor, access) : [];
    if (!r || !access || roles.length === 0) return c.json({ error: { code: 'not_found' } }, 404);
    const slots = JSON.parse(r.slots as string) as [number, number, number][];
    const events = JSON.parse(r.events as string) as unknown[][];
    const comments = JSON.parse(r.comments as string) as unknown[][];
    const files = (JSON.parse(r.files as string) as unknown[][]).map((a) => ({
      commentId: a[1] as number | null,
      view: {
        id: a[0],
        kind: a[2],
        fileName: a[3],
        mimeType: a[4],
        size: a[5],
        internal: a[6] === 1,
        url: `/api/tickets/${r.id}/attachments/${a[0]}`,
      },
    }));
    const visitStartsAt = r.visit_starts_at as number | null;
    const visitEndsAt = r.visit_ends_at as number | null;
    const forActions = {
      ...access,
      status: r.status as TicketRow['status'],
      rating: r.rating as number | null,
      visitStartsAt,
      visitCheckedInAt: r.visit_checked_in_at as number | null,
      visitCheckedOutAt: r.visit_checked_out_at as number | null,
      offeredSlots: slots.length,
    };
    const ticket = {
      ...(await summary(r, who.language)),
      description: r.description,
      location: r.location,
      resolutionText: r.resolution_text,
      rating: r.rating,
      ratingComment: r.rating_comment,
      visit:
        visitStartsAt === null || visitEndsAt === null
          ? null
          : {
              startsAt: visitStartsAt,
              endsAt: visitEndsAt,
              checkedInAt: forActions.visitCheckedInAt,
              checkedOutAt: forActions.visitCheckedOutAt,
            },
      offeredSlots: slots.map(([id, startsAt, endsAt]) => ({ id, startsAt, endsAt })),
      timeZone: (await policies.forContract(r.contract_id as number | null)).timeZone,
      roles,
      actions: allowedActions(who.actor, forActions),
    };
    const requester = { requesterId: access.requesterId };
    return c.json({
      ticket,
      timeline: events.map((e) => {
        const event = {
          id: e[0],
          at: e[1],
          type: e[2],
          actorId: e[3],
          actorName: e[4] ?? null,
          fromStatus: e[5],
          toStatus: e[6],
          internal: e[7] === 1,
          data: e[8],
        };
        return who.internalToo
          ? event
          : eventForClient(event as unknown as TicketEventRow, requester as TicketRow);
      }),
      comments: comments.map((m) => ({
        id: m[0],
        authorId: m[1],
        authorName: m[2] ?? null,
        body: m[3],
        internal: m[4] === 1,
        createdAt: m[5],
        attachments: files.filter((f) => f.commentId === m[0]).map((f) => f.view),
      })),
      attachments: files.filter((f) => f.commentId === null).map((f) => f.view),
    });
  });
  return app;
}

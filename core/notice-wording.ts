// What a notice says, apart from how a channel shows it: a title, a body and the ticket's facts (number,
// subject, status, priority, due times in the contract's zone, assignee…), in the reader's language. A
// channel's sender lays these out (e-mail: email/outbound/render.ts); no buttons and no markup here.
// An outbox row of a kind this cannot word throws: the sender makes it a dead letter.
import { eq } from 'drizzle-orm';
import { queryOne } from '../db/access.ts';
import { categories, type OutboxRow, people, type TicketRow, ticketEvents, tickets } from '../db/schema.ts';
import { DEFAULT_LANGUAGE, type Translate } from '../locales/index.ts';
import type { DeskContext } from './context.ts';
import { formatLocal } from './exports.ts';
import { isFinalStatus, isPausedStatus } from './lifecycle.ts';
import type { Language } from './model.ts';
import { ACCEPTED_NOTICE, DESK_NOTICES } from './notifications.ts';
import { statements } from './statements.ts';
import { offeredSlots } from './tickets/visits.ts';
import { slotText } from './time-text.ts';
import { CONFIRM_WEB_NOTICE } from './webform/confirm.ts';

export interface NoticeFact {
  label: string;
  value: string;
}

export interface NoticeWording {
  /** One line: what happened (and the ticket's subject where the reader may see it). */
  title: string;
  /** The message itself, plain text with line breaks. */
  body: string;
  facts: NoticeFact[];
  ticketId: number | null;
  /** The ticket's number, for a "[#1042]" tag; null when the notice is about no ticket. */
  number: number | null;
}

const STAFF_AUDIENCES = new Set(['line', 'assignee', 'supervisor']);

/** Mail is read longer than a chat card, but a pasted log should not fill a screen. */
const DESCRIPTION_MAX = 4000;

/** Requester notices whose chat wording points at buttons: mail asks for a reply instead. */
const MAIL_WORDED = new Set(['offer_visit', 'resolve']);

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * How the reader reads it: `mail` names the zone beside each time and asks for a reply where the chat has
 * buttons; `chat` is the bot's message, whose times are the reader's desk's and whose buttons follow it.
 */
export type WordingStyle = 'mail' | 'chat';

export async function noticeWording(
  desk: DeskContext,
  t: Translate,
  row: OutboxRow,
  language: Language = DEFAULT_LANGUAGE,
  style: WordingStyle = 'mail',
): Promise<NoticeWording> {
  const dot = row.kind.indexOf('.');
  const audience = dot > 0 ? row.kind.slice(0, dot) : '';
  const event = dot > 0 ? row.kind.slice(dot + 1) : '';
  // A key that is missing comes back as itself (locales/index.ts): such a notice cannot be worded.
  const say = (key: string, args?: Parameters<Translate>[1]) => {
    const said = t(key, args);
    if (said === key) throw new Error(`no wording for notice kind "${row.kind}" (${key})`);
    return said;
  };
  if (audience !== 'requester' && !STAFF_AUDIENCES.has(audience))
    throw new Error(`no wording for notice kind "${row.kind}"`);

  const p = row.payload;
  const ticket =
    row.ticketId === null
      ? undefined
      : await queryOne(desk.db.select().from(tickets).where(eq(tickets.id, row.ticketId)));
  const zone = (await desk.policies.forContract(ticket?.contractId ?? null)).timeZone;
  const zoned = (time: string) => (style === 'mail' ? `${time} (${zone})` : time);
  const at = (instant: number | null) => (instant === null ? '' : zoned(formatLocal(instant, zone)));
  const slot = (startsAt: number, endsAt: number) => zoned(slotText(startsAt, endsAt, zone, language));
  const nameOf = async (id: unknown) =>
    typeof id === 'number'
      ? ((await queryOne(desk.db.select({ name: people.name }).from(people).where(eq(people.id, id))))
          ?.name ?? '')
      : '';
  const number = ticket?.number ?? (typeof p.number === 'number' ? p.number : null);
  const priority = ticket?.priority ?? text(p.priority);
  const subject = ticket?.subject ?? text(p.subject);
  const vars = {
    number: String(number ?? ''),
    subject,
    priority: priority ? t(`priority-${priority}`) : '',
    due: at(ticket?.resolutionDueAt ?? null),
    firstDue: at(ticket?.firstResponseDueAt ?? null),
    assignee: await nameOf(ticket?.assigneeId ?? p.assigneeId),
    question: text(p.question),
    reason: text(p.reason),
    resolution: text(p.resolution),
    body: text(p.body),
    author: await nameOf(row.eventId === null ? null : await authorOf(desk, row.eventId)),
    slot: typeof p.startsAt === 'number' && typeof p.endsAt === 'number' ? slot(p.startsAt, p.endsAt) : '',
    address: text(p.address),
    note: text(p.note),
  };
  const wording = (title: string, body: string, facts: NoticeFact[]): NoticeWording => ({
    title,
    body,
    facts: facts.filter((f) => f.value !== ''),
    ticketId: row.ticketId,
    number,
  });
  const fact = (key: string, value: string): NoticeFact => ({ label: t(`notice-fact-${key}`), value });
  const withSubject = (title: string) =>
    subject ? t('notice-title-with-subject', { title, subject }) : title;

  // The acknowledgement of a new request: its number, priority and when we answer. Never the client's own
  // words (subject, description): a forged sender must not get to make us mail their text to anyone.
  if (row.kind === ACCEPTED_NOTICE) {
    // The chat's wording names the zone itself.
    const accepted = say('intake-accepted', {
      number: vars.number,
      priority: vars.priority,
      due: formatLocal(ticket?.firstResponseDueAt ?? null, zone),
      zone,
    });
    // A web request's mail carries its status page (api/routes/webform-status.ts).
    const statusLink = text(p.statusLink);
    return wording(
      say('notice-title-accepted'),
      statusLink ? `${accepted}\n\n${say('mail-requester-status-link', { link: statusLink })}` : accepted,
      [
        fact('number', number === null ? '' : `#${number}`),
        fact('priority', vars.priority),
        fact('first-response-due', vars.firstDue),
      ],
    );
  }

  // The known person asked to confirm a web request filed with their address: its number and the link only,
  // never the submitter's words.
  if (row.kind === CONFIRM_WEB_NOTICE) {
    return wording(
      say('notice-title-confirm_web', { number: vars.number }),
      say('mail-requester-confirm_web', { number: vars.number, link: text(p.link) }),
      [fact('number', number === null ? '' : `#${number}`)],
    );
  }

  const common = (
    ticket
      ? [
          fact('number', `#${ticket.number}`),
          fact('subject', ticket.subject),
          fact('status', t(`status-${ticket.status}`)),
          fact('priority', vars.priority),
        ]
      : [fact('number', number === null ? '' : `#${number}`), fact('subject', subject)]
  ).concat(ticket ? dueFacts(ticket, at, fact) : []);

  if (audience === 'requester') {
    let body: string;
    if (style === 'mail' && MAIL_WORDED.has(event)) {
      const offered = event === 'offer_visit' ? await slotsOffered(desk, ticket, p) : [];
      body = say(`mail-requester-${event}`, {
        ...vars,
        slots: offered.map((s) => `• ${slot(s.startsAt, s.endsAt)}`).join('\n'),
      });
    } else if (event === 'cancel' && vars.reason !== '') {
      // Staff cancelled it (not a request, joined with another): the client reads why.
      body = say('notice-requester-cancel-reason', vars);
    } else {
      body = say(`notice-requester-${event}`, vars);
    }
    return wording(withSubject(say(`notice-title-${event}`)), body.trim(), [
      ...common,
      fact('assignee', ticket?.assigneeId ? vars.assignee : ''),
      fact('visit', ticket ? visitOf(ticket, slot) : ''),
    ]);
  }

  const eventName = say(`event-${event}`);
  const details = [
    vars.question,
    vars.reason,
    vars.resolution,
    vars.body,
    vars.slot,
    vars.address,
    vars.note,
  ];
  const description =
    ticket && DESK_NOTICES.has(row.kind) && ticket.description !== ticket.subject
      ? ticket.description.length > DESCRIPTION_MAX
        ? `${ticket.description.slice(0, DESCRIPTION_MAX)}…`
        : ticket.description
      : '';
  // The title already says what happened: the body is what came with it, else that again.
  const body = [details.filter(Boolean).join('\n'), description].filter(Boolean).join('\n\n') || eventName;
  return wording(withSubject(eventName), body, [
    ...common,
    ...(ticket ? await staffFacts(desk, t, ticket, language, fact) : []),
    fact('visit', ticket ? visitOf(ticket, slot) : ''),
    fact('rating', typeof p.rating === 'number' ? t('notice-rating-value', { rating: p.rating }) : ''),
  ]);
}

async function authorOf(desk: DeskContext, eventId: number): Promise<number | null> {
  return (
    (
      await queryOne(
        desk.db
          .select({ actorId: ticketEvents.actorId })
          .from(ticketEvents)
          .where(eq(ticketEvents.id, eventId)),
      )
    )?.actorId ?? null
  );
}

/** When we answer and solve, while the clock runs (not paused, not over). */
function dueFacts(
  ticket: TicketRow,
  at: (instant: number | null) => string,
  fact: (key: string, value: string) => NoticeFact,
): NoticeFact[] {
  if (isFinalStatus(ticket.status) || isPausedStatus(ticket.status)) return [];
  return [
    fact('first-response-due', ticket.firstRespondedAt === null ? at(ticket.firstResponseDueAt) : ''),
    fact('resolution-due', at(ticket.resolutionDueAt)),
  ];
}

/** The visit still to come or under way. */
function visitOf(ticket: TicketRow, slot: (startsAt: number, endsAt: number) => string): string {
  if (ticket.visitStartsAt === null || ticket.visitEndsAt === null) return '';
  if (ticket.visitCheckedOutAt !== null || isFinalStatus(ticket.status)) return '';
  return slot(ticket.visitStartsAt, ticket.visitEndsAt);
}

/** Who asks and whose the ticket is: what staff look for first. */
async function staffFacts(
  desk: DeskContext,
  t: Translate,
  ticket: TicketRow,
  language: Language,
  fact: (key: string, value: string) => NoticeFact,
): Promise<NoticeFact[]> {
  const requester = await queryOne(
    desk.db.select({ name: people.name }).from(people).where(eq(people.id, ticket.requesterId)),
  );
  const company =
    ticket.companyId === null
      ? t('staff-card-unverified')
      : ((await queryOne(statements(desk.db).companyName, { id: ticket.companyId }))?.name ?? '');
  const category =
    ticket.categoryId === null
      ? undefined
      : await queryOne(desk.db.select().from(categories).where(eq(categories.id, ticket.categoryId)));
  const assignee =
    ticket.assigneeId === null
      ? undefined
      : await queryOne(
          desk.db.select({ name: people.name }).from(people).where(eq(people.id, ticket.assigneeId)),
        );
  return [
    fact('requester', requester?.name ?? ''),
    fact('company', company),
    fact('category', category ? (language === 'en' ? category.nameEn : category.nameRu) : ''),
    fact('line', t(`line-${ticket.line}`)),
    fact('assignee', assignee?.name ?? t('staff-card-unassigned')),
    fact('location', ticket.location ?? ''),
  ];
}

/** The times still offered (as the chat's buttons show them), else those the event offered. */
async function slotsOffered(
  desk: DeskContext,
  ticket: TicketRow | undefined,
  payload: Record<string, unknown>,
): Promise<{ startsAt: number; endsAt: number }[]> {
  const current = ticket ? await offeredSlots(desk.db, ticket.id) : [];
  if (current.length > 0) return current;
  const offered = Array.isArray(payload.slots) ? (payload.slots as unknown[]) : [];
  return offered.flatMap((s) => {
    if (typeof s !== 'object' || s === null) return [];
    const { startsAt, endsAt } = s as Record<string, unknown>;
    return typeof startsAt === 'number' && typeof endsAt === 'number' ? [{ startsAt, endsAt }] : [];
  });
}

// The ticket card staff work from: who asks, what, how urgent, whose it is, how much SLA time is left,
// and the buttons for the next step. The same card is pinned in the ticket's topic and sent to private
// chats. Buttons carry the ticket's version: a press on an outdated card refreshes it instead of acting.
import { eq } from 'drizzle-orm';
import { InlineKeyboard } from 'grammy';
import { loadActor } from '../../core/actors.ts';
import type { DeskContext } from '../../core/context.ts';
import { formatLocal } from '../../core/exports.ts';
import { previousInGroup } from '../../core/groups/threads.ts';
import { type Action, isFinalStatus } from '../../core/lifecycle.ts';
import type { Language } from '../../core/model.ts';
import { allowedActions } from '../../core/permissions.ts';
import { deskProfile } from '../../core/setup/desk-profile.ts';
import { type ClockReading, readSla } from '../../core/sla-clock.ts';
import { statements } from '../../core/statements.ts';
import { queryOne } from '../../db/access.ts';
import { categories, people, type TicketRow } from '../../db/schema.ts';
import type { Translate } from '../../locales/index.ts';
import { slotText, zoneNote } from '../time-text.ts';
import { callback, type Verb } from './callback-data.ts';

const DESCRIPTION_MAX = 700;

export interface Card {
  text: string;
  keyboard: InlineKeyboard;
}

const nameOf = async (desk: DeskContext, id: number | null) =>
  id === null
    ? null
    : ((await queryOne(desk.db.select({ name: people.name }).from(people).where(eq(people.id, id))))?.name ??
      null);

/** "2 h 05 min" / "40 min" / "3 d 4 h" in business minutes. */
export function duration(t: Translate, minutes: number): string {
  const m = Math.max(0, Math.round(Math.abs(minutes)));
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const mins = m % 60;
  if (days > 0) return t('duration-dh', { days, hours });
  if (hours > 0) return t('duration-hm', { hours, minutes: String(mins).padStart(2, '0') });
  return t('duration-m', { minutes: mins });
}

/** One SLA clock as a phrase: due by when and how much is left, overdue, paused, met or missed. */
export function clockPhrase(t: Translate, reading: ClockReading, zone: string, readerZone = zone): string {
  // Staff read every company's deadlines together: a zone other than the desk's is named.
  const due = `${formatLocal(reading.dueAt, zone)}${zoneNote(zone, readerZone)}`;
  switch (reading.state) {
    case 'running':
      return t('sla-left', { due, left: duration(t, reading.remainingMinutes) });
    case 'warning':
      return t('sla-warning', { due, left: duration(t, reading.remainingMinutes) });
    case 'breached':
      return t('sla-overdue', { due, over: duration(t, reading.remainingMinutes) });
    case 'paused':
      return t('sla-paused', { left: duration(t, reading.remainingMinutes) });
    case 'met':
      return t('sla-met');
    case 'missed':
      return t('sla-missed');
  }
}

export async function categoryName(
  desk: DeskContext,
  id: number | null,
  language: Language,
): Promise<string | null> {
  if (id === null) return null;
  const row = await queryOne(desk.db.select().from(categories).where(eq(categories.id, id)));
  return row ? (language === 'en' ? row.nameEn : row.nameRu) : null;
}

export async function cardText(
  desk: DeskContext,
  t: Translate,
  language: Language,
  ticket: TicketRow,
): Promise<string> {
  const policy = await desk.policies.forContract(ticket.contractId);
  const zone = policy.timeZone;
  const sla = readSla(policy.time, policy.targets[ticket.priority], ticket, desk.clock.now());
  const requester = await queryOne(desk.db.select().from(people).where(eq(people.id, ticket.requesterId)));
  const company =
    ticket.companyId === null
      ? t('staff-card-unverified')
      : ((await queryOne(statements(desk.db).companyName, { id: ticket.companyId }))?.name ?? '');
  const lines = [
    t('staff-card-head', {
      number: String(ticket.number),
      priority: t(`priority-${ticket.priority}`),
      status: t(`status-${ticket.status}`),
    }),
    ticket.subject,
    t('staff-card-requester', {
      name: requester?.name ?? '',
      company,
      phone: requester?.phone ? ` · ${requester.phone}` : '',
    }),
    t('staff-card-work', {
      category: (await categoryName(desk, ticket.categoryId, language)) ?? t('staff-card-no-category'),
      line: t(`line-${ticket.line}`),
      assignee: (await nameOf(desk, ticket.assigneeId)) ?? t('staff-card-unassigned'),
    }),
  ];
  if (!isFinalStatus(ticket.status)) {
    const deskZone = (await deskProfile(desk)).timeZone;
    lines.push(t('staff-card-first-response', { state: clockPhrase(t, sla.firstResponse, zone, deskZone) }));
    lines.push(t('staff-card-resolution', { state: clockPhrase(t, sla.resolution, zone, deskZone) }));
  }
  if (ticket.location) lines.push(t('staff-card-location', { location: ticket.location }));
  if (ticket.visitStartsAt !== null && ticket.visitEndsAt !== null) {
    lines.push(
      t('staff-card-visit', {
        slot: slotText(ticket.visitStartsAt, ticket.visitEndsAt, zone, language),
        state:
          ticket.visitCheckedOutAt !== null
            ? t('staff-card-visit-done', { at: formatLocal(ticket.visitCheckedOutAt, zone).slice(-5) })
            : ticket.visitCheckedInAt !== null
              ? t('staff-card-visit-on-site', { at: formatLocal(ticket.visitCheckedInAt, zone).slice(-5) })
              : '',
      }),
    );
  }
  const description =
    ticket.description.length > DESCRIPTION_MAX
      ? `${ticket.description.slice(0, DESCRIPTION_MAX)}…`
      : ticket.description;
  if (description && description !== ticket.subject) lines.push('', description);
  if (ticket.resolutionText) lines.push('', t('staff-card-resolution-text', { text: ticket.resolutionText }));
  return lines.join('\n');
}

/**
 * Who is looking: the assignee is offered "Accept", everyone else "Take". A card for one person (a private
 * chat) shows only the moves core allows them now; the staff group's card (no person) shows every staff move.
 */
export interface Viewer {
  personId: number | null;
}

/** The moves behind a button: it shows when core allows any of them (or when the handler takes first). */
const MOVES: Partial<Record<Verb, readonly Action[]>> = {
  tk: ['take'],
  dq: ['return_to_queue'],
  as: ['assign', 'triage'],
  pr: ['reprioritize', 'triage'],
  ct: ['categorize', 'triage'],
  es: ['escalate_line2'],
  ak: ['ask_customer'],
  rs: ['resolve'],
  vi: ['offer_visit', 'schedule_visit'],
  rm: ['resume'],
  ci: ['check_in'],
  co: ['check_out'],
  nr: ['cancel'],
  mg: ['cancel'],
};

/** What this viewer may do with the ticket now (null: anyone of the staff, the staff group's card). */
async function movesOf(desk: DeskContext, ticket: TicketRow, viewer: Viewer): Promise<Action[] | null> {
  if (viewer.personId === null) return null;
  try {
    return allowedActions(await loadActor(desk.db, viewer.personId), ticket);
  } catch {
    return null;
  }
}

/** The buttons for the next step, by the ticket's status and what the viewer may do. Core re-checks every press. */
export function cardKeyboard(
  t: Translate,
  ticket: TicketRow,
  viewer: Viewer,
  allowed: readonly Action[] | null = null,
  /** The same person's earlier open ticket from the same group: this one likely repeats it. */
  repeats: { id: number; number: number } | undefined = undefined,
): InlineKeyboard {
  const k = new InlineKeyboard();
  const mine = viewer.personId !== null && ticket.assigneeId === viewer.personId;
  const shows = (verb: Verb) => {
    const moves = MOVES[verb];
    if (!moves || allowed === null) return true;
    if (moves.some((m) => allowed.includes(m))) return true;
    // Asking the client about an assignment not yet accepted accepts it first (card-actions.ts).
    return verb === 'ak' && mine && ticket.status === 'open' && allowed.includes('take');
  };
  const b = (verb: Verb, label: string) => (shows(verb) ? k.text(t(label), callback(verb, ticket)) : k);
  const visit = ticket.visitStartsAt !== null;
  switch (ticket.status) {
    case 'new':
    case 'open':
      if (mine) {
        // The engineer's assignment message: accept or decline, or go straight to the client.
        b('tk', 'staff-btn-accept');
        b('dq', 'staff-btn-decline').row();
        b('ak', 'staff-btn-ask');
        b('rs', 'staff-btn-resolve').row();
      } else {
        b('tk', 'staff-btn-take');
        b('as', 'staff-btn-assign');
        if (ticket.assigneeId !== null) b('dq', 'staff-btn-unassign');
        k.row();
      }
      b('pr', 'staff-btn-priority');
      b('ct', 'staff-btn-category').row();
      if (ticket.line !== 'line2') b('es', 'staff-btn-escalate');
      b('vi', 'staff-btn-visit').row();
      b('rp', 'staff-btn-reply');
      b('cn', 'staff-btn-canned');
      b('nt', 'staff-btn-note').row();
      break;
    case 'in_progress':
      if (ticket.assigneeId === null) b('tk', 'staff-btn-take').row();
      b('ak', 'staff-btn-ask');
      b('rs', 'staff-btn-resolve').row();
      b('rp', 'staff-btn-reply');
      b('cn', 'staff-btn-canned');
      b('nt', 'staff-btn-note').row();
      if (visit && ticket.visitCheckedInAt === null) b('ci', 'staff-btn-check-in').row();
      else if (visit && ticket.visitCheckedOutAt === null) b('co', 'staff-btn-check-out').row();
      b('pr', 'staff-btn-priority');
      b('ct', 'staff-btn-category');
      b('as', 'staff-btn-assign').row();
      if (ticket.line !== 'line2') b('es', 'staff-btn-escalate');
      b('vi', 'staff-btn-visit');
      b('dq', 'staff-btn-to-queue').row();
      break;
    case 'waiting_for_customer':
      b('rp', 'staff-btn-reply');
      b('nt', 'staff-btn-note').row();
      b('rm', 'staff-btn-resume');
      b('rs', 'staff-btn-resolve').row();
      break;
    case 'resolved':
      b('nt', 'staff-btn-note').row();
      break;
    default:
      break;
  }
  // A client group's message taken for a request: staff may say it was none, or join it to the one it repeats.
  if (ticket.channel === 'telegram_group' && (ticket.status === 'new' || ticket.status === 'open')) {
    b('nr', 'staff-btn-not-request');
    if (repeats && shows('mg'))
      k.text(t('staff-btn-merge', { number: String(repeats.number) }), callback('mg', ticket, repeats.id));
    k.row();
  }
  b('rf', 'staff-btn-refresh');
  // Rows whose buttons this viewer may not use are left empty: drop them.
  const rows = k.inline_keyboard.filter((row) => row.length > 0);
  k.inline_keyboard.splice(0, k.inline_keyboard.length, ...rows);
  return k;
}

export async function renderCard(
  desk: DeskContext,
  t: Translate,
  language: Language,
  ticket: TicketRow,
  viewer: Viewer,
): Promise<Card> {
  return {
    text: await cardText(desk, t, language, ticket),
    keyboard: cardKeyboard(
      t,
      ticket,
      viewer,
      await movesOf(desk, ticket, viewer),
      await previousInGroup(desk.db, ticket),
    ),
  };
}

// Turns an outbox row into the Telegram message its recipient reads, in their language: the requester
// gets a sentence about their request, staff a line with the ticket's number, priority and what happened.
import { eq } from 'drizzle-orm';
import { InlineKeyboard } from 'grammy';
import type { DeskContext } from '../core/context.ts';
import { formatLocal } from '../core/exports.ts';
import type { Language } from '../core/model.ts';
import type { NoticeFile } from '../core/notice-files.ts';
import { noticeWording } from '../core/notice-wording.ts';
import { ACCEPTED_NOTICE, DESK_NOTICES, FILES_NOTICE } from '../core/notifications.ts';
import { offeredSlots } from '../core/tickets/visits.ts';
import { queryOne } from '../db/access.ts';
import { type OutboxRow, people, ticketEvents, tickets } from '../db/schema.ts';
import { DEFAULT_LANGUAGE, type Translate } from '../locales/index.ts';
import { isCallNotice, renderCallNotice } from './call-notices.ts';
import { callback } from './staff/callback-data.ts';
import { renderCard } from './staff/card.ts';
import { slotText } from './time-text.ts';

export interface RenderedNotice {
  text: string;
  keyboard?: InlineKeyboard;
  ticketId: number | null;
  /** Files to send instead of a text message, `text` their caption (core/notice-files.ts). */
  files?: NoticeFile[];
  /** A button opening the Mini App with these query parameters (only where MINIAPP_URL is set). */
  appLink?: { label: string; params: Record<string, string> };
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export async function renderNotice(
  desk: DeskContext,
  t: Translate,
  row: OutboxRow,
  language: Language = DEFAULT_LANGUAGE,
): Promise<RenderedNotice> {
  const p = row.payload;
  const event = text(p.event);
  if (row.kind === FILES_NOTICE) {
    const number = typeof p.number === 'number' ? p.number : 0;
    return {
      text: t('notice-files', { number: String(number) }),
      ticketId: row.ticketId,
      files: Array.isArray(p.files) ? (p.files as NoticeFile[]) : [],
    };
  }
  if (isCallNotice(row.kind)) return await renderCallNotice(desk, t, row);
  const ticket =
    row.ticketId === null
      ? undefined
      : await queryOne(desk.db.select().from(tickets).where(eq(tickets.id, row.ticketId)));
  const zone = (await desk.policies.forContract(ticket?.contractId ?? null)).timeZone;
  const nameOf = async (id: unknown) =>
    typeof id === 'number'
      ? ((await queryOne(desk.db.select({ name: people.name }).from(people).where(eq(people.id, id))))
          ?.name ?? '')
      : '';
  const actorId =
    row.eventId === null
      ? null
      : (
          await queryOne(
            desk.db
              .select({ actorId: ticketEvents.actorId })
              .from(ticketEvents)
              .where(eq(ticketEvents.id, row.eventId)),
          )
        )?.actorId;
  const number = ticket?.number ?? (typeof p.number === 'number' ? p.number : 0);
  const priority = ticket?.priority ?? text(p.priority);
  const vars = {
    number: String(number),
    subject: ticket?.subject ?? text(p.subject),
    priority: t(`priority-${priority}`),
    due: formatLocal(ticket?.resolutionDueAt ?? null, zone),
    firstDue: formatLocal(ticket?.firstResponseDueAt ?? null, zone),
    assignee: await nameOf(ticket?.assigneeId ?? p.assigneeId),
    question: text(p.question),
    reason: text(p.reason),
    resolution: text(p.resolution),
    body: text(p.body),
    author: await nameOf(actorId),
    slot:
      typeof p.startsAt === 'number' && typeof p.endsAt === 'number'
        ? slotText(p.startsAt, p.endsAt, zone, language)
        : '',
    address: text(p.address),
    note: text(p.note),
  };

  // Filed in the Mini App: the same words as the guided intake's answer (bot/intake/steps.ts).
  if (row.kind === ACCEPTED_NOTICE) {
    const text = t('intake-accepted', {
      number: vars.number,
      priority: vars.priority,
      due: vars.firstDue,
      zone,
    });
    return { text, ticketId: row.ticketId };
  }
  if (row.kind.startsWith('requester.')) {
    // What the client reads is the channel-neutral wording (core/notice-wording.ts), as a chat message.
    const rendered: RenderedNotice = {
      text: (await noticeWording(desk, t, row, language, 'chat')).body,
      ticketId: row.ticketId,
    };
    if (event === 'resolve' && row.ticketId !== null) {
      rendered.keyboard = new InlineKeyboard()
        .text(t('notice-solved-yes'), `solved:${row.ticketId}:yes`)
        .text(t('notice-solved-no'), `solved:${row.ticketId}:no`);
    }
    if (event === 'offer_visit' && ticket) rendered.keyboard = await slotChoice(desk, ticket, zone, language);
    return rendered;
  }
  const line = `${t(`event-${event}`)}${detailsOf(vars)}`;
  // A ticket that lands on someone's desk comes as the full card with its buttons; other news as one
  // line with a button to open the card.
  if (ticket && DESK_NOTICES.has(row.kind)) {
    const card = await renderCard(desk, t, language, ticket, { personId: row.recipientId });
    return { text: `${line}\n\n${card.text}`, keyboard: card.keyboard, ticketId: row.ticketId };
  }
  return {
    text: t('notice-staff', { ...vars, event: t(`event-${event}`), details: detailsOf(vars) }),
    ticketId: row.ticketId,
    ...(ticket ? { keyboard: new InlineKeyboard().text(t('staff-btn-open'), callback('op', ticket)) } : {}),
  };
}

function detailsOf(vars: {
  question: string;
  reason: string;
  resolution: string;
  body: string;
  slot: string;
}) {
  const details = [vars.question, vars.reason, vars.resolution, vars.body, vars.slot].filter(Boolean);
  return details.length > 0 ? `\n${details.join('\n')}` : '';
}

/** What happened, in one line plus details, for the ticket's topic in the staff group. */
export async function eventLine(desk: DeskContext, t: Translate, row: OutboxRow): Promise<string> {
  const text = (await renderNotice(desk, t, { ...row, kind: 'group.event' })).text;
  // The staff notice starts with the ticket's header line, which the topic already shows in its title.
  return text.split('\n').slice(1).join('\n');
}

/** The client picks one of the offered visit times with a button. */
async function slotChoice(
  desk: DeskContext,
  ticket: { id: number },
  zone: string,
  language: Language,
): Promise<InlineKeyboard> {
  const k = new InlineKeyboard();
  for (const slot of await offeredSlots(desk.db, ticket.id))
    k.text(slotText(slot.startsAt, slot.endsAt, zone, language), `vp:${ticket.id}:${slot.id}`).row();
  return k;
}

/** The Mini App opened at a ticket (it reads ?ticket=<id>). */
export function ticketInApp(miniAppUrl: string, ticketId: number): string {
  const url = new URL(miniAppUrl);
  url.searchParams.set('ticket', String(ticketId));
  return url.toString();
}

// Turns an outbox row into the Telegram message its recipient reads, in their language: the requester
// gets a sentence about their request, staff a line with the ticket's number, priority and what happened.
import { eq } from 'drizzle-orm';
import { InlineKeyboard } from 'grammy';
import type { DeskContext } from '../core/context.ts';
import { formatLocal } from '../core/exports.ts';
import { type OutboxRow, people, ticketEvents, tickets } from '../db/schema.ts';
import type { Translate } from '../locales/index.ts';

export interface RenderedNotice {
  text: string;
  keyboard?: InlineKeyboard;
  ticketId: number | null;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export function renderNotice(desk: DeskContext, t: Translate, row: OutboxRow): RenderedNotice {
  const p = row.payload;
  const event = text(p.event);
  const ticket =
    row.ticketId === null
      ? undefined
      : desk.db.select().from(tickets).where(eq(tickets.id, row.ticketId)).get();
  const zone = desk.policies.forContract(ticket?.contractId ?? null).timeZone;
  const nameOf = (id: unknown) =>
    typeof id === 'number'
      ? (desk.db.select({ name: people.name }).from(people).where(eq(people.id, id)).get()?.name ?? '')
      : '';
  const actorId =
    row.eventId === null
      ? null
      : desk.db
          .select({ actorId: ticketEvents.actorId })
          .from(ticketEvents)
          .where(eq(ticketEvents.id, row.eventId))
          .get()?.actorId;
  const number = ticket?.number ?? (typeof p.number === 'number' ? p.number : 0);
  const priority = ticket?.priority ?? text(p.priority);
  const vars = {
    number: String(number),
    subject: ticket?.subject ?? text(p.subject),
    priority: t(`priority-${priority}`),
    due: formatLocal(ticket?.resolutionDueAt ?? null, zone),
    firstDue: formatLocal(ticket?.firstResponseDueAt ?? null, zone),
    assignee: nameOf(ticket?.assigneeId ?? p.assigneeId),
    question: text(p.question),
    reason: text(p.reason),
    resolution: text(p.resolution),
    body: text(p.body),
    author: nameOf(actorId),
    slot:
      typeof p.startsAt === 'number' && typeof p.endsAt === 'number'
        ? `${formatLocal(p.startsAt, zone)}–${formatLocal(p.endsAt, zone).slice(-5)}`
        : '',
    address: text(p.address),
  };

  if (row.kind.startsWith('requester.')) {
    const rendered: RenderedNotice = { text: t(`notice-requester-${event}`, vars), ticketId: row.ticketId };
    if (event === 'resolve' && row.ticketId !== null) {
      rendered.keyboard = new InlineKeyboard()
        .text(t('notice-solved-yes'), `solved:${row.ticketId}:yes`)
        .text(t('notice-solved-no'), `solved:${row.ticketId}:no`);
    }
    return rendered;
  }
  const details = [vars.question, vars.reason, vars.resolution, vars.body].filter(Boolean).join('\n');
  return {
    text: t('notice-staff', { ...vars, event: t(`event-${event}`), details: details ? `\n${details}` : '' }),
    ticketId: row.ticketId,
  };
}

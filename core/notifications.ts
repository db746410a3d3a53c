// Who hears about a change. The rules: the requester on every change they can see, 1st line on a new
// ticket, the assignee on assignment and on the client's answers (a visit time picked included), the line
// a ticket lands on when it is escalated, supervisors on an SLA breach. Nobody is told about their own
// action.
import { and, count, eq, gt } from 'drizzle-orm';
import { queryAll, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { outbox } from '../db/schema.ts';
import type { Instant, Line, Role } from './model.ts';
import { fileMessages, filesOfEvent, type NoticeFile } from './notice-files.ts';
import { staffGroup } from './settings.ts';
import { statements } from './statements.ts';

export type Audience = 'requester' | 'assignee' | 'line' | 'supervisor';

export interface NoticeTicket {
  id: number;
  number: number;
  requesterId: number;
  assigneeId: number | null;
  line: Line;
  /** How the request came in: a request that came by e-mail is answered by e-mail. */
  channel?: string;
}

export interface NoticeEvent {
  id: number;
  type: string;
  internal: boolean;
  actorId: number | null;
  /** Who posted a comment, for deciding whether it goes to the client or to staff. */
  fromClient: boolean;
}

const LINE_ROLE: Record<Line, Role> = { line1: 'line1', line2: 'line2', field: 'field_engineer' };

/** Staff to tell, beyond the requester, for each kind of event. */
function staffAudience(event: NoticeEvent, ticket: NoticeTicket): Array<[Audience, Role | 'assignee']> {
  const assigneeOrLine: Array<[Audience, Role | 'assignee']> =
    ticket.assigneeId !== null ? [['assignee', 'assignee']] : [['line', LINE_ROLE[ticket.line]]];
  switch (event.type) {
    case 'created':
    case 'return_to_queue':
    case 'escalate_line2':
      return [['line', LINE_ROLE[ticket.line]]];
    case 'triage':
    case 'take':
    case 'assign':
    case 'reprioritize':
    case 'internal_note':
    case 'confirm':
    case 'auto_close':
    case 'cancel':
    case 'rate':
    case 'categorize':
    // Visit times offered go to the client; the engineer is told of the arrival and departure only when
    // someone else marked them.
    case 'offer_visit':
    case 'check_in':
    case 'check_out':
      return ticket.assigneeId !== null ? [['assignee', 'assignee']] : [];
    case 'schedule_visit':
    // The client's choice: the engineer who comes, or the field line while nobody is named.
    case 'pick_visit':
    case 'resume':
    case 'reopen':
    case 'sla_warning':
    // A web request's known person confirmed it: whoever sorts the unverified request sees it is settled.
    case 'requester_confirmed':
      return assigneeOrLine;
    case 'comment':
      return event.fromClient ? assigneeOrLine : [];
    case 'sla_breached':
      return [...assigneeOrLine, ['supervisor', 'supervisor']];
    default:
      return [];
  }
}

interface Contact {
  telegramUserId: number | null;
  email: string | null;
  unreachableAt: number | null;
}

interface Recipient {
  personId: number;
  audience: Audience;
  contact: Contact | undefined;
}

/** The people to tell about an event, each once, with how to reach them. */
export async function recipientsOf(db: Db, event: NoticeEvent, ticket: NoticeTicket): Promise<Recipient[]> {
  const q = statements(db);
  // With a staff group, the ticket's topic is where a line hears about it; people are told in person
  // only about what is theirs (an assignment, a breach).
  const grouped = (await staffGroup(db)) !== null;
  const found = new Map<number, Recipient>();
  const add = async (personId: number | null, audience: Audience, contact?: Contact) => {
    if (personId === null || personId === event.actorId || found.has(personId)) return;
    found.set(personId, {
      personId,
      audience,
      contact: contact ?? (await queryOne(q.contact, { id: personId })),
    });
  };
  // The client hears first, so a person who is both (staff filing for themselves) gets the client's text.
  // A rating is the client's side's own word (a manager rating their employee's ticket): nothing to tell.
  if (!event.internal && event.type !== 'rate') await add(ticket.requesterId, 'requester');
  for (const [audience, who] of staffAudience(event, ticket)) {
    if (grouped && audience === 'line') continue;
    if (who === 'assignee') await add(ticket.assigneeId, audience);
    else for (const s of await queryAll(q.peopleWithRole, { role: who })) await add(s.personId, audience, s);
  }
  return [...found.values()];
}

/**
 * Writes the outbox rows for an event inside the open transaction: by Telegram while the person can be
 * reached there, else by e-mail, else not at all; and one for the ticket's topic in the staff group, for
 * every event, internal ones included (the group is staff only). Returns how many.
 */
export async function enqueueNotices(
  db: Db,
  event: NoticeEvent,
  ticket: NoticeTicket,
  payload: Record<string, unknown>,
  at: Instant,
): Promise<number> {
  const { insertNotice } = statements(db);
  let queued = 0;
  /** One outbox row about this event; its key makes a repeated write of the same notice a no-op. */
  const notice = async (
    recipientId: number | null,
    channel: 'telegram' | 'email' | 'staff_group',
    kind: string,
    key: string,
    extra: Record<string, unknown> = payload,
  ) => {
    await insertNotice.run({
      at,
      ticketId: ticket.id,
      eventId: event.id,
      recipientId,
      channel,
      kind,
      payload: { ...extra, ticketId: ticket.id, number: ticket.number, event: event.type },
      idempotencyKey: `e${event.id}:${key}`,
    });
    queued++;
  };
  let files: NoticeFile[][] | undefined;
  for (const { personId, audience, contact: c } of await recipientsOf(db, event, ticket)) {
    if (!c) continue;
    // A group's request is answered in the group (the notifier replies there): private reach does not matter.
    const inGroup =
      audience === 'requester' && ticket.channel === 'telegram_group' && c.telegramUserId !== null;
    const channel = inGroup
      ? 'telegram'
      : contactChannel(c, audience === 'requester' && ticket.channel === 'email');
    if (channel === null) continue;
    const kind = `${audience}.${event.type}`;
    await notice(personId, channel, kind, `p${personId}:${kind}`);
    // Staff see what the client sent, not only its caption: the files follow the notice in the chat.
    if (audience !== 'requester' && channel === 'telegram') {
      files ??= fileMessages(await filesOfEvent(db, ticket.id, event.type, payload));
      for (const [i, group] of files.entries()) {
        await notice(personId, channel, FILES_NOTICE, `p${personId}:files${i}`, { files: group });
      }
    }
  }
  // A request filed in the Mini App leaves nothing in the person's chat: they get the bot's own "accepted"
  // message (rendered like the guided intake's answer), so that there is something to reply to later.
  if (acknowledgesFiling(event, ticket, payload)) {
    const contact = await queryOne(statements(db).contact, { id: ticket.requesterId });
    const inGroup = ticket.channel === 'telegram_group';
    if (contact?.telegramUserId != null && (contact.unreachableAt === null || inGroup)) {
      await notice(
        ticket.requesterId,
        'telegram',
        ACCEPTED_NOTICE,
        `p${ticket.requesterId}:${ACCEPTED_NOTICE}`,
      );
    }
  }
  // A request that came by mail (or the web form) is answered by mail with its number and answer time,
  // never with its text; a few an hour at most, so a mail loop or a forged sender cannot make us spam.
  if (acknowledgesByMail(event, ticket, payload)) {
    const contact = await queryOne(statements(db).contact, { id: ticket.requesterId });
    if (
      contact?.email != null &&
      (await mailAcknowledgementsSince(db, ticket.requesterId, at - HOUR)) < ACKS_PER_HOUR
    ) {
      await notice(ticket.requesterId, 'email', ACCEPTED_NOTICE, `p${ticket.requesterId}:${ACCEPTED_NOTICE}`);
    }
  }
  if ((await staffGroup(db)) !== null) await notice(null, 'staff_group', `group.${event.type}`, 'group');
  return queued;
}

/**
 * Staff notices that put a ticket on someone's desk (a new ticket for the line, an assignment, the client's
 * pick of a visit time): every channel shows these with the whole ticket, description included.
 */
export const DESK_NOTICES: ReadonlySet<string> = new Set([
  'line.created',
  'line.escalate_line2',
  'line.return_to_queue',
  'line.pick_visit',
  'assignee.assign',
  'assignee.triage',
  'assignee.pick_visit',
]);

/** Files a client sent, for staff: one album (or one file) a row, after the notice about them. */
export const FILES_NOTICE = 'staff.files';

/** The "request #N accepted" message to a person who filed in the Mini App or a group (the intake's answer). */
export const ACCEPTED_NOTICE = 'requester.accepted';

const HOUR = 3_600_000;
/** Acknowledgements one address gets by mail in an hour, at most. */
export const ACKS_PER_HOUR = 5;

/** By Telegram while the person can be reached there, else by e-mail; by e-mail first when asked. */
function contactChannel(c: Contact, mailFirst: boolean): 'telegram' | 'email' | null {
  if (mailFirst && c.email !== null) return 'email';
  if (c.telegramUserId !== null && c.unreachableAt === null) return 'telegram';
  return c.email !== null ? 'email' : null;
}

function acknowledgesByMail(
  event: NoticeEvent,
  ticket: NoticeTicket,
  payload: Record<string, unknown>,
): boolean {
  return (
    event.type === 'created' &&
    (payload.channel === 'email' || payload.channel === 'web') &&
    event.actorId === ticket.requesterId
  );
}

async function mailAcknowledgementsSince(db: Db, personId: number, since: number): Promise<number> {
  const row = await queryOne(
    db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          eq(outbox.recipientId, personId),
          eq(outbox.kind, ACCEPTED_NOTICE),
          eq(outbox.channel, 'email'),
          gt(outbox.createdAt, since),
        ),
      ),
  );
  return row?.n ?? 0;
}

/**
 * Filed in the Mini App or in a client group by the requester themselves: the other notices leave out the
 * actor. In a group the answer (number, answer time) goes to the group, as a reply to the message.
 */
function acknowledgesFiling(
  event: NoticeEvent,
  ticket: NoticeTicket,
  payload: Record<string, unknown>,
): boolean {
  return (
    event.type === 'created' &&
    (payload.channel === 'miniapp' || payload.channel === 'telegram_group') &&
    event.actorId === ticket.requesterId
  );
}

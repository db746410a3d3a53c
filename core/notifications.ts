// Who hears about a change. The rules: the requester on every change they can see, 1st line on a new
// ticket, the assignee on assignment and on the client's answers, the line a ticket lands on when it is
// escalated, supervisors on an SLA breach. Nobody is told about their own action.
import { inArray } from 'drizzle-orm';
import { memberships, outbox, people } from '../db/schema.ts';
import type { Reader } from './context.ts';
import type { Instant, Line, Role } from './model.ts';

export type Audience = 'requester' | 'assignee' | 'line' | 'supervisor';

export interface NoticeTicket {
  id: number;
  number: number;
  requesterId: number;
  assigneeId: number | null;
  line: Line;
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
      return ticket.assigneeId !== null ? [['assignee', 'assignee']] : [];
    case 'schedule_visit':
    case 'resume':
    case 'reopen':
    case 'sla_warning':
      return assigneeOrLine;
    case 'comment':
      return event.fromClient ? assigneeOrLine : [];
    case 'sla_breached':
      return [...assigneeOrLine, ['supervisor', 'supervisor']];
    default:
      return [];
  }
}

interface Recipient {
  personId: number;
  audience: Audience;
}

export function recipientsOf(db: Reader, event: NoticeEvent, ticket: NoticeTicket): Recipient[] {
  const found = new Map<number, Audience>();
  const add = (personId: number | null, audience: Audience) => {
    if (personId !== null && personId !== event.actorId && !found.has(personId))
      found.set(personId, audience);
  };
  // The client hears first, so a person who is both (staff filing for themselves) gets the client's text.
  if (!event.internal) add(ticket.requesterId, 'requester');
  const roles = new Map<Role, Audience>();
  for (const [audience, who] of staffAudience(event, ticket)) {
    if (who === 'assignee') add(ticket.assigneeId, audience);
    else roles.set(who, audience);
  }
  if (roles.size > 0) {
    const staff = db
      .selectDistinct({ personId: memberships.personId, role: memberships.role })
      .from(memberships)
      .where(inArray(memberships.role, [...roles.keys()]))
      .all();
    for (const s of staff) add(s.personId, roles.get(s.role) ?? 'line');
  }
  return [...found].map(([personId, audience]) => ({ personId, audience }));
}

/** Writes the outbox rows for an event, inside the caller's transaction. Returns how many. */
export function enqueueNotices(
  db: Reader,
  event: NoticeEvent,
  ticket: NoticeTicket,
  payload: Record<string, unknown>,
  at: Instant,
): number {
  const recipients = recipientsOf(db, event, ticket);
  if (recipients.length === 0) return 0;
  const contacts = db
    .select({
      id: people.id,
      telegramUserId: people.telegramUserId,
      email: people.email,
      unreachableAt: people.unreachableAt,
    })
    .from(people)
    .where(
      inArray(
        people.id,
        recipients.map((r) => r.personId),
      ),
    )
    .all();
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const rows = recipients.flatMap((r) => {
    const c = byId.get(r.personId);
    if (!c) return [];
    const channel =
      c.telegramUserId !== null && c.unreachableAt === null ? 'telegram' : c.email !== null ? 'email' : null;
    if (channel === null) return [];
    const kind = `${r.audience}.${event.type}`;
    return [
      {
        createdAt: at,
        ticketId: ticket.id,
        eventId: event.id,
        recipientId: r.personId,
        channel,
        kind,
        payload: { ...payload, ticketId: ticket.id, number: ticket.number, event: event.type },
        idempotencyKey: `e${event.id}:p${r.personId}:${kind}`,
        nextAttemptAt: at,
      } as const,
    ];
  });
  if (rows.length > 0) db.insert(outbox).values(rows).run();
  return rows.length;
}

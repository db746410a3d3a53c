// What of an event's details a client may read. The event itself is public (the client sees that their
// request went to the 2nd line), but some of its details are the staff's words to each other: why it was
// escalated, handed back or re-prioritised, an engineer's note at check-out, who had it before. The bot's
// notices leave those out; every reader of the history for a client (the Mini App, the bot's card) gets
// them left out here, in core.
import type { TicketEventRow, TicketRow } from '../../db/schema.ts';

/** What the rules read of an event (a row, or an event read with more beside it). */
type ClientHistoryEvent = Pick<TicketEventRow, 'type' | 'actorId' | 'data'>;

/** Details written by staff for staff. */
const STAFF_ONLY = ['reason', 'note', 'from', 'verified'] as const;

/** Events whose `reason` is the client's own words (reopening, or cancelling their own request). */
function reasonIsClients(event: ClientHistoryEvent, ticket: Pick<TicketRow, 'requesterId'>): boolean {
  if (event.type === 'reopen') return true;
  return event.type === 'cancel' && event.actorId !== null && event.actorId === ticket.requesterId;
}

/** The event as a client may read it: staff-only details dropped (a new object; the row is not changed). */
export function eventForClient<E extends ClientHistoryEvent>(
  event: E,
  ticket: Pick<TicketRow, 'requesterId'>,
): E {
  const data = event.data;
  if (!data) return event;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (
      (STAFF_ONLY as readonly string[]).includes(key) &&
      !(key === 'reason' && reasonIsClients(event, ticket))
    )
      continue;
    kept[key] = value;
  }
  return { ...event, data: kept };
}

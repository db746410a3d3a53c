// Two tickets about one problem (a client wrote twice in their group, a colleague filed it again) become
// one, in one transaction: the second's words become a comment on the first (in its requester's name, as
// they wrote them), its files and message references move over (a reply to the old thread lands on the
// kept ticket), the kept ticket records the join (internal), and the second is cancelled with a reason that
// names the kept one, which its requester is told.
import { eq } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import { attachments, comments, messageRefs, tickets } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { isFinalStatus } from '../lifecycle.ts';
import { type Actor, allowedActions, assertCanSeeTicket, isStaff } from '../permissions.ts';
import { inTransaction } from '../transaction.ts';
import { act } from './act.ts';
import { recordChange } from './record-change.ts';

/** The event on the kept ticket: `data.from` is the joined ticket's number. */
export const MERGED_EVENT = 'merged_in';

export interface Merged {
  kept: { id: number; number: number };
  joined: { id: number; number: number };
}

/**
 * Joins `joinedId` into `keptId`. Staff who may cancel the joined ticket do it; both must be open and of
 * the same company (or both without one). `reason` is the cancellation's words, as the adapter puts them.
 */
export async function mergeTickets(
  ctx: DeskContext,
  actor: Actor,
  joinedId: number,
  keptId: number,
  reason: (keptNumber: number) => string,
): Promise<Merged> {
  return await inTransaction(ctx.db, async (): Promise<Merged> => {
    const db = ctx.db;
    const read = async (id: number) => {
      const row = await queryOne(db.select().from(tickets).where(eq(tickets.id, id)));
      if (!row) throw new NotFoundError('ticket', id);
      assertCanSeeTicket(actor, row);
      return row;
    };
    const joined = await read(joinedId);
    const kept = await read(keptId);
    if (!isStaff(actor) || !allowedActions(actor, joined).includes('cancel'))
      throw new ForbiddenError('only staff who may cancel it join a ticket into another');
    if (joined.id === kept.id) throw new ConflictError('a ticket cannot join itself', { ticketId: kept.id });
    if (isFinalStatus(joined.status) || isFinalStatus(kept.status))
      throw new ConflictError('both tickets must be open', { ticketIds: [joined.id, kept.id] });
    if (joined.companyId !== kept.companyId)
      throw new ConflictError('the tickets belong to different companies', {
        ticketIds: [joined.id, kept.id],
      });
    const now = ctx.clock.now();
    const words = await queryOne(
      db
        .insert(comments)
        .values({
          ticketId: kept.id,
          authorId: joined.requesterId,
          body: joined.description,
          internal: false,
          createdAt: now,
        })
        .returning({ id: comments.id }),
    );
    await execute(
      db
        .update(attachments)
        .set({ ticketId: kept.id, commentId: words.id })
        .where(eq(attachments.ticketId, joined.id)),
    );
    await execute(
      db.update(messageRefs).set({ ticketId: kept.id }).where(eq(messageRefs.ticketId, joined.id)),
    );
    const actorId = actor.kind === 'person' ? actor.personId : null;
    await recordChange(
      db,
      kept,
      {},
      { type: MERGED_EVENT, actorId, internal: true, data: { from: joined.number, commentId: words.id } },
      now,
    );
    await act(ctx, actor, joined.id, { action: 'cancel', reason: reason(kept.number) });
    return { kept: { id: kept.id, number: kept.number }, joined: { id: joined.id, number: joined.number } };
  });
}

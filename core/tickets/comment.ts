import { z } from 'zod';
import { execute, queryOne } from '../../db/access.ts';
import { attachments, type CommentRow, comments, type TicketRow } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { TransitionRefusedError } from '../errors.ts';
import { isFinalStatus } from '../lifecycle.ts';
import { type Actor, assertCanWriteInternal, isStaff, speaksForClient } from '../permissions.ts';
import { firstResponseRecord, resume } from '../sla-clock.ts';
import { inTransaction } from '../transaction.ts';
import { parseInput } from '../validation.ts';
import { attachmentInputSchema } from './create.ts';
import { assertFresh, recordChange, type TicketPatch, ticketForChange } from './record-change.ts';

/** As long as one Telegram message can be: a longer paste arrives split, and each part is a comment. */
export const COMMENT_MAX = 4096;

export const newCommentSchema = z
  .object({
    body: z.string().trim().max(COMMENT_MAX).default(''),
    internal: z.boolean().default(false),
    attachments: z.array(attachmentInputSchema).max(20).default([]),
    expectedVersion: z.number().int().positive().optional(),
    /** Where it was written, when that is a place others already read (the staff group's topic). */
    via: z.enum(['staff_group']).optional(),
  })
  .refine((c) => c.body.length > 0 || c.attachments.length > 0, {
    message: 'a comment needs text or a file',
  });
export type NewComment = z.input<typeof newCommentSchema>;

export async function addComment(
  ctx: DeskContext,
  actor: Actor,
  ticketId: number,
  raw: NewComment,
): Promise<{ comment: CommentRow; ticket: TicketRow }> {
  const input = parseInput(newCommentSchema, raw);
  if (input.internal) assertCanWriteInternal(actor);
  const now = ctx.clock.now();
  const db = ctx.db;
  return await inTransaction(db, async () => {
    const { before, roles } = await ticketForChange(db, actor, ticketId);
    if (isFinalStatus(before.status)) throw new TransitionRefusedError('comment', before.status, 'status');
    assertFresh(before, input.expectedVersion);
    const actorId = actor.kind === 'person' ? actor.personId : null;
    const fromClient = speaksForClient(roles);
    const policy = await ctx.policies.forContract(before.contractId);

    const patch: TicketPatch = {};
    const answersQuestion = fromClient && !input.internal && before.status === 'waiting_for_customer';
    if (answersQuestion) {
      patch.status = 'in_progress';
      Object.assign(patch, resume(policy.time, policy.targets[before.priority], before, now));
    }
    if (!input.internal && !fromClient && isStaff(actor) && before.firstRespondedAt === null) {
      Object.assign(patch, firstResponseRecord(policy.time, before, now));
    }

    const comment = await queryOne(
      db
        .insert(comments)
        .values({ ticketId, authorId: actorId, body: input.body, internal: input.internal, createdAt: now })
        .returning(),
    );
    if (input.attachments.length > 0) {
      await execute(
        db.insert(attachments).values(
          input.attachments.map((a) => ({
            ...a,
            ticketId,
            commentId: comment.id,
            uploadedBy: actorId,
            internal: input.internal || (a.internal ?? false),
            createdAt: now,
          })),
        ),
      );
    }
    const { ticket } = await recordChange(
      db,
      before,
      patch,
      {
        type: input.internal ? 'internal_note' : 'comment',
        actorId,
        internal: input.internal,
        fromClient,
        toStatus: patch.status ?? before.status,
        data: {
          commentId: comment.id,
          body: input.body,
          attachments: input.attachments.length,
          resumed: answersQuestion,
          ...(input.via ? { via: input.via } : {}),
        },
      },
      now,
    );
    return { comment, ticket };
  });
}

// Ready answers staff send with two taps ("Please restart the router…"). Staff only: clients never see
// the list, and a reply switched off is as gone as one that never existed.
import { and, asc, eq } from 'drizzle-orm';
import { queryAll, queryOne } from '../db/access.ts';
import { type CannedReplyRow, cannedReplies } from '../db/schema.ts';
import type { DeskContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { Language } from './model.ts';
import { type Actor, isStaff } from './permissions.ts';

function assertStaff(actor: Actor): void {
  if (actor.kind !== 'system' && !isStaff(actor)) throw new ForbiddenError('only staff use canned replies');
}

/** The active canned replies, in their order. */
export async function listCannedReplies(ctx: DeskContext, actor: Actor): Promise<CannedReplyRow[]> {
  assertStaff(actor);
  return await queryAll(
    ctx.db
      .select()
      .from(cannedReplies)
      .where(eq(cannedReplies.active, true))
      .orderBy(asc(cannedReplies.sort), asc(cannedReplies.id)),
  );
}

/** One active canned reply; not found when missing or switched off. */
export async function getCannedReply(ctx: DeskContext, actor: Actor, id: number): Promise<CannedReplyRow> {
  assertStaff(actor);
  const reply = await queryOne(
    ctx.db
      .select()
      .from(cannedReplies)
      .where(and(eq(cannedReplies.id, id), eq(cannedReplies.active, true))),
  );
  if (!reply) throw new NotFoundError('canned reply', id);
  return reply;
}

/** The reply as a client of `language` gets it: English where written, else the Russian text. */
export function cannedReplyIn(reply: CannedReplyRow, language: Language): { title: string; body: string } {
  return language === 'en' && reply.bodyEn
    ? { title: reply.titleEn || reply.title, body: reply.bodyEn }
    : { title: reply.title, body: reply.body };
}

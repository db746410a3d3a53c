// Which client company a Telegram group belongs to. An admin binds a group to any company; a client manager
// to the company they manage. Unbinding is theirs too. A group bound to nobody is ignored by the intake.
import { and, eq, isNull, like, sql } from 'drizzle-orm';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import { type ClientGroupRow, clientGroups, companies, groupTickets, messageRefs } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors.ts';
import type { Language } from '../model.ts';
import { type Actor, managedCompanies } from '../permissions.ts';
import { staffGroup } from '../settings.ts';
import { inTransaction } from '../transaction.ts';

export interface CompanyChoice {
  id: number;
  name: string;
}

const isAdmin = (actor: Actor) =>
  actor.kind === 'system' || actor.memberships.some((m) => m.role === 'admin');

/** The companies this person may bind a group to: all for an admin, the managed ones for a client manager. */
export async function bindableCompanies(ctx: DeskContext, actor: Actor): Promise<CompanyChoice[]> {
  const all = await queryAll(
    ctx.db.select({ id: companies.id, name: companies.name }).from(companies).orderBy(companies.name),
  );
  if (isAdmin(actor)) return all;
  const managed = new Set(managedCompanies(actor));
  return all.filter((c) => managed.has(c.id));
}

/** The company bound to this chat now, if any. */
export async function boundGroup(ctx: DeskContext, chatId: number): Promise<ClientGroupRow | undefined> {
  return await queryOne(
    ctx.db
      .select()
      .from(clientGroups)
      .where(and(eq(clientGroups.chatId, chatId), isNull(clientGroups.unboundAt))),
  );
}

export interface GroupToBind {
  chatId: number;
  title: string;
  language: Language;
  companyId: number;
}

/** Binds (or moves) the group to a company. Binding it to the company it has is a no-op. */
export async function bindGroup(ctx: DeskContext, actor: Actor, group: GroupToBind): Promise<ClientGroupRow> {
  if (!(await bindableCompanies(ctx, actor)).some((c) => c.id === group.companyId)) {
    if ((await bindableCompanies(ctx, actor)).length === 0)
      throw new ForbiddenError('only an admin or a client manager binds a group');
    throw new InvalidInputError('not a company you may bind a group to', [{ path: ['companyId'] }]);
  }
  if ((await staffGroup(ctx.db))?.chatId === group.chatId)
    throw new ConflictError('this is the staff group', { chatId: group.chatId });
  return await inTransaction(ctx.db, async () => {
    const now = ctx.clock.now();
    const values = {
      companyId: group.companyId,
      title: group.title.slice(0, 255),
      language: group.language,
      boundById: actor.kind === 'person' ? actor.personId : null,
      boundAt: now,
      unboundAt: null,
    };
    const current = await boundGroup(ctx, group.chatId);
    if (current?.companyId === group.companyId) return current;
    return await queryOne(
      ctx.db
        .insert(clientGroups)
        .values({ chatId: group.chatId, ...values })
        .onConflictDoUpdate({ target: clientGroups.chatId, set: values })
        .returning(),
    );
  });
}

/** Stops taking the group's messages. False when it was not bound. */
export async function unbindGroup(ctx: DeskContext, actor: Actor, chatId: number): Promise<boolean> {
  return await inTransaction(ctx.db, async () => {
    const current = await boundGroup(ctx, chatId);
    if (!current) return false;
    if (!(await bindableCompanies(ctx, actor)).some((c) => c.id === current.companyId))
      throw new ForbiddenError('only an admin or the company manager unbinds a group');
    return await forgetGroup(ctx, chatId);
  });
}

/** The name of a group's company, for the bot's words. */
export async function companyName(ctx: DeskContext, companyId: number): Promise<string> {
  return (
    (
      await queryOne(
        ctx.db.select({ name: companies.name }).from(companies).where(eq(companies.id, companyId)),
      )
    )?.name ?? ''
  );
}

/**
 * A basic group that becomes a supergroup (Telegram does that when, say, the bot is made an admin) gets a
 * new chat id: its binding, its tickets' thread and its messages' references move with it.
 */
export async function moveGroupChat(
  ctx: DeskContext,
  fromChatId: number,
  toChatId: number,
): Promise<boolean> {
  return await inTransaction(ctx.db, async () => {
    const moved = await queryAll(
      ctx.db
        .update(clientGroups)
        .set({ chatId: toChatId })
        .where(eq(clientGroups.chatId, fromChatId))
        .returning({ id: clientGroups.id }),
    );
    if (moved.length === 0) return false;
    await execute(
      ctx.db.update(groupTickets).set({ chatId: toChatId }).where(eq(groupTickets.chatId, fromChatId)),
    );
    const from = `${fromChatId}:`;
    await execute(
      ctx.db
        .update(messageRefs)
        .set({ ref: sql`${`${toChatId}:`} || substr(${messageRefs.ref}, ${from.length + 1})` })
        .where(and(eq(messageRefs.channel, 'telegram'), like(messageRefs.ref, `${from}%`))),
    );
    return true;
  });
}

/** The bot was removed from the group (or the group is gone): its messages can no longer become tickets. */
export async function forgetGroup(ctx: DeskContext, chatId: number): Promise<boolean> {
  const current = await boundGroup(ctx, chatId);
  if (!current) return false;
  await execute(
    ctx.db.update(clientGroups).set({ unboundAt: ctx.clock.now() }).where(eq(clientGroups.id, current.id)),
  );
  return true;
}

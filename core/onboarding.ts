// How people become known to the desk from Telegram: by an invite link a manager or admin made, by
// sharing their phone number when it is in the company directory, or not at all (their requests then
// land unverified with 1st line).
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { execute, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import {
  attachments,
  calls,
  comments,
  companies,
  type InviteRow,
  invites,
  memberships,
  outbox,
  type PersonRow,
  people,
  ticketEvents,
  tickets,
} from '../db/schema.ts';
import type { DeskContext } from './context.ts';
import { e164Phone } from './directory/normalise.ts';
import { DeskError, InvalidInputError, NotFoundError } from './errors.ts';
import { type Language, ROLES, type Role, STAFF_ROLES } from './model.ts';
import { type Actor, assertAdmin, managedCompanies } from './permissions.ts';
import { statements } from './statements.ts';
import { inTransaction } from './transaction.ts';
import { parseInput } from './validation.ts';

const DAY = 86_400_000;

export interface TelegramProfile {
  telegramUserId: number;
  name: string;
  /** Telegram's language_code of the user's app, e.g. "ru", "en-GB". */
  languageCode?: string | undefined;
}

/** Russian unless the person's Telegram speaks English. */
export function languageFrom(code: string | undefined): Language {
  return code?.toLowerCase().startsWith('en') ? 'en' : 'ru';
}

export async function personByTelegram(db: Db, telegramUserId: number): Promise<PersonRow | undefined> {
  return await queryOne(statements(db).personByTelegram, { telegramUserId });
}

/** The person behind a Telegram account, created (with no company) the first time they need to exist. */
export async function ensureTelegramPerson(ctx: DeskContext, profile: TelegramProfile): Promise<PersonRow> {
  const existing = await personByTelegram(ctx.db, profile.telegramUserId);
  // An admin listed by id (ADMIN_TELEGRAM_IDS) was named by that id until Telegram tells their name.
  const name = profile.name.slice(0, 200);
  if (existing && existing.name === String(profile.telegramUserId) && name) {
    return (
      (await queryOne(ctx.db.update(people).set({ name }).where(eq(people.id, existing.id)).returning())) ??
      existing
    );
  }
  if (existing) return existing;
  return await queryOne(
    ctx.db
      .insert(people)
      .values({
        telegramUserId: profile.telegramUserId,
        name: profile.name.slice(0, 200) || String(profile.telegramUserId),
        language: languageFrom(profile.languageCode),
        createdAt: ctx.clock.now(),
      })
      .returning(),
  );
}

export async function setLanguage(ctx: DeskContext, personId: number, language: Language): Promise<void> {
  const changed = (await execute(ctx.db.update(people).set({ language }).where(eq(people.id, personId))))
    .changes;
  if (changed === 0) throw new NotFoundError('person', personId);
}

/**
 * E.164 ("+79161234567"), Russian when no country code is given; null if not a valid number. The same
 * function as the directory import's, so a shared number finds the person the import wrote.
 */
export function normalizePhone(raw: string): string | null {
  return e164Phone(raw);
}

// ---------------------------------------------------------------------------------------------
// Invites
// ---------------------------------------------------------------------------------------------

export const newInviteSchema = z.object({
  role: z.enum(ROLES),
  companyId: z.number().int().positive().nullable().default(null),
  maxUses: z.number().int().min(1).max(1000).default(1),
  validDays: z.number().int().min(1).max(90).default(7),
});
export type NewInvite = z.input<typeof newInviteSchema>;

const isStaffRole = (role: Role) => (STAFF_ROLES as readonly Role[]).includes(role);

/** A client manager invites clients of their own company; admins invite anyone. */
export async function createInvite(ctx: DeskContext, actor: Actor, raw: NewInvite): Promise<InviteRow> {
  const input = parseInput(newInviteSchema, raw);
  if (isStaffRole(input.role) !== (input.companyId === null)) {
    throw new DeskError('invalid_input', 'client roles need a company; staff roles have none');
  }
  const managerOfIt = input.companyId !== null && managedCompanies(actor).includes(input.companyId);
  if (!(input.role === 'client' && managerOfIt)) assertAdmin(actor);
  if (
    input.companyId !== null &&
    !(await queryOne(
      ctx.db.select({ id: companies.id }).from(companies).where(eq(companies.id, input.companyId)),
    ))
  )
    throw new InvalidInputError('no such company', [{ path: ['companyId'], message: 'no such company' }]);
  const now = ctx.clock.now();
  return await queryOne(
    ctx.db
      .insert(invites)
      .values({
        code: randomBytes(12).toString('base64url'),
        role: input.role,
        companyId: input.companyId,
        createdBy: actor.kind === 'person' ? actor.personId : null,
        createdAt: now,
        expiresAt: now + input.validDays * DAY,
        maxUses: input.maxUses,
      })
      .returning(),
  );
}

export type InviteRefusal = 'unknown' | 'expired' | 'used_up' | 'revoked';

export class InviteError extends DeskError {
  constructor(readonly reason: InviteRefusal) {
    super('invalid_input', `invite ${reason}`, { reason });
  }
}

export interface Joined {
  person: PersonRow;
  role: Role;
  companyId: number | null;
  /** The person already held this role: nothing was added. */
  already: boolean;
}

/** Whether the person holds the role (for a client role: in that company). */
export async function holdsRole(
  db: Db,
  personId: number,
  role: Role,
  companyId: number | null,
): Promise<boolean> {
  return (
    (await queryOne(
      db
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            eq(memberships.personId, personId),
            eq(memberships.role, role),
            companyId === null ? isNull(memberships.companyId) : eq(memberships.companyId, companyId),
          ),
        ),
    )) !== undefined
  );
}

/** Binds whoever opened the invite link to its company and role. */
export async function redeemInvite(
  ctx: DeskContext,
  profile: TelegramProfile,
  code: string,
): Promise<Joined> {
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    const invite = await queryOne(ctx.db.select().from(invites).where(eq(invites.code, code)));
    if (!invite) throw new InviteError('unknown');
    if (invite.revokedAt !== null) throw new InviteError('revoked');
    if (invite.expiresAt <= now) throw new InviteError('expired');
    const person = await ensureTelegramPerson(ctx, profile);
    const held = await holdsRole(ctx.db, person.id, invite.role, invite.companyId);
    if (!held) {
      if (invite.uses >= invite.maxUses) throw new InviteError('used_up');
      await execute(
        ctx.db
          .insert(memberships)
          .values({ personId: person.id, role: invite.role, companyId: invite.companyId }),
      );
      await execute(
        ctx.db
          .update(invites)
          .set({ uses: sql`${invites.uses} + 1` })
          .where(eq(invites.id, invite.id)),
      );
    }
    return { person, role: invite.role, companyId: invite.companyId, already: held };
  });
}

// ---------------------------------------------------------------------------------------------
// Matching by phone
// ---------------------------------------------------------------------------------------------

export interface PhoneMatch {
  person: PersonRow;
  /** Found in the directory: the person now has that entry's company and roles. */
  matched: boolean;
}

/**
 * The person shared their own phone number (the adapter checks it is theirs). If the directory has an
 * entry with that number and no Telegram account yet, the Telegram account joins it; anything filed
 * before as an unknown person moves over with it.
 */
export async function bindByPhone(
  ctx: DeskContext,
  profile: TelegramProfile,
  rawPhone: string,
): Promise<PhoneMatch> {
  const phone = normalizePhone(rawPhone);
  if (phone === null) throw new DeskError('invalid_input', 'not a phone number');
  return await inTransaction(ctx.db, async () => {
    const db = ctx.db;
    const current = await personByTelegram(db, profile.telegramUserId);
    const entry = await queryOne(
      db
        .select()
        .from(people)
        .where(and(eq(people.phone, phone), isNull(people.telegramUserId))),
    );
    if (!entry) {
      const person = current ?? (await ensureTelegramPerson(ctx, profile));
      const updated = await queryOne(
        db.update(people).set({ phone }).where(eq(people.id, person.id)).returning(),
      );
      return { person: updated ?? person, matched: false };
    }
    if (current) await mergeInto(db, current.id, entry.id);
    const person = await queryOne(
      db
        .update(people)
        .set({
          telegramUserId: profile.telegramUserId,
          language: current?.language ?? languageFrom(profile.languageCode),
        })
        .where(eq(people.id, entry.id))
        .returning(),
    );
    if (!person) throw new NotFoundError('person', entry.id);
    return { person, matched: true };
  });
}

/** Moves everything of person `from` to person `to` and deletes `from`. Runs inside a transaction. */
async function mergeInto(db: Db, from: number, to: number): Promise<void> {
  await execute(db.update(tickets).set({ requesterId: to }).where(eq(tickets.requesterId, from)));
  await execute(db.update(tickets).set({ assigneeId: to }).where(eq(tickets.assigneeId, from)));
  await execute(db.update(ticketEvents).set({ actorId: to }).where(eq(ticketEvents.actorId, from)));
  await execute(db.update(comments).set({ authorId: to }).where(eq(comments.authorId, from)));
  await execute(db.update(attachments).set({ uploadedBy: to }).where(eq(attachments.uploadedBy, from)));
  await execute(db.update(outbox).set({ recipientId: to }).where(eq(outbox.recipientId, from)));
  await execute(db.update(invites).set({ createdBy: to }).where(eq(invites.createdBy, from)));
  await execute(db.update(calls).set({ personId: to }).where(eq(calls.personId, from)));
  await execute(db.update(calls).set({ answeredById: to }).where(eq(calls.answeredById, from)));
  await execute(db.update(calls).set({ callbackDoneBy: to }).where(eq(calls.callbackDoneBy, from)));
  // Roles the entry already has stay once; the rest move.
  // Standard SQL, the same on SQLite and PostgreSQL (drizzle's insert-select would insert the id as well).
  await execute(
    db,
    sql`insert into ${memberships} (person_id, role, company_id)
      select cast(${to} as integer), ${memberships.role}, ${memberships.companyId} from ${memberships}
      where ${memberships.personId} = ${from}
      on conflict do nothing`,
  );
  await execute(db.delete(memberships).where(eq(memberships.personId, from)));
  await execute(db.delete(people).where(eq(people.id, from)));
}

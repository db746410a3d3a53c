// People and their roles, as the admin manages them: the directory (with each person's roles), changes to
// a person's contact details, and granting or taking away a role. Client roles belong to a company; staff
// roles to none. The last admin's role cannot be taken away, so the desk is never left without one.
import { and, asc, count, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import { companies, memberships, type PersonRow, people } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { LANGUAGES, ROLES, type Role, STAFF_ROLES } from '../model.ts';
import { normalizePhone } from '../onboarding.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { containsFolded } from '../tickets/read.ts';
import { inTransaction } from '../transaction.ts';
import { parseInput } from '../validation.ts';
import { found, idSchema, parseId } from './common.ts';

export interface RoleHeld {
  membershipId: number;
  role: Role;
  companyId: number | null;
  companyName: string | null;
}

export type PersonWithRoles = PersonRow & { roles: RoleHeld[] };

export const peopleQuerySchema = z.object({
  /** Part of the name, phone or e-mail. */
  q: z.string().trim().max(100).optional(),
  role: z.enum(ROLES).optional(),
  companyId: idSchema.optional(),
  /** Keyset pagination: people with a smaller id (newest first). */
  before: idSchema.optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type PeopleQuery = z.input<typeof peopleQuerySchema>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const personPatchSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .nullable()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      if (s === null || s === '') return null;
      const phone = normalizePhone(s);
      if (phone === null) {
        ctx.addIssue({ code: 'custom', message: 'not a phone number' });
        return z.NEVER;
      }
      return phone;
    }),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .nullable()
    .optional()
    .transform((s) => (s === '' ? null : s))
    .refine((s) => s === undefined || s === null || EMAIL.test(s), { message: 'not an e-mail address' }),
  language: z.enum(LANGUAGES).optional(),
});
export type PersonPatch = z.input<typeof personPatchSchema>;

export const roleInputSchema = z.object({
  role: z.enum(ROLES),
  companyId: idSchema.nullable().default(null),
});
export type RoleInput = z.input<typeof roleInputSchema>;

const isStaffRole = (role: Role) => (STAFF_ROLES as readonly Role[]).includes(role);

async function rolesOf(ctx: DeskContext, personIds: number[]): Promise<Map<number, RoleHeld[]>> {
  const byPerson = new Map<number, RoleHeld[]>();
  if (personIds.length === 0) return byPerson;
  const rows = await queryAll(
    ctx.db
      .select({
        membershipId: memberships.id,
        personId: memberships.personId,
        role: memberships.role,
        companyId: memberships.companyId,
        companyName: companies.name,
      })
      .from(memberships)
      .leftJoin(companies, eq(companies.id, memberships.companyId))
      .where(inArray(memberships.personId, personIds))
      .orderBy(asc(memberships.id)),
  );
  for (const { personId, ...held } of rows) {
    const list = byPerson.get(personId) ?? [];
    list.push(held);
    byPerson.set(personId, list);
  }
  return byPerson;
}

async function withRoles(ctx: DeskContext, person: PersonRow): Promise<PersonWithRoles> {
  return { ...person, roles: (await rolesOf(ctx, [person.id])).get(person.id) ?? [] };
}

/** The directory, newest first, with each person's roles. */
export async function listPeople(
  ctx: DeskContext,
  actor: Actor,
  raw: PeopleQuery = {},
): Promise<PersonWithRoles[]> {
  assertAdmin(actor);
  const f = parseInput(peopleQuerySchema, raw);
  const holding =
    f.role !== undefined || f.companyId !== undefined
      ? ctx.db
          .select({ personId: memberships.personId })
          .from(memberships)
          .where(
            and(
              f.role ? eq(memberships.role, f.role) : undefined,
              f.companyId ? eq(memberships.companyId, f.companyId) : undefined,
            ),
          )
      : undefined;
  const rows = await queryAll(
    ctx.db
      .select()
      .from(people)
      .where(
        and(
          holding ? inArray(people.id, holding) : undefined,
          f.before ? lt(people.id, f.before) : undefined,
          f.q
            ? or(
                containsFolded(ctx.db, people.name, f.q),
                containsFolded(ctx.db, people.phone, f.q),
                containsFolded(ctx.db, people.email, f.q),
              )
            : undefined,
        ),
      )
      .orderBy(desc(people.id))
      .limit(f.limit),
  );
  const roles = await rolesOf(
    ctx,
    rows.map((p) => p.id),
  );
  return rows.map((p) => ({ ...p, roles: roles.get(p.id) ?? [] }));
}

async function getPerson(ctx: DeskContext, id: number): Promise<PersonRow> {
  return found(await queryOne(ctx.db.select().from(people).where(eq(people.id, id))), 'person', id);
}

export async function updatePerson(
  ctx: DeskContext,
  actor: Actor,
  rawId: number,
  raw: PersonPatch,
): Promise<PersonWithRoles> {
  assertAdmin(actor);
  const id = parseId(rawId);
  const patch = Object.fromEntries(
    Object.entries(parseInput(personPatchSchema, raw)).filter(([, v]) => v !== undefined),
  );
  return await inTransaction(ctx.db, async () => {
    await getPerson(ctx, id);
    if (Object.keys(patch).length > 0)
      await execute(ctx.db.update(people).set(patch).where(eq(people.id, id)));
    return await withRoles(ctx, await getPerson(ctx, id));
  });
}

/** Grants a role: client roles with the company they belong to, staff roles with none. */
export async function addRole(
  ctx: DeskContext,
  actor: Actor,
  rawPersonId: number,
  raw: RoleInput,
): Promise<PersonWithRoles> {
  assertAdmin(actor);
  const personId = parseId(rawPersonId);
  const input = parseInput(roleInputSchema, raw);
  if (isStaffRole(input.role) !== (input.companyId === null)) {
    throw new InvalidInputError('client roles need a company; staff roles have none', [
      { path: ['companyId'], message: 'client roles need a company; staff roles have none' },
    ]);
  }
  return await inTransaction(ctx.db, async () => {
    await getPerson(ctx, personId);
    if (
      input.companyId !== null &&
      !(await queryOne(ctx.db.select().from(companies).where(eq(companies.id, input.companyId))))
    ) {
      throw new InvalidInputError('no such company', [{ path: ['companyId'], message: 'no such company' }]);
    }
    const held = await queryOne(
      ctx.db
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            eq(memberships.personId, personId),
            eq(memberships.role, input.role),
            input.companyId === null
              ? isNull(memberships.companyId)
              : eq(memberships.companyId, input.companyId),
          ),
        ),
    );
    if (held) throw new ConflictError('the person already holds this role', { membershipId: held.id });
    await execute(
      ctx.db.insert(memberships).values({ personId, role: input.role, companyId: input.companyId }),
    );
    return await withRoles(ctx, await getPerson(ctx, personId));
  });
}

export async function removeRole(
  ctx: DeskContext,
  actor: Actor,
  rawPersonId: number,
  rawMembershipId: number,
): Promise<PersonWithRoles> {
  assertAdmin(actor);
  const personId = parseId(rawPersonId);
  const membershipId = parseId(rawMembershipId);
  return await inTransaction(ctx.db, async () => {
    const membership = found(
      await queryOne(
        ctx.db
          .select()
          .from(memberships)
          .where(and(eq(memberships.id, membershipId), eq(memberships.personId, personId))),
      ),
      'role',
      membershipId,
    );
    if (membership.role === 'admin') {
      const admins = await queryOne(
        ctx.db.select({ n: count() }).from(memberships).where(eq(memberships.role, 'admin')),
      );
      if ((admins?.n ?? 0) <= 1) throw new ConflictError('the desk would be left without an admin');
    }
    await execute(ctx.db.delete(memberships).where(eq(memberships.id, membershipId)));
    return await withRoles(ctx, await getPerson(ctx, personId));
  });
}

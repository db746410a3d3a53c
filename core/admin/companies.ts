// Client companies: the admin's list, new ones, and changes to their name, mail domain and phone.

import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { queryAll, queryOne } from '../../db/access.ts';
import { companies } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { isPublicMailDomain } from '../intake/public-mail-domains.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { parseInput } from '../validation.ts';
import { found, optionalText, parseId } from './common.ts';

export type CompanyRow = typeof companies.$inferSelect;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const companyInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** The mail domain e-mail intake recognises senders by, e.g. "romashka.ru". */
  emailDomain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .nullish()
    .transform((s) => (s ? s : null))
    .refine((s) => s === null || DOMAIN.test(s), { message: 'not a mail domain' })
    // Anyone can have an address there: it would make every stranger a client of this company.
    .refine((s) => s === null || !isPublicMailDomain(s), {
      message: 'a public mail service, not the company’s own domain',
    }),
  phone: optionalText(40),
});
export type CompanyInput = z.input<typeof companyInputSchema>;
const companyPatchSchema = companyInputSchema.partial();

export async function listCompanies(ctx: DeskContext, actor: Actor): Promise<CompanyRow[]> {
  assertAdmin(actor);
  return await queryAll(ctx.db.select().from(companies).orderBy(asc(companies.name), asc(companies.id)));
}

export async function createCompany(ctx: DeskContext, actor: Actor, raw: CompanyInput): Promise<CompanyRow> {
  assertAdmin(actor);
  const input = parseInput(companyInputSchema, raw);
  return await queryOne(
    ctx.db
      .insert(companies)
      .values({ ...input, createdAt: ctx.clock.now() })
      .returning(),
  );
}

export async function updateCompany(
  ctx: DeskContext,
  actor: Actor,
  rawId: number,
  raw: Partial<CompanyInput>,
): Promise<CompanyRow> {
  assertAdmin(actor);
  const id = parseId(rawId);
  const patch = parseInput(companyPatchSchema, raw);
  found(await queryOne(ctx.db.select().from(companies).where(eq(companies.id, id))), 'company', id);
  if (Object.keys(patch).length === 0) return found(await getCompany(ctx, id), 'company', id);
  return found(
    await queryOne(ctx.db.update(companies).set(patch).where(eq(companies.id, id)).returning()),
    'company',
    id,
  );
}

async function getCompany(ctx: DeskContext, id: number): Promise<CompanyRow | undefined> {
  return await queryOne(ctx.db.select().from(companies).where(eq(companies.id, id)));
}

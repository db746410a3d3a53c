// Service contracts: which SLA targets, priority matrix and business calendar a company's tickets run
// on. Every change drops the compiled policies, so the next ticket uses what was just saved.
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { queryAll, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { businessCalendars, type ContractRow, companies, contracts } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { InvalidInputError } from '../errors.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { priorityMatrixSchema, slaTargetsSchema } from '../sla-policy.ts';
import { inTransaction } from '../transaction.ts';
import { instantSchema, MAX_INSTANT, MIN_INSTANT, parseInput } from '../validation.ts';
import { found, idSchema, parseId } from './common.ts';

const DAY = 86_400_000;
/**
 * A contract's start: an instant like any other, or "since always" — the epoch, which a new desk's default
 * contract stores (and a form sends back as the local midnight of 1970-01-01, within a day of it).
 */
const contractStart = z
  .number()
  .int()
  .refine((at) => Math.abs(at) <= DAY || (at >= MIN_INSTANT && at <= MAX_INSTANT), {
    message: 'not a time between 2000-01-01 and 2100-01-01',
  });

const contractFields = z.object({
  /** Null: the contract for requests from people not matched to a company. */
  companyId: idSchema.nullable(),
  name: z.string().trim().min(1).max(200),
  startsAt: contractStart,
  endsAt: instantSchema.nullable().default(null),
  /** Null: the SLA clock runs 24/7. */
  calendarId: idSchema.nullable().default(null),
  slaTargets: slaTargetsSchema,
  priorityMatrix: priorityMatrixSchema,
  autoCloseBusinessDays: z.number().int().min(0).max(60).default(3),
});
const endsAfterStart = (c: { startsAt: number; endsAt: number | null }) =>
  c.endsAt === null || c.endsAt > c.startsAt;
const endsAfterStartMessage = { message: 'the contract must end after it starts', path: ['endsAt'] };

export const contractInputSchema = contractFields.refine(endsAfterStart, endsAfterStartMessage);
export type ContractInput = z.input<typeof contractInputSchema>;
const contractPatchSchema = contractFields
  .partial()
  .extend({ endsAt: instantSchema.nullable().optional(), calendarId: idSchema.nullable().optional() });

async function assertReferences(
  db: Db,
  c: { companyId: number | null; calendarId: number | null },
): Promise<void> {
  if (
    c.companyId !== null &&
    !(await queryOne(db.select().from(companies).where(eq(companies.id, c.companyId))))
  )
    throw new InvalidInputError('no such company', [{ path: ['companyId'], message: 'no such company' }]);
  if (
    c.calendarId !== null &&
    !(await queryOne(db.select().from(businessCalendars).where(eq(businessCalendars.id, c.calendarId))))
  )
    throw new InvalidInputError('no such calendar', [{ path: ['calendarId'], message: 'no such calendar' }]);
}

export async function listContracts(ctx: DeskContext, actor: Actor): Promise<ContractRow[]> {
  assertAdmin(actor);
  return await queryAll(
    ctx.db.select().from(contracts).orderBy(asc(contracts.companyId), asc(contracts.startsAt)),
  );
}

export async function createContract(
  ctx: DeskContext,
  actor: Actor,
  raw: ContractInput,
): Promise<ContractRow> {
  assertAdmin(actor);
  const input = parseInput(contractInputSchema, raw);
  return await inTransaction(ctx.db, async () => {
    await assertReferences(ctx.db, input);
    const row = await queryOne(ctx.db.insert(contracts).values(input).returning());
    ctx.policies.invalidate();
    return row;
  });
}

/** Changes some fields; the contract as it then stands must be valid as a whole. */
export async function updateContract(
  ctx: DeskContext,
  actor: Actor,
  rawId: number,
  raw: Partial<ContractInput>,
): Promise<ContractRow> {
  assertAdmin(actor);
  const id = parseId(rawId);
  const patch = parseInput(contractPatchSchema, raw);
  return await inTransaction(ctx.db, async () => {
    const current = found(
      await queryOne(ctx.db.select().from(contracts).where(eq(contracts.id, id))),
      'contract',
      id,
    );
    const { id: _id, ...fields } = current;
    const next = parseInput(contractInputSchema, { ...fields, ...patch });
    await assertReferences(ctx.db, next);
    const row = found(
      await queryOne(ctx.db.update(contracts).set(next).where(eq(contracts.id, id)).returning()),
      'contract',
      id,
    );
    ctx.policies.invalidate();
    return row;
  });
}

// Categories as the admin sets them up: codes, names in both languages, order, and whether offered.
// A category switched off stays on the tickets that have it; nobody can choose it any more.
import { and, asc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { queryAll, queryOne } from '../../db/access.ts';
import { categories } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { ConflictError } from '../errors.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { inTransaction } from '../transaction.ts';
import { parseInput } from '../validation.ts';
import { found, parseId } from './common.ts';

export type CategoryRow = typeof categories.$inferSelect;

export const categoryInputSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase latin letters, digits, "-" and "_", up to 40'),
  nameRu: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  sort: z.number().int().min(-10_000).max(10_000).default(0),
  active: z.boolean().default(true),
});
export type CategoryInput = z.input<typeof categoryInputSchema>;
const categoryPatchSchema = z.object({
  code: categoryInputSchema.shape.code.optional(),
  nameRu: categoryInputSchema.shape.nameRu.optional(),
  nameEn: categoryInputSchema.shape.nameEn.optional(),
  sort: z.number().int().min(-10_000).max(10_000).optional(),
  active: z.boolean().optional(),
});

async function assertCodeFree(ctx: DeskContext, code: string, exceptId?: number): Promise<void> {
  const taken = await queryOne(
    ctx.db
      .select({ id: categories.id })
      .from(categories)
      .where(
        and(eq(categories.code, code), exceptId === undefined ? undefined : ne(categories.id, exceptId)),
      ),
  );
  if (taken) throw new ConflictError(`the code "${code}" is taken`, { code });
}

/** Every category, switched off ones too. */
export async function listAllCategories(ctx: DeskContext, actor: Actor): Promise<CategoryRow[]> {
  assertAdmin(actor);
  return await queryAll(ctx.db.select().from(categories).orderBy(asc(categories.sort), asc(categories.id)));
}

export async function createCategory(
  ctx: DeskContext,
  actor: Actor,
  raw: CategoryInput,
): Promise<CategoryRow> {
  assertAdmin(actor);
  const input = parseInput(categoryInputSchema, raw);
  return await inTransaction(ctx.db, async () => {
    await assertCodeFree(ctx, input.code);
    return await queryOne(ctx.db.insert(categories).values(input).returning());
  });
}

export async function updateCategory(
  ctx: DeskContext,
  actor: Actor,
  rawId: number,
  raw: Partial<CategoryInput>,
): Promise<CategoryRow> {
  assertAdmin(actor);
  const id = parseId(rawId);
  const patch = parseInput(categoryPatchSchema, raw);
  return await inTransaction(ctx.db, async () => {
    const current = found(
      await queryOne(ctx.db.select().from(categories).where(eq(categories.id, id))),
      'category',
      id,
    );
    if (patch.code !== undefined) await assertCodeFree(ctx, patch.code, id);
    if (Object.keys(patch).length === 0) return current;
    return found(
      await queryOne(ctx.db.update(categories).set(patch).where(eq(categories.id, id)).returning()),
      'category',
      id,
    );
  });
}

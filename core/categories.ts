// What a request can be about, as people choose it: the active categories, named in their language.
import { asc, eq } from 'drizzle-orm';
import { queryAll } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { categories } from '../db/schema.ts';
import type { Language } from './model.ts';

export interface CategoryChoice {
  id: number;
  code: string;
  name: string;
}

export async function activeCategories(db: Db, language: Language): Promise<CategoryChoice[]> {
  return (
    await queryAll(
      db
        .select()
        .from(categories)
        .where(eq(categories.active, true))
        .orderBy(asc(categories.sort), asc(categories.id)),
    )
  ).map((c) => ({ id: c.id, code: c.code, name: language === 'ru' ? c.nameRu : c.nameEn }));
}

// What a request can be about, as people choose it: the active categories, named in their language.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { categories } from '../db/schema.ts';
import type { Language } from './model.ts';

export interface CategoryChoice {
  id: number;
  code: string;
  name: string;
}

export function activeCategories(db: Db, language: Language): CategoryChoice[] {
  return db
    .select()
    .from(categories)
    .where(eq(categories.active, true))
    .orderBy(asc(categories.sort), asc(categories.id))
    .all()
    .map((c) => ({ id: c.id, code: c.code, name: language === 'ru' ? c.nameRu : c.nameEn }));
}

// The store as a file, to move a desk from one store to another (SQLite to PostgreSQL, or to a new SQLite
// file): one JSON value a line. A header (format, the schema's last migration, the row count of every
// table), then per table a line naming it and its columns and a line per row (its values in that order),
// then an end line with the total — a file cut short is refused, never half imported.
//
// What the store derives is not in the file: `report_days` (kept by triggers on `tickets`, which fill it
// again as the tickets go in) and the migrations' own bookkeeping.
import type Database from 'better-sqlite3';

export const STORE_FORMAT = 'tgdesk-store';
export const STORE_FORMAT_VERSION = 1;

/** Tables the store fills by itself. */
export const DERIVED_TABLES: ReadonlySet<string> = new Set(['report_days']);

export interface StoreHeader {
  format: typeof STORE_FORMAT;
  version: number;
  /** How many migrations the exported store had (for people; the import checks tables and columns). */
  migrations: number;
  exportedAt: number;
  /** Rows per table, in the file's order (a table's references come before it). */
  tables: Record<string, number>;
}

export interface TableLine {
  table: string;
  columns: string[];
}

export interface EndLine {
  end: true;
  rows: number;
}

/** A value of a row as JSON: SQLite's blobs as base64. */
export type CellJson = string | number | null | { base64: string };

export class StoreFileError extends Error {}

/**
 * The store's tables (but the derived ones and SQLite's and the migrator's own), each after the tables its
 * foreign keys point to, so rows can go in table by table with the references checked.
 */
export function tablesInOrder(sqlite: Database.Database): string[] {
  const names = sqlite
    .prepare(
      `select name from sqlite_master where type = 'table' and name not like 'sqlite_%'
       and name <> '__drizzle_migrations' order by name`,
    )
    .pluck()
    .all() as string[];
  const tables = names.filter((name) => !DERIVED_TABLES.has(name));
  const references = new Map(
    tables.map((name) => [
      name,
      new Set(
        (
          sqlite.prepare(`select "table" from pragma_foreign_key_list(?)`).pluck().all(name) as string[]
        ).filter((target) => target !== name),
      ),
    ]),
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (name) => !placed.has(name) && [...(references.get(name) ?? [])].every((target) => placed.has(target)),
    );
    if (ready.length === 0) throw new Error('the store’s tables reference each other in a circle');
    for (const name of ready) {
      ordered.push(name);
      placed.add(name);
    }
  }
  return ordered;
}

/** The columns of a table in their declared order. */
export function columnsOf(sqlite: Database.Database, table: string): string[] {
  return sqlite.prepare('select name from pragma_table_info(?) order by cid').pluck().all(table) as string[];
}

/** How many migrations have been applied to a store. */
export function migrationsApplied(sqlite: Database.Database): number {
  return sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get() as number;
}

// `importStore`: a store file (format.ts) into an empty SQLite store at the same tables and columns, in one
// transaction: a file that is cut short, damaged, of another schema, or whose rows break a reference
// changes nothing. Foreign keys are checked once at the end, over everything imported.
import type Database from 'better-sqlite3';
import { columnsOf, DERIVED_TABLES, StoreFileError, tablesInOrder } from './format.ts';
import { type ReadResult, readStoreFile } from './read.ts';

/** The first table of the store that has rows, if any: an import only goes into an empty store. */
export function firstFilledTable(sqlite: Database.Database): string | undefined {
  return [...tablesInOrder(sqlite), ...DERIVED_TABLES].find(
    (table) => sqlite.prepare(`select exists (select 1 from "${table}")`).pluck().get() === 1,
  );
}

const quoted = (name: string) => `"${name}"`;

export async function importStore(sqlite: Database.Database, file: string): Promise<ReadResult> {
  const filled = firstFilledTable(sqlite);
  if (filled)
    throw new StoreFileError(`the target store is not empty (${filled} has rows): import into a new one`);
  const target = new Map(tablesInOrder(sqlite).map((table) => [table, columnsOf(sqlite, table)]));
  const foreignKeys = sqlite.pragma('foreign_keys', { simple: true });
  // Off for the import (a pragma that cannot change inside a transaction), checked in full before commit.
  sqlite.pragma('foreign_keys = off');
  sqlite.exec('begin');
  try {
    let insert: Database.Statement | undefined;
    const result = await readStoreFile(file, target, {
      table(table, columns) {
        insert = sqlite.prepare(
          `insert into ${quoted(table)} (${columns.map(quoted).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
      },
      row(cells) {
        insert?.run(cells);
      },
    });
    const broken = sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
    const first = broken[0];
    if (first) {
      throw new StoreFileError(
        `${broken.length} rows point at rows that are not there (first: ${first.table} row ${first.rowid} → ${first.parent})`,
      );
    }
    sqlite.exec('commit');
    return result;
  } catch (error) {
    sqlite.exec('rollback');
    throw error;
  } finally {
    sqlite.pragma(`foreign_keys = ${foreignKeys ? 'on' : 'off'}`);
  }
}

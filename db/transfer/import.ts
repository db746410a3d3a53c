// `importStore`: a store file (format.ts) into an empty SQLite store at the same tables and columns, in one
// transaction: a file that is cut short, damaged, of another schema, or whose rows break a reference
// changes nothing. Foreign keys are checked once at the end (rows of a table may point at later rows of it).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  columnsOf,
  DERIVED_TABLES,
  STORE_FORMAT,
  STORE_FORMAT_VERSION,
  StoreFileError,
  tablesInOrder,
} from './format.ts';

const headerSchema = z.object({
  format: z.literal(STORE_FORMAT),
  version: z.literal(STORE_FORMAT_VERSION),
  migrations: z.number().int(),
  exportedAt: z.number(),
  tables: z.record(z.string(), z.number().int().nonnegative()),
});
const tableLineSchema = z.object({ table: z.string(), columns: z.array(z.string()) });
const endLineSchema = z.object({ end: z.literal(true), rows: z.number().int().nonnegative() });
const cellSchema = z.union([z.string(), z.number(), z.null(), z.object({ base64: z.string() })]);

export interface ImportResult {
  tables: Record<string, number>;
  rows: number;
}

/** The first table of the store that has rows, if any: an import only goes into an empty store. */
export function firstFilledTable(sqlite: Database.Database): string | undefined {
  return [...tablesInOrder(sqlite), ...DERIVED_TABLES].find(
    (table) => sqlite.prepare(`select exists (select 1 from "${table}")`).pluck().get() === 1,
  );
}

export async function importStore(sqlite: Database.Database, file: string): Promise<ImportResult> {
  const filled = firstFilledTable(sqlite);
  if (filled)
    throw new StoreFileError(`the target store is not empty (${filled} has rows): import into a new one`);
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const known = new Map(tablesInOrder(sqlite).map((table) => [table, columnsOf(sqlite, table)]));

  const foreignKeys = sqlite.pragma('foreign_keys', { simple: true });
  sqlite.pragma('foreign_keys = off');
  sqlite.exec('begin');
  try {
    let lineNo = 0;
    const fail = (why: string): never => {
      throw new StoreFileError(`line ${lineNo}: ${why}`);
    };
    const parse = (line: string): unknown => {
      try {
        return JSON.parse(line);
      } catch {
        return fail('not JSON');
      }
    };
    let header: z.infer<typeof headerSchema> | undefined;
    let current: { table: string; columns: string[]; insert: Database.Statement; rows: number } | undefined;
    const counted: Record<string, number> = {};
    let total = 0;
    let ended = false;
    const closeTable = () => {
      if (!current || !header) return;
      if (current.rows !== header.tables[current.table]) {
        fail(`${current.table} has ${current.rows} rows, the header says ${header.tables[current.table]}`);
      }
      counted[current.table] = current.rows;
      current = undefined;
    };

    for await (const line of lines) {
      lineNo++;
      if (ended) fail('more after the end line');
      const value = parse(line);
      if (!header) {
        const parsed = headerSchema.safeParse(value);
        if (!parsed.success) return fail(`not a ${STORE_FORMAT} file of version ${STORE_FORMAT_VERSION}`);
        header = parsed.data;
        const theirs = Object.keys(parsed.data.tables).sort();
        const ours = [...known.keys()].sort();
        if (theirs.join() !== ours.join()) {
          fail(
            `the file's tables differ from this store's (${theirs.filter((t) => !known.has(t)).join(', ') || 'none extra'}; ` +
              `missing ${ours.filter((t) => !theirs.includes(t)).join(', ') || 'none'}): export and import with the same tgdesk`,
          );
        }
        continue;
      }
      if (Array.isArray(value)) {
        if (!current) return fail('a row before any table');
        if (value.length !== current.columns.length)
          fail(`a row of ${current.table} with ${value.length} values`);
        const cells = value.map((v) => {
          const parsed = cellSchema.safeParse(v);
          if (!parsed.success) return fail(`a value of ${current?.table} that is not a store value`);
          const cell = parsed.data;
          return cell !== null && typeof cell === 'object' ? Buffer.from(cell.base64, 'base64') : cell;
        });
        current.insert.run(cells);
        current.rows++;
        total++;
        continue;
      }
      const tableLine = tableLineSchema.safeParse(value);
      if (tableLine.success) {
        closeTable();
        const { table, columns } = tableLine.data;
        const ours = known.get(table);
        if (!ours) return fail(`an unknown table ${table}`);
        if (table in counted) fail(`${table} a second time`);
        if ([...columns].sort().join() !== [...ours].sort().join()) {
          fail(`${table}'s columns differ from this store's: export and import with the same tgdesk`);
        }
        const insert = sqlite.prepare(
          `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        current = { table, columns, insert, rows: 0 };
        continue;
      }
      const endLine = endLineSchema.safeParse(value);
      if (!endLine.success) fail('neither a table, a row nor the end');
      else {
        closeTable();
        if (endLine.data.rows !== total)
          fail(`the end line says ${endLine.data.rows} rows, the file has ${total}`);
        ended = true;
      }
    }
    if (!header) throw new StoreFileError('the file is empty');
    if (!ended) throw new StoreFileError('the file ends before its end line: it was cut short');
    const missing = Object.keys(header.tables).filter((table) => !(table in counted));
    if (missing.length > 0) throw new StoreFileError(`the file lacks the rows of ${missing.join(', ')}`);
    const broken = sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
    if (broken.length > 0) {
      const first = broken[0];
      throw new StoreFileError(
        `${broken.length} rows point at rows that are not there (first: ${first?.table} row ${first?.rowid} → ${first?.parent})`,
      );
    }
    sqlite.exec('commit');
    return { tables: counted, rows: total };
  } catch (error) {
    sqlite.exec('rollback');
    throw error;
  } finally {
    lines.close();
    sqlite.pragma(`foreign_keys = ${foreignKeys ? 'on' : 'off'}`);
  }
}

// Reading a store file (format.ts) line by line, checked as it goes: the header, each table against the
// target's tables and columns, every row's width and values, the row counts against the header's, the end
// line. What it reads goes to a sink (the SQLite or the PostgreSQL import), which writes it in its own
// transaction: anything wrong throws StoreFileError, and the sink's transaction is rolled back.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { STORE_FORMAT, STORE_FORMAT_VERSION, StoreFileError } from './format.ts';

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

/** A value as it goes into a store. */
export type Cell = string | number | null | Buffer;

export interface StoreSink {
  /** The rows that follow are this table's, their values in the order of `columns`. */
  table(table: string, columns: string[]): Promise<void> | void;
  row(cells: Cell[]): Promise<void> | void;
}

export interface ReadResult {
  tables: Record<string, number>;
  rows: number;
}

/** Reads `file` into `sink`; `target` is the tables and columns of the store it goes into. */
export async function readStoreFile(
  file: string,
  target: ReadonlyMap<string, readonly string[]>,
  sink: StoreSink,
): Promise<ReadResult> {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNo = 0;
  const fail = (why: string): never => {
    throw new StoreFileError(`line ${lineNo}: ${why}`);
  };
  let header: z.infer<typeof headerSchema> | undefined;
  let current: { table: string; width: number; rows: number } | undefined;
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
  try {
    for await (const line of lines) {
      lineNo++;
      if (ended) fail('more after the end line');
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        fail('not JSON');
      }
      if (!header) {
        const parsed = headerSchema.safeParse(value);
        if (!parsed.success) return fail(`not a ${STORE_FORMAT} file of version ${STORE_FORMAT_VERSION}`);
        header = parsed.data;
        const theirs = Object.keys(parsed.data.tables).sort();
        const ours = [...target.keys()].sort();
        if (theirs.join() !== ours.join()) {
          const extra = theirs.filter((t) => !target.has(t)).join(', ') || 'none';
          const missing = ours.filter((t) => !theirs.includes(t)).join(', ') || 'none';
          fail(
            `the file's tables differ from this store's (extra: ${extra}; missing: ${missing}): ` +
              'export and import with the same tgdesk',
          );
        }
        continue;
      }
      if (Array.isArray(value)) {
        const table = current;
        if (!table) return fail('a row before any table');
        if (value.length !== table.width) fail(`a row of ${table.table} with ${value.length} values`);
        const cells = value.map((v): Cell => {
          const parsed = cellSchema.safeParse(v);
          if (!parsed.success) return fail(`a value of ${table.table} that is not a store value`);
          const cell = parsed.data;
          return cell !== null && typeof cell === 'object' ? Buffer.from(cell.base64, 'base64') : cell;
        });
        await sink.row(cells);
        table.rows++;
        total++;
        continue;
      }
      const tableLine = tableLineSchema.safeParse(value);
      if (tableLine.success) {
        closeTable();
        const { table, columns } = tableLine.data;
        const ours = target.get(table);
        if (!ours) return fail(`an unknown table ${table}`);
        if (table in counted) fail(`${table} a second time`);
        if ([...columns].sort().join() !== [...ours].sort().join()) {
          fail(`${table}'s columns differ from this store's: export and import with the same tgdesk`);
        }
        await sink.table(table, columns);
        current = { table, width: columns.length, rows: 0 };
        continue;
      }
      const endLine = endLineSchema.safeParse(value);
      if (!endLine.success) return fail('neither a table, a row nor the end');
      closeTable();
      if (endLine.data.rows !== total)
        fail(`the end line says ${endLine.data.rows} rows, the file has ${total}`);
      ended = true;
    }
  } finally {
    lines.close();
  }
  if (!header) throw new StoreFileError('the file is empty');
  if (!ended) throw new StoreFileError('the file ends before its end line: it was cut short');
  const missing = Object.keys(header.tables).filter((table) => !(table in counted));
  if (missing.length > 0) throw new StoreFileError(`the file lacks the rows of ${missing.join(', ')}`);
  return { tables: counted, rows: total };
}

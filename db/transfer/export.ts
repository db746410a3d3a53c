// `exportStore`: the whole store into a file (format.ts), read in one read transaction, so the file is one
// consistent moment of the store even while the desk goes on writing (WAL: readers do not block writers).
// Written to `<file>.partial` and renamed when complete: a file under the final name is always whole.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import {
  type CellJson,
  columnsOf,
  type EndLine,
  migrationsApplied,
  STORE_FORMAT,
  STORE_FORMAT_VERSION,
  type StoreHeader,
  type TableLine,
  tablesInOrder,
} from './format.ts';

/** Lines are gathered and written about a megabyte at a time. */
const CHUNK = 1 << 20;

export interface ExportResult {
  file: string;
  tables: Record<string, number>;
  rows: number;
}

const cell = (value: unknown): CellJson =>
  Buffer.isBuffer(value) ? { base64: value.toString('base64') } : (value as CellJson);

export function exportStore(sqlite: Database.Database, file: string, now: number): ExportResult {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  let pending = '';
  const write = (value: unknown) => {
    pending += `${JSON.stringify(value)}\n`;
    if (pending.length >= CHUNK) {
      writeSync(fd, pending);
      pending = '';
    }
  };
  let done = false;
  try {
    sqlite.exec('begin');
    try {
      const order = tablesInOrder(sqlite);
      const tables = Object.fromEntries(
        order.map((table) => [
          table,
          sqlite.prepare(`select count(*) from "${table}"`).pluck().get() as number,
        ]),
      );
      const header: StoreHeader = {
        format: STORE_FORMAT,
        version: STORE_FORMAT_VERSION,
        migrations: migrationsApplied(sqlite),
        exportedAt: now,
        tables,
      };
      write(header);
      let rows = 0;
      for (const table of order) {
        const columns = columnsOf(sqlite, table);
        write({ table, columns } satisfies TableLine);
        const select = sqlite.prepare(
          `select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}" order by rowid`,
        );
        for (const row of select.raw().iterate() as IterableIterator<unknown[]>) {
          write(row.map(cell));
          rows++;
        }
      }
      write({ end: true, rows } satisfies EndLine);
      writeSync(fd, pending);
      fsyncSync(fd);
      done = true;
      return { file, tables, rows };
    } finally {
      sqlite.exec('commit');
    }
  } finally {
    closeSync(fd);
    if (done) renameSync(partial, file);
    else unlinkSync(partial);
  }
}

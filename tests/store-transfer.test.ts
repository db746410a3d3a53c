// Moving a desk to another store: the demo store (and a row in every table the demo leaves empty) exported
// and imported into a new store comes back row for row; a file cut short, damaged, or breaking a reference,
// and an import into a store that is not empty, are refused and change nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { seedDemo } from '../db/seed.ts';
import { exportStore } from '../db/transfer/export.ts';
import { DERIVED_TABLES, StoreFileError, tablesInOrder } from '../db/transfer/format.ts';
import { importStore } from '../db/transfer/import.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgdesk-transfer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** One made-up row in every table the demo leaves empty, its references pointing at existing rows. */
function fillEmptyTables(sqlite: Database.Database): void {
  for (const table of tablesInOrder(sqlite)) {
    if (sqlite.prepare(`select exists (select 1 from "${table}")`).pluck().get() === 1) continue;
    const columns = sqlite.prepare('select * from pragma_table_info(?)').all(table) as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[];
    const references = new Map(
      (
        sqlite.prepare('select "from", "table" from pragma_foreign_key_list(?)').all(table) as {
          from: string;
          table: string;
        }[]
      ).map((fk) => [fk.from, fk.table]),
    );
    const values = columns.map((c) => {
      const target = references.get(c.name);
      if (target) return sqlite.prepare(`select min(rowid) from "${target}"`).pluck().get();
      if (c.pk && c.type.toLowerCase() === 'integer') return 7;
      return c.type.toLowerCase() === 'integer' ? 1_700_000_000_000 : `${table}.${c.name}`;
    });
    sqlite
      .prepare(
        `insert into "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      )
      .run(values);
  }
}

const everyTable = (sqlite: Database.Database) => [...tablesInOrder(sqlite), ...DERIVED_TABLES];
/**
 * A table's rows in a fixed order (report_days has no rowid: by their content). Of the summary only the
 * rows that count something: a ticket that moved on leaves its old bucket at zero, which no report reads.
 */
const rowsOf = (sqlite: Database.Database, table: string) =>
  (
    sqlite
      .prepare(
        table === 'report_days'
          ? `select * from report_days where not (tickets = 0 and rating_sum = 0 and rating_count = 0 and
               fr_answered = 0 and fr_met = 0 and resolved = 0 and res_met = 0 and res_timed = 0)`
          : `select * from "${table}"`,
      )
      .raw()
      .all() as unknown[][]
  )
    .map((row) => JSON.stringify(row))
    .sort();
const totalRows = (sqlite: Database.Database) =>
  everyTable(sqlite).reduce(
    (sum, table) => sum + (sqlite.prepare(`select count(*) from "${table}"`).pluck().get() as number),
    0,
  );

async function demoStore() {
  const db = openDatabase(join(dir, 'old.sqlite'));
  await seedDemo(db, Date.UTC(2026, 5, 15, 9));
  fillEmptyTables(db.$client);
  return db.$client;
}

describe('moving a store', () => {
  it('brings every row of every table over, the derived summary rebuilt alike', async () => {
    const old = await demoStore();
    const file = join(dir, 'desk.tgstore');
    const exported = exportStore(old, file, Date.now());
    const moved = openDatabase(join(dir, 'new.sqlite')).$client;
    const imported = await importStore(moved, file);
    expect(imported).toEqual({ tables: exported.tables, rows: exported.rows });
    for (const table of everyTable(old)) {
      const rows = rowsOf(old, table);
      expect(rows.length, table).toBeGreaterThan(0);
      expect(rowsOf(moved, table), table).toEqual(rows);
    }
    expect(moved.pragma('foreign_keys', { simple: true })).toBe(1);
    // The moved desk goes on numbering where the old one stopped.
    const next = (sqlite: Database.Database) =>
      sqlite
        .prepare(`insert into people (name, language, created_at) values ('N', 'ru', 1) returning id`)
        .pluck()
        .get();
    expect(next(moved)).toBe(next(old));
  });

  it('refuses a store that is not empty, and leaves it as it was', async () => {
    const old = await demoStore();
    const file = join(dir, 'desk.tgstore');
    exportStore(old, file, Date.now());
    const before = totalRows(old);
    await expect(importStore(old, file)).rejects.toThrow(/not empty/);
    expect(totalRows(old)).toBe(before);
  });

  it('refuses a file cut short, damaged, or breaking a reference, importing nothing', async () => {
    const old = await demoStore();
    const file = join(dir, 'desk.tgstore');
    exportStore(old, file, Date.now());
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const ticketsAt = lines.findIndex((line) => line.startsWith('{"table":"tickets"'));
    const columns = (JSON.parse(lines[ticketsAt] ?? '{}') as { columns: string[] }).columns;
    const withTicket = (edit: (row: unknown[]) => unknown[]) =>
      lines.map((line, i) =>
        i === ticketsAt + 1 ? JSON.stringify(edit(JSON.parse(line) as unknown[])) : line,
      );
    const damaged: [string, string[], RegExp][] = [
      ['cut short', lines.slice(0, -3), /cut short|rows, the header says/],
      ['no end line', lines.slice(0, -1), /cut short/],
      ['not JSON', lines.map((line, i) => (i === 5 ? `${line}}` : line)), /line 6: not JSON/],
      ['a value missing', withTicket((row) => row.slice(1)), /a row of tickets with/],
      [
        'a requester who is not there',
        withTicket((row) => row.map((v, i) => (columns[i] === 'requester_id' ? 999_999 : v))),
        /point at rows that are not there/,
      ],
      ['another kind of file', ['{"hello":"world"}', ...lines.slice(1)], /not a tgdesk-store file/],
      ['empty', [], /empty/],
    ];
    for (const [what, content, error] of damaged) {
      const broken = join(dir, `${what}.tgstore`);
      writeFileSync(broken, content.length ? `${content.join('\n')}\n` : '');
      const fresh = openDatabase(join(dir, `${what}.sqlite`)).$client;
      const refusal = await importStore(fresh, broken).catch((e: unknown) => e);
      expect(refusal, what).toBeInstanceOf(StoreFileError);
      expect(String(refusal), what).toMatch(error);
      expect(totalRows(fresh), what).toBe(0);
      expect(fresh.pragma('foreign_keys', { simple: true }), what).toBe(1);
      fresh.close();
    }
  });

  it('works as the commands a newcomer runs: export-store, then import-store into a new file', async () => {
    const old = await demoStore();
    old.close();
    const file = join(dir, 'desk.tgstore');
    const run = (script: string, databasePath: string, ...args: string[]) =>
      execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
        env: { ...process.env, DATABASE_PATH: databasePath },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(run('app/export-store.ts', join(dir, 'old.sqlite'), file)).toMatch(
      /rows of \d+ tables .* written to/,
    );
    expect(run('app/import-store.ts', join(dir, 'new.sqlite'), file)).toMatch(/imported into/);
    const [a, b] = [
      openDatabase(join(dir, 'old.sqlite')).$client,
      openDatabase(join(dir, 'new.sqlite')).$client,
    ];
    for (const table of everyTable(a)) expect(rowsOf(b, table), table).toEqual(rowsOf(a, table));
    // A second import into the now filled store is refused with exit code 2 and a reason.
    let status: number | null = null;
    let stderr = '';
    try {
      run('app/import-store.ts', join(dir, 'new.sqlite'), file);
    } catch (error) {
      ({ status, stderr } = error as { status: number; stderr: string });
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/import refused: the target store is not empty/);
  }, 60_000);
});

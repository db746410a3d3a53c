// Moving the demo store from SQLite to PostgreSQL (export-store, then import-store with DATABASE_URL): every
// row of every table arrives, as PostgreSQL stores it (booleans, jsonb) and equal to the SQLite row value for
// value; report_days is rebuilt by PostgreSQL's trigger to the same counts; the identity ids go on after the
// largest imported; a file breaking a reference, and a store that is not empty, are refused and change nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { migratePostgres } from '../db/pg/migrate.ts';
import { seedDemo } from '../db/seed.ts';
import { exportStore } from '../db/transfer/export.ts';
import { DERIVED_TABLES, StoreFileError, tablesInOrder } from '../db/transfer/format.ts';
import { importStoreIntoPostgres } from '../db/transfer/import-postgres.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from './support/postgres.ts';

/** int8 as numbers, as the desk's ids and times are; jsonb and booleans as pg gives them. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A JSON value with its object keys sorted: jsonb keeps keys in an order of its own. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => [k, canonical(v)]),
        )
      : value;

const SUMMARY_COUNTS = [
  'tickets',
  'rating_sum',
  'rating_count',
  'fr_answered',
  'fr_met',
  'resolved',
  'res_met',
  'res_timed',
];

describe.skipIf(!postgresAvailable())('moving a store from SQLite to PostgreSQL', () => {
  let server: PostgresServer;
  let dir: string;
  let sqlite: Database.Database;
  let file: string;

  beforeAll(async () => {
    server = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'tgdesk-pg-transfer-'));
    const db = openDatabase(join(dir, 'desk.sqlite'));
    await seedDemo(db, Date.UTC(2026, 5, 15, 9));
    sqlite = db.$client;
    file = join(dir, 'desk.tgstore');
    exportStore(sqlite, file, Date.now());
  }, 60_000);

  afterAll(async () => {
    sqlite?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function migrated(): Promise<{ url: string; client: pg.Client }> {
    const url = await server.createDatabase();
    await migratePostgres(url);
    const client = new pg.Client({ connectionString: url, types });
    await client.connect();
    return { url, client };
  }

  /** A table's rows, each as the SQLite store would hold it, in a fixed order. */
  async function pgRows(client: pg.Client, table: string, columns: string[]): Promise<string[]> {
    const { rows } = await client.query({
      text: `select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}"`,
      rowMode: 'array',
    });
    return (rows as unknown[][])
      .map((row) =>
        JSON.stringify(
          row.map((v) =>
            typeof v === 'boolean' ? Number(v) : v !== null && typeof v === 'object' ? canonical(v) : v,
          ),
        ),
      )
      .sort();
  }

  /** The same from SQLite; `json` names the columns PostgreSQL keeps as jsonb. */
  function sqliteRows(table: string, columns: string[], json: ReadonlySet<string>): string[] {
    const rows = sqlite
      .prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}"`)
      .raw()
      .all() as unknown[][];
    return rows
      .map((row) =>
        JSON.stringify(
          row.map((v, i) =>
            json.has(columns[i] ?? '') && typeof v === 'string' ? canonical(JSON.parse(v)) : v,
          ),
        ),
      )
      .sort();
  }

  it('brings every row of every table over, value for value, and rebuilds the summary alike', async () => {
    const { client } = await migrated();
    try {
      const result = await importStoreIntoPostgres(client, file);
      expect(result.rows).toBeGreaterThan(1000);
      const { rows: jsonColumns } = await client.query<{ table_name: string; column_name: string }>(
        `select table_name, column_name from information_schema.columns
         where table_schema = 'public' and data_type = 'jsonb'`,
      );
      for (const table of tablesInOrder(sqlite)) {
        const columns = sqlite
          .prepare('select name from pragma_table_info(?) order by cid')
          .pluck()
          .all(table) as string[];
        const json = new Set(jsonColumns.filter((c) => c.table_name === table).map((c) => c.column_name));
        expect(await pgRows(client, table, columns), table).toEqual(sqliteRows(table, columns, json));
      }
      // The per-day summary, rebuilt by PostgreSQL's trigger: the same counts wherever there is one.
      for (const table of DERIVED_TABLES) {
        const counted = `where not (${SUMMARY_COUNTS.map((c) => `${c} = 0`).join(' and ')})`;
        const { rows } = await client.query({ text: `select * from ${table} ${counted}`, rowMode: 'array' });
        const ours = sqlite.prepare(`select * from ${table} ${counted}`).raw().all() as unknown[][];
        expect(rows.length, table).toBeGreaterThan(0);
        expect((rows as unknown[][]).map((r) => JSON.stringify(r)).sort(), table).toEqual(
          ours.map((r) => JSON.stringify(r)).sort(),
        );
      }
      // The moved desk numbers on where the old one stopped.
      const { rows: next } = await client.query<{ id: number }>(
        `insert into people (name, language, created_at) values ('N', 'ru', 1) returning id`,
      );
      const last = sqlite.prepare('select max(id) from people').pluck().get() as number;
      expect(next[0]?.id).toBe(last + 1);
    } finally {
      await client.end();
    }
  }, 60_000);

  it('refuses a file breaking a reference, and a store that is not empty, changing nothing', async () => {
    const { client } = await migrated();
    try {
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      const at = lines.findIndex((line) => line.startsWith('{"table":"tickets"'));
      const columns = (JSON.parse(lines[at] ?? '{}') as { columns: string[] }).columns;
      const broken = join(dir, 'broken.tgstore');
      const requester = columns.indexOf('requester_id');
      writeFileSync(
        broken,
        `${lines.map((line, i) => (i === at + 1 ? JSON.stringify((JSON.parse(line) as unknown[]).map((v, c) => (c === requester ? 999_999 : v))) : line)).join('\n')}\n`,
      );
      const refusal = await importStoreIntoPostgres(client, broken).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(StoreFileError);
      expect(String(refusal)).toMatch(/points at a row that is not there/);
      const count = async () =>
        Number((await client.query('select count(*) as n from people')).rows[0]?.n ?? -1);
      expect(await count()).toBe(0);
      await importStoreIntoPostgres(client, file);
      const people = await count();
      await expect(importStoreIntoPostgres(client, file)).rejects.toThrow(/not empty/);
      expect(await count()).toBe(people);
    } finally {
      await client.end();
    }
  }, 60_000);

  it('works as the command: import-store with DATABASE_URL migrates the new store and fills it', async () => {
    const url = await server.createDatabase();
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'app/import-store.ts', file], {
      env: { ...process.env, DATABASE_URL: url },
      encoding: 'utf8',
    });
    expect(out).toMatch(/imported into PostgreSQL/);
    const client = new pg.Client({ connectionString: url, types });
    await client.connect();
    try {
      const tickets = await client.query('select count(*)::int as n from tickets');
      expect(tickets.rows[0]?.n).toBe(sqlite.prepare('select count(*) from tickets').pluck().get());
    } finally {
      await client.end();
    }
  }, 60_000);
});

// The PostgreSQL store on a real PostgreSQL (tests/support/postgres.ts): its migrations run one instance at a
// time, build what db/pg/schema.ts declares, match a SQLite store table by table and column by column, and
// keep report_days as SQLite's triggers do.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asc, eq, is } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { migratePostgres, PG_MIGRATIONS_FOLDER } from '../db/pg/migrate.ts';
import * as pgSchema from '../db/pg/schema.ts';
import * as sqliteSchema from '../db/schema.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from './support/postgres.ts';

const journal = JSON.parse(readFileSync(path.join(PG_MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
  entries: unknown[];
};

interface Column {
  table: string;
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  identity: boolean;
}

async function pgColumns(client: pg.Client): Promise<Column[]> {
  const { rows } = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
  }>(
    `select table_name, column_name, data_type, is_nullable, column_default, is_identity
       from information_schema.columns where table_schema = 'public' order by table_name, column_name`,
  );
  return rows.map((r) => ({
    table: r.table_name,
    name: r.column_name,
    type: r.data_type,
    notNull: r.is_nullable === 'NO',
    hasDefault: r.column_default !== null,
    identity: r.is_identity === 'YES',
  }));
}

interface IndexRow {
  table: string;
  name: string;
  unique: boolean;
  partial: boolean;
}

const sortIndexes = (rows: IndexRow[]) =>
  [...rows].sort((a, b) => `${a.table}.${a.name}`.localeCompare(`${b.table}.${b.name}`));

/** Every index but those of primary keys (SQLite's unique() are indexes, PostgreSQL's are constraints). */
async function pgIndexes(client: pg.Client): Promise<IndexRow[]> {
  const { rows } = await client.query<IndexRow>(
    `select t.relname as table, i.relname as name, x.indisunique as unique, x.indpred is not null as partial
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
       join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'public' and not x.indisprimary`,
  );
  return sortIndexes(rows);
}

// SQLite's declared types as PostgreSQL's information_schema names what db/pg/schema.ts makes of them.
const SQLITE_TO_PG: Record<string, string[]> = {
  integer: ['integer', 'bigint', 'boolean'],
  text: ['text', 'jsonb'],
  real: ['double precision'],
};

describe.skipIf(!postgresAvailable())('the PostgreSQL store', () => {
  let server: PostgresServer;
  let url: string;
  let client: pg.Client;

  beforeAll(async () => {
    const started = performance.now();
    server = await startPostgres();
    console.info(`PostgreSQL started in ${Math.round(performance.now() - started)} ms`);
    url = await server.createDatabase();
    client = new pg.Client({ connectionString: url });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  it('is migrated by two instances at once: one applies the migrations, the other finds them done', async () => {
    const results = await Promise.all([migratePostgres(url), migratePostgres(url)]);
    const applied = results.map((r) => r.applied).sort();
    expect(applied).toEqual([0, journal.entries.length]);
    expect(results.map((r) => r.total)).toEqual([journal.entries.length, journal.entries.length]);
    // And once more later: nothing to do.
    expect(await migratePostgres(url)).toEqual({ applied: 0, total: journal.entries.length });
  });

  it('has the tables and columns db/pg/schema.ts declares', async () => {
    const declared: Column[] = Object.values(pgSchema as Record<string, unknown>)
      .filter((v): v is PgTable => is(v, PgTable))
      .flatMap((table) => {
        const config = getTableConfig(table);
        return config.columns.map((c) => ({
          table: config.name,
          name: c.name,
          type: c.getSQLType(),
          notNull: c.notNull,
          // information_schema shows no default for an identity column.
          hasDefault: c.hasDefault && c.generatedIdentity === undefined,
          identity: c.generatedIdentity !== undefined,
        }));
      })
      .sort((a, b) => `${a.table}.${a.name}`.localeCompare(`${b.table}.${b.name}`));
    const actual = await pgColumns(client);
    expect(new Set(actual.map((c) => c.table)).size).toBe(29);
    expect(actual).toEqual(declared);
  });

  it('matches a SQLite store table by table, column by column, index by index', async () => {
    const sqlite = openDatabase(':memory:').$client;
    try {
      const tables = sqlite
        .prepare(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
        )
        .pluck()
        .all() as string[];
      const pgCols = await pgColumns(client);
      expect([...new Set(pgCols.map((c) => c.table))].sort()).toEqual(tables);
      for (const table of tables) {
        const columns = (
          sqlite
            .prepare(`select name, type, "notnull", dflt_value, pk from pragma_table_info(?)`)
            .all(table) as {
            name: string;
            type: string;
            notnull: number;
            dflt_value: string | null;
            pk: number;
          }[]
        ).sort((a, b) => a.name.localeCompare(b.name));
        const theirs = pgCols.filter((c) => c.table === table);
        expect(
          theirs.map((c) => c.name),
          table,
        ).toEqual(columns.map((c) => c.name));
        for (const [i, column] of columns.entries()) {
          const other = theirs[i];
          const where = `${table}.${column.name}`;
          expect(SQLITE_TO_PG[column.type.toLowerCase()], where).toContain(other?.type);
          // A primary key column is NOT NULL in PostgreSQL whatever it says; SQLite's INTEGER PRIMARY KEY is
          // numbered by the rowid, PostgreSQL's `id` by its identity.
          expect(other?.notNull, where).toBe(column.notnull === 1 || column.pk > 0);
          expect(other?.hasDefault, where).toBe(column.dflt_value !== null);
          expect(other?.identity, where).toBe(column.pk === 1 && column.name === 'id');
        }
      }
      const sqliteIndexes = sortIndexes(
        (
          sqlite
            .prepare(
              `select m.name as name, m.tbl_name as tbl, l."unique" as isUnique, l.partial as partial
                 from sqlite_master m join pragma_index_list(m.tbl_name) l on l.name = m.name
                where m.type = 'index' and m.name not like 'sqlite_autoindex_%'`,
            )
            .all() as { name: string; tbl: string; isUnique: number; partial: number }[]
        ).map((r) => ({ table: r.tbl, name: r.name, unique: r.isUnique === 1, partial: r.partial === 1 })),
      );
      expect(await pgIndexes(client)).toEqual(sqliteIndexes);
    } finally {
      sqlite.close();
    }
  });

  it('keeps report_days as the SQLite store does, through inserts, changes and deletes', async () => {
    const sqliteDb = openDatabase(':memory:');
    const pgDb = drizzle(client);
    try {
      const day = 86_400_000;
      const t0 = 20_000 * day + 3_600_000;
      const people: (typeof sqliteSchema.people.$inferInsert)[] = [
        { id: 1, name: 'Client', telegramUserId: 5_123_456_789, createdAt: t0 },
        { id: 2, name: 'Engineer', createdAt: t0 },
      ];
      const company: typeof sqliteSchema.companies.$inferInsert = { id: 1, name: 'Romashka', createdAt: t0 };
      const category: typeof sqliteSchema.categories.$inferInsert = {
        id: 7,
        code: 'net',
        nameRu: 'Сеть',
        nameEn: 'Net',
      };
      const ticket = (id: number, at: number): typeof sqliteSchema.tickets.$inferInsert => ({
        id,
        number: 1000 + id,
        channel: 'telegram',
        requesterId: 1,
        subject: 'Printer',
        description: 'It jams',
        impact: 'person',
        urgency: 'medium',
        priority: 'P3',
        status: 'new',
        line: 'line1',
        createdAt: at,
        updatedAt: at,
        firstResponseDueAt: at + 3_600_000,
        resolutionDueAt: at + 8 * 3_600_000,
      });
      sqliteDb.insert(sqliteSchema.people).values(people).run();
      sqliteDb.insert(sqliteSchema.companies).values(company).run();
      sqliteDb.insert(sqliteSchema.categories).values(category).run();
      await pgDb.insert(pgSchema.people).values(people);
      await pgDb.insert(pgSchema.companies).values(company);
      await pgDb.insert(pgSchema.categories).values(category);

      type Change = Partial<typeof sqliteSchema.tickets.$inferInsert>;
      const steps: { name: string; sqlite: () => void; pg: () => Promise<unknown> }[] = [];
      const insert = (row: typeof sqliteSchema.tickets.$inferInsert) =>
        steps.push({
          name: `insert ${row.id}`,
          sqlite: () => sqliteDb.insert(sqliteSchema.tickets).values(row).run(),
          pg: () => pgDb.insert(pgSchema.tickets).values(row),
        });
      const update = (id: number, change: Change) =>
        steps.push({
          name: `update ${id} ${JSON.stringify(change)}`,
          sqlite: () =>
            sqliteDb.update(sqliteSchema.tickets).set(change).where(eq(sqliteSchema.tickets.id, id)).run(),
          pg: () => pgDb.update(pgSchema.tickets).set(change).where(eq(pgSchema.tickets.id, id)),
        });
      insert({ ...ticket(1, t0), companyId: 1 });
      insert({
        ...ticket(2, t0 + 5_000),
        categoryId: 7,
        assigneeId: 2,
        status: 'in_progress',
        channel: 'email',
      });
      insert({ ...ticket(3, t0 + day), companyId: 1, priority: 'P1' });
      update(1, { assigneeId: 2, status: 'in_progress', firstResponseMet: true, firstResponseMinutes: 4.5 });
      update(1, { status: 'resolved', resolutionMet: false, resolutionMinutes: 310, rating: 4 });
      update(2, { companyId: 1, createdAt: t0 + 2 * day, priority: 'P2', categoryId: null });
      update(2, { firstResponseMet: false, resolutionMet: true, resolutionMinutes: null, rating: 5 });
      update(1, { status: 'cancelled' });
      update(3, { subject: 'Not counted', updatedAt: t0 + 2 * day });
      steps.push({
        name: 'delete 3',
        sqlite: () => sqliteDb.delete(sqliteSchema.tickets).where(eq(sqliteSchema.tickets.id, 3)).run(),
        pg: () => pgDb.delete(pgSchema.tickets).where(eq(pgSchema.tickets.id, 3)),
      });

      const order = (t: typeof sqliteSchema.reportDays | typeof pgSchema.reportDays) => [
        asc(t.companyId),
        asc(t.day),
        asc(t.kind),
        asc(t.value),
      ];
      for (const step of steps) {
        step.sqlite();
        await step.pg();
        const want = sqliteDb
          .select()
          .from(sqliteSchema.reportDays)
          .orderBy(...order(sqliteSchema.reportDays))
          .all();
        const got = await pgDb
          .select()
          .from(pgSchema.reportDays)
          .orderBy(...order(pgSchema.reportDays));
        expect(got, step.name).toEqual(want);
      }
      // Not trivially equal: the rows count what happened.
      const assignee = await pgDb
        .select()
        .from(pgSchema.reportDays)
        .where(eq(pgSchema.reportDays.kind, 'a'))
        .orderBy(...order(pgSchema.reportDays));
      expect(assignee.filter((r) => r.tickets !== 0)).toEqual([
        {
          companyId: 1,
          day: 20_000,
          kind: 'a',
          value: '2',
          tickets: 1,
          ratingSum: 4,
          ratingCount: 1,
          frAnswered: 0,
          frMet: 0,
          resolved: 0,
          resMet: 0,
          resTimed: 0,
        },
        {
          companyId: 1,
          day: 20_002,
          kind: 'a',
          value: '2',
          tickets: 1,
          ratingSum: 5,
          ratingCount: 1,
          frAnswered: 1,
          frMet: 0,
          resolved: 1,
          resMet: 1,
          resTimed: 0,
        },
      ]);
    } finally {
      sqliteDb.$client.close();
    }
  });
});

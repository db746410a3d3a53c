// The SQLite schema (db/schema.ts) and the PostgreSQL one (db/pg/schema.ts) describe the same store: the same
// tables, columns (name, NOT NULL, primary key, default, type through the mapping below), primary keys,
// unique constraints, foreign keys and indexes (name, columns, uniqueness, partial condition), and the same
// row types. Whoever changes one schema changes the other, or this fails.
import { readFileSync } from 'node:fs';
import { is, SQL } from 'drizzle-orm';
import * as pgCore from 'drizzle-orm/pg-core';
import * as sqliteCore from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as pgSchema from '../db/pg/schema.ts';
import * as sqliteSchema from '../db/schema.ts';

/**
 * SQLite's column types as PostgreSQL stores them. An integer is a bigint where it holds UTC milliseconds (a
 * name ending in `_at`, or `at`), a Telegram chat or user id, or an IMAP UID (unsigned 32-bit); else integer.
 */
const BIGINT_INTEGERS = new Set([
  'at',
  'chat_id',
  'owner_id',
  'telegram_user_id',
  'uid_validity',
  'last_uid',
]);
function pgTypeOf(column: sqliteCore.SQLiteColumn): string {
  switch (column.columnType) {
    case 'SQLiteInteger':
      return column.name.endsWith('_at') || BIGINT_INTEGERS.has(column.name) ? 'bigint' : 'integer';
    case 'SQLiteBoolean':
      return 'boolean';
    case 'SQLiteText':
      return 'text';
    case 'SQLiteTextJson':
      return 'jsonb';
    case 'SQLiteReal':
      return 'double precision';
    default:
      throw new Error(`no PostgreSQL type for ${column.name}'s ${column.columnType}: add one to pgTypeOf`);
  }
}

/**
 * Indexes SQLite has only in a custom migration, because drizzle-kit cannot declare them on its SQLite side;
 * the PostgreSQL schema declares them. Each is checked to be in that migration below.
 */
const SQLITE_MIGRATION_INDEXES: Record<string, IndexShape[]> = {
  memberships: [
    {
      name: 'memberships_unique',
      columns: ['person_id', 'role', 'coalesce(company_id, 0)'],
      unique: true,
      where: null,
    },
  ],
};
const SQLITE_MIGRATION_INDEX_SQL = {
  file: 'db/migrations/0001_memberships_unique.sql',
  text: 'CREATE UNIQUE INDEX `memberships_unique` ON `memberships` (`person_id`, `role`, coalesce(`company_id`, 0));',
};

interface ColumnShape {
  name: string;
  type: string;
  notNull: boolean;
  primary: boolean;
  /** The store numbers new rows itself: SQLite's INTEGER PRIMARY KEY `id`, PostgreSQL's identity column. */
  numbered: boolean;
  hasDefault: boolean;
  default: unknown;
  unique: string | null;
}
interface IndexShape {
  name: string;
  columns: string[];
  unique: boolean;
  where: string | null;
}
interface ForeignKeyShape {
  name: string;
  columns: string[];
  foreignTable: string;
  foreignColumns: string[];
  onDelete: string;
  onUpdate: string;
}
interface TableShape {
  name: string;
  columns: ColumnShape[];
  primaryKeys: string[][];
  uniqueConstraints: { name: string | undefined; columns: string[] }[];
  foreignKeys: ForeignKeyShape[];
  indexes: IndexShape[];
}

const sqliteDialect = new sqliteCore.SQLiteSyncDialect();
const pgDialect = new pgCore.PgDialect();
/** SQL text without quoting and table prefixes, as both dialects would write the same thing. */
const plain = (text: string) => text.replace(/["`]/g, '').replace(/\b[a-z_]+\.(?=[a-z_]+)/g, '');
const byName = <T extends { name: string | undefined }>(items: T[]) =>
  [...items].sort((a, b) => String(a.name).localeCompare(String(b.name)));

function sqliteShape(table: sqliteCore.SQLiteTable): TableShape {
  const config = sqliteCore.getTableConfig(table);
  const indexes: IndexShape[] = config.indexes.map((index) => ({
    name: index.config.name,
    columns: index.config.columns.map((c) => (is(c, SQL) ? plain(sqliteDialect.sqlToQuery(c).sql) : c.name)),
    unique: index.config.unique,
    where: index.config.where ? plain(sqliteDialect.sqlToQuery(index.config.where).sql) : null,
  }));
  return {
    name: config.name,
    columns: byName(
      config.columns.map((c) => ({
        name: c.name,
        type: pgTypeOf(c),
        notNull: c.notNull,
        primary: c.primary,
        numbered: c.primary && c.columnType === 'SQLiteInteger' && c.name === 'id',
        // drizzle counts SQLite's INTEGER PRIMARY KEY (the rowid) as a default; PostgreSQL has no such thing.
        hasDefault: c.hasDefault && !(c.primary && c.columnType === 'SQLiteInteger'),
        default: c.default,
        unique: c.isUnique ? (c.uniqueName ?? '') : null,
      })),
    ),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    uniqueConstraints: config.uniqueConstraints.map((u) => ({
      name: u.name,
      columns: u.columns.map((c) => c.name),
    })),
    foreignKeys: byName(
      config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return {
          name: fk.getName(),
          columns: ref.columns.map((c) => c.name),
          foreignTable: sqliteCore.getTableConfig(ref.foreignTable).name,
          foreignColumns: ref.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete ?? 'no action',
          onUpdate: fk.onUpdate ?? 'no action',
        };
      }),
    ),
    indexes: byName([...indexes, ...(SQLITE_MIGRATION_INDEXES[config.name] ?? [])]),
  };
}

function pgShape(table: pgCore.PgTable): TableShape {
  const config = pgCore.getTableConfig(table);
  return {
    name: config.name,
    columns: byName(
      config.columns.map((c) => ({
        name: c.name,
        type: c.getSQLType(),
        notNull: c.notNull,
        primary: c.primary,
        numbered: c.generatedIdentity?.type === 'byDefault',
        // An identity column has a default of its own in PostgreSQL, not one drizzle writes.
        hasDefault: c.hasDefault && c.generatedIdentity === undefined,
        default: c.default,
        unique: c.isUnique ? (c.uniqueName ?? '') : null,
      })),
    ),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    uniqueConstraints: config.uniqueConstraints.map((u) => ({
      name: u.name,
      columns: u.columns.map((c) => c.name),
    })),
    foreignKeys: byName(
      config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return {
          name: fk.getName(),
          columns: ref.columns.map((c) => c.name),
          foreignTable: pgCore.getTableConfig(ref.foreignTable).name,
          foreignColumns: ref.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete ?? 'no action',
          onUpdate: fk.onUpdate ?? 'no action',
        };
      }),
    ),
    indexes: byName(
      config.indexes.map((index) => ({
        name: index.config.name ?? '',
        columns: index.config.columns.map((c) =>
          is(c, SQL) ? plain(pgDialect.sqlToQuery(c).sql) : String((c as pgCore.IndexedColumn).name),
        ),
        unique: index.config.unique,
        where: index.config.where ? plain(pgDialect.sqlToQuery(index.config.where).sql) : null,
      })),
    ),
  };
}

const sqliteTables = Object.entries(sqliteSchema as Record<string, unknown>).filter(
  (entry): entry is [string, sqliteCore.SQLiteTable] => is(entry[1], sqliteCore.SQLiteTable),
);
const pgTables = Object.entries(pgSchema as Record<string, unknown>).filter(
  (entry): entry is [string, pgCore.PgTable] => is(entry[1], pgCore.PgTable),
);

describe('the SQLite and PostgreSQL schemas', () => {
  it('export the same 29 tables under the same names', () => {
    expect(sqliteTables).toHaveLength(29);
    expect(pgTables.map(([key]) => key).sort()).toEqual(sqliteTables.map(([key]) => key).sort());
    expect(pgTables.map(([, t]) => pgCore.getTableConfig(t).name).sort()).toEqual(
      sqliteTables.map(([, t]) => sqliteCore.getTableConfig(t).name).sort(),
    );
  });

  const pgByKey = new Map(pgTables);
  for (const [key, sqliteTable] of sqliteTables) {
    it(`describe ${sqliteCore.getTableConfig(sqliteTable).name} alike`, () => {
      const pgTable = pgByKey.get(key);
      expect(pgTable, `db/pg/schema.ts has no ${key}`).toBeDefined();
      if (!pgTable) return;
      const want = sqliteShape(sqliteTable);
      const got = pgShape(pgTable);
      // Part by part, so that a failure names what differs.
      expect(got.columns.map((c) => c.name)).toEqual(want.columns.map((c) => c.name));
      for (const [i, column] of want.columns.entries()) {
        expect(got.columns[i], `${want.name}.${column.name}`).toEqual(column);
      }
      expect(got.primaryKeys).toEqual(want.primaryKeys);
      expect(got.uniqueConstraints).toEqual(want.uniqueConstraints);
      expect(got.foreignKeys).toEqual(want.foreignKeys);
      expect(got.indexes).toEqual(want.indexes);
      expect(got).toEqual(want);
    });
  }

  it('partial indexes use the conditions db/schema.ts exports, word for word', () => {
    const conditions = new Set(
      [
        sqliteSchema.OUTBOX_UNDELIVERED,
        sqliteSchema.REPORT_FR_TIMED,
        sqliteSchema.REPORT_RES_TIMED,
        sqliteSchema.REPORT_PENDING,
      ].map(plain),
    );
    const partial = pgTables.flatMap(([, t]) => pgShape(t).indexes.filter((i) => i.where !== null));
    expect(partial.length).toBe(7);
    for (const index of partial) expect(conditions, index.name).toContain(index.where);
  });

  it("has SQLite's migration-only indexes in its custom migrations", () => {
    expect(readFileSync(SQLITE_MIGRATION_INDEX_SQL.file, 'utf8')).toContain(SQLITE_MIGRATION_INDEX_SQL.text);
  });

  it('give the same row types', () => {
    // Checked by tsc (npm test runs it first): a column typed differently in one schema fails the build.
    expectTypeOf<typeof pgSchema.businessCalendars.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.businessCalendars.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.calendarExceptions.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.calendarExceptions.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.companies.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.companies.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.contracts.$inferSelect>().toEqualTypeOf<sqliteSchema.ContractRow>();
    expectTypeOf<typeof pgSchema.people.$inferSelect>().toEqualTypeOf<sqliteSchema.PersonRow>();
    expectTypeOf<typeof pgSchema.memberships.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.memberships.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.categories.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.categories.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.tickets.$inferSelect>().toEqualTypeOf<sqliteSchema.TicketRow>();
    expectTypeOf<typeof pgSchema.reportDays.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.reportDays.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.ticketEvents.$inferSelect>().toEqualTypeOf<sqliteSchema.TicketEventRow>();
    expectTypeOf<typeof pgSchema.comments.$inferSelect>().toEqualTypeOf<sqliteSchema.CommentRow>();
    expectTypeOf<typeof pgSchema.attachments.$inferSelect>().toEqualTypeOf<sqliteSchema.AttachmentRow>();
    expectTypeOf<typeof pgSchema.outbox.$inferSelect>().toEqualTypeOf<sqliteSchema.OutboxRow>();
    expectTypeOf<typeof pgSchema.conversationState.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.conversationState.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.intakeDrafts.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.intakeDrafts.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.invites.$inferSelect>().toEqualTypeOf<sqliteSchema.InviteRow>();
    expectTypeOf<typeof pgSchema.messageRefs.$inferSelect>().toEqualTypeOf<sqliteSchema.MessageRefRow>();
    expectTypeOf<typeof pgSchema.deskSettings.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.deskSettings.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.ticketTopics.$inferSelect>().toEqualTypeOf<sqliteSchema.TicketTopicRow>();
    expectTypeOf<typeof pgSchema.visitSlots.$inferSelect>().toEqualTypeOf<sqliteSchema.VisitSlotRow>();
    expectTypeOf<typeof pgSchema.cannedReplies.$inferSelect>().toEqualTypeOf<sqliteSchema.CannedReplyRow>();
    expectTypeOf<typeof pgSchema.mailboxCursors.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.mailboxCursors.$inferSelect
    >();
    expectTypeOf<
      typeof pgSchema.mailQuarantine.$inferSelect
    >().toEqualTypeOf<sqliteSchema.MailQuarantineRow>();
    expectTypeOf<typeof pgSchema.calls.$inferSelect>().toEqualTypeOf<sqliteSchema.CallRow>();
    expectTypeOf<typeof pgSchema.publicHits.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.publicHits.$inferSelect
    >();
    expectTypeOf<typeof pgSchema.clientGroups.$inferSelect>().toEqualTypeOf<sqliteSchema.ClientGroupRow>();
    expectTypeOf<typeof pgSchema.groupTickets.$inferSelect>().toEqualTypeOf<
      typeof sqliteSchema.groupTickets.$inferSelect
    >();
    // What an insert may leave out (defaults, numbered ids) is the same too.
    expectTypeOf<typeof pgSchema.tickets.$inferInsert>().toEqualTypeOf<
      typeof sqliteSchema.tickets.$inferInsert
    >();
    expectTypeOf<typeof pgSchema.outbox.$inferInsert>().toEqualTypeOf<
      typeof sqliteSchema.outbox.$inferInsert
    >();
    expectTypeOf<typeof pgSchema.people.$inferInsert>().toEqualTypeOf<
      typeof sqliteSchema.people.$inferInsert
    >();
  });
});

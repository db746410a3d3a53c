// `importStoreIntoPostgres`: a store file (format.ts) into an empty, migrated PostgreSQL store, in one
// transaction. The file's tables come in the order of their references, so each row's foreign keys are
// checked as it goes in. Values become PostgreSQL's: SQLite's 0/1 booleans true/false, JSON text jsonb
// (PostgreSQL parses it). The identity columns then go on numbering after the largest id imported, and
// report_days is filled by the store's own trigger as the tickets go in.
import type pg from 'pg';
import { DERIVED_TABLES, StoreFileError } from './format.ts';
import { type Cell, type ReadResult, readStoreFile } from './read.ts';

/** Rows per INSERT: few round trips, far under PostgreSQL's 65,535 parameters for the widest table. */
const BATCH = 500;

interface PgColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  is_identity: 'YES' | 'NO';
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The store's tables and columns, in declared order (all of them: derived ones included). */
async function columnsOf(client: pg.ClientBase): Promise<PgColumn[]> {
  const { rows } = await client.query<PgColumn>(
    `select table_name, column_name, data_type, is_identity from information_schema.columns
     where table_schema = 'public' and table_name not like '\\_\\_%' order by table_name, ordinal_position`,
  );
  return rows;
}

export async function importStoreIntoPostgres(client: pg.ClientBase, file: string): Promise<ReadResult> {
  const columns = await columnsOf(client);
  const tables = [...new Set(columns.map((c) => c.table_name))];
  for (const table of tables) {
    const { rows } = await client.query<{ filled: boolean }>(
      `select exists (select 1 from ${quoted(table)}) as filled`,
    );
    if (rows[0]?.filled) {
      throw new StoreFileError(`the target store is not empty (${table} has rows): import into a new one`);
    }
  }
  const target = new Map<string, string[]>();
  for (const c of columns) {
    if (DERIVED_TABLES.has(c.table_name)) continue;
    target.set(c.table_name, [...(target.get(c.table_name) ?? []), c.column_name]);
  }
  const typeOf = new Map(columns.map((c) => [`${c.table_name}.${c.column_name}`, c.data_type]));

  await client.query('begin');
  try {
    let into: { table: string; columns: string[]; convert: ((cell: Cell) => unknown)[] } | undefined;
    let batch: unknown[][] = [];
    const flush = async () => {
      if (!into || batch.length === 0) return;
      const width = into.columns.length;
      const values = batch
        .map((_, r) => `(${into?.columns.map((_c, i) => `$${r * width + i + 1}`).join(', ')})`)
        .join(', ');
      await client.query(
        `insert into ${quoted(into.table)} (${into.columns.map(quoted).join(', ')}) overriding system value values ${values}`,
        batch.flat(),
      );
      batch = [];
    };
    const result = await readStoreFile(file, target, {
      async table(table, names) {
        await flush();
        into = {
          table,
          columns: names,
          convert: names.map((name) => converter(typeOf.get(`${table}.${name}`))),
        };
      },
      async row(cells) {
        const converters = into?.convert ?? [];
        batch.push(
          cells.map((cell, i) => (converters[i] ? (converters[i] as (c: Cell) => unknown)(cell) : cell)),
        );
        if (batch.length >= BATCH) await flush();
      },
    });
    await flush();
    // Identity columns go on after the largest id imported (or start at 1 on an empty table).
    for (const c of columns.filter((column) => column.is_identity === 'YES')) {
      await client.query(
        `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quoted(c.column_name)}) from ${quoted(c.table_name)}), 0) + 1, false)`,
        [quoted(c.table_name), c.column_name],
      );
    }
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    if (isPgError(error) && error.code === '23503') {
      throw new StoreFileError(`a row points at a row that is not there: ${error.detail ?? error.message}`);
    }
    throw error;
  }
}

/** How a SQLite value becomes a value of a PostgreSQL column of this type. */
function converter(type: string | undefined): (cell: Cell) => unknown {
  if (type === 'boolean') return (cell) => (cell === null ? null : cell !== 0 && cell !== '0');
  return (cell) => cell;
}

function isPgError(error: unknown): error is Error & { code: string; detail?: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

// Which store this process runs on. SQLite by default; PostgreSQL when TGDESK_STORE_DIALECT=postgres. That
// switch is for the PostgreSQL work under way (tests/pg-core.test.ts): the desk does not run on PostgreSQL
// yet, so DATABASE_URL alone (which import-store reads) does not flip it.
export type StoreDialect = 'sqlite' | 'postgres';

export function storeDialect(): StoreDialect {
  return process.env.TGDESK_STORE_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
}

// Which store this process runs on, decided once, before the tables are chosen (db/schema.ts): PostgreSQL when
// DATABASE_URL names one (`npm start` reads it from the environment), or when TGDESK_STORE_DIALECT=postgres
// (the tests of tests/postgres/, which give the URL to the desk themselves); SQLite otherwise.
export type StoreDialect = 'sqlite' | 'postgres';

export function storeDialect(env: NodeJS.ProcessEnv = process.env): StoreDialect {
  if (env.TGDESK_STORE_DIALECT === 'postgres') return 'postgres';
  return /^postgres(ql)?:\/\//.test(env.DATABASE_URL?.trim() ?? '') ? 'postgres' : 'sqlite';
}

// drizzle-kit for the PostgreSQL store (issue 15): `npx drizzle-kit generate --config drizzle.pg.config.ts`.
// drizzle.config.ts is the SQLite one; both schemas are held to each other by tests/store-schemas.test.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/pg/schema.ts',
  out: './db/pg-migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/tgdesk' },
});

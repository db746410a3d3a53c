// A desk on a real PostgreSQL for the tests of tests/postgres/ (their vitest project runs with
// TGDESK_STORE_DIALECT=postgres, so core builds its queries from PostgreSQL's tables): one server per test file,
// a fresh database per desk, and a small world in it — a company on a business calendar with its contract, a
// category, a client and a 1st-line engineer — written through drizzle as an admin would have set it up.

import { loadActor } from '../../core/actors.ts';
import { workWeek } from '../../core/calendar/business-calendar.ts';
import { createContext, type DeskContext } from '../../core/context.ts';
import { ManualClock } from '../../core/model.ts';
import type { Actor } from '../../core/permissions.ts';
import { DEFAULT_PRIORITY_MATRIX } from '../../core/sla-policy.ts';
import type { Db } from '../../db/connection.ts';
import { storeDialect } from '../../db/dialect.ts';
import * as pgSchema from '../../db/pg/schema.ts';
import { openPostgresStore, type PostgresStore } from '../../db/pg/store.ts';
import { type PostgresServer, startPostgres } from '../support/postgres.ts';

export { pgSchema };

const TARGETS = {
  P1: { firstResponse: 30, resolution: 240 },
  P2: { firstResponse: 60, resolution: 480 },
  P3: { firstResponse: 240, resolution: 1440 },
  P4: { firstResponse: 480, resolution: 2880 },
};

export interface PgWorld {
  store: PostgresStore;
  ctx: DeskContext;
  clock: ManualClock;
  companyId: number;
  category: number;
  client: Actor;
  line1: Actor;
  ids: { client: number; line1: number };
}

/** A server for the file; `desk()` makes a fresh store with its world; `stop()` closes them all. */
export async function postgresDesks() {
  if (storeDialect() !== 'postgres') throw new Error('tests/postgres/ runs in the postgres vitest project');
  const server: PostgresServer = await startPostgres();
  const stores: PostgresStore[] = [];
  return {
    server,
    async store(): Promise<PostgresStore> {
      const store = await openPostgresStore(await server.createDatabase());
      stores.push(store);
      return store;
    },
    async desk(): Promise<PgWorld> {
      const store = await openPostgresStore(await server.createDatabase());
      stores.push(store);
      return world(store);
    },
    async stop(): Promise<void> {
      for (const store of stores.splice(0)) await store.close();
      await server.stop();
    },
  };
}

async function world(store: PostgresStore): Promise<PgWorld> {
  const db = store.db;
  const t0 = Date.parse('2025-11-02T10:00:00+03:00');
  const [calendar] = await db
    .insert(pgSchema.businessCalendars)
    .values({ name: 'Moscow 9-18', timeZone: 'Europe/Moscow', week: workWeek(['09:00-18:00']) })
    .returning();
  const [company] = await db
    .insert(pgSchema.companies)
    .values({ name: 'Alpha LLC', createdAt: t0 })
    .returning();
  const [category] = await db
    .insert(pgSchema.categories)
    .values({ code: 'printer', nameRu: 'Принтер', nameEn: 'Printer' })
    .returning();
  if (!calendar || !company || !category) throw new Error('world not made');
  await db.insert(pgSchema.contracts).values({
    companyId: company.id,
    name: 'A business hours',
    startsAt: t0,
    calendarId: calendar.id,
    slaTargets: TARGETS,
    priorityMatrix: DEFAULT_PRIORITY_MATRIX,
  });
  let tg = 5000;
  const person = async (name: string, role: 'client' | 'line1', companyId: number | null) => {
    const [row] = await db
      .insert(pgSchema.people)
      .values({ name, telegramUserId: ++tg, createdAt: t0 })
      .returning();
    if (!row) throw new Error('person not made');
    await db.insert(pgSchema.memberships).values({ personId: row.id, role, companyId });
    return row.id;
  };
  const client = await person('Client A', 'client', company.id);
  const line1 = await person('Line One', 'line1', null);
  const clock = new ManualClock(Date.parse('2026-11-02T10:00:00+03:00'));
  const ctx = createContext(db as unknown as Db, clock);
  return {
    store,
    ctx,
    clock,
    companyId: company.id,
    category: category.id,
    client: await loadActor(ctx.db, client),
    line1: await loadActor(ctx.db, line1),
    ids: { client, line1 },
  };
}

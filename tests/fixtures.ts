// A small, fully known world for core tests: two client companies on different contracts and calendars
// (Moscow business hours with a holiday; 24/7), the categories, and one person of every role.

import { sql } from 'drizzle-orm';
import { loadActor } from '../core/actors.ts';
import { workWeek } from '../core/calendar/business-calendar.ts';
import { createContext, type DeskContext } from '../core/context.ts';
import { ManualClock, type Role } from '../core/model.ts';
import type { Actor } from '../core/permissions.ts';
import { DEFAULT_PRIORITY_MATRIX, type PriorityMatrix, type SlaTargets } from '../core/sla-policy.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { storeDialect } from '../db/dialect.ts';
import {
  businessCalendars,
  calendarExceptions,
  categories,
  companies,
  contracts,
  memberships,
  people,
} from '../db/schema.ts';
import { openTestStore } from './support/test-store.ts';

export const TARGETS_A: SlaTargets = {
  P1: { firstResponse: 15, resolution: 240 },
  P2: { firstResponse: 30, resolution: 480 },
  P3: { firstResponse: 60, resolution: 960 },
  P4: { firstResponse: 240, resolution: 2400 },
};
export const TARGETS_B: SlaTargets = {
  P1: { firstResponse: 10, resolution: 120 },
  P2: { firstResponse: 20, resolution: 240 },
  P3: { firstResponse: 60, resolution: 720 },
  P4: { firstResponse: 120, resolution: 1440 },
};
/** Company B counts a department as badly as the whole company. */
export const MATRIX_B: PriorityMatrix = {
  company: { high: 'P1', medium: 'P1', low: 'P2' },
  department: { high: 'P1', medium: 'P2', low: 'P3' },
  person: { high: 'P2', medium: 'P3', low: 'P4' },
};

export interface World {
  ctx: DeskContext;
  clock: ManualClock;
  companyA: number;
  companyB: number;
  category: { printer: number; network: number };
  /** Person ids. */
  ids: Record<PersonKey, number>;
  /** Actors loaded from the store. */
  as: Record<PersonKey, Actor>;
}

export type PersonKey =
  | 'clientA'
  | 'clientA2'
  | 'managerA'
  | 'clientB'
  | 'managerB'
  | 'line1'
  | 'line1b'
  | 'line2'
  | 'field'
  | 'supervisor'
  | 'admin'
  | 'stranger';

export interface WorldOptions {
  /** Calendar of company B: 24/7 (default) or Novosibirsk business hours. */
  companyBCalendar?: '24/7' | 'novosibirsk';
  start?: string;
}

export async function makeWorld(options: WorldOptions = {}): Promise<World> {
  const db = await openTestStore();
  const clock = new ManualClock(Date.parse(options.start ?? '2026-11-02T10:00:00+03:00'));
  const t0 = clock.now() - 86_400_000 * 365;

  const moscow = await queryOne(
    db
      .insert(businessCalendars)
      .values({ name: 'Moscow 9-18', timeZone: 'Europe/Moscow', week: workWeek(['09:00-18:00']) })
      .returning(),
  );
  await execute(
    db
      .insert(calendarExceptions)
      .values({ calendarId: moscow.id, date: '2026-11-04', name: 'Unity Day', hours: [] }),
  );
  const novosibirsk = await queryOne(
    db
      .insert(businessCalendars)
      .values({ name: 'Novosibirsk 9-18', timeZone: 'Asia/Novosibirsk', week: workWeek(['09:00-18:00']) })
      .returning(),
  );

  const companyA = (
    await queryOne(db.insert(companies).values({ name: 'Alpha LLC', createdAt: t0 }).returning())
  ).id;
  const companyB = (
    await queryOne(db.insert(companies).values({ name: 'Beta JSC', createdAt: t0 }).returning())
  ).id;
  await execute(
    db.insert(contracts).values([
      {
        companyId: companyA,
        name: 'A business hours',
        startsAt: t0,
        calendarId: moscow.id,
        slaTargets: TARGETS_A,
        priorityMatrix: DEFAULT_PRIORITY_MATRIX,
      },
      {
        companyId: companyB,
        name: 'B',
        startsAt: t0,
        calendarId: options.companyBCalendar === 'novosibirsk' ? novosibirsk.id : null,
        slaTargets: TARGETS_B,
        priorityMatrix: MATRIX_B,
      },
    ]),
  );
  const printer = (
    await queryOne(
      db.insert(categories).values({ code: 'printer', nameRu: 'Принтер', nameEn: 'Printer' }).returning(),
    )
  ).id;
  const network = (
    await queryOne(
      db.insert(categories).values({ code: 'network', nameRu: 'Сеть', nameEn: 'Network' }).returning(),
    )
  ).id;

  let tg = 1000;
  const person = async (name: string, role: Role | null, companyId: number | null) => {
    const id = (
      await queryOne(db.insert(people).values({ name, telegramUserId: ++tg, createdAt: t0 }).returning())
    ).id;
    if (role) await execute(db.insert(memberships).values({ personId: id, role, companyId }));
    return id;
  };
  const ids: Record<PersonKey, number> = {
    clientA: await person('Client A', 'client', companyA),
    clientA2: await person('Client A2', 'client', companyA),
    managerA: await person('Manager A', 'client_manager', companyA),
    clientB: await person('Client B', 'client', companyB),
    managerB: await person('Manager B', 'client_manager', companyB),
    line1: await person('Line One', 'line1', null),
    line1b: await person('Line One B', 'line1', null),
    line2: await person('Line Two', 'line2', null),
    field: await person('Field Engineer', 'field_engineer', null),
    supervisor: await person('Supervisor', 'supervisor', null),
    admin: await person('Admin', 'admin', null),
    stranger: await person('Stranger', null, null),
  };
  const as = {} as Record<PersonKey, Actor>;
  for (const [key, id] of Object.entries(ids) as [PersonKey, number][]) as[key] = await loadActor(db, id);
  return {
    ctx: createContext(db, clock),
    clock,
    companyA,
    companyB,
    category: { printer, network },
    ids,
    as,
  };
}

/** Row counts of the tables a change writes to. */
export async function counts(world: World) {
  const n = async (table: string) =>
    Number(
      ((await queryOne(world.ctx.db, sql.raw(`select count(*) as n from ${table}`))) as { n: number }).n,
    );
  return {
    tickets: await n('tickets'),
    events: await n('ticket_events'),
    outbox: await n('outbox'),
    comments: await n('comments'),
    attachments: await n('attachments'),
  };
}

export const at = (iso: string) => Date.parse(iso);

/**
 * Every row of every table of the store, as text: equal before and after means nothing was written. The
 * public pages' hit counts are left out: a refused attempt is still counted against its address.
 */
export async function storeSnapshot(db: Db): Promise<string> {
  const tables = (await queryAll(
    db,
    storeDialect() === 'postgres'
      ? sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`
      : sql`select name from sqlite_master where type = 'table' order by name`,
  )) as { name: string }[];
  const snapshot: [string, unknown][] = [];
  for (const { name } of tables) {
    if (name.includes('migrations') || name === 'public_hits') continue;
    snapshot.push([name, await queryAll(db, sql.raw(`select * from "${name}" order by 1`))]);
  }
  return JSON.stringify(snapshot);
}

/**
 * A mark that moves whenever the store is written. On SQLite the connection's count of changed rows, so a write
 * that was rolled back moves it too; PostgreSQL keeps no such count for a database, so there the whole store's
 * rows (a write undone leaves them as they were).
 */
export async function writeMark(db: Db): Promise<string> {
  if (storeDialect() === 'postgres') return storeSnapshot(db);
  return String(((await queryOne(db, sql`select total_changes() as n`)) as { n: number }).n);
}

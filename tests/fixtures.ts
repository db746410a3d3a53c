// A small, fully known world for core tests: two client companies on different contracts and calendars
// (Moscow business hours with a holiday; 24/7), the categories, and one person of every role.

import { workWeek } from '../core/calendar/business-calendar.ts';
import { createContext, type DeskContext } from '../core/context.ts';
import { ManualClock, type Role } from '../core/model.ts';
import type { Actor } from '../core/permissions.ts';
import { DEFAULT_PRIORITY_MATRIX, type PriorityMatrix, type SlaTargets } from '../core/sla-policy.ts';
import { statements } from '../core/statements.ts';
import { type Db, openDatabase } from '../db/connection.ts';
import {
  businessCalendars,
  calendarExceptions,
  categories,
  companies,
  contracts,
  memberships,
  people,
} from '../db/schema.ts';

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

export function makeWorld(options: WorldOptions = {}): World {
  const db = openDatabase(':memory:');
  const clock = new ManualClock(Date.parse(options.start ?? '2026-11-02T10:00:00+03:00'));
  const t0 = clock.now() - 86_400_000 * 365;

  const moscow = db
    .insert(businessCalendars)
    .values({ name: 'Moscow 9-18', timeZone: 'Europe/Moscow', week: workWeek(['09:00-18:00']) })
    .returning()
    .get();
  db.insert(calendarExceptions)
    .values({ calendarId: moscow.id, date: '2026-11-04', name: 'Unity Day', hours: [] })
    .run();
  const novosibirsk = db
    .insert(businessCalendars)
    .values({ name: 'Novosibirsk 9-18', timeZone: 'Asia/Novosibirsk', week: workWeek(['09:00-18:00']) })
    .returning()
    .get();

  const companyA = db.insert(companies).values({ name: 'Alpha LLC', createdAt: t0 }).returning().get().id;
  const companyB = db.insert(companies).values({ name: 'Beta JSC', createdAt: t0 }).returning().get().id;
  db.insert(contracts)
    .values([
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
    ])
    .run();
  const printer = db
    .insert(categories)
    .values({ code: 'printer', nameRu: 'Принтер', nameEn: 'Printer' })
    .returning()
    .get().id;
  const network = db
    .insert(categories)
    .values({ code: 'network', nameRu: 'Сеть', nameEn: 'Network' })
    .returning()
    .get().id;

  let tg = 1000;
  const person = (name: string, role: Role | null, companyId: number | null) => {
    const id = db.insert(people).values({ name, telegramUserId: ++tg, createdAt: t0 }).returning().get().id;
    if (role) db.insert(memberships).values({ personId: id, role, companyId }).run();
    return id;
  };
  const ids: Record<PersonKey, number> = {
    clientA: person('Client A', 'client', companyA),
    clientA2: person('Client A2', 'client', companyA),
    managerA: person('Manager A', 'client_manager', companyA),
    clientB: person('Client B', 'client', companyB),
    managerB: person('Manager B', 'client_manager', companyB),
    line1: person('Line One', 'line1', null),
    line1b: person('Line One B', 'line1', null),
    line2: person('Line Two', 'line2', null),
    field: person('Field Engineer', 'field_engineer', null),
    supervisor: person('Supervisor', 'supervisor', null),
    admin: person('Admin', 'admin', null),
    stranger: person('Stranger', null, null),
  };
  // As core's loadActor reads them, but at once: the world is made before anything else runs on its store,
  // so a plain read is what the awaited one would give, and makeWorld stays synchronous for its callers.
  const q = statements(db);
  const actor = (personId: number): Actor => ({
    kind: 'person',
    personId,
    memberships: q.membershipsOf.all({ personId }),
  });
  const as = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, actor(id)])) as Record<
    PersonKey,
    Actor
  >;
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
export function counts(world: World) {
  const c = world.ctx.db.$client;
  const n = (table: string) => (c.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return {
    tickets: n('tickets'),
    events: n('ticket_events'),
    outbox: n('outbox'),
    comments: n('comments'),
    attachments: n('attachments'),
  };
}

export const at = (iso: string) => Date.parse(iso);

/**
 * Every row of every table of the store, as text: equal before and after means nothing was written. The
 * public pages' hit counts are left out: a refused attempt is still counted against its address.
 */
export function storeSnapshot(db: Db): string {
  const c = db.$client;
  const tables = c
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like '%migrations%' and name <> 'public_hits'",
    )
    .all() as { name: string }[];
  return JSON.stringify(tables.map(({ name }) => [name, c.prepare(`select * from "${name}"`).all()]));
}

// Core on PostgreSQL, unchanged: the same functions that run the desk on SQLite file, move and comment on
// tickets on a real PostgreSQL through the routing store (db/pg/store.ts), the dialect chosen for this file
// alone (db/dialect.ts) before anything of the store is loaded. The first slice of the desk on PostgreSQL:
// what it covers runs here, each write in one transaction with its event and its notices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.ts';
import type { PostgresStore } from '../db/pg/store.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from './support/postgres.ts';

// Chosen before the store's modules load, and put back at once: only this file's modules see it.
process.env.TGDESK_STORE_DIALECT = 'postgres';
const { openPostgresStore } = await import('../db/pg/store.ts');
const pgSchema = await import('../db/pg/schema.ts');
const { createContext } = await import('../core/context.ts');
const { ManualClock } = await import('../core/model.ts');
const { loadActor } = await import('../core/actors.ts');
const { createTicket, fileTicket } = await import('../core/tickets/create.ts');
const { act } = await import('../core/tickets/act.ts');
const { addComment } = await import('../core/tickets/comment.ts');
const { DEFAULT_PRIORITY_MATRIX } = await import('../core/sla-policy.ts');
const { workWeek } = await import('../core/calendar/business-calendar.ts');
delete process.env.TGDESK_STORE_DIALECT;

const TARGETS = {
  P1: { firstResponse: 30, resolution: 240 },
  P2: { firstResponse: 60, resolution: 480 },
  P3: { firstResponse: 240, resolution: 1440 },
  P4: { firstResponse: 480, resolution: 2880 },
};

async function world(store: PostgresStore) {
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
  if (!calendar || !company) throw new Error('world not made');
  await db.insert(pgSchema.contracts).values({
    companyId: company.id,
    name: 'A business hours',
    startsAt: t0,
    calendarId: calendar.id,
    slaTargets: TARGETS,
    priorityMatrix: DEFAULT_PRIORITY_MATRIX,
  });
  const [category] = await db
    .insert(pgSchema.categories)
    .values({ code: 'printer', nameRu: 'Принтер', nameEn: 'Printer' })
    .returning();
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
    ctx,
    clock,
    category: category?.id ?? null,
    client: await loadActor(ctx.db, client),
    line1: await loadActor(ctx.db, line1),
    ids: { client, line1 },
  };
}

describe.skipIf(!postgresAvailable())('core on PostgreSQL', () => {
  let server: PostgresServer;
  const stores: PostgresStore[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const store of stores) await store.close();
    await server?.stop();
  });
  const freshStore = async () => {
    const store = await openPostgresStore(await server.createDatabase());
    stores.push(store);
    return store;
  };

  it('files a ticket with its event and notices, with SLA due times on the contract’s calendar', async () => {
    const store = await freshStore();
    const w = await world(store);
    const ticket = await createTicket(w.ctx, w.client, {
      channel: 'telegram',
      description: 'The printer prints blank pages',
      impact: 'person',
      urgency: 'medium',
      categoryId: w.category,
    });
    expect(ticket.number).toBe(1001);
    expect(ticket.status).toBe('new');
    expect(ticket.requesterId).toBe(w.ids.client);
    expect(ticket.firstResponseDueAt).toBeGreaterThan(w.clock.now());
    const events = await store.db.select().from(pgSchema.ticketEvents);
    expect(events.map((e) => [e.ticketId, e.type])).toEqual([[ticket.id, 'created']]);
    const notices = await store.db.select().from(pgSchema.outbox);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((n) => n.ticketId === ticket.id && n.state === 'pending')).toBe(true);
  });

  it('moves a ticket through triage, take and resolve, each change its row, event and version', async () => {
    const store = await freshStore();
    const w = await world(store);
    const ticket = await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'No network' });
    const triaged = await act(w.ctx, w.line1, ticket.id, {
      action: 'triage',
      impact: 'department',
      urgency: 'high',
    });
    expect(triaged.ticket.status).toBe('open');
    w.clock.advance(5 * 60_000);
    const taken = await act(w.ctx, w.line1, ticket.id, {
      action: 'take',
      expectedVersion: triaged.ticket.version,
    });
    expect(taken.ticket.assigneeId).toBe(w.ids.line1);
    expect(taken.ticket.status).toBe('in_progress');
    const { comment } = await addComment(w.ctx, w.line1, ticket.id, {
      body: 'Switch restarted, check please',
    });
    expect(comment.body).toBe('Switch restarted, check please');
    const resolved = await act(w.ctx, w.line1, ticket.id, {
      action: 'resolve',
      resolution: 'Switch replaced',
    });
    expect(resolved.ticket.status).toBe('resolved');
    expect(resolved.ticket.version).toBeGreaterThan(taken.ticket.version);
    const types = (await store.db.select().from(pgSchema.ticketEvents)).map((e) => e.type);
    expect(types).toEqual(['created', 'triage', 'take', 'comment', 'resolve']);
    // A press on a card drawn before the last change changes nothing.
    await expect(
      act(w.ctx, w.line1, ticket.id, {
        action: 'reopen',
        reason: 'x',
        expectedVersion: triaged.ticket.version,
      }),
    ).rejects.toThrow();
    expect((await store.db.select().from(pgSchema.tickets))[0]?.status).toBe('resolved');
  });

  it('files one ticket for one intake key, however often it is sent', async () => {
    const store = await freshStore();
    const w = await world(store);
    const input = { channel: 'telegram' as const, description: 'Mail is down', intakeKey: 'tg:1:abc' };
    const first = await fileTicket(w.ctx, w.client, input);
    const again = await fileTicket(w.ctx, w.client, input);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.ticket.id).toBe(first.ticket.id);
    expect(await store.db.$count(pgSchema.tickets)).toBe(1);
  });

  it('gives tickets filed at the same moment numbers of their own, in order', async () => {
    const store = await freshStore();
    const w = await world(store);
    const filed = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createTicket(w.ctx, w.client, { channel: 'telegram', description: `Request ${i}` }),
      ),
    );
    const numbers = filed.map((t) => t.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => 1001 + i));
  });
});

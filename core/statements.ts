// Prepared statements for the hot path (registering a ticket, queueing its notices). Drizzle builds and
// SQLite compiles these once per connection instead of on every call, which is most of the cost of a
// small write. better-sqlite3 has one connection, so they run inside whatever transaction is open on it.
import { and, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { categories, contracts, memberships, outbox, people, ticketEvents, tickets } from '../db/schema.ts';

const p = sql.placeholder;

function prepare(db: Db) {
  const inForce = and(
    lte(contracts.startsAt, p('at')),
    or(isNull(contracts.endsAt), gt(contracts.endsAt, p('at'))),
  );
  return {
    personExists: db
      .select({ id: people.id })
      .from(people)
      .where(eq(people.id, p('id')))
      .prepare(),
    clientCompanies: db
      .selectDistinct({ companyId: memberships.companyId })
      .from(memberships)
      .where(
        and(eq(memberships.personId, p('personId')), inArray(memberships.role, ['client', 'client_manager'])),
      )
      .prepare(),
    activeCategory: db
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.id, p('id')), eq(categories.active, true)))
      .prepare(),
    contractOfCompany: db
      .select({ id: contracts.id })
      .from(contracts)
      .where(and(eq(contracts.companyId, p('companyId')), inForce))
      .orderBy(desc(contracts.startsAt))
      .limit(1)
      .prepare(),
    contractWithoutCompany: db
      .select({ id: contracts.id })
      .from(contracts)
      .where(and(isNull(contracts.companyId), inForce))
      .orderBy(desc(contracts.startsAt))
      .limit(1)
      .prepare(),
    lastTicketNumber: db
      .select({ max: sql<number | null>`max(${tickets.number})` })
      .from(tickets)
      .prepare(),
    insertTicket: db
      .insert(tickets)
      .values({
        number: p('number'),
        channel: p('channel'),
        requesterId: p('requesterId'),
        companyId: p('companyId'),
        contractId: p('contractId'),
        categoryId: p('categoryId'),
        subject: p('subject'),
        description: p('description'),
        location: p('location'),
        impact: p('impact'),
        urgency: p('urgency'),
        priority: p('priority'),
        status: p('status'),
        line: p('line'),
        createdAt: p('createdAt'),
        updatedAt: p('createdAt'),
        firstResponseDueAt: p('firstResponseDueAt'),
        resolutionDueAt: p('resolutionDueAt'),
      })
      .returning()
      .prepare(),
    insertEvent: db
      .insert(ticketEvents)
      .values({
        ticketId: p('ticketId'),
        at: p('at'),
        actorId: p('actorId'),
        type: p('type'),
        fromStatus: p('fromStatus'),
        toStatus: p('toStatus'),
        internal: p('internal'),
        data: p('data'),
      })
      .returning({ id: ticketEvents.id })
      .prepare(),
    /** Everyone holding a role, with how to reach them. */
    peopleWithRole: db
      .selectDistinct({
        personId: people.id,
        telegramUserId: people.telegramUserId,
        email: people.email,
        unreachableAt: people.unreachableAt,
      })
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(eq(memberships.role, p('role')))
      .prepare(),
    contact: db
      .select({
        telegramUserId: people.telegramUserId,
        email: people.email,
        unreachableAt: people.unreachableAt,
      })
      .from(people)
      .where(eq(people.id, p('id')))
      .prepare(),
    insertNotice: db
      .insert(outbox)
      .values({
        createdAt: p('at'),
        ticketId: p('ticketId'),
        eventId: p('eventId'),
        recipientId: p('recipientId'),
        channel: p('channel'),
        kind: p('kind'),
        payload: p('payload'),
        idempotencyKey: p('idempotencyKey'),
        nextAttemptAt: p('at'),
      })
      .prepare(),
  };
}

export type Statements = ReturnType<typeof prepare>;

const byConnection = new WeakMap<Db, Statements>();

export function statements(db: Db): Statements {
  let s = byConnection.get(db);
  if (!s) {
    s = prepare(db);
    byConnection.set(db, s);
  }
  return s;
}

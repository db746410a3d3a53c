// Prepared statements for the hot path (registering a ticket, queueing its notices). Drizzle builds and
// SQLite compiles these once per connection instead of on every call, which is most of the cost of a
// small write. better-sqlite3 has one connection, so they run inside whatever transaction is open on it.
import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { execute } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { preparedFor } from '../db/prepared.ts';
import { categories, companies, memberships, outbox, people, ticketEvents, tickets } from '../db/schema.ts';
import { noteNoticeQueued } from './outbox.ts';
import { holdWithin } from './transaction.ts';

const p = sql.placeholder;

function prepare(db: Db) {
  return {
    /** One row per client company of the person (companyId null if none); no rows if no such person. */
    clientCompanies: db
      .selectDistinct({ companyId: memberships.companyId })
      .from(people)
      .leftJoin(
        memberships,
        and(eq(memberships.personId, people.id), inArray(memberships.role, ['client', 'client_manager'])),
      )
      .where(eq(people.id, p('personId')))
      .prepare(),
    activeCategory: db
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.id, p('id')), eq(categories.active, true)))
      .prepare(),
    /** The language of the person behind a Telegram account (the bot asks on every update). */
    languageByTelegram: db
      .select({ language: people.language })
      .from(people)
      .where(eq(people.telegramUserId, p('telegramUserId')))
      .prepare(),
    /** The ticket an intake key was filed as (a repeated delivery of the same request). */
    ticketByIntakeKey: db
      .select()
      .from(tickets)
      .where(eq(tickets.intakeKey, p('intakeKey')))
      .prepare(),
    lastTicketNumber: db
      .select({ max: sql<number | null>`max(${tickets.number})` })
      .from(tickets)
      .prepare(),
    /**
     * Every column but the id, so the caller's row object is exactly what is stored — except the two
     * SLA outcome flags: drizzle encodes a placeholder's null as 0 for a boolean column, and a new ticket
     * has no outcome yet, so they are left to their default (null).
     */
    insertTicket: db
      .insert(tickets)
      .values(
        Object.fromEntries(
          Object.keys(getTableColumns(tickets))
            .filter((column) => !['id', 'firstResponseMet', 'resolutionMet'].includes(column))
            .map((column) => [column, p(column)]),
        ) as unknown as typeof tickets.$inferInsert,
      )
      .returning({ id: tickets.id })
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
    /** Who is asking, on every bot update and API request. */
    personById: db
      .select()
      .from(people)
      .where(eq(people.id, p('id')))
      .prepare(),
    companyName: db
      .select({ name: companies.name })
      .from(companies)
      .where(eq(companies.id, p('id')))
      .prepare(),
    personByTelegram: db
      .select()
      .from(people)
      .where(eq(people.telegramUserId, p('telegramUserId')))
      .prepare(),
    membershipsOf: db
      .select({ role: memberships.role, companyId: memberships.companyId })
      .from(memberships)
      .where(eq(memberships.personId, p('personId')))
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
    insertNotice: countingNotices(
      db,
      db
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
          // Due at once, whatever clock the notifier keeps.
          nextAttemptAt: 0,
        })
        .prepare(),
    ),
  };
}

/**
 * Every notice written counts, so the bot's notifier knows to look (core/outbox.ts).
 *
 * On PostgreSQL, notices are written one transaction at a time from the first notice to the commit: an outbox
 * id is taken from a sequence when the row is written, and the claim hands out a recipient's lowest unsent id,
 * so a later id committed first by another instance would go out before an earlier one still uncommitted.
 */
function countingNotices<Q extends { run(values: Record<string, unknown>): unknown }>(db: Db, query: Q) {
  return {
    async run(values: Record<string, unknown>): Promise<void> {
      await holdWithin(db, 'outbox-order');
      await execute(query, values);
      noteNoticeQueued();
    },
  };
}

export type Statements = ReturnType<typeof prepare>;

const byConnection = new WeakMap<object, Statements>();

export function statements(db: Db): Statements {
  return preparedFor(byConnection, db, prepare);
}

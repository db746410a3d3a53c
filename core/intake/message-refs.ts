// Which ticket a message in some channel is about, so that a reply to it lands there: the bot's messages in
// a chat, the mails we sent and received. One table for every channel; the latest row for a reference wins.
import type { Statement } from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { isPostgresStore } from '../../db/pg/store.ts';
import { preparedFor } from '../../db/prepared.ts';
import {
  type MessageRefChannel,
  type MessageRefRow,
  messageRefs,
  type PromptPurpose,
} from '../../db/schema.ts';

export interface RefLink {
  ticketId: number;
  direction?: 'in' | 'out';
  purpose?: PromptPurpose | null;
  personId?: number | null;
}

/** Links a message to a ticket; a reference used before now points at this ticket only. */
export async function rememberRef(
  db: Db,
  channel: MessageRefChannel,
  ref: string,
  link: RefLink,
  at: number,
): Promise<void> {
  if (isPostgresStore(db)) {
    await execute(preparedFor(postgresUpserts, db, preparePostgres).upsert, {
      channel,
      ref,
      ticketId: link.ticketId,
      direction: link.direction ?? 'out',
      purpose: link.purpose ?? null,
      personId: link.personId ?? null,
      at,
    });
    return;
  }
  await execute(
    upsertOf(db),
    channel,
    ref,
    link.ticketId,
    link.direction ?? 'out',
    link.purpose ?? null,
    link.personId ?? null,
    at,
  );
}

type RefValues = [
  MessageRefChannel,
  string,
  number,
  'in' | 'out',
  PromptPurpose | null,
  number | null,
  number,
];
const upserts = new WeakMap<Db, Statement<RefValues>>();

/** Every message the bot sends is remembered: prepared once per connection. */
function upsertOf(db: Db): Statement<RefValues> {
  let upsert = upserts.get(db);
  if (!upsert) {
    upsert = db.$client.prepare<RefValues>(
      `insert into message_refs (channel, ref, ticket_id, direction, purpose, person_id, created_at)
       values (?, ?, ?, ?, ?, ?, ?)
       on conflict (channel, ref) do update set ticket_id = excluded.ticket_id, direction = excluded.direction,
         purpose = excluded.purpose, person_id = excluded.person_id, created_at = excluded.created_at`,
    );
    upserts.set(db, upsert);
  }
  return upsert;
}

const p = sql.placeholder;

/** PostgreSQL: the same upsert, one statement (the latest wins however many instances write it). */
function preparePostgres(db: Db) {
  return {
    upsert: db
      .insert(messageRefs)
      .values({
        channel: p('channel'),
        ref: p('ref'),
        ticketId: p('ticketId'),
        direction: p('direction'),
        purpose: p('purpose'),
        personId: p('personId'),
        createdAt: p('at'),
      })
      .onConflictDoUpdate({
        target: [messageRefs.channel, messageRefs.ref],
        set: {
          ticketId: sql`excluded.ticket_id`,
          direction: sql`excluded.direction`,
          purpose: sql`excluded.purpose`,
          personId: sql`excluded.person_id`,
          createdAt: sql`excluded.created_at`,
        },
      })
      .prepare(),
  };
}

const postgresUpserts = new WeakMap<object, ReturnType<typeof preparePostgres>>();

export async function refOf(
  db: Db,
  channel: MessageRefChannel,
  ref: string,
): Promise<MessageRefRow | undefined> {
  return await queryOne(
    db
      .select()
      .from(messageRefs)
      .where(and(eq(messageRefs.channel, channel), eq(messageRefs.ref, ref))),
  );
}

/** The ticket of the first of these references that has one (the most specific first). */
export async function ticketOfRefs(
  db: Db,
  channel: MessageRefChannel,
  refs: readonly string[],
): Promise<number | undefined> {
  for (const ref of refs) {
    const found = await refOf(db, channel, ref);
    if (found) return found.ticketId;
  }
  return undefined;
}

/** A staff prompt was answered: the same message does not act twice. */
export async function clearRefPurpose(db: Db, channel: MessageRefChannel, ref: string): Promise<void> {
  await execute(
    db
      .update(messageRefs)
      .set({ purpose: null, personId: null })
      .where(and(eq(messageRefs.channel, channel), eq(messageRefs.ref, ref))),
  );
}

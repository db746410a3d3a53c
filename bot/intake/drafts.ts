// The guided intakes under way, one per private chat, in the store: a restart goes on where the person is.
// Read and written on every update of a chat in the intake, so plain statements prepared once.

import { eq, sql } from 'drizzle-orm';
import type { Impact, Urgency } from '../../core/model.ts';
import { inTransaction } from '../../core/transaction.ts';
import { execute, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { isPostgresStore } from '../../db/pg/store.ts';
import { preparedFor } from '../../db/prepared.ts';
import { intakeDrafts as draftsTable, tickets } from '../../db/schema.ts';
import type { TelegramAttachment } from '../attachments.ts';
import { handledUpdates } from '../handled-updates.ts';

/** The questions in the order they are asked; `summary` offers Send / Edit / Cancel, `edit` the fields. */
export type IntakeStep = 'category' | 'description' | 'impact' | 'urgency' | 'location' | 'summary' | 'edit';

export interface IntakeDraft {
  chatId: number;
  ownerId: number;
  intakeKey: string;
  step: IntakeStep;
  /**
   * The bot's messages of this step whose buttons answer it: the question, and each time it was asked
   * again. A press on a newer bot message is a question lost in a crash (see steps.ts).
   */
  prompts: number[];
  /** A field of the summary is being changed: its step leads back to the summary. */
  editing: boolean;
  categoryId: number | null;
  /** In the person's language, as they picked it. */
  categoryName: string;
  parts: string[];
  files: TelegramAttachment[];
  impact: Impact | null;
  urgency: Urgency | null;
  location: string | null;
}

type Filled = Omit<IntakeDraft, 'chatId' | 'ownerId' | 'intakeKey' | 'step'>;

interface DraftRow {
  chat_id: number;
  owner_id: number;
  intake_key: string;
  step: string;
  draft: string;
}

export interface IntakeDrafts {
  load(chatId: number): Promise<IntakeDraft | undefined>;
  /** Writes the draft and, in the same transaction, that the update which moved it was handled. */
  save(draft: IntakeDraft, at: number, updateId: number): Promise<void>;
  remove(chatId: number, at: number, updateId: number): Promise<void>;
  /** The number of the ticket filed with this key, if any (a crash may have hidden it from the person). */
  filedAs(intakeKey: string): Promise<number | undefined>;
}

const cache = new WeakMap<Db, IntakeDrafts>();

export function intakeDrafts(db: Db): IntakeDrafts {
  const known = cache.get(db);
  if (known) return known;
  if (isPostgresStore(db)) {
    const drafts = postgresDrafts(db);
    cache.set(db, drafts);
    return drafts;
  }
  const sqlite = db.$client;
  const read = sqlite.prepare<[number], DraftRow>(
    'select chat_id, owner_id, intake_key, step, draft from intake_drafts where chat_id = ?',
  );
  const write = sqlite.prepare<[number, number, string, string, string, number]>(
    `insert into intake_drafts (chat_id, owner_id, intake_key, step, draft, updated_at) values (?, ?, ?, ?, ?, ?)
     on conflict (chat_id) do update set owner_id = excluded.owner_id, intake_key = excluded.intake_key,
       step = excluded.step, draft = excluded.draft, updated_at = excluded.updated_at`,
  );
  const remove = sqlite.prepare<[number]>('delete from intake_drafts where chat_id = ?');
  const handled = handledUpdates(db);
  const saveHandled = (draft: IntakeDraft, at: number, updateId: number) =>
    inTransaction(db, async () => {
      const { chatId, ownerId, intakeKey, step, ...filled } = draft;
      await execute(write, chatId, ownerId, intakeKey, step, JSON.stringify(filled), at);
      await handled.record(updateId, at);
    });
  const removeHandled = (chatId: number, at: number, updateId: number) =>
    inTransaction(db, async () => {
      await execute(remove, chatId);
      await handled.record(updateId, at);
    });
  const filed = sqlite.prepare<[string], number>('select number from tickets where intake_key = ?').pluck();
  const drafts: IntakeDrafts = {
    load: async (chatId) => draftOf(await queryOne(read, chatId)),
    save: (draft, at, updateId) => saveHandled(draft, at, updateId),
    remove: (chatId, at, updateId) => removeHandled(chatId, at, updateId),
    filedAs: async (intakeKey) => await queryOne(filed, intakeKey),
  };
  cache.set(db, drafts);
  return drafts;
}

function draftOf(row: DraftRow | undefined): IntakeDraft | undefined {
  if (!row) return undefined;
  const filled = JSON.parse(row.draft) as Filled;
  return {
    ...filled,
    chatId: row.chat_id,
    ownerId: row.owner_id,
    intakeKey: row.intake_key,
    step: row.step as IntakeStep,
  };
}

const p = sql.placeholder;

/** PostgreSQL: the same queries, prepared per connection or transaction (db/prepared.ts). */
function preparePostgres(db: Db) {
  const t = draftsTable;
  return {
    read: db
      .select({
        chat_id: t.chatId,
        owner_id: t.ownerId,
        intake_key: t.intakeKey,
        step: t.step,
        draft: t.draft,
      })
      .from(t)
      .where(eq(t.chatId, p('chatId')))
      .prepare(),
    write: db
      .insert(t)
      .values({
        chatId: p('chatId'),
        ownerId: p('ownerId'),
        intakeKey: p('intakeKey'),
        step: p('step'),
        draft: p('draft'),
        updatedAt: p('at'),
      })
      .onConflictDoUpdate({
        target: t.chatId,
        set: {
          ownerId: sql`excluded.owner_id`,
          intakeKey: sql`excluded.intake_key`,
          step: sql`excluded.step`,
          draft: sql`excluded.draft`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .prepare(),
    remove: db
      .delete(t)
      .where(eq(t.chatId, p('chatId')))
      .prepare(),
    filed: db
      .select({ number: tickets.number })
      .from(tickets)
      .where(eq(tickets.intakeKey, p('intakeKey')))
      .prepare(),
  };
}

const postgresStatements = new WeakMap<object, ReturnType<typeof preparePostgres>>();

/**
 * PostgreSQL: the draft and its update's record in one transaction, as on SQLite; the record does nothing
 * when another instance recorded the update first, and the draft's upsert is one statement.
 */
function postgresDrafts(db: Db): IntakeDrafts {
  const q = preparedFor(postgresStatements, db, preparePostgres);
  const handled = handledUpdates(db);
  return {
    load: async (chatId) => draftOf(await queryOne(q.read, { chatId })),
    save: (draft, at, updateId) =>
      inTransaction(db, async () => {
        const { chatId, ownerId, intakeKey, step, ...filled } = draft;
        await execute(q.write, { chatId, ownerId, intakeKey, step, draft: JSON.stringify(filled), at });
        await handled.record(updateId, at);
      }),
    remove: (chatId, at, updateId) =>
      inTransaction(db, async () => {
        await execute(q.remove, { chatId });
        await handled.record(updateId, at);
      }),
    filedAs: async (intakeKey) => (await queryOne(q.filed, { intakeKey }))?.number,
  };
}

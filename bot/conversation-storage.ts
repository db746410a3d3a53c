// Conversation state in SQLite, so a guided intake survives a restart. Bump the version whenever a
// conversation's code changes: states written by older code are then dropped instead of replayed wrongly.
//
// It is read and written on every update of a chat in a conversation, so: plain prepared statements, and
// the state last written for a chat is kept in memory and handed back at its next read instead of being
// parsed again (the plugin mutates what it reads, so a read takes it out: a failed write leaves nothing
// stale behind, and the next read goes to the store). The store is still written on every update, at the
// same moment as before (after the whole update), so a restart finds exactly what it found before.
//
// The plugin keeps every update and every Bot API answer of a conversation, and most of that is the bot's
// own messages repeated: their text and buttons, inside each answer to sendMessage and editMessageText and
// again inside each button press. Conversations only use such a message's id and chat, so those copies are
// kept without text, entities and buttons (a person's own messages are kept whole). The state held in
// memory is the same compacted one, so a replay goes alike from memory or after a restart.
import type { ConversationKeyStorage, VersionedState } from '@grammyjs/conversations';
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'grammy';
import { execute, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { isPostgresStore } from '../db/pg/store.ts';
import { preparedFor } from '../db/prepared.ts';
import { conversationState } from '../db/schema.ts';

export const CONVERSATION_VERSION = 4;

/** States kept in memory at most: the chats in a conversation now, the oldest forgotten first. */
const KEPT = 5_000;

/** The three statements of the store: SQLite's prepared once; PostgreSQL's per connection or transaction. */
interface StateStatements {
  read(key: string): Promise<{ value: string } | undefined>;
  write(key: string, value: string, at: number): Promise<void>;
  remove(key: string): Promise<void>;
}

function sqliteStatements(db: Db): StateStatements {
  const sqlite = db.$client;
  const read = sqlite.prepare<[string], { value: string }>(
    'select value from conversation_state where key = ?',
  );
  const write = sqlite.prepare<[string, string, number]>(
    `insert into conversation_state (key, value, updated_at) values (?, ?, ?)
     on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
  );
  const remove = sqlite.prepare<[string]>('delete from conversation_state where key = ?');
  return {
    read: async (key) => await queryOne(read, key),
    write: async (key, value, at) => {
      await execute(write, key, value, at);
    },
    remove: async (key) => {
      await execute(remove, key);
    },
  };
}

const p = sql.placeholder;

function preparePostgres(db: Db) {
  const t = conversationState;
  return {
    read: db
      .select({ value: t.value })
      .from(t)
      .where(eq(t.key, p('key')))
      .prepare(),
    write: db
      .insert(t)
      .values({ key: p('key'), value: p('value'), updatedAt: p('at') })
      .onConflictDoUpdate({
        target: t.key,
        set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` },
      })
      .prepare(),
    remove: db
      .delete(t)
      .where(eq(t.key, p('key')))
      .prepare(),
  };
}

const postgresPrepared = new WeakMap<object, ReturnType<typeof preparePostgres>>();

function postgresStatements(db: Db): StateStatements {
  const q = preparedFor(postgresPrepared, db, preparePostgres);
  return {
    read: async (key) => await queryOne(q.read, { key }),
    write: async (key, value, at) => {
      await execute(q.write, { key, value, at });
    },
    remove: async (key) => {
      await execute(q.remove, { key });
    },
  };
}

export function conversationStorage<C extends Context, S>(db: Db): ConversationKeyStorage<C, S> {
  const store = isPostgresStore(db) ? postgresStatements(db) : sqliteStatements(db);
  const kept = new Map<string, VersionedState<S>>();
  return {
    type: 'key',
    version: CONVERSATION_VERSION,
    getStorageKey: (ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId)),
    adapter: {
      async read(key) {
        const state = kept.get(key);
        if (state !== undefined) {
          kept.delete(key);
          return state;
        }
        const row = await store.read(key);
        return row ? (JSON.parse(row.value) as VersionedState<S>) : undefined;
      },
      async write(key, state) {
        kept.delete(key);
        compact(state);
        await store.write(key, JSON.stringify(state), Date.now());
        kept.set(key, state);
        if (kept.size > KEPT) {
          const oldest = kept.keys().next();
          if (!oldest.done) kept.delete(oldest.value);
        }
      },
      async delete(key) {
        kept.delete(key);
        await store.remove(key);
      },
    },
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A message the bot sent, without what conversations never read back (a new object; the old is shared). */
function botMessageShell(message: unknown): unknown {
  if (!isObject(message) || !isObject(message.from) || message.from.is_bot !== true) return message;
  if (!('text' in message || 'entities' in message || 'reply_markup' in message)) return message;
  const { text: _text, entities: _entities, reply_markup: _markup, ...shell } = message;
  return shell;
}

/** Replaces, in the plugin's replay logs, the bot's own messages by their shells. */
function compact(state: unknown): void {
  if (!isObject(state) || !isObject(state.state)) return;
  for (const instances of Object.values(state.state)) {
    if (!Array.isArray(instances)) continue;
    for (const instance of instances) {
      const receive = isObject(instance) && isObject(instance.replay) ? instance.replay.receive : undefined;
      if (!Array.isArray(receive)) continue;
      for (const entry of receive) {
        if (!isObject(entry) || !isObject(entry.returnValue)) continue;
        const value = entry.returnValue;
        // A button press under one of the bot's messages.
        if (isObject(value.callback_query) && 'message' in value.callback_query) {
          const message = botMessageShell(value.callback_query.message);
          if (message !== value.callback_query.message) {
            entry.returnValue = { ...value, callback_query: { ...value.callback_query, message } };
          }
          continue;
        }
        // The Bot API's answer to a call: { ok, res: { ok, result } }.
        if (isObject(value.res) && isObject(value.res.result)) {
          const result = botMessageShell(value.res.result);
          if (result !== value.res.result) entry.returnValue = { ...value, res: { ...value.res, result } };
        }
      }
    }
  }
}

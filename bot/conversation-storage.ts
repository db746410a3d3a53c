// Conversation state in SQLite, so a guided intake survives a restart. Bump the version whenever a
// conversation's code changes: states written by older code are then dropped instead of replayed wrongly.
//
// It is read and written on every update of a chat in a conversation, so: plain prepared statements, and
// the state last written for a chat is kept in memory and handed back at its next read instead of being
// parsed again (the plugin mutates what it reads, so a read takes it out: a failed write leaves nothing
// stale behind, and the next read goes to the store). The store is still written on every update, at the
// same moment as before (after the whole update), so a restart finds exactly what it found before.
import type { ConversationKeyStorage, VersionedState } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { Db } from '../db/connection.ts';

export const CONVERSATION_VERSION = 3;

/** States kept in memory at most: the chats in a conversation now, the oldest forgotten first. */
const KEPT = 5_000;

export function conversationStorage<C extends Context, S>(db: Db): ConversationKeyStorage<C, S> {
  const sqlite = db.$client;
  const read = sqlite.prepare<[string], { value: string }>(
    'select value from conversation_state where key = ?',
  );
  const write = sqlite.prepare<[string, string, number]>(
    `insert into conversation_state (key, value, updated_at) values (?, ?, ?)
     on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
  );
  const remove = sqlite.prepare<[string]>('delete from conversation_state where key = ?');
  const kept = new Map<string, VersionedState<S>>();
  return {
    type: 'key',
    version: CONVERSATION_VERSION,
    getStorageKey: (ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId)),
    adapter: {
      read(key) {
        const state = kept.get(key);
        if (state !== undefined) {
          kept.delete(key);
          return state;
        }
        const row = read.get(key);
        return row ? (JSON.parse(row.value) as VersionedState<S>) : undefined;
      },
      write(key, state) {
        kept.delete(key);
        write.run(key, JSON.stringify(state), Date.now());
        kept.set(key, state);
        if (kept.size > KEPT) {
          const oldest = kept.keys().next();
          if (!oldest.done) kept.delete(oldest.value);
        }
      },
      delete(key) {
        kept.delete(key);
        remove.run(key);
      },
    },
  };
}

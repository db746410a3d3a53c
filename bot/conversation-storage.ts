// Conversation state in SQLite, so a guided intake survives a restart. Bump the version whenever a
// conversation's code changes: states written by older code are then dropped instead of replayed wrongly.
import type { ConversationKeyStorage, VersionedState } from '@grammyjs/conversations';
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'grammy';
import type { Db } from '../db/connection.ts';
import { conversationState } from '../db/schema.ts';

export const CONVERSATION_VERSION = 3;

export function conversationStorage<C extends Context, S>(db: Db): ConversationKeyStorage<C, S> {
  // Prepared once: they run on every update of every chat.
  const read = db
    .select({ value: conversationState.value })
    .from(conversationState)
    .where(eq(conversationState.key, sql.placeholder('key')))
    .prepare();
  const write = db
    .insert(conversationState)
    .values({
      key: sql.placeholder('key'),
      value: sql.placeholder('value'),
      updatedAt: sql.placeholder('at'),
    })
    .onConflictDoUpdate({
      target: conversationState.key,
      set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` },
    })
    .prepare();
  const remove = db
    .delete(conversationState)
    .where(eq(conversationState.key, sql.placeholder('key')))
    .prepare();
  return {
    type: 'key',
    version: CONVERSATION_VERSION,
    getStorageKey: (ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId)),
    adapter: {
      read(key) {
        const row = read.get({ key });
        return row ? (JSON.parse(row.value) as VersionedState<S>) : undefined;
      },
      write(key, state) {
        write.run({ key, value: JSON.stringify(state), at: Date.now() });
      },
      delete(key) {
        remove.run({ key });
      },
    },
  };
}

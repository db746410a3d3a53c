// Conversation state in SQLite, so a guided intake survives a restart. Bump the version whenever a
// conversation's code changes: states written by older code are then dropped instead of replayed wrongly.
import type { ConversationKeyStorage, VersionedState } from '@grammyjs/conversations';
import { eq } from 'drizzle-orm';
import type { Context } from 'grammy';
import type { Db } from '../db/connection.ts';
import { conversationState } from '../db/schema.ts';

export const CONVERSATION_VERSION = 1;

export function conversationStorage<C extends Context, S>(db: Db): ConversationKeyStorage<C, S> {
  return {
    type: 'key',
    version: CONVERSATION_VERSION,
    getStorageKey: (ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId)),
    adapter: {
      read(key) {
        const row = db.select().from(conversationState).where(eq(conversationState.key, key)).get();
        return row ? (JSON.parse(row.value) as VersionedState<S>) : undefined;
      },
      write(key, state) {
        const value = JSON.stringify(state);
        const updatedAt = Date.now();
        db.insert(conversationState)
          .values({ key, value, updatedAt })
          .onConflictDoUpdate({ target: conversationState.key, set: { value, updatedAt } })
          .run();
      },
      delete(key) {
        db.delete(conversationState).where(eq(conversationState.key, key)).run();
      },
    },
  };
}

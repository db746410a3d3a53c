// What the store knows of the sandbox's chats from the runs before this one. The emulator keeps chats in
// memory only, so a restart empties them; the page then says so at the top of a chat the person had used
// instead of showing it as new. Known from two things: the chats the sandbox saw messages in (a desk
// setting it keeps), and the bot's messages the store linked to tickets in that chat.
import { nextLinkedMessageIds } from '../bot/message-links.ts';
import { readSetting, writeSetting } from '../core/settings.ts';
import type { Db } from '../db/connection.ts';

const KEY = 'sandbox_chats';
/** The newest chats remembered; strangers made up in the page come and go. */
const MAX_CHATS = 500;

export interface ChatHistory {
  /** Whether this chat had messages before this run of the sandbox. */
  had(chatId: number): boolean;
  /** This chat has messages now (called once per chat and run). */
  remember(chatId: number): Promise<void>;
}

export async function storeChatHistory(db: Db, now: () => number = Date.now): Promise<ChatHistory> {
  const stored = await readSetting(db, KEY);
  const chats: number[] = stored ? (JSON.parse(stored) as number[]) : [];
  const before = new Set(chats);
  const linked = await nextLinkedMessageIds(db);
  return {
    had: (chatId) => before.has(chatId) || linked.has(chatId),
    async remember(chatId) {
      if (chats.includes(chatId)) return;
      chats.push(chatId);
      await writeSetting(db, KEY, JSON.stringify(chats.slice(-MAX_CHATS)), now());
    },
  };
}

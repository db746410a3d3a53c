// Text staff must type (the question for the client, the resolution, an escalation reason, a reply or an
// internal note) is asked with a force-reply message addressed to the person who pressed the button. The
// prompt is remembered with its purpose, so the answer works in a group topic and in a private chat alike,
// survives a restart, and is accepted only from that person.
import type { Context } from 'grammy';
import { refOf, rememberRef } from '../../core/intake/message-refs.ts';
import type { Db } from '../../db/connection.ts';
import type { PromptPurpose, TicketRow } from '../../db/schema.ts';
import type { Translate } from '../../locales/index.ts';
import { telegramRef } from '../message-links.ts';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface PendingPrompt {
  ticketId: number;
  purpose: PromptPurpose;
  personId: number;
}

export async function askStaff(
  db: Db,
  ctx: Context,
  t: Translate,
  ticket: TicketRow,
  purpose: PromptPurpose,
  person: { id: number; telegramUserId: number; name: string },
  at: number,
): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  const message = ctx.callbackQuery?.message;
  const threadId = message && 'is_topic_message' in message && message.is_topic_message;
  const sent = await ctx.api.sendMessage(
    chatId,
    t(`staff-prompt-${purpose}`, {
      number: String(ticket.number),
      name: `<a href="tg://user?id=${person.telegramUserId}">${escapeHtml(person.name)}</a>`,
    }),
    {
      parse_mode: 'HTML',
      ...(threadId && message?.message_thread_id ? { message_thread_id: message.message_thread_id } : {}),
      reply_markup: {
        force_reply: true,
        selective: true,
        input_field_placeholder: t(`staff-prompt-${purpose}-placeholder`),
      },
    },
  );
  // The latest message with this id wins (see bot/message-links.ts).
  await rememberRef(
    db,
    'telegram',
    telegramRef(chatId, sent.message_id),
    { ticketId: ticket.id, purpose, personId: person.id },
    at,
  );
}

export async function promptOf(
  store: Db,
  chatId: number,
  messageId: number,
): Promise<PendingPrompt | undefined> {
  const row = await refOf(store, 'telegram', telegramRef(chatId, messageId));
  if (!row?.purpose || row.personId === null) return undefined;
  return { ticketId: row.ticketId, purpose: row.purpose, personId: row.personId };
}

// Keeps the staff group in step with the store, one outbox row (one ticket event) at a time: opens the
// ticket's forum topic with its card pinned on the first event, renames the topic when priority or status
// change, edits the card, posts what happened (the client's messages with their files, other people's
// notes and moves), and closes or reopens the topic with the ticket. Steps are ordered so that a retry
// after a failure repeats at most the last post: the topic is recorded the moment it exists.
import { and, eq } from 'drizzle-orm';
import { type Api, GrammyError } from 'grammy';
import type { DeskContext } from '../../core/context.ts';
import { isFinalStatus } from '../../core/lifecycle.ts';
import type { StaffGroup } from '../../core/settings.ts';
import { queryAll, queryOne } from '../../db/access.ts';
import {
  attachments,
  type OutboxRow,
  people,
  type TicketRow,
  ticketEvents,
  tickets,
} from '../../db/schema.ts';
import { type Translate, translator } from '../../locales/index.ts';
import { rememberMessage } from '../message-links.ts';
import { eventLine } from '../notices.ts';
import { renderCard } from './card.ts';
import { saveTopic, topicOfTicket, updateTopic } from './topic-store.ts';

const TITLE_MAX = 128;

const STATUS_MARK: Partial<Record<TicketRow['status'], string>> = {
  new: '🆕 ',
  waiting_for_customer: '⏸ ',
  resolved: '✅ ',
  closed: '🔒 ',
  cancelled: '✖️ ',
};

export function topicTitle(t: Translate, ticket: TicketRow): string {
  const title = t('staff-topic-title', {
    mark: STATUS_MARK[ticket.status] ?? '',
    number: String(ticket.number),
    priority: ticket.priority,
    subject: ticket.subject,
  });
  return [...title].length > TITLE_MAX ? `${[...title].slice(0, TITLE_MAX - 1).join('')}…` : title;
}

/** Wraps each call that puts a message in the group, so it is counted against the group's limits. */
export type GroupSend = <T>(call: () => Promise<T>) => Promise<T>;

export async function syncTopic(
  desk: DeskContext,
  api: Api,
  group: StaffGroup,
  row: OutboxRow,
  send: GroupSend,
): Promise<void> {
  if (row.ticketId === null) return;
  const ticket = await queryOne(desk.db.select().from(tickets).where(eq(tickets.id, row.ticketId)));
  if (!ticket) return;
  const chatId = group.chatId;
  const t = translator(group.language);
  const event =
    row.eventId === null
      ? undefined
      : await queryOne(desk.db.select().from(ticketEvents).where(eq(ticketEvents.id, row.eventId)));
  const data = event?.data ?? {};
  const final = isFinalStatus(ticket.status);
  const card = await renderCard(desk, t, group.language, ticket, { personId: null });
  const now = () => desk.clock.now();

  let topic = await topicOfTicket(desk.db, ticket.id);
  // A ticket that was already over when the group was set up gets no topic.
  if (!topic && final) return;
  if (!topic) {
    const title = topicTitle(t, ticket);
    const created = await send(() => api.createForumTopic(chatId, title));
    topic = {
      ticketId: ticket.id,
      chatId,
      threadId: created.message_thread_id,
      cardMessageId: null,
      title,
      closed: false,
      createdAt: now(),
    };
    await saveTopic(desk.db, topic);
  }
  const threadId = topic.threadId;
  if (topic.closed && !final) {
    await api.reopenForumTopic(chatId, threadId);
    await updateTopic(desk.db, ticket.id, { closed: false });
  }
  if (topic.cardMessageId === null) {
    const sent = await send(() =>
      api.sendMessage(chatId, card.text, { message_thread_id: threadId, reply_markup: card.keyboard }),
    );
    await updateTopic(desk.db, ticket.id, { cardMessageId: sent.message_id });
    await rememberMessage(desk.db, chatId, sent.message_id, ticket.id, now());
    await api.pinChatMessage(chatId, sent.message_id, { disable_notification: true });
  } else {
    const title = topicTitle(t, ticket);
    if (title !== topic.title) {
      await api.editForumTopic(chatId, threadId, { name: title });
      await updateTopic(desk.db, ticket.id, { title });
    }
    await unlessUnchanged(
      api.editMessageText(chatId, topic.cardMessageId, card.text, { reply_markup: card.keyboard }),
    );
  }

  // What happened, unless it was written in this topic in the first place.
  const type = event?.type ?? '';
  const inTopic = data.via === 'staff_group';
  const author =
    event?.actorId == null
      ? ''
      : ((
          await queryOne(
            desk.db.select({ name: people.name }).from(people).where(eq(people.id, event.actorId)),
          )
        )?.name ?? '');
  const files = (
    await queryAll(
      desk.db
        .select()
        .from(attachments)
        .where(
          type === 'created'
            ? and(eq(attachments.ticketId, ticket.id))
            : and(
                eq(attachments.ticketId, ticket.id),
                eq(attachments.commentId, Number(data.commentId ?? 0)),
              ),
        ),
    )
  ).filter((a) => a.telegramFileId !== null && (type === 'created' ? a.commentId === null : true));
  if (!inTopic && type !== 'created') {
    const text =
      type === 'comment' || type === 'internal_note'
        ? t(type === 'comment' ? 'staff-topic-comment' : 'staff-topic-note', {
            author,
            body: String(data.body ?? ''),
          })
        : t('staff-topic-event', {
            line: await eventLine(desk, t, row),
            author: author ? ` · ${author}` : '',
          });
    const sent = await send(() => api.sendMessage(chatId, text, { message_thread_id: threadId }));
    await rememberMessage(desk.db, chatId, sent.message_id, ticket.id, now());
  }
  if (!inTopic) {
    for (const file of files) {
      const options = { message_thread_id: threadId };
      const id = file.telegramFileId as string;
      if (file.kind === 'photo') await send(() => api.sendPhoto(chatId, id, options));
      else if (file.kind === 'voice') await send(() => api.sendVoice(chatId, id, options));
      else await send(() => api.sendDocument(chatId, id, options));
    }
  }
  if (final && !topic.closed) {
    await api.closeForumTopic(chatId, threadId);
    await updateTopic(desk.db, ticket.id, { closed: true });
  }
}

async function unlessUnchanged(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GrammyError && error.description.includes('message is not modified')) return;
    throw error;
  }
}

/** Telegram's answers when the topic was deleted by a person: the next attempt opens a new one. */
export function topicGone(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(error.description)
  );
}

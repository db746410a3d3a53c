// The staff group, end to end through the local Bot API emulator: an admin makes a forum supergroup the
// staff group; every ticket then gets one topic with its card pinned, a title that follows the ticket,
// the client's messages relayed in, staff replies relayed out (internal notes kept in), and the topic
// closed and reopened with the ticket.
import { eq } from 'drizzle-orm';
import type { Message } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { staffGroup } from '../core/settings.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { queryAll } from '../db/access.ts';
import { comments, outbox, tickets } from '../db/schema.ts';
import type { TestGroup } from '../emulator/index.ts';
import { type BotWorld, botWorld, button, fileRequest } from './bot-harness.ts';
import { onPostgres } from './support/test-store.ts';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.close();
  expect(w?.errors ?? []).toEqual([]);
  w = undefined;
});

async function bindGroup(world: BotWorld): Promise<TestGroup> {
  const group = world.emu.group({ title: 'Поддержка', forum: true });
  const admin = world.tg('admin');
  group.addMember(admin, { status: 'creator' });
  group.post(admin, '/staffgroup');
  await group.waitForMessage('теперь рабочая группа');
  return group;
}

/** Until the group has been told about everything committed so far. */
const settled = (world: BotWorld) =>
  world.emu.waitFor(async () =>
    (await queryAll(world.ctx.db.select().from(outbox).where(eq(outbox.channel, 'staff_group')))).every(
      (o) => o.state === 'sent',
    ),
  );

const calls = (world: BotWorld, method: string) => world.emu.calls.filter((c) => c.method === method);

describe('setting up the staff group', () => {
  it('needs an admin, a forum, and the rights to manage topics and pin', async () => {
    w = await botWorld();
    const admin = w.tg('admin');
    const line1 = w.tg('line1');

    const plain = w.emu.group({ title: 'Без тем' });
    plain.post(admin, '/staffgroup');
    await plain.waitForMessage('включите темы');

    const weak = w.emu.group({ title: 'Слабые права', forum: true, botRights: { can_manage_topics: false } });
    weak.post(admin, '/staffgroup');
    await weak.waitForMessage('«Управление темами»');

    const good = w.emu.group({ title: 'Поддержка', forum: true });
    good.post(line1, '/staffgroup');
    await good.waitForMessage('Вам это недоступно.');
    expect(await staffGroup(w.ctx.db)).toBeNull();

    good.post(admin, '/staffgroup');
    await good.waitForMessage('«Поддержка» — теперь рабочая группа');
    expect(await staffGroup(w.ctx.db)).toMatchObject({ chatId: good.id, title: 'Поддержка', language: 'ru' });

    good.post(admin, '/staffgroup off');
    await good.waitForMessage('больше не рабочая');
    expect(await staffGroup(w.ctx.db)).toBeNull();
  });
});

// On PostgreSQL the budget all instances share spaces a group's messages evenly (one every 3 s), so a topic's
// dozen messages take longer than these tests wait; tests/postgres/telegram-budget.test.ts holds that budget.
describe.skipIf(onPostgres)('a ticket in the staff group', () => {
  it('opens one topic with the card pinned and keeps it in step with the ticket, both ways', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const group = await bindGroup(w);
    const client = w.tg('clientA');
    const line1 = w.tg('line1');
    await fileRequest(w, client);

    // One topic, titled by number, priority and subject, with the card pinned and the photo relayed.
    await w.emu.waitFor(() => group.topics()[0]?.pinned);
    const [topic] = group.topics();
    if (!topic) throw new Error('no topic');
    expect(topic).toMatchObject({ name: '🆕 #1001 · P2 · Принтер зажевал бумагу', closed: false });
    const thread = topic.threadId;
    const card = group.messages(thread).find((m) => m.message_id === topic.pinned);
    expect(card?.text).toContain('#1001 · P2 — высокий · Новая');
    expect(card?.text).toContain('⏱ Реакция: до 2026-11-09 10:30 (осталось 30 мин)');
    await w.emu.waitFor(() => group.messages(thread).some((m) => m.photo !== undefined));
    // With a group, the 1st line hears of new tickets there, not one by one in private.
    expect(line1.inbox()).toEqual([]);

    // Triage on the pinned card: the title follows the priority and status.
    group.press(line1, card as Message, button(card as Message, 'Приоритет'));
    const impacts = await group.waitForMessage(
      (m) => m.message_id === card?.message_id && JSON.stringify(m.reply_markup).includes('Вся компания'),
    );
    group.press(line1, impacts, button(impacts, 'Вся компания'));
    await w.emu.waitFor(() => group.topics()[0]?.name === '#1001 · P1 · Принтер зажевал бумагу');
    await group.waitForMessage('Принята', { threadId: thread });

    // The client writes: it arrives in the topic.
    const triaged = await client.waitForMessage('Приоритет: P1');
    client.send('Ещё и мигает красным', { replyTo: triaged });
    await group.waitForMessage('💬 Client A: Ещё и мигает красным', { threadId: thread });

    // Staff write in the topic: public to the client; "!" and /note stay internal.
    group.post(line1, 'Выключите принтер на минуту и включите снова', { threadId: thread });
    await client.waitForMessage('Выключите принтер на минуту');
    group.post(line1, '!Клиент уже третий раз за неделю', { threadId: thread });
    group.post(line1, '/note Проверить фьюзер при выезде', { threadId: thread });
    await w.emu.waitFor(
      async () => (await queryAll((w as BotWorld).ctx.db.select().from(comments))).length === 4,
    );
    const stored = await queryAll(w.ctx.db.select().from(comments));
    expect(stored.map((c) => [c.body, c.internal, c.authorId])).toEqual([
      ['Ещё и мигает красным', false, w.ids.clientA],
      ['Выключите принтер на минуту и включите снова', false, w.ids.line1],
      ['Клиент уже третий раз за неделю', true, w.ids.line1],
      ['Проверить фьюзер при выезде', true, w.ids.line1],
    ]);
    // Nothing written in the topic is echoed back into it.
    const echoes = group
      .messages(thread)
      .filter((m) => m.from?.is_bot && (m.text ?? '').includes('Выключите'));
    expect(echoes).toEqual([]);

    // Resolve from the card: a force-reply question to the one who pressed, in the topic.
    await settled(w);
    const current = group.messages(thread).find((m) => m.message_id === topic.pinned) as Message;
    group.press(line1, current, button(current, 'Взять'));
    const taken = await group.waitForMessage(
      (m) => m.message_id === topic.pinned && (m.text ?? '').includes('В работе'),
    );
    group.press(line1, taken, button(taken, 'Решено'));
    const prompt = await group.waitForMessage('описанием решения', { threadId: thread });
    expect(group.forceReply(prompt)).toMatchObject({ force_reply: true, selective: true });
    expect(prompt.entities?.some((e) => e.type === 'text_mention' || e.type === 'text_link')).toBe(true);
    group.post(w.tg('line2'), 'Это не вам', { replyTo: prompt });
    await group.waitForMessage('Этот вопрос был другому сотруднику', { threadId: thread });
    group.post(line1, 'Почистили ролик подачи', { replyTo: prompt });
    await w.emu.waitFor(() => group.topics()[0]?.name === '✅ #1001 · P1 · Принтер зажевал бумагу');
    const solved = await client.waitForMessage('решена: Почистили ролик подачи');
    // The client's confirmation closes the ticket and its topic; a supervisor's reopen reopens both.
    client.press(solved, 'solved:1:yes');
    await w.emu.waitFor(() => group.topics()[0]?.closed === true);
    expect(group.topics()[0]?.name).toBe('🔒 #1001 · P1 · Принтер зажевал бумагу');
    await act(w.ctx, w.as.supervisor, 1, { action: 'reopen', reason: 'Снова мнёт бумагу' });
    await w.bot().notifier.poke();
    await w.emu.waitFor(() => group.topics()[0]?.closed === false);
    await group.waitForMessage('Снова мнёт бумагу', { threadId: thread });

    expect(calls(w, 'createForumTopic')).toHaveLength(1);
    expect(client.inbox().some((m) => (m.text ?? '').includes('третий раз'))).toBe(false);
    expect(client.inbox().some((m) => (m.text ?? '').includes('фьюзер'))).toBe(false);
  }, 30_000);

  it('never opens two topics for one ticket, however many changes arrive at once', async () => {
    w = await botWorld();
    const group = await bindGroup(w);
    // Several changes committed before the bot sends anything.
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'web',
      subject: 'VPN',
      description: 'VPN',
      impact: 'person',
      urgency: 'low',
    });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await addComment(w.ctx, w.as.clientA, t.id, { body: 'Срочно, пожалуйста' });
    await act(w.ctx, w.as.line1, t.id, { action: 'reprioritize', urgency: 'high' });
    await w.bot().notifier.poke();
    await w.bot().notifier.poke();
    await group.waitForMessage('Срочно, пожалуйста');
    await w.emu.waitFor(async () =>
      (
        await queryAll((w as BotWorld).ctx.db.select().from(outbox).where(eq(outbox.channel, 'staff_group')))
      ).every((o) => o.state === 'sent'),
    );
    expect(calls(w, 'createForumTopic')).toHaveLength(1);
    expect(group.topics()).toHaveLength(1);
    expect(group.topics()[0]?.name).toBe('#1001 · P3 · VPN');
    expect(await queryAll(w.ctx.db.select().from(tickets))).toHaveLength(1);
  });
});

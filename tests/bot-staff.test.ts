// The staff's side of the bot, end to end through the local Bot API emulator: cards with buttons in
// private chats, questions answered by reply, escalation, an on-site visit whose time the client picks,
// resolution and rating; then races, stale and forged presses, and the queues.
import { eq, sql } from 'drizzle-orm';
import type { Message } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { actorOf } from '../bot/actor.ts';
import { sweepSla } from '../core/sla-sweep.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { queryAll } from '../db/access.ts';
import { comments, outbox, ticketEvents, tickets, visitSlots } from '../db/schema.ts';
import type { TestUser } from '../emulator/index.ts';
import { type BotWorld, botWorld, button, fileRequest, labels } from './bot-harness.ts';
import { counts } from './fixtures.ts';
import { runStatement } from './support/store-faults.ts';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.close();
  expect(w?.errors ?? []).toEqual([]);
  w = undefined;
});

/** Presses a button and waits for the card (the same message) to be edited to contain `expect`. */
async function pressOn(u: TestUser, card: Message, label: string, expected: string | RegExp) {
  u.press(card, button(card, label));
  return u.waitForMessage((m) => m.message_id === card.message_id && matches(m, expected));
}

const matches = (m: Message, expected: string | RegExp) =>
  typeof expected === 'string' ? (m.text ?? '').includes(expected) : expected.test(m.text ?? '');

async function ticketRow(world: BotWorld) {
  const [row] = await queryAll(world.ctx.db.select().from(tickets));
  if (!row) throw new Error('no ticket');
  return row;
}

const eventTypes = async (world: BotWorld) =>
  (await queryAll(world.ctx.db.select({ type: ticketEvents.type }).from(ticketEvents))).map((e) => e.type);

describe('a ticket worked in private chats (no staff group)', () => {
  it('goes from intake through triage, assignment, a question, escalation, a visit, resolution and rating', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const client = w.tg('clientA');
    const line1 = w.tg('line1');
    const engineer = w.tg('line1b');
    const line2 = w.tg('line2');
    const field = w.tg('field');
    await fileRequest(w, client);

    // 1st line gets the new ticket as a card with its buttons and SLA times.
    const card = await line1.waitForMessage('Новая заявка');
    expect(card.text).toContain('#1001 · P2 — высокий · Новая');
    expect(card.text).toContain('👤 Client A · Alpha LLC');
    expect(card.text).toContain('⏱ Реакция: до 2026-11-09 10:30 (осталось 30 мин)');
    expect(labels(card)).toEqual(expect.arrayContaining(['✋ Взять', '👤 Назначить', '⚡ Приоритет']));

    // Triage from the card: the whole company is affected → P1.
    const impacts = await pressOn(line1, card, 'Приоритет', 'Новая');
    expect(labels(impacts)).toContain('Вся компания');
    const triaged = await pressOn(line1, impacts, 'Вся компания', 'P1');
    expect(triaged.text).toContain('#1001 · P1 — критический · Принята');
    await client.waitForMessage('Приоритет: P1');

    // Assign to another 1st-line engineer, who gets the assignment message.
    const people = await pressOn(line1, triaged, 'Назначить', 'Принята');
    await pressOn(line1, people, 'Line One B', 'Line One B');
    const assignment = await engineer.waitForMessage('Назначена вам');
    expect(assignment.text).toContain('#1001 · P1');
    expect(assignment.text).toContain('Client A · Alpha LLC');
    expect(assignment.text).toMatch(/⏱ Решение: до 2026-11-09 14:00/);
    expect(labels(assignment).slice(0, 4)).toEqual([
      '✅ Принять',
      '↩️ Отказаться',
      '❓ Спросить клиента',
      '✔️ Решено',
    ]);

    // Accept, then ask the client; the client's reply resumes the ticket.
    const accepted = await pressOn(engineer, assignment, 'Принять', 'В работе');
    engineer.press(accepted, button(accepted, 'Спросить клиента'));
    const prompt = await engineer.waitForMessage('вопросом клиенту');
    expect(engineer.forceReply(prompt)).toMatchObject({ force_reply: true, selective: true });
    engineer.send('Какая модель принтера?', { replyTo: prompt });
    await engineer.waitForMessage('Вопрос отправлен');
    expect((await ticketRow(w)).status).toBe('waiting_for_customer');
    expect((await ticketRow(w)).slaPausedAt).not.toBeNull();
    const question = await client.waitForMessage('Какая модель принтера?');
    client.send('HP LaserJet 1020', { replyTo: question });
    await client.waitForMessage('Добавлено к заявке #1001');
    expect((await ticketRow(w)).status).toBe('in_progress');
    const answer = await engineer.waitForMessage('HP LaserJet 1020');
    expect(answer.text).toContain('Комментарий клиента');

    // Escalation needs a reason; the 2nd line gets the card.
    engineer.press(answer, button(answer, 'Открыть карточку'));
    const fresh = await engineer.waitForMessage((m) => labels(m).includes('⬆️ На 2-ю линию'));
    expect(fresh.text).toContain('· В работе');
    engineer.press(fresh, button(fresh, '2-ю линию'));
    const why = await engineer.waitForMessage('причиной передачи');
    engineer.send('Нужна замена фьюзера', { replyTo: why });
    await engineer.waitForMessage('передана на 2-ю линию');
    expect(await ticketRow(w)).toMatchObject({ line: 'line2', assigneeId: null, status: 'open' });
    const line2Card = await line2.waitForMessage('Передана на 2-ю линию');
    expect(line2Card.text).toContain('Нужна замена фьюзера');

    // The 2nd line offers two visit times; the client picks one with a button.
    const taken = await pressOn(line2, line2Card, 'Взять', 'В работе');
    const picker = await pressOn(line2, taken, 'Выезд', 'В работе');
    const slotButtons = labels(picker).filter((l) => /\d{2}:\d{2}–\d{2}:\d{2}/.test(l));
    expect(slotButtons.slice(0, 3)).toEqual([
      'пн, 9 нояб., 12:00–14:00',
      'пн, 9 нояб., 14:00–16:00',
      'пн, 9 нояб., 16:00–18:00',
    ]);
    const one = await pressOn(line2, picker, 'пн, 9 нояб., 14:00–16:00', 'В работе');
    expect(labels(one)).toContain('✓ пн, 9 нояб., 14:00–16:00');
    const two = await pressOn(line2, one, 'вт, 10 нояб., 09:00–11:00', 'В работе');
    line2.press(two, button(two, 'Предложить клиенту (2)'));
    const offer = await client.waitForMessage('предлагает время выезда');
    expect(labels(offer)).toEqual(['пн, 9 нояб., 14:00–16:00', 'вт, 10 нояб., 09:00–11:00']);
    expect((await ticketRow(w)).status).toBe('waiting_for_customer');
    client.press(offer, button(offer, 'вт, 10 нояб., 09:00–11:00'));
    await client.waitForMessage('Готово: выезд по заявке #1001 — вт, 10 нояб., 09:00–11:00');
    expect(await ticketRow(w)).toMatchObject({ line: 'field', status: 'in_progress' });
    expect((await ticketRow(w)).visitStartsAt).toBe(Date.parse('2026-11-10T09:00:00+03:00'));

    // The field engineer takes it, checks in and out, and resolves with a text.
    const fieldCard = await field.waitForMessage('#1001');
    const mine = await pressOn(field, fieldCard, 'Взять', 'В работе');
    w.clock.set(Date.parse('2026-11-10T09:05:00+03:00'));
    const onSite = await pressOn(field, mine, 'Я на месте', 'на месте с 09:05');
    await client.waitForMessage('Инженер прибыл');
    w.clock.set(Date.parse('2026-11-10T10:10:00+03:00'));
    const done = await pressOn(field, onSite, 'Выезд завершён', 'завершён в 10:10');
    field.press(done, button(done, 'Решено'));
    const resolution = await field.waitForMessage('описанием решения');
    field.send('Заменил фьюзер, печать проверена', { replyTo: resolution });
    await field.waitForMessage('решена, клиента попросили подтвердить');
    const solved = await client.waitForMessage('решена: Заменил фьюзер');
    client.press(solved, 'solved:1:yes');
    const rate = await client.waitForMessage('Оцените, пожалуйста');
    client.press(rate, 'r:5');
    await client.waitForMessage('добавить пару слов');
    client.send('Спасибо, всё работает');
    await client.waitForMessage('Спасибо за оценку!');

    expect(await ticketRow(w)).toMatchObject({ status: 'closed', rating: 5, assigneeId: w.ids.field });
    expect(await eventTypes(w)).toEqual([
      'created',
      'triage',
      'assign',
      'take',
      'ask_customer',
      'comment',
      'escalate_line2',
      'take',
      'offer_visit',
      'pick_visit',
      'take',
      'check_in',
      'check_out',
      'resolve',
      'confirm',
      'rate',
    ]);
    // Everything the client was told after filing, in order: every status change, nothing internal.
    expect(
      client
        .inbox()
        .slice(8)
        .map((m) => m.text?.split('\n')[0]),
    ).toEqual([
      'Заявка #1001 принята. Приоритет: P2 — высокий. Ответим до 2026-11-09 10:30 (Europe/Moscow).',
      'Заявка #1001 принята. Приоритет: P1 — критический. Решим до 2026-11-09 14:00.',
      'Заявку #1001 назначили инженеру: Line One B.',
      'Заявкой #1001 занимается Line One B.',
      'Вопрос по заявке #1001: Какая модель принтера?',
      'Добавлено к заявке #1001.',
      'Заявку #1001 передали специалистам 2-й линии.',
      'Заявкой #1001 занимается Line Two.',
      'Инженер предлагает время выезда по заявке #1001: выберите удобное ниже',
      'Готово: выезд по заявке #1001 — вт, 10 нояб., 09:00–11:00. Инженер приедет в это время.',
      'Заявкой #1001 занимается Field Engineer.',
      'Инженер прибыл по заявке #1001.',
      'Инженер закончил работу на месте по заявке #1001.',
      'Заявка #1001 решена: Заменил фьюзер, печать проверена',
      'Спасибо! Оцените, пожалуйста, работу по заявке #1001:',
      'Хотите добавить пару слов? Напишите их — или нажмите «Пропустить».',
      'Спасибо за оценку!',
    ]);
    // Nothing internal ever reached the client.
    const toClient = await queryAll(
      w.ctx.db.select().from(outbox).where(eq(outbox.recipientId, w.ids.clientA)),
    );
    expect(toClient.every((o) => o.kind.startsWith('requester.'))).toBe(true);
    expect(client.inbox().some((m) => m.text?.includes('Нужна замена фьюзера'))).toBe(false);
  }, 30_000);
});

describe('buttons are never trusted', () => {
  async function cardFor(world: BotWorld, who: TestUser) {
    await createTicket(world.ctx, world.as.clientA, {
      channel: 'telegram',
      subject: 'Не работает VPN',
      description: 'Не работает VPN',
      impact: 'person',
      urgency: 'medium',
    });
    return who.waitForMessage('#1001');
  }

  it('lets one of two engineers take a ticket and tells the other who took it', async () => {
    w = await botWorld();
    const a = w.tg('line1');
    const b = w.tg('line1b');
    const cardA = await cardFor(w, a);
    const cardB = await b.waitForMessage('#1001');
    a.press(cardA, button(cardA, 'Взять'));
    b.press(cardB, button(cardB, 'Взять'));
    await a.waitForMessage((m) => m.message_id === cardA.message_id && (m.text ?? '').includes('Line One'));
    await b.waitForMessage((m) => m.message_id === cardB.message_id && (m.text ?? '').includes('В работе'));
    await waitUntil(() => a.answers().length === 1 && b.answers().length === 1);
    const texts = [...a.answers(), ...b.answers()].map((x) => x.text);
    expect(texts).toContain('#1001 теперь ваша.');
    expect(texts.filter((t) => t?.startsWith('Уже взял(а)'))).toHaveLength(1);
    expect((await eventTypes(w)).filter((t) => t === 'take')).toHaveLength(1);
  });

  it('refreshes an outdated card instead of acting on it', async () => {
    w = await botWorld();
    const u = w.tg('line1');
    const card = await cardFor(w, u);
    const outdatedTake = button(card, 'Взять');
    const priority = (await ticketRow(w)).priority;
    await act(w.ctx, w.as.line1b, 1, { action: 'take' });
    const before = await counts(w);
    u.press(card, outdatedTake);
    const refreshed = await u.waitForMessage(
      (m) => m.message_id === card.message_id && (m.text ?? '').includes('Line One B'),
    );
    expect(refreshed.text).toContain('В работе');
    await waitUntil(() => u.answers().length === 1);
    expect(u.answers()[0]?.text).toBe('Уже взял(а) Line One B.');
    expect(await counts(w)).toEqual(before);
    // A priority button from the old card does nothing either.
    u.press(card, outdatedTake.replace(/^s:tk/, 's:pr').concat(':i:company'));
    await waitUntil(() => u.answers().length === 2);
    expect(u.answers()[1]?.text).toContain('устарела');
    expect((await ticketRow(w)).priority).toBe(priority);
    expect(await counts(w)).toEqual(before);
  });

  it('refuses forged staff buttons from a client and forged visit slots, changing nothing', async () => {
    w = await botWorld();
    const client = w.tg('clientA');
    const other = w.tg('clientB');
    await cardFor(w, w.tg('line1'));
    await act(w.ctx, w.as.line1, 1, { action: 'take' });
    const accepted = await client.waitForMessage('занимается');
    const before = await counts(w);
    client.press(accepted, 's:tk:1:1');
    client.press(accepted, 's:as:1:1:6');
    await waitUntil(() => client.answers().length === 2);
    expect(client.answers().map((a) => a.text)).toEqual(['Вам это недоступно.', 'Вам это недоступно.']);

    expect(await counts(w)).toEqual(before);

    // An offer of times to the client of A; the client of B forges a pick, then A picks a foreign slot id.
    const startsAt = w.clock.now() + 86_400_000;
    await act(w.ctx, w.as.line1, 1, {
      action: 'offer_visit',
      slots: [{ startsAt, endsAt: startsAt + 7_200_000 }],
    });
    const offer = await client.waitForMessage('предлагает время выезда');
    const afterOffer = await counts(w);
    other.send('/start');
    const hello = await other.waitForMessage();
    other.press(hello, button(offer, ':').replace(/:\d+$/, ':1'));
    client.press(offer, 'vp:1:999');
    await waitUntil(() => other.answers().length === 1 && client.answers().length === 3);
    expect(other.answers()[0]?.text).toBe('Это действие сейчас недоступно: такой заявки нет');
    expect(client.answers()[2]?.text).toContain('Это действие сейчас недоступно');
    expect(await counts(w)).toEqual(afterOffer);
    expect((await queryAll(w.ctx.db.select().from(visitSlots))).map((s) => s.state)).toEqual(['offered']);
  });
});

describe('queues', () => {
  it('list unassigned tickets of my line and my own, most urgent first, with the time left', async () => {
    const world = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    w = world;
    const u = w.tg('line1');
    const file = async (subject: string, impact: 'person' | 'company', urgency: 'low' | 'high') =>
      await createTicket(world.ctx, world.as.clientA, {
        channel: 'telegram',
        subject,
        description: subject,
        impact,
        urgency,
      });
    await file('Мышь скрипит', 'person', 'low');
    await file('Сервер недоступен', 'company', 'high');
    await file('Принтер', 'person', 'high');
    await act(w.ctx, w.as.line1, 3, { action: 'take' });
    u.send('/queue');
    const queue = await u.waitForMessage('Очередь: 2');
    const lines = (queue.text ?? '').split('\n');
    expect(lines[1]).toContain('#1002 · P1');
    expect(lines[2]).toBe('реакция: до 2026-11-09 10:15 (осталось 15 мин)');
    expect(lines[3]).toContain('#1001 · P4');
    expect(labels(queue)).toEqual(['#1002', '#1001']);
    u.send('/mine');
    const mine = await u.waitForMessage('Мои: 1');
    expect(mine.text).toContain('#1003');
    u.press(mine, button(mine, '#1003'));
    const card = await u.waitForMessage((m) => (m.text ?? '').startsWith('#1003'));
    expect(labels(card)).toContain('✔️ Решено');
    w.tg('clientA').send('/queue');
    await w.tg('clientA').waitForMessage('Вам это недоступно.');
  });

  it('sends a canned reply to the client in two taps', async () => {
    w = await botWorld();
    await runStatement(
      w.ctx.db,
      "insert into canned_replies (title, body, sort) values ('Перезагрузка', 'Перезагрузите компьютер', 1)",
    );
    const u = w.tg('line1');
    await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      subject: 'Тормозит',
      description: 'Тормозит',
      impact: 'person',
      urgency: 'low',
    });
    const card = await u.waitForMessage('#1001');
    const list = await pressOn(u, card, 'Шаблоны', '#1001');
    // What goes to the client is shown first; nothing is sent until "Send".
    const preview = await pressOn(u, list, 'Перезагрузка', 'Клиент получит это на русском:');
    expect(preview.text).toContain('Перезагрузите компьютер');
    expect(await queryAll(w.ctx.db.select().from(comments))).toEqual([]);
    u.press(preview, button(preview, 'Отправить клиенту'));
    await w.tg('clientA').waitForMessage('Перезагрузите компьютер');
    expect(await queryAll(w.ctx.db.select().from(comments))).toMatchObject([
      { body: 'Перезагрузите компьютер', internal: false, authorId: w.ids.line1 },
    ]);
  });

  it('go to an English-speaking client in English', async () => {
    w = await botWorld();
    await runStatement(
      w.ctx.db,
      `insert into canned_replies (title, body, title_en, body_en, sort)
         values ('Перезагрузка', 'Перезагрузите компьютер', 'Restart', 'Please restart the computer', 1)`,
    );
    await runStatement(w.ctx.db, sql`update people set language = 'en' where id = ${w.ids.clientA}`);
    const u = w.tg('line1');
    await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Slow', urgency: 'low' });
    const card = await u.waitForMessage('#1001');
    const list = await pressOn(u, card, 'Шаблоны', '#1001');
    const preview = await pressOn(u, list, 'Перезагрузка', 'Клиент получит это на английском:');
    expect(preview.text).toContain('Please restart the computer');
    u.press(preview, button(preview, 'Отправить клиенту'));
    await w.tg('clientA', 'en').waitForMessage('Please restart the computer');
    expect(await queryAll(w.ctx.db.select().from(comments))).toMatchObject([
      { body: 'Please restart the computer' },
    ]);
  });
});

describe('the Mini App from the chat', () => {
  it('puts an "Open in the app" button on notices about a ticket, at that ticket', async () => {
    w = await botWorld({ miniAppUrl: 'https://desk.example.com/app/' });
    const client = w.tg('clientA');
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      subject: 'Сканер',
      description: 'Сканер',
      impact: 'person',
      urgency: 'low',
    });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    const notice = await client.waitForMessage('занимается');
    const open = notice.reply_markup?.inline_keyboard.flat().find((b) => 'web_app' in b);
    expect(open).toEqual({
      text: '📱 Открыть в приложении',
      web_app: { url: `https://desk.example.com/app/?ticket=${t.id}` },
    });
  });
});

describe('staff joining and SLA alerts', () => {
  it("binds a person as 2nd line by an admin's invite link", async () => {
    w = await botWorld();
    const admin = w.tg('admin');
    admin.send('/invite line2');
    const reply = await admin.waitForMessage('start=');
    const code = /start=([\w-]+)/.exec(reply.text ?? '')?.[1];
    const newcomer = w.emu.user({ id: 454545, first_name: 'Пётр' });
    newcomer.send(`/start ${code}`);
    await newcomer.waitForMessage('2-я линия');
    const actor = await actorOf(w.ctx, { id: 454545, is_bot: false, first_name: 'Пётр' });
    expect(actor.kind === 'person' && actor.memberships.map((m) => m.role)).toEqual(['line2']);
    newcomer.send('/queue');
    await newcomer.waitForMessage('Очередь пуста.');
    w.tg('line1').send('/invite line2');
    await w.tg('line1').waitForMessage('Приглашать сотрудников могут');
  });

  it('queues a new ticket straight to a person of another line at triage', async () => {
    w = await botWorld();
    const dispatcher = w.tg('line1');
    // In Telegram before the assignment is sent to them (a chat unknown to Telegram is "chat not found").
    const lineTwo = w.tg('line2');
    await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      subject: 'Сервер 1С',
      description: 'Сервер 1С',
      impact: 'department',
      urgency: 'medium',
    });
    const card = await dispatcher.waitForMessage('#1001');
    const people = await pressOn(dispatcher, card, 'Назначить', '#1001');
    expect(labels(people)).toContain('✓ 1-я линия');
    const second = await pressOn(dispatcher, people, '2-я линия', '#1001');
    expect(labels(second)).toContain('Line Two');
    expect(labels(second)).not.toContain('Line One');
    await pressOn(dispatcher, second, 'Line Two', 'Line Two');
    expect(await ticketRow(w)).toMatchObject({ status: 'open', line: 'line2', assigneeId: w.ids.line2 });
    const assignment = await lineTwo.waitForMessage('#1001');
    expect(labels(assignment).slice(0, 2)).toEqual(['✅ Принять', '↩️ Отказаться']);
  });

  it('lets the engineer decline an assignment, back to the queue', async () => {
    w = await botWorld();
    const engineer = w.tg('line1b');
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      subject: 'Почта',
      description: 'Почта',
      impact: 'person',
      urgency: 'low',
    });
    await act(w.ctx, w.as.line1, t.id, { action: 'triage', assigneeId: w.ids.line1b });
    const assignment = await engineer.waitForMessage('#1001');
    const declined = await pressOn(engineer, assignment, 'Отказаться', 'не назначен');
    expect(labels(declined)).toContain('✋ Взять');
    expect(await ticketRow(w)).toMatchObject({ status: 'open', assigneeId: null });
  });

  it('warns the assignee at 75 % and tells supervisors of the breach, in Telegram', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const engineer = w.tg('line1');
    const supervisor = w.tg('supervisor');
    supervisor.send('/start');
    await supervisor.waitForMessage();
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      subject: 'Сервер',
      description: 'Сервер',
      impact: 'company',
      urgency: 'high',
    });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    // P1 on A: resolution within 240 business minutes; 75 % is 13:00, the breach 14:00.
    w.clock.set(Date.parse('2026-11-09T12:59:00+03:00'));
    expect(await sweepSla(w.ctx)).toMatchObject({ warnings: 0, breaches: 0 });
    w.clock.set(Date.parse('2026-11-09T13:00:00+03:00'));
    expect(await sweepSla(w.ctx)).toMatchObject({ warnings: 1, breaches: 0 });
    await w.bot().notifier.poke();
    const warning = await engineer.waitForMessage('75 %');
    expect(warning.text).toContain('#1001');
    w.clock.set(Date.parse('2026-11-09T14:00:00+03:00'));
    expect(await sweepSla(w.ctx)).toMatchObject({ breaches: 1 });
    expect(await sweepSla(w.ctx)).toMatchObject({ warnings: 0, breaches: 0 });
    await w.bot().notifier.poke();
    await engineer.waitForMessage('нарушен');
    await supervisor.waitForMessage('нарушен');
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// The client's side of the bot, end to end: the real bot (runner, intake drafts in SQLite, notifier)
// talks over HTTP to the local Bot API emulator; tests act as people in Telegram and read what they see.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createInvite } from '../core/onboarding.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { attachments, comments, memberships, people, tickets } from '../db/schema.ts';
import type { TestUser } from '../emulator/index.ts';
import { type BotWorld, botWorld, fileRequest } from './bot-harness.ts';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.close();
  expect(w?.errors ?? []).toEqual([]);
  w = undefined;
});

const onlyTicket = async (world: BotWorld) => await queryAll(world.ctx.db.select().from(tickets));

describe('a new request', () => {
  it('is taken step by step, with a photo, and registered with its priority and answer time', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const u = w.tg('clientA');
    const accepted = await fileRequest(w, u);
    // department × work stopped = P2 on A: first response within 30 business minutes.
    expect(accepted.text).toBe(
      'Заявка #1001 принята. Приоритет: P2 — высокий. Ответим до 2026-11-09 10:30 (Europe/Moscow).',
    );
    const [ticket] = await onlyTicket(w);
    expect(ticket).toMatchObject({
      channel: 'telegram',
      requesterId: w.ids.clientA,
      companyId: w.companyA,
      categoryId: w.category.printer,
      description: 'Принтер зажевал бумагу\nВот так горит лампочка',
      impact: 'department',
      urgency: 'high',
      priority: 'P2',
      location: 'Офис на Тверской, 3 этаж',
    });
    // Each question keeps the answer chosen and loses its buttons.
    const asked = u.inbox().find((m) => m.text?.startsWith('Что случилось?'));
    expect(asked?.text).toMatch(/\n\n✓ Принтер$/);
    expect(asked?.reply_markup).toBeUndefined();
    const files = await queryAll(w.ctx.db.select().from(attachments));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ kind: 'photo', ticketId: ticket?.id });
    expect(files[0]?.telegramFileId).toBeTruthy();
  });

  it('survives a restart of the bot at every step, asking nothing twice', async () => {
    w = await botWorld();
    const world = w;
    const u = w.tg('clientA');
    await fileRequest(world, u, () => world.restart());
    expect(await onlyTicket(world)).toHaveLength(1);
    const texts = u.inbox().map((m) => m.text ?? '');
    for (const prompt of [
      'Выберите категорию',
      'Опишите проблему',
      'Сколько людей',
      'Насколько срочно',
      'Где это',
      'Проверьте заявку',
    ]) {
      expect(
        texts.filter((t) => t.includes(prompt)),
        prompt,
      ).toHaveLength(1);
    }
  });

  it('answers bad input politely and repeats the step; /cancel leaves with nothing saved', async () => {
    w = await botWorld();
    const u = w.tg('clientA');
    u.send('/new');
    const categories = await u.waitForMessage('Выберите категорию');
    u.send('просто текст');
    await u.waitForMessage('выберите вариант кнопкой');
    u.press(categories, 'c:999'); // forged data on the right message
    await w.emu.waitFor(() => u.answers().at(-1)?.text === 'Эта кнопка уже неактуальна.');
    u.press(categories, `c:${w.category.network}`);
    await u.waitForMessage('Опишите проблему');
    u.sendSticker();
    await u.waitForMessage('Я жду текст');
    u.send('x'.repeat(4 * 4096)); // arrives as four messages of 4096: the fourth passes the description's limit
    await u.waitForMessage('Слишком длинное сообщение');
    u.press(categories, `c:${w.category.printer}`); // a button of the previous step
    await w.emu.waitFor(() => u.answers().at(-1)?.text === 'Эта кнопка уже неактуальна.');
    const other = w.tg('clientB');
    other.press(categories, `c:${w.category.printer}`);
    await w.emu.waitFor(() => other.answers().at(-1)?.text === 'Это не ваша кнопка.');
    u.send('/my');
    await u.waitForMessage('Сейчас мы заполняем заявку: ответьте на вопрос выше');
    u.send('Нет интернета');
    await u.waitForMessage('Добавлено');
    u.send('/cancel');
    await u.waitForMessage('Заявку не отправили');
    expect(await onlyTicket(w)).toHaveLength(0);
    // A button of the finished intake says how to start again.
    u.press(categories, `c:${w.category.network}`);
    await w.emu.waitFor(() =>
      u.answers().at(-1)?.text?.includes('Чтобы начать заново, нажмите «Новая заявка»'),
    );
    // Out of the intake, a message is offered as a request, not filed by itself.
    u.send('алло');
    await u.waitForMessage('Создать заявку с этим текстом?');
    expect(await onlyTicket(w)).toHaveLength(0);
  });
});

describe('onboarding', () => {
  it('binds whoever opens a manager’s invite link to the company', async () => {
    w = await botWorld();
    const invite = await createInvite(w.ctx, w.as.managerA, { role: 'client', companyId: w.companyA });
    const newcomer = w.emu.user({ id: 424242, first_name: 'Вера', language_code: 'ru' });
    newcomer.send(`/start ${invite.code}`);
    await newcomer.waitForMessage('Готово: вы добавлены в «Alpha LLC» как Клиент.');
    const person = await queryOne(w.ctx.db.select().from(people).where(eq(people.telegramUserId, 424242)));
    const roles = await queryAll(
      w.ctx.db
        .select()
        .from(memberships)
        .where(eq(memberships.personId, person?.id ?? 0)),
    );
    expect(roles.map((r) => [r.role, r.companyId])).toEqual([['client', w.companyA]]);
    newcomer.send('/start nonsense');
    await newcomer.waitForMessage('Эта ссылка-приглашение не найдена');
  });

  it('gives a manager an invite link with /invite, and refuses it to a client', async () => {
    w = await botWorld();
    const manager = w.tg('managerA');
    manager.send('/invite');
    const reply = await manager.waitForMessage('Ссылка-приглашение для сотрудников «Alpha LLC»');
    const code = /start=([\w-]+)/.exec(reply.text ?? '')?.[1];
    expect(code).toBeTruthy();
    const newcomer = w.emu.user({ id: 434343, first_name: 'Олег' });
    newcomer.send(`/start ${code}`);
    await newcomer.waitForMessage('вы добавлены в «Alpha LLC»');
    const client = w.tg('clientA');
    client.send('/invite');
    await client.waitForMessage('Приглашать сотрудников могут руководители');
  });

  it('takes a request from someone unknown, unverified, with no company', async () => {
    w = await botWorld();
    const stranger = w.emu.user({ id: 626262, first_name: 'Гость' });
    stranger.send('/start');
    await stranger.waitForMessage('Мы пока не знаем, из какой вы компании');
    await fileRequest(w, stranger);
    const [ticket] = await onlyTicket(w);
    expect(ticket?.companyId).toBeNull();
    const requester = await queryOne(
      w.ctx.db
        .select()
        .from(people)
        .where(eq(people.id, ticket?.requesterId ?? 0)),
    );
    expect(requester).toMatchObject({ telegramUserId: 626262, name: 'Гость' });
  });

  it('finds a person in the directory by the phone they share, and greets strangers in English', async () => {
    w = await botWorld();
    const entry = await queryOne(
      w.ctx.db.insert(people).values({ name: 'Пётр', phone: '+79165550000', createdAt: 0 }).returning(),
    );
    await execute(
      w.ctx.db.insert(memberships).values({ personId: entry.id, role: 'client', companyId: w.companyB }),
    );
    const u = w.emu.user({ id: 515151, first_name: 'Pyotr', language_code: 'en' });
    u.send('/start');
    const hello = await u.waitForMessage('Hello, Pyotr!');
    expect(hello.text).toContain('Share your phone number');
    expect(JSON.stringify(u.keyboard())).toContain('request_contact');
    u.shareContact('+7 916 555-00-00', { ownContact: false });
    await u.waitForMessage('Please share your own number');
    u.shareContact('+7 916 555-00-00');
    await u.waitForMessage('Thank you! Found you: “Beta JSC”.');
    expect(
      (await queryOne(w.ctx.db.select().from(people).where(eq(people.id, entry.id))))?.telegramUserId,
    ).toBe(515151);
  });

  it('registers its command menu in Russian and English', async () => {
    w = await botWorld();
    const menus = w.emu.calls
      .filter((c) => c.method === 'setMyCommands' && c.params.scope === undefined)
      .map((c) => c.params);
    expect(menus.map((m) => m.language_code ?? 'default').sort()).toEqual(['default', 'en', 'ru']);
    const ru = menus.find((m) => m.language_code === 'ru')?.commands as {
      command: string;
      description: string;
    }[];
    expect(ru.map((c) => c.command)).toEqual(['new', 'my', 'language', 'help', 'cancel']);
    expect(ru[0]?.description).toBe('Новая заявка');
  });

  it('names the Mini App’s chat button in the person’s language', async () => {
    w = await botWorld({ miniAppUrl: 'https://desk.example.com/app/' });
    const english = w.emu.user({ id: 626262, first_name: 'Ann', language_code: 'en' });
    english.send('/start');
    await english.waitForMessage('Hello');
    await w.emu.waitFor(() => english.menuButton().type === 'web_app' && english.menuButton());
    expect(english.menuButton()).toMatchObject({ type: 'web_app', text: 'Mini App' });
    const u = w.tg('clientA');
    u.send('/language');
    const choose = await u.waitForMessage('Выберите язык');
    u.press(choose, 'lang:en');
    await u.waitForMessage('Done, I speak English now.');
    await w.emu.waitFor(() => (u.menuButton() as { text?: string }).text === 'Mini App');
  });

  it('switches the language with /language', async () => {
    w = await botWorld();
    const u = w.tg('clientA');
    u.send('/language');
    const choose = await u.waitForMessage('Выберите язык');
    u.press(choose, 'lang:en');
    await u.waitForMessage('Done, I speak English now.');
    u.send('/new');
    await u.waitForMessage('What happened? Choose a category');
  });
});

describe('after the request is filed', () => {
  async function filed(world: BotWorld, u: TestUser) {
    await fileRequest(world, u);
    const [ticket] = await onlyTicket(world);
    if (!ticket) throw new Error('no ticket');
    return ticket;
  }

  it('pushes every status change, takes replies as comments, and resumes on the client’s answer', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const u = w.tg('clientA');
    const t = await filed(w, u);
    await act(w.ctx, w.as.line1, t.id, { action: 'triage', urgency: 'medium' });
    await u.waitForMessage('Заявка #1001 принята. Приоритет: P3 — средний. Решим до 2026-11-10 17:00.');
    await act(w.ctx, w.as.line1, t.id, { action: 'assign', assigneeId: w.ids.line1b });
    await u.waitForMessage('Заявку #1001 назначили инженеру: Line One B.');
    await act(w.ctx, w.as.line1b, t.id, { action: 'take' });
    await u.waitForMessage('Заявкой #1001 занимается Line One B.');
    await act(w.ctx, w.as.line1b, t.id, { action: 'ask_customer', question: 'Какая модель принтера?' });
    const question = await u.waitForMessage('Вопрос по заявке #1001: Какая модель принтера?');
    u.send('HP LaserJet 1020', { replyTo: question });
    await u.waitForMessage('Добавлено к заявке #1001.');
    const after = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)));
    expect(after?.status).toBe('in_progress');
    expect((await queryAll(w.ctx.db.select().from(comments))).map((c) => c.body)).toEqual([
      'HP LaserJet 1020',
    ]);
    await addComment(w.ctx, w.as.line1b, t.id, { body: 'Меняем фьюзер' });
    await u.waitForMessage('Ответ по заявке #1001 (Line One B):\nМеняем фьюзер');
    await addComment(w.ctx, w.as.line1b, t.id, { body: 'Внутреннее: заказать деталь', internal: true });
    await act(w.ctx, w.as.line1, t.id, { action: 'escalate_line2', reason: 'Нужен ремонт' });
    await u.waitForMessage('передали специалистам 2-й линии');
    await act(w.ctx, w.as.line2, t.id, {
      action: 'schedule_visit',
      startsAt: Date.parse('2026-11-11T10:00:00+03:00'),
      endsAt: Date.parse('2026-11-11T12:00:00+03:00'),
      engineerId: w.ids.field,
      address: 'Тверская, 7',
    });
    await u.waitForMessage('По заявке #1001 назначен выезд инженера: ср, 11 нояб., 10:00–12:00. Тверская, 7');
    expect(u.inbox().some((m) => m.text?.includes('заказать деталь'))).toBe(false);
  });

  it('asks "Solved?" on resolve: Yes closes and takes a rating with a comment', async () => {
    w = await botWorld();
    const u = w.tg('clientA');
    const t = await filed(w, u);
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await act(w.ctx, w.as.line1, t.id, { action: 'resolve', resolution: 'Заменили картридж' });
    const solved = await u.waitForMessage('Заявка #1001 решена: Заменили картридж');
    u.press(solved, `solved:${t.id}:yes`);
    const rate = await u.waitForMessage('Оцените, пожалуйста');
    u.press(rate, 'r:5');
    await u.waitForMessage('добавить пару слов');
    u.send('Быстро и вежливо');
    await u.waitForMessage('Спасибо за оценку!');
    expect(await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)))).toMatchObject({
      status: 'closed',
      rating: 5,
      ratingComment: 'Быстро и вежливо',
    });
  });

  it('reopens with the client’s reason on No, and tells staff', async () => {
    w = await botWorld();
    const engineer = w.tg('line1'); // has started the bot, so Telegram lets it write to them
    const u = w.tg('clientA');
    const t = await filed(w, u);
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await act(w.ctx, w.as.line1, t.id, { action: 'resolve', resolution: 'Перезагрузили' });
    const solved = await u.waitForMessage('Проблема решена?');
    u.press(solved, `solved:${t.id}:no`);
    await u.waitForMessage('Что не так?');
    u.send('Всё равно не печатает');
    await u.waitForMessage('Заявка #1001 снова открыта');
    expect((await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id))))?.status).toBe(
      'open',
    );
    await engineer.waitForMessage(
      (m) => m.text?.includes('Открыта снова') === true && m.text.includes('Всё равно не печатает'),
    );
  });

  it('lists my requests with a card and its public history', async () => {
    w = await botWorld();
    const u = w.tg('clientA');
    const t = await filed(w, u);
    await addComment(w.ctx, w.as.line1, t.id, { body: 'секрет', internal: true });
    u.send('/my');
    const list = await u.waitForMessage('Ваши заявки (1):');
    expect(list.text).toContain('#1001 · Новая · P2');
    u.press(list, `t:${t.id}`);
    const card = await u.waitForMessage('Заявка #1001: Принтер зажевал бумагу');
    expect(card.text).toContain('История:');
    expect(card.text).not.toContain('секрет');
    u.press(card, `cm:${t.id}`);
    const prompt = await u.waitForMessage('Напишите комментарий к заявке #1001');
    u.sendPhoto({ caption: 'ещё фото', replyTo: prompt });
    await u.waitForMessage('Добавлено к заявке #1001.');
    expect(await queryAll(w.ctx.db.select().from(attachments))).toHaveLength(2);
    // Someone else's ticket cannot be opened by forged callback data.
    const other = w.tg('clientB');
    other.send('/my');
    const otherList = await other.waitForMessage('У вас пока нет заявок');
    other.press(otherList, `t:${t.id}`);
    await w.emu.waitFor(() => other.answers().at(-1)?.text?.includes('такой заявки нет'));
  });
});

describe('when Telegram fails mid-intake', () => {
  it('does not leave the chat silent: the answer is retried, and the person goes on', async () => {
    w = await botWorld();
    const world = w;
    const u = w.tg('clientA');
    u.send('/new');
    const categories = await u.waitForMessage('Выберите категорию');
    // Telegram fails the next two answers: the bot's auto-retry tries again (after 3 s, 6 s).
    w.emu.faults.inject({ kind: 'server_error', status: 500, method: 'sendMessage', count: 2 });
    u.press(categories, `c:${w.category.printer}`);
    await u.waitForMessage('Опишите проблему', 20_000);
    expect(w.emu.calls.filter((c) => c.method === 'sendMessage' && c.status === 500)).toHaveLength(2);
    expect(world.errors).toEqual([]);
    // The draft moved on exactly once: the description goes on as usual.
    u.send('Не печатает');
    await u.waitForMessage('Добавлено');
    u.send('/new');
    await u.waitForMessage('Выберите категорию');
  }, 30_000);
});

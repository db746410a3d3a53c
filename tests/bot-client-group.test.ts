// A client company's own Telegram group, end to end through the local Bot API emulator: binding (who may,
// and what the bot must see), a message becoming a ticket answered in the group, follow-on messages and
// replies joining it, chatter making nothing, staff answering by a reply (the first response), someone
// outside the company filed unverified, /status, /new and /unbind.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { boundGroup } from '../core/groups/binding.ts';
import { addComment } from '../core/tickets/comment.ts';
import { queryAll, queryOne } from '../db/access.ts';
import { attachments, comments, outbox, people, tickets } from '../db/schema.ts';
import type { TestGroup } from '../emulator/index.ts';
import { type BotWorld, botWorld, button, labels as labelsOf } from './bot-harness.ts';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.close();
  expect(w?.errors ?? []).toEqual([]);
  w = undefined;
});

const allTickets = async (world: BotWorld) => await queryAll(world.ctx.db.select().from(tickets));
const ticketOf = async (world: BotWorld, id: number) =>
  await queryOne(world.ctx.db.select().from(tickets).where(eq(tickets.id, id)));
const commentsOn = async (world: BotWorld, ticketId: number) =>
  await queryAll(world.ctx.db.select().from(comments).where(eq(comments.ticketId, ticketId)));
/** Until every notice committed so far has gone out. */
const settled = (world: BotWorld) =>
  world.emu.waitFor(async () =>
    (await queryAll(world.ctx.db.select().from(outbox))).every(
      (o) => o.state === 'sent' || o.channel !== 'telegram',
    ),
  );

async function boundAlphaGroup(world: BotWorld): Promise<TestGroup> {
  const group = world.emu.group({ title: 'Альфа и IT' });
  const manager = world.tg('managerA');
  group.post(manager, '/bind');
  await group.waitForMessage('привязана к компании «Alpha LLC»');
  return group;
}

describe('binding a client group', { timeout: 30_000 }, () => {
  it("gives groups a menu of their own: the group's requests, a new one, bind and unbind", async () => {
    w = await botWorld();
    const groupMenus = w.emu.calls
      .filter(
        (c) =>
          c.method === 'setMyCommands' && JSON.stringify(c.params.scope ?? '').includes('all_group_chats'),
      )
      .map((c) => c.params);
    expect(groupMenus.map((m) => m.language_code ?? 'default').sort()).toEqual(['default', 'en', 'ru']);
    const ru = groupMenus.find((m) => m.language_code === 'ru')?.commands as { command: string }[];
    expect(ru.map((c) => c.command)).toEqual(['status', 'new', 'bind', 'unbind']);
  });

  it('takes an admin or the company manager, and a bot that can read the group', async () => {
    w = await botWorld();
    const client = w.tg('clientA');
    const admin = w.tg('admin');
    const manager = w.tg('managerA');

    const blind = w.emu.group({ title: 'Без прав', botRights: { status: 'member' } });
    blind.post(manager, '/bind');
    await blind.waitForMessage('Я не вижу сообщений этой группы');
    expect(await boundGroup(w.ctx, blind.id)).toBeUndefined();

    const group = w.emu.group({ title: 'Альфа и IT' });
    group.post(client, '/bind');
    await group.waitForMessage('может администратор службы или руководитель');
    group.post(admin, '/bind');
    await group.waitForMessage(/К какой компании.*\n.*Alpha LLC\n.*Beta JSC/);
    group.post(admin, '/bind beta');
    await group.waitForMessage('привязана к компании «Beta JSC»');
    expect(await boundGroup(w.ctx, group.id)).toMatchObject({ companyId: w.companyB, title: 'Альфа и IT' });
    // The manager of Alpha may not take Beta's group; the admin moves it.
    group.post(manager, '/unbind');
    await group.waitForMessage('может администратор службы или руководитель');
    group.post(admin, '/bind Alpha LLC');
    await group.waitForMessage('привязана к компании «Alpha LLC»');
    group.post(manager, '/unbind');
    await group.waitForMessage('Группа отвязана');
    expect(await boundGroup(w.ctx, group.id)).toBeUndefined();
    // Bound again, then the bot is removed from the group: the binding goes with it.
    group.post(manager, '/bind');
    await group.waitForMessage('привязана к компании «Alpha LLC»');
    group.setBotRights({ status: 'left' }, admin);
    await w.emu.waitFor(async () => (await boundGroup((w as BotWorld).ctx, group.id)) === undefined);
    group.setBotRights({}, admin);
    // Unbound, its messages are nobody's requests.
    group.post(client, 'Не работает принтер в бухгалтерии');
    group.post(manager, '/unbind');
    await group.waitForMessage('ни к какой компании не привязана');
    expect(await allTickets(w)).toEqual([]);
  });
});

describe('messages in a bound group', { timeout: 30_000 }, () => {
  it('open a ticket answered in the group; more words and replies join it; chatter makes nothing', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const group = await boundAlphaGroup(w);
    const clientA = w.tg('clientA');
    const clientA2 = w.tg('clientA2');
    const line1 = w.tg('line1');
    w.tg('line1b');
    group.addMember(line1);

    const first = group.post(clientA, 'Не печатает принтер в бухгалтерии, горит красная лампа');
    const accepted = await group.waitForMessage(/Заявка #\d+ принята/);
    expect(accepted.reply_to_message?.message_id).toBe(first.message_id);
    const [ticket] = await allTickets(w);
    expect(ticket).toMatchObject({
      channel: 'telegram_group',
      requesterId: w.ids.clientA,
      companyId: w.companyA,
      status: 'new',
    });
    const id = ticket?.id ?? 0;

    // The same person a minute later, no reply: the same problem, more words.
    w.clock.advance(60_000);
    group.post(clientA, 'Модель HP LaserJet 1020, стоит у окна');
    // A colleague's thanks and a lone emoji are chatter.
    group.post(clientA2, 'спасибо');
    group.post(clientA2, '👍');
    // The bot takes each message at the desk's time: the clock moves on once it has taken them.
    await w.emu.waitFor(async () => (await commentsOn(w as BotWorld, id)).length === 1);
    // Replies to the bot's answer join the ticket, even long after: the requester's and a colleague's (the
    // whole company read it in the group).
    w.clock.advance(30 * 60_000);
    group.post(clientA, 'Перезагрузка не помогла', { replyTo: accepted });
    group.post(clientA2, 'У меня тоже не печатает с этого принтера', { replyTo: accepted });
    await w.emu.waitFor(async () => (await commentsOn(w as BotWorld, id)).length === 3);
    expect((await commentsOn(w, id)).map((c) => [c.authorId, c.body])).toEqual([
      [w.ids.clientA, 'Модель HP LaserJet 1020, стоит у окна'],
      [w.ids.clientA, 'Перезагрузка не помогла'],
      [w.ids.clientA2, 'У меня тоже не печатает с этого принтера'],
    ]);
    expect(await allTickets(w)).toHaveLength(1);
    // Another company's client is no colleague: their reply is a request of their own, filed unverified.
    const outsider = w.tg('clientB');
    group.post(outsider, 'А у нас в Бете не работает сканер', { replyTo: accepted });
    await group.waitForMessage(/Заявка #\d+ принята/);
    expect((await allTickets(w)).map((t) => [t.requesterId, t.companyId])).toEqual([
      [w.ids.clientA, w.companyA],
      [w.ids.clientB, null],
    ]);

    // Staff answer by replying in the group: the public answer, the first response.
    await w.emu.waitFor(async () => (await allTickets(w as BotWorld)).length === 2);
    w.clock.advance(5 * 60_000);
    group.post(line1, 'Сейчас подойду, посмотрю', { replyTo: first });
    await w.emu.waitFor(async () => (await commentsOn(w as BotWorld, id)).length === 4);
    const answered = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, id)));
    expect(answered?.firstRespondedAt).toBe(w.clock.now());
    expect((await commentsOn(w, id))[3]).toMatchObject({ authorId: w.ids.line1, internal: false });
    // Staff chatter that answers nothing is left alone.
    group.post(line1, 'Коллеги, всем доброе утро');

    // Much later, a new problem from the same person is a new ticket.
    await w.emu.waitFor(async () => (await commentsOn(w as BotWorld, id)).length === 4);
    w.clock.advance(60 * 60_000);
    group.post(clientA, 'Не открывается 1С, пишет ошибку лицензии');
    await group.waitForMessage(/Заявка #\d+ принята/);
    expect(await allTickets(w)).toHaveLength(3);
    await settled(w);
    // Staff's reply was read in the group: the bot does not repeat it there.
    expect(group.messages().filter((m) => (m.text ?? '').includes('Сейчас подойду'))).toHaveLength(1);
    // Nothing went to the requester's private chat: the group heard it all.
    expect(clientA.messages().filter((m) => /Заявка #/.test(m.text ?? ''))).toEqual([]);
  });

  it('files a stranger unverified, lists open requests on /status and sends /new to the private chat', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const group = await boundAlphaGroup(w);
    const stranger = w.emu.user({ id: 777_001, first_name: 'Пётр', last_name: 'Гость' });
    group.post(stranger, 'Не работает VPN из дома, помогите');
    await group.waitForMessage(/Заявка #\d+ принята/);
    const [ticket] = await allTickets(w);
    const person = await queryOne(w.ctx.db.select().from(people).where(eq(people.telegramUserId, 777_001)));
    expect(ticket).toMatchObject({ channel: 'telegram_group', companyId: null, line: 'line1' });
    expect(ticket?.requesterId).toBe(person?.id);

    group.post(w.tg('clientA'), '/status');
    const status = await group.waitForMessage('Открытые заявки группы: 1');
    expect(status.text).toContain(`#${ticket?.number}`);

    // A screenshot with no words is a request too: its file is kept with the ticket.
    group.postPhoto(w.tg('clientA'));
    await w.emu.waitFor(async () => (await allTickets(w as BotWorld)).length === 2);
    const shot = (await allTickets(w))[1];
    expect(shot).toMatchObject({
      channel: 'telegram_group',
      requesterId: w.ids.clientA,
      companyId: w.companyA,
    });
    expect(
      (
        await queryAll(
          w.ctx.db
            .select()
            .from(attachments)
            .where(eq(attachments.ticketId, shot?.id ?? 0)),
        )
      ).map((a) => a.kind),
    ).toEqual(['photo']);

    group.post(w.tg('clientA'), '/new');
    const invite = await group.waitForMessage('в личном чате');
    const button = invite.reply_markup?.inline_keyboard[0]?.[0];
    expect(button && 'url' in button ? button.url : '').toMatch(/^https:\/\/t\.me\/\w+\?start=new$/);
    expect(await allTickets(w)).toHaveLength(2);
  });
});

describe('staff sorting what a group filed', { timeout: 30_000 }, () => {
  it('join a repeated request into the first in one tap, and cancel chatter taken for a request', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const group = await boundAlphaGroup(w);
    const clientA = w.tg('clientA');
    const line1 = w.tg('line1');
    w.tg('line1b');

    const first = group.post(clientA, 'Не печатает принтер в бухгалтерии');
    await group.waitForMessage(/Заявка #\d+ принята/);
    // Outside the follow-on window: the same problem in other words becomes a second ticket.
    w.clock.advance(10 * 60_000);
    const again = group.post(clientA, 'Принтер так и не печатает, пробовала перезагрузить');
    await group.waitForMessage(/Заявка #\d+ принята/);
    const [kept, repeat] = await allTickets(w);
    if (!kept || !repeat) throw new Error('two tickets expected');

    // The 1st line's card of the second one offers to join it into the first.
    const card = await line1.waitForMessage(
      (m) =>
        (m.text ?? '').includes(`#${repeat.number}`) && labelsOf(m).some((l) => l.includes('Объединить')),
    );
    line1.press(card, button(card, `Объединить с #${kept.number}`));
    await w.emu.waitFor(async () => (await ticketOf(w as BotWorld, repeat.id))?.status === 'cancelled');
    expect((await commentsOn(w, kept.id)).map((c) => [c.authorId, c.body])).toEqual([
      [w.ids.clientA, 'Принтер так и не печатает, пробовала перезагрузить'],
    ]);
    expect((await ticketOf(w, kept.id))?.status).not.toBe('cancelled');
    // A reply in the second thread now lands on the first.
    group.post(clientA, 'Модель HP 1020', { replyTo: again });
    await w.emu.waitFor(async () => (await commentsOn(w as BotWorld, kept.id)).length === 2);
    // The client is told in the group, as a reply to their second message.
    const told = await group.waitForMessage(
      (m) => m.reply_to_message?.message_id === again.message_id && (m.text ?? '').includes('объединена'),
    );
    expect(told.text).toContain(`#${kept.number}`);

    w.clock.advance(60 * 60_000);
    group.post(clientA, 'Коллеги, кто сегодня заказывает обед в офис на всех?');
    await group.waitForMessage(/Заявка #\d+ принята/);
    const chatter = (await allTickets(w)).at(-1);
    const chatterCard = await line1.waitForMessage(
      (m) =>
        (m.text ?? '').includes(`#${chatter?.number}`) && labelsOf(m).some((l) => l.includes('Не заявка')),
    );
    line1.press(chatterCard, button(chatterCard, 'Не заявка'));
    await w.emu.waitFor(
      async () => (await ticketOf(w as BotWorld, chatter?.id ?? 0))?.status === 'cancelled',
    );
    expect(first.message_id).toBeGreaterThan(0);
  });
});

describe('told in private, when the person asks', { timeout: 30_000 }, () => {
  it('the link under the answer opens the private chat; from then on their group requests are told there', async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const group = await boundAlphaGroup(w);
    const clientA = w.tg('clientA');
    w.tg('line1');
    w.tg('line1b');
    group.post(clientA, 'Не печатает принтер в бухгалтерии');
    const accepted = await group.waitForMessage(/Заявка #\d+ принята/);
    const link = accepted.reply_markup?.inline_keyboard.flat().find((b) => 'url' in b);
    expect(link && 'url' in link ? link.url : '').toMatch(/^https:\/\/t\.me\/\w+\?start=group_private$/);
    const [ticket] = await allTickets(w);
    const id = ticket?.id ?? 0;

    clientA.send('/start group_private');
    const confirmed = await clientA.waitForMessage('буду сообщать здесь, лично');
    await addComment(w.ctx, w.as.line1, id, { body: 'Подойду через 10 минут' });
    await w.bot().notifier.poke();
    await clientA.waitForMessage('Подойду через 10 минут');
    expect(group.messages().filter((m) => (m.text ?? '').includes('Подойду'))).toEqual([]);

    clientA.press(confirmed, button(confirmed, 'Сообщать в группе'));
    await clientA.waitForMessage('снова сообщаю в группе');
    await addComment(w.ctx, w.as.line1, id, { body: 'Уже иду' });
    await w.bot().notifier.poke();
    await group.waitForMessage('Уже иду');
  });
});

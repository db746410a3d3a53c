// The group intake in core (core/groups/intake.ts), message by message: what a redelivered update, an
// unbound group, a closed ticket, the follow-on window, staff talk and a flood do.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bindGroup, boundGroup, moveGroupChat } from '../core/groups/binding.ts';
import { type GroupMessage, takeGroupMessage } from '../core/groups/intake.ts';
import { SYSTEM } from '../core/permissions.ts';
import { act } from '../core/tickets/act.ts';
import { queryAll, queryOne } from '../db/access.ts';
import { comments, outbox, people, tickets } from '../db/schema.ts';
import { makeWorld, type PersonKey, storeSnapshot, type World } from './fixtures.ts';

const CHAT = -100_777;

async function bound(): Promise<World> {
  const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
  await bindGroup(w.ctx, SYSTEM, {
    chatId: CHAT,
    title: 'Alpha & IT',
    language: 'ru',
    companyId: w.companyA,
  });
  return w;
}

let nextId = 0;
async function message(
  w: World,
  who: PersonKey,
  text: string,
  extra: Partial<GroupMessage> = {},
): Promise<GroupMessage> {
  const person = await queryOne(w.ctx.db.select().from(people).where(eq(people.id, w.ids[who])));
  return {
    chatId: CHAT,
    messageId: ++nextId,
    from: { telegramUserId: person?.telegramUserId ?? 0, name: person?.name ?? '' },
    text,
    media: 'none',
    files: [],
    ...extra,
  };
}

const ticketCount = async (w: World) => (await queryAll(w.ctx.db.select().from(tickets))).length;

describe('a group message in core', () => {
  it('makes nothing the second time it is delivered', async () => {
    const w = await bound();
    const m = await message(w, 'clientA', 'Не работает VPN из дома');
    const first = await takeGroupMessage(w.ctx, m);
    expect(first.kind).toBe('created');
    const after = await storeSnapshot(w.ctx.db);
    const again = await takeGroupMessage(w.ctx, m);
    expect(again).toEqual({ kind: 'duplicate', ticketId: first.kind === 'created' ? first.ticket.id : -1 });
    expect(await storeSnapshot(w.ctx.db)).toBe(after);
  });

  it('ignores a group bound to nobody and writes nothing', async () => {
    const w = await makeWorld();
    const before = await storeSnapshot(w.ctx.db);
    expect(await takeGroupMessage(w.ctx, await message(w, 'clientA', 'Не работает VPN'))).toEqual({
      kind: 'ignored',
      reason: 'not_bound',
    });
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('joins more words within the window, and opens a new ticket after it', async () => {
    const w = await bound();
    await takeGroupMessage(w.ctx, await message(w, 'clientA', 'Не печатает принтер'));
    w.clock.advance(2 * 60_000);
    expect(
      (await takeGroupMessage(w.ctx, await message(w, 'clientA', 'Горит красная лампа на принтере'))).kind,
    ).toBe('commented');
    // The window runs from the last message that went in.
    w.clock.advance(2 * 60_000);
    expect(
      (await takeGroupMessage(w.ctx, await message(w, 'clientA', 'И бумага застряла внутри'))).kind,
    ).toBe('commented');
    w.clock.advance(4 * 60_000);
    expect(
      (await takeGroupMessage(w.ctx, await message(w, 'clientA', 'Теперь не открывается почта'))).kind,
    ).toBe('created');
    expect(await ticketCount(w)).toBe(2);
  });

  it('files a reply to a closed ticket as a new one, and leaves staff talk alone', async () => {
    const w = await bound();
    const opened = await message(w, 'clientA', 'Не печатает принтер');
    const first = await takeGroupMessage(w.ctx, opened);
    if (first.kind !== 'created') throw new Error('not filed');
    await act(w.ctx, w.as.line1, first.ticket.id, { action: 'cancel', reason: 'duplicate' });
    w.clock.advance(3_600_000);
    const reply = await takeGroupMessage(
      w.ctx,
      await message(w, 'clientA', 'Снова не печатает принтер', { replyTo: opened.messageId }),
    );
    expect(reply.kind).toBe('created');
    expect(
      await takeGroupMessage(w.ctx, await message(w, 'line1', 'Коллеги, обновление сервера в пятницу')),
    ).toEqual({
      kind: 'ignored',
      reason: 'staff',
    });
    expect(await ticketCount(w)).toBe(2);
    expect(await queryAll(w.ctx.db.select().from(comments))).toEqual([]);
  });

  it('asks the group nothing for chatter and stops a flood of new tickets from one person', async () => {
    const w = await bound();
    for (const text of ['спасибо!', 'ок', '👍👍', 'всем привет'])
      expect(await takeGroupMessage(w.ctx, await message(w, 'clientA2', text))).toMatchObject({
        kind: 'ignored',
      });
    expect(await queryAll(w.ctx.db.select().from(outbox))).toEqual([]);
    // Past the follow-on window each time, so each would be a ticket of its own.
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      w.clock.advance(3.5 * 60_000);
      outcomes.push(
        (await takeGroupMessage(w.ctx, await message(w, 'clientA', `Не работает компьютер номер ${i + 1}`)))
          .kind,
      );
    }
    expect(outcomes.filter((k) => k === 'created')).toHaveLength(10);
    expect(outcomes.slice(10)).toEqual(['rate_limited', 'rate_limited']);
  });
});

describe('a group that becomes a supergroup', () => {
  it('keeps its binding and its tickets under the new chat id; replies there land on them', async () => {
    const w = await bound();
    const opened = await message(w, 'clientA', 'Не печатает принтер');
    const first = await takeGroupMessage(w.ctx, opened);
    if (first.kind !== 'created') throw new Error('not filed');
    const NEW_CHAT = -1_009_999;
    expect(await moveGroupChat(w.ctx, CHAT, NEW_CHAT)).toBe(true);
    expect(await boundGroup(w.ctx, CHAT)).toBeUndefined();
    expect((await boundGroup(w.ctx, NEW_CHAT))?.companyId).toBe(w.companyA);
    w.clock.advance(3_600_000);
    const reply = await takeGroupMessage(w.ctx, {
      ...(await message(w, 'clientA', 'Всё ещё не печатает')),
      chatId: NEW_CHAT,
      replyTo: opened.messageId,
    });
    expect(reply).toMatchObject({ kind: 'commented', ticket: { id: first.ticket.id } });
    // Moving a chat nobody bound changes nothing.
    expect(await moveGroupChat(w.ctx, -1, -2)).toBe(false);
  });
});

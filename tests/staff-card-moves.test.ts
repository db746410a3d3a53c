// A staff card offers each person only the moves core allows them now, and a move refused after its
// text was typed says why (role or status) and gives the text back.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { renderCard } from '../bot/staff/card.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { queryOne } from '../db/access.ts';
import { tickets } from '../db/schema.ts';
import { translator } from '../locales/index.ts';
import { type BotWorld, botWorld, button, labels } from './bot-harness.ts';
import { makeWorld } from './fixtures.ts';

const ru = translator('ru');
const buttonsOf = (card: { keyboard: { inline_keyboard: { text: string }[][] } }) =>
  card.keyboard.inline_keyboard.flat().map((b) => b.text);

describe('the card’s buttons', () => {
  it('are the moves of the person looking: a field engineer gets no escalation, priority or assignment', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      description: 'Сломался сервер',
    });
    await act(w.ctx, w.as.line1, t.id, { action: 'triage', line: 'field', assigneeId: w.ids.field });
    const taken = (await act(w.ctx, w.as.field, t.id, { action: 'take' })).ticket;

    const forField = buttonsOf(await renderCard(w.ctx, ru, 'ru', taken, { personId: w.ids.field }));
    expect(forField).toEqual(expect.arrayContaining(['❓ Спросить клиента', '✔️ Решено', '🔄 Обновить']));
    for (const hidden of ['⬆️ На 2-ю линию', '⚡ Приоритет', '👤 Назначить']) {
      expect(forField).not.toContain(hidden);
    }
    const forLine1 = buttonsOf(await renderCard(w.ctx, ru, 'ru', taken, { personId: w.ids.line1 }));
    expect(forLine1).toEqual(expect.arrayContaining(['⬆️ На 2-ю линию', '⚡ Приоритет', '👤 Назначить']));
    // The staff group's card (nobody in particular) keeps every staff move.
    expect(buttonsOf(await renderCard(w.ctx, ru, 'ru', taken, { personId: null }))).toContain(
      '⬆️ На 2-ю линию',
    );
    // No empty rows are left where buttons were dropped.
    expect(
      (await renderCard(w.ctx, ru, 'ru', taken, { personId: w.ids.field })).keyboard.inline_keyboard.every(
        (row) => row.length > 0,
      ),
    ).toBe(true);
  });
});

describe('the card’s deadlines', () => {
  it('name the zone when the ticket’s company keeps another time than the desk', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const a = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Москва' });
    const b = await createTicket(w.ctx, w.as.clientB, { channel: 'telegram', description: 'Круглосуточно' });
    const cardA = (await renderCard(w.ctx, ru, 'ru', a, { personId: w.ids.line1 })).text;
    const cardB = (await renderCard(w.ctx, ru, 'ru', b, { personId: w.ids.line1 })).text;
    // Company A works on Moscow time, as the desk does; B's 24/7 contract keeps UTC.
    expect(cardA).toMatch(/Реакция: до 2026-11-09 \d\d:\d\d \(осталось/);
    expect(cardB).toMatch(/Реакция: до 2026-11-09 \d\d:\d\d \(UTC\) \(осталось/);
  });
});

describe('a move refused after its text was typed', () => {
  let w: BotWorld | undefined;
  afterEach(async () => {
    await w?.close();
    expect(w?.errors ?? []).toEqual([]);
    w = undefined;
  });

  it('says it is the status and gives the text back', async () => {
    w = await botWorld();
    const engineer = w.tg('line1');
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Нет звука' });
    const card = await engineer.waitForMessage('Новая заявка');
    engineer.press(card, button(card, 'Взять'));
    const taken = await engineer.waitForMessage(
      (m) => m.message_id === card.message_id && labels(m).some((l) => l.includes('Решено')),
    );
    engineer.press(taken, button(taken, 'Решено'));
    const prompt = await engineer.waitForMessage('описанием решения');
    // Meanwhile the client cancels the request.
    await act(w.ctx, w.as.clientA, t.id, { action: 'cancel', reason: 'Само заработало' });
    engineer.send('Переустановил драйвер звука', { replyTo: prompt });
    const refused = await engineer.waitForMessage('Это действие сейчас недоступно').catch((e) => {
      throw new Error(
        `${e}\n${engineer
          .inbox()
          .map((m) => m.text)
          .join('\n---\n')}`,
      );
    });
    expect(refused.text).toContain('в статусе «Отменена» так нельзя');
    expect(refused.text).toContain('Ваш текст, чтобы не набирать заново:\nПереустановил драйвер звука');
  });

  it('sets a priority directly from the priority menu (P1–P4), overriding the matrix', async () => {
    w = await botWorld();
    const engineer = w.tg('line1');
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      description: 'Нет сети',
      urgency: 'low',
    });
    const card = await engineer.waitForMessage('Новая заявка');
    engineer.press(card, button(card, 'Приоритет'));
    const menu = await engineer.waitForMessage(
      (m) => m.message_id === card.message_id && labels(m).includes('P2'),
    );
    expect(labels(menu)).toEqual(expect.arrayContaining(['P1', 'P2', 'P3', '✓ P4']));
    engineer.press(menu, button(menu, 'P2'));
    await engineer.waitForMessage(
      (m) => m.message_id === card.message_id && (m.text ?? '').includes('#1001 · P2'),
    );
    expect((await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id))))?.priority).toBe(
      'P2',
    );
  });
});

// A crash at the worst moment of the intake: the bot runs in its own process (bench/crash-harness.ts),
// the emulator holds one of its calls on the wire, and the process is SIGKILLed right then — the update
// never finishes and the intake's draft is not written (it is written after the whole update).
// Then a new process starts on the same store and the person goes on with what they see.
import type { Message } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { type CrashDesk, crashDesk, latest, ticketsOf } from '../bench/crash-harness.ts';
import { runCrashIntake } from '../bench/crash-intake.ts';
import { queryOne } from '../db/access.ts';
import type { TestUser } from '../emulator/index.ts';

let d: CrashDesk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

/** A cold start of the bot process (tsx) takes a second or two; a few of them per test. */
const SLOW = 60_000;

/** /new → category → one line of description → Done → impact → urgency → location: the summary. */
async function toSummary(desk: CrashDesk, u: TestUser, what: string): Promise<Message> {
  u.send('/new');
  u.press(await u.waitForMessage('Выберите категорию'), `c:${desk.printer}`);
  await u.waitForMessage('Опишите проблему');
  u.send(what);
  u.press(await u.waitForMessage('Добавлено'), 'done');
  u.press(await u.waitForMessage('Сколько людей'), 'i:person');
  u.press(await u.waitForMessage('Насколько срочно'), 'u:medium');
  await u.waitForMessage('Где это');
  u.send('Кабинет 12');
  return u.waitForMessage('Проверьте заявку');
}

const events = async (desk: CrashDesk, ticketId: number) =>
  await queryOne(
    desk.db.$client.prepare('select count(*) from ticket_events where ticket_id = ?').pluck(),
    ticketId,
  );
const notices = async (desk: CrashDesk) =>
  await queryOne(desk.db.$client.prepare('select count(*) from outbox').pluck());

describe('a crash during the intake', () => {
  it(
    'between the ticket’s commit and "accepted": the next Send answers "already accepted", nothing is filed twice',
    async () => {
      d = await crashDesk();
      const desk = d;
      await desk.start();
      const u = desk.emu.user({ id: 7_001, first_name: 'Анна', language_code: 'ru' });
      const summary = await toSummary(desk, u, 'Не печатает принтер');
      // "accepted" is held before it reaches the person; the ticket is committed by then.
      desk.emu.faults.inject({ kind: 'hold', method: 'sendMessage', chatId: u.id, textIncludes: 'принята' });
      u.press(summary, 'send');
      await desk.emu.waitFor(() => desk.emu.faults.held() === 1);
      const [ticket] = ticketsOf(desk.db, u.id);
      expect(ticket).toBeDefined();
      const written = { events: await events(desk, ticket?.id ?? 0), notices: await notices(desk) };
      await desk.kill();
      await desk.start();
      expect(latest(u, 'принята')).toBeUndefined(); // the person never saw it
      u.press(summary, 'send'); // so they press Send again
      const again = await u.waitForMessage('уже принята');
      expect(again.text).toBe(`Заявка уже принята: #${ticket?.number}.`);
      expect(ticketsOf(desk.db, u.id)).toEqual([ticket]);
      // No second event and no second round of notices.
      expect({ events: await events(desk, ticket?.id ?? 0), notices: await notices(desk) }).toEqual(written);
      // The intake is over: /new starts a new request.
      u.send('/new');
      await u.waitForMessage('Выберите категорию');
    },
    SLOW,
  );

  it(
    'after "accepted" got out, before the state was saved: Send again says so, and /new starts afresh',
    async () => {
      d = await crashDesk();
      const desk = d;
      await desk.start();
      const anna = desk.emu.user({ id: 7_011, first_name: 'Анна', language_code: 'ru' });
      const boris = desk.emu.user({ id: 7_012, first_name: 'Борис', language_code: 'ru' });
      const summaries = [await toSummary(desk, anna, 'Нет сети'), await toSummary(desk, boris, 'Нет почты')];
      // Both see "accepted"; the answers stay on the wire and the process dies.
      for (const u of [anna, boris]) {
        desk.emu.faults.inject({
          kind: 'hold',
          method: 'sendMessage',
          chatId: u.id,
          textIncludes: 'принята',
          afterApplying: true,
        });
      }
      anna.press(summaries[0] as Message, 'send');
      boris.press(summaries[1] as Message, 'send');
      await desk.emu.waitFor(() => desk.emu.faults.held() === 2);
      const [annas] = ticketsOf(desk.db, anna.id);
      const [boriss] = ticketsOf(desk.db, boris.id);
      expect(latest(anna, 'принята')?.text).toContain(`#${annas?.number} принята`);
      await desk.kill();
      await desk.start();

      // Anna presses Send under the old summary again: told, not filed twice.
      anna.press(summaries[0] as Message, 'send');
      expect((await anna.waitForMessage('уже принята')).text).toBe(`Заявка уже принята: #${annas?.number}.`);
      anna.send('/new');
      await anna.waitForMessage('Выберите категорию');

      // Boris sends /new while the old draft still waits at the summary: no dead end.
      boris.send('/new');
      const category = await boris.waitForMessage('Выберите категорию');
      expect(latest(boris, 'уже принята')?.text).toBe(`Заявка уже принята: #${boriss?.number}.`);
      expect(boris.inbox().some((m) => m.text?.includes('выберите вариант кнопкой'))).toBe(false);
      boris.press(category, `c:${desk.printer}`);
      await boris.waitForMessage('Опишите проблему');

      expect(ticketsOf(desk.db, anna.id)).toEqual([annas]);
      expect(ticketsOf(desk.db, boris.id)).toEqual([boriss]);
    },
    SLOW,
  );

  it(
    'between sending the next question and saving: the person answers what they see and goes on',
    async () => {
      d = await crashDesk();
      const desk = d;
      await desk.start();
      const u = desk.emu.user({ id: 7_021, first_name: 'Вера', language_code: 'ru' });
      u.send('/new');
      const categories = await u.waitForMessage('Выберите категорию');

      // 1. The description question got out; the process died before saving that the category was chosen.
      desk.emu.faults.inject({
        kind: 'hold',
        method: 'sendMessage',
        chatId: u.id,
        textIncludes: 'Опишите проблему',
        afterApplying: true,
      });
      u.press(categories, `c:${desk.printer}`);
      await desk.emu.waitFor(() => desk.emu.faults.held() === 1);
      await desk.kill();
      await desk.start();
      u.send('Сканер не видит сеть'); // the answer to the question on screen
      // The category question comes again, at the bottom, with its buttons; then the description.
      const askedAgain = await u.waitForMessage('Выберите категорию');
      expect(askedAgain.message_id).toBeGreaterThan(categories.message_id);
      u.press(askedAgain, `c:${desk.printer}`);
      await u.waitForMessage('Опишите проблему');
      u.send('Сканер не видит сеть');
      const added = await u.waitForMessage('Добавлено');

      // 2. The impact question got out; the process died before saving that Done was pressed.
      desk.emu.faults.inject({
        kind: 'hold',
        method: 'sendMessage',
        chatId: u.id,
        textIncludes: 'Сколько людей',
        afterApplying: true,
      });
      u.press(added, 'done');
      await desk.emu.waitFor(() => desk.emu.faults.held() === 1);
      const impact = latest(u, 'Сколько людей') as Message;
      await desk.kill();
      await desk.start();
      u.press(impact, 'i:department'); // a button of the question on screen
      await desk.emu.waitFor(() => u.answers().at(-1)?.text?.includes('Бот перезапускался'));
      // What was kept is said, and Done is offered again.
      const resumed = await u.waitForMessage('Сохранено сообщений: 1');
      u.press(resumed, 'done');
      u.press(await u.waitForMessage('Сколько людей'), 'i:department');
      u.press(await u.waitForMessage('Насколько срочно'), 'u:high');
      await u.waitForMessage('Где это');
      u.send('Склад');
      const summary = await u.waitForMessage('Проверьте заявку');
      expect(summary.text).toContain('Сканер не видит сеть');
      u.press(summary, 'send');
      await u.waitForMessage('принята');
      expect(ticketsOf(desk.db, u.id)).toHaveLength(1);
      expect(u.answers().filter((a) => a.text === 'Эта кнопка уже неактуальна.')).toEqual([]);
    },
    SLOW,
  );
});

describe('SIGKILL at random moments during concurrent intakes', () => {
  it('loses nothing, files nothing twice, leaves nobody stuck (10 intakes, 3 kills)', async () => {
    const figures = await runCrashIntake({ intakes: 10, kills: 3, seed: 11 });
    expect(figures.kills).toBe(3);
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, stuck: 0, unfinished: 0, wrongNumber: 0 });
    expect(figures.accepted).toBe(10);
  }, 180_000);
});

// Crash drill of the intake: CRASH_INTAKES people (default 100) file a request each through the emulator at
// once, while the bot's process is SIGKILLed CRASH_KILLS times (default 10) at random moments and started
// again on the same SQLite file. People behave as people do: they answer the newest question on their
// screen; when nothing comes for a while they do it again; a button the bot calls out of date, or anything
// they do not recognise, makes them start over with /new. At the end every person sends /new once more.
// Asserted: 0 lost (everyone who saw "принята" has that ticket), 0 duplicated (nobody has two), 0 stuck
// (every chat can start a new request), 0 unfinished. `npm run bench:crash`; CRASH_SEED repeats a run.
import { pathToFileURL } from 'node:url';
import type { Message } from 'grammy/types';
import { seededRandom } from '../core/seeded-random.ts';
import type { TestUser } from '../emulator/index.ts';
import { translator } from '../locales/index.ts';
import { type CrashDesk, crashDesk, ticketsOf } from './crash-harness.ts';
import { envInt, printTable } from './output.ts';

export interface CrashFigures {
  intakes: number;
  kills: number;
  /** People who saw "принята" (or "уже принята") with the number of their one ticket. */
  accepted: number;
  /** Saw "принята" but have no ticket. */
  lost: number;
  /** Have more than one ticket. */
  duplicated: number;
  /** The number they were told is not their ticket's. */
  wrongNumber: number;
  /** Never saw "принята" before the deadline. */
  unfinished: number;
  /** /new at the end did not start a new request. */
  stuck: number;
  /** "уже принята" answers: a Send (or /new) after a crash that had filed the request already. */
  alreadyAccepted: number;
  /** Questions asked again: after a press on a question lost in a crash, or text where a button was due. */
  askedAgain: number;
  /** "Out of date" answers that sent a person back to /new. */
  startedOver: number;
  /** Actions people took, and how many were repeats after a silence. */
  actions: number;
  repeats: number;
  /** Notices left as dead letters: cut off by a kill mid-send, or sent with an uncertain outcome. */
  deadLetters: number;
  seconds: number;
}

export interface CrashOptions {
  intakes: number;
  kills: number;
  seed: number;
  /** A person who hears nothing this long does their last step again (ms). */
  patienceMs?: number;
  /** The whole drill gives up after this long (ms). */
  deadlineMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Steps of the intake an undisturbed person takes: /new, category, text, Done, impact, urgency, place, Send. */
const STEPS = 8;
const FIRST_ID = 810_000;

/** What the bot answers to a button of an intake that is over or was lost: the people start over. */
const STALE = new Set(['intake-stale-button', 'stale-button-start-over'].map((key) => translator('ru')(key)));
const sawAccepted = (u: TestUser) => u.inbox().some((m) => /принята/.test(m.text ?? ''));

export async function runCrashIntake(options: CrashOptions): Promise<CrashFigures> {
  const { intakes, kills, seed } = options;
  const patience = options.patienceMs ?? 4_000;
  const random = seededRandom(seed);
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 60_000 + intakes * 1_000 + kills * 5_000);
  const desk = await crashDesk();
  try {
    await desk.start();
    const counts = { actions: 0, repeats: 0, startedOver: 0 };
    const people = Array.from({ length: intakes }, (_, i) =>
      desk.emu.user({ id: FIRST_ID + i, first_name: `Клиент ${i + 1}`, language_code: 'ru' }),
    );
    const pauses = people.map(() => seededRandom(Math.floor(random() * 2 ** 32)));
    const walks = people.map((u, i) => walk(desk, u, i, pauses[i] ?? random, counts, patience, deadline));

    // Kill moments are spread over the actions the intakes take, each right after an action (so inside
    // the handling of an update as often as not), a random few milliseconds later.
    let killed = 0;
    for (let k = 1; k <= kills; k++) {
      const due = Math.floor((k * STEPS * intakes) / (kills + 1));
      while (counts.actions < due && Date.now() < deadline && !people.every(sawAccepted)) await pause(2);
      if (Date.now() >= deadline || people.every(sawAccepted)) break;
      await pause(random() * 60);
      await desk.kill();
      killed++;
      await desk.start();
    }
    await Promise.all(walks);

    // Everybody starts over once: a chat that cannot is stuck.
    let stuck = 0;
    await Promise.all(
      people.map(async (u) => {
        const before = u.inbox().at(-1)?.message_id ?? 0;
        u.send('/new');
        try {
          await desk.emu.waitFor(
            () => u.inbox().some((m) => m.message_id > before && m.text?.includes('Выберите категорию')),
            15_000,
          );
        } catch {
          stuck++;
        }
      }),
    );

    const figures: CrashFigures = {
      intakes,
      kills: killed,
      accepted: 0,
      lost: 0,
      duplicated: 0,
      wrongNumber: 0,
      unfinished: 0,
      stuck,
      alreadyAccepted: 0,
      askedAgain: 0,
      startedOver: counts.startedOver,
      actions: counts.actions,
      repeats: counts.repeats,
      deadLetters: desk.db.$client
        .prepare(`select count(*) from outbox where state = 'dead'`)
        .pluck()
        .get() as number,
      seconds: (Date.now() - started) / 1000,
    };
    for (const u of people) {
      const tickets = ticketsOf(desk.db, u.id);
      const told = u
        .inbox()
        .filter((m) => m.text?.includes('принята'))
        .map((m) => Number(/#(\d+)/.exec(m.text ?? '')?.[1]));
      figures.alreadyAccepted += u.inbox().filter((m) => m.text?.includes('уже принята')).length;
      figures.askedAgain +=
        u.answers().filter((a) => a.text?.includes('Бот перезапускался')).length +
        u.inbox().filter((m) => m.text?.startsWith('Пожалуйста, выберите вариант кнопкой')).length;
      if (tickets.length > 1) figures.duplicated++;
      if (!sawAccepted(u)) {
        figures.unfinished++;
        continue;
      }
      if (tickets.length === 0) figures.lost++;
      else if (told.some((n) => n !== tickets[0]?.number)) figures.wrongNumber++;
      else if (tickets.length === 1) figures.accepted++;
    }
    return figures;
  } finally {
    await desk.close();
  }
}

/** One person filing one request, answering what is on their screen. */
async function walk(
  desk: CrashDesk,
  u: TestUser,
  index: number,
  random: () => number,
  counts: { actions: number; repeats: number; startedOver: number },
  patience: number,
  deadline: number,
): Promise<void> {
  await pause(random() * 1_000);
  let seen = 0;
  let last: Message | undefined;
  const act = (message: Message | undefined) => {
    counts.actions++;
    last = message;
    const text = message?.text ?? '';
    if (!message || /\/new —|Заявку не отправили|Не удалось/.test(text)) return u.send('/new');
    if (text.includes('Выберите категорию')) return u.press(message, `c:${desk.printer}`);
    if (text.includes('Опишите проблему') || text.includes('пару слов'))
      return u.send(`Не работает принтер, клиент ${index + 1}`);
    if (text.includes('Добавлено') || text.includes('Сохранено сообщений')) return u.press(message, 'done');
    if (text.includes('Сколько людей')) return u.press(message, 'i:department');
    if (text.includes('Насколько срочно')) return u.press(message, 'u:high');
    if (text.includes('Где это')) return u.send(`Офис ${index + 1}`);
    if (text.includes('Проверьте заявку')) return u.press(message, 'send');
    return u.send('/new');
  };
  act(undefined);
  while (!sawAccepted(u) && Date.now() < deadline) {
    const answered = u.answers().length;
    const fresh = await desk.emu
      .waitFor(() => (u.inbox().at(-1)?.message_id ?? 0) > seen && u.inbox().at(-1), patience)
      .catch(() => undefined);
    if (sawAccepted(u)) return;
    await pause(20 + random() * 200);
    if (fresh) {
      seen = fresh.message_id;
      act(fresh);
      continue;
    }
    // Silence. A button the bot called out of date: start over; otherwise do the last step again.
    const toast = u.answers().slice(answered).at(-1)?.text;
    if (toast !== undefined && STALE.has(toast) && last) {
      counts.startedOver++;
      act(undefined);
    } else {
      counts.repeats++;
      act(last);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const intakes = envInt('CRASH_INTAKES', 100);
  const kills = envInt('CRASH_KILLS', 10);
  const seed = envInt('CRASH_SEED', 1);
  console.log(
    `Crash drill: ${intakes} concurrent intakes, ${kills} SIGKILLs at random moments, seed ${seed}`,
  );
  const f = await runCrashIntake({ intakes, kills, seed });
  printTable([
    ['figure', 'value', 'target'],
    ['intakes / kills (bot processes started)', `${f.intakes} / ${f.kills} (${f.kills + 1})`, ''],
    ['accepted, each with exactly one ticket', String(f.accepted), String(f.intakes)],
    ['lost (saw "принята", no ticket)', String(f.lost), '0'],
    ['duplicated (two tickets)', String(f.duplicated), '0'],
    ['told a wrong number', String(f.wrongNumber), '0'],
    ['unfinished (never saw "принята")', String(f.unfinished), '0'],
    ['stuck (/new did not start a request)', String(f.stuck), '0'],
    ['"уже принята" answers after a crash', String(f.alreadyAccepted), ''],
    ['questions asked again', String(f.askedAgain), ''],
    ['started over after an out-of-date button', String(f.startedOver), ''],
    ['actions / repeats after a silence', `${f.actions} / ${f.repeats}`, ''],
    ['dead letters (notices cut off mid-send)', String(f.deadLetters), ''],
    ['seconds', f.seconds.toFixed(1), ''],
  ]);
  const failed =
    f.lost + f.duplicated + f.wrongNumber + f.unfinished + f.stuck > 0 || f.accepted !== f.intakes;
  if (failed) {
    console.error('FAILED: the intake lost, duplicated or stuck a request under crashes');
    process.exit(1);
  }
  process.exit(0);
}

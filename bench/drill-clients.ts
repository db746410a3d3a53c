// The people of the multi-instance drill (bench/drill-harness.ts): each files one request through the guided
// intake (/new, category, description, Done, how many people, how urgent, where, Send), answering the newest
// question on their screen — one a crash made the desk ask again included — and the drill's checks of what
// the store and the emulator hold afterwards.
import type { Message } from 'grammy/types';
import { seededRandom } from '../core/seeded-random.ts';
import type { TestUser } from '../emulator/index.ts';
import type { DrillDesk } from './drill-harness.ts';

export interface ClientsOptions {
  clients: number;
  /** Telegram id of the first client; the rest follow. */
  firstId?: number;
  seed?: number;
  /**
   * Actions per second of all the people together (0: each acts as soon as the answer is there). Under
   * Telegram's limits the desk answers each action with a message, and all of them share 30 a second.
   */
  actionsPerSecond?: number;
  /** Least time a person takes between two actions (ms): reading, typing; 1 s keeps each chat's pace. */
  thinkMs?: number;
  /** A person who hears nothing this long does their last step again (ms). */
  patienceMs?: number;
  /** Everyone gives up after this long (ms). */
  deadlineMs?: number;
}

export interface ClientsRun {
  people: TestUser[];
  /** Messages sent and buttons pressed. */
  actions: number;
  /** Last steps done again after a silence. */
  repeats: number;
  /** Starts over with /new (an answer the person did not recognise). */
  restarts: number;
  /** From the first action to the last acceptance (s). */
  seconds: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Steps of the intake a person takes when nothing goes wrong. */
export const STEPS = 8;
export const FIRST_CLIENT_ID = 820_000;

/** The intake's messages in the dialogue's order; the acceptance last. */
const KINDS: readonly [number, RegExp][] = [
  [7, /принята/],
  [0, /Выберите категорию/],
  [1, /Опишите проблему/],
  [2, /^(Добавлено|Сохранено сообщений)/],
  [3, /Сколько людей/],
  [4, /Насколько срочно/],
  [5, /Где это/],
  [6, /Проверьте заявку/],
];

/** Where a bot message stands in the dialogue, or undefined for one that is not the intake's. */
export function intakeKind(message: Message): number | undefined {
  const text = message.text ?? '';
  return KINDS.find(([, pattern]) => pattern.test(text))?.[0];
}

/** The toast of a button the intake no longer takes (intake-stale-button). */
const STALE = /неактуальна/;

const accepted = (u: TestUser) => u.inbox().some((m) => intakeKind(m) === 7);

/** Resolves on the first change of the chat after which `check` holds, or after `ms` with undefined. */
function waitInChat<T>(u: TestUser, check: () => T | undefined, ms: number): Promise<T | undefined> {
  const now = check();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = (value: T | undefined) => {
      clearTimeout(timer);
      stop();
      resolve(value);
    };
    const stop = u.watch(() => {
      const value = check();
      if (value !== undefined) done(value);
    });
    const timer = setTimeout(() => done(undefined), ms);
  });
}

/** Hands out moments `1000 / rate` ms apart to whoever asks. */
function pacer(rate: number): () => Promise<void> {
  if (rate <= 0) return async () => undefined;
  const gap = 1000 / rate;
  let next = 0;
  return async () => {
    const now = Date.now();
    next = Math.max(next + gap, now);
    if (next > now) await pause(next - now);
  };
}

/**
 * `clients` people file one request each, all at once; resolves when every one saw "принята" (or the
 * deadline passed). `onAction` hears the running count of actions (the drill kills instances by it).
 */
export async function runClients(
  desk: DrillDesk,
  options: ClientsOptions,
  onAction: (actions: number) => void = () => undefined,
): Promise<ClientsRun> {
  const random = seededRandom(options.seed ?? 1);
  const firstId = options.firstId ?? FIRST_CLIENT_ID;
  const think = options.thinkMs ?? 0;
  const patience = options.patienceMs ?? 15_000;
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 120_000 + options.clients * 1_000);
  const slot = pacer(options.actionsPerSecond ?? 0);
  const counts = { actions: 0, repeats: 0, restarts: 0 };
  let lastAccepted = started;
  const people = Array.from({ length: options.clients }, (_, i) =>
    desk.emu.user({ id: firstId + i, first_name: `Клиент ${i + 1}`, language_code: 'ru' }),
  );

  const walk = async (u: TestUser, index: number, own: () => number) => {
    let lastActedOn = 0;
    let lastAction: (() => void) | undefined;
    let actedAt = 0;
    const act = async (message: Message | undefined) => {
      const wait = actedAt + think * (1 + own() * 0.5) - Date.now();
      if (wait > 0) await pause(wait);
      await slot();
      const text = message?.text ?? '';
      const kind = message ? intakeKind(message) : undefined;
      const doIt = (): void => {
        if (!message || kind === undefined) {
          if (message) counts.restarts++;
          u.send('/new');
        } else if (kind === 0) u.press(message, categoryButton(message));
        else if (kind === 1) u.send(`Не печатает принтер, клиент ${index + 1}`);
        else if (kind === 2) u.press(message, 'done');
        else if (kind === 3) u.press(message, 'i:department');
        else if (kind === 4) u.press(message, 'u:high');
        else if (kind === 5) u.send(`Офис ${index + 1}, этаж ${(index % 9) + 1}`);
        else if (kind === 6) u.press(message, 'send');
        else if (text) u.send('/new');
      };
      counts.actions++;
      actedAt = Date.now();
      lastAction = doIt;
      if (message) lastActedOn = message.message_id;
      doIt();
      onAction(counts.actions);
    };

    if (think > 0) await pause(own() * think * 2);
    await act(undefined);
    while (!accepted(u) && Date.now() < deadline) {
      // The newest bot message not acted on yet; a stale-button toast with nothing newer means start over.
      const answers = u.answers().length;
      const next = await waitInChat(
        u,
        () => {
          if (accepted(u)) return 'accepted' as const;
          const newest = u.inbox().at(-1);
          if (newest && newest.message_id > lastActedOn) return newest;
          return u.answers().length > answers ? ('toast' as const) : undefined;
        },
        patience,
      );
      if (next === 'accepted') break;
      if (next === undefined) {
        counts.repeats++;
        lastAction?.();
        continue;
      }
      if (next === 'toast') {
        // A button the desk calls out of date with nothing newer to answer: start over.
        const toast = u.answers().at(-1)?.text ?? '';
        const newest = u.inbox().at(-1)?.message_id ?? 0;
        if (STALE.test(toast) && newest <= lastActedOn) {
          counts.restarts++;
          await act(undefined);
        }
        continue;
      }
      await act(next);
    }
    if (accepted(u)) lastAccepted = Math.max(lastAccepted, Date.now());
  };

  await Promise.all(people.map((u, i) => walk(u, i, seededRandom(Math.floor(random() * 2 ** 32)))));
  return { people, ...counts, seconds: (lastAccepted - started) / 1000 };
}

function categoryButton(message: Message): string {
  const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
  const printer = buttons.find((b) => 'callback_data' in b && b.text.includes('Принтер'));
  const any = printer ?? buttons.find((b) => 'callback_data' in b);
  return any && 'callback_data' in any ? any.callback_data : 'c:0';
}

export interface DrillFigures {
  clients: number;
  /** Saw "принята" with the number of their one ticket. */
  accepted: number;
  /** Saw "принята" but have no ticket. */
  lost: number;
  /** More than one ticket. */
  duplicated: number;
  /** Told a number that is not their ticket's. */
  wrongNumber: number;
  /** Never saw "принята". */
  unfinished: number;
  tickets: number;
  /** Ticket numbers are 1001, 1002, … one per ticket, none missing, none twice. */
  numbersInOrder: boolean;
  /** Client chats whose intake messages are out of the dialogue's order or go on after the acceptance. */
  orderBroken: number;
  /** Bot messages in client chats that are not the intake's. */
  strayMessages: number;
  /** Notices in the outbox (Telegram), how many of them went out, and how many are left "sending". */
  notices: number;
  noticesSent: number;
  noticesSending: number;
  /** Texts shown twice in a chat the desk sent notices to. */
  duplicateNotices: number;
  /** Messages in the engineers' chats beyond the notices marked sent or sending. */
  unaccountedNotices: number;
  /** Engineers' chats whose notices are not in the tickets' order. */
  noticesOutOfOrder: number;
  /** Sends Telegram refused for its limits. */
  violations: number;
  /** The most messages the desk sent within one second. */
  peakSendsPerSecond: number;
  /** Error lines the instances logged. */
  errors: string[];
}

/** What the store and the emulator hold after the people are done. */
export async function checkDrill(desk: DrillDesk, people: TestUser[]): Promise<DrillFigures> {
  const tickets = await desk.tickets();
  const byClient = new Map<number, number[]>();
  for (const t of tickets) {
    if (t.telegramUserId === null) continue;
    byClient.set(t.telegramUserId, [...(byClient.get(t.telegramUserId) ?? []), t.number]);
  }
  const figures: DrillFigures = {
    clients: people.length,
    accepted: 0,
    lost: 0,
    duplicated: 0,
    wrongNumber: 0,
    unfinished: 0,
    tickets: tickets.length,
    numbersInOrder: tickets.every((t, i) => t.number === 1001 + i),
    orderBroken: 0,
    strayMessages: 0,
    notices: 0,
    noticesSent: 0,
    noticesSending: 0,
    duplicateNotices: 0,
    unaccountedNotices: 0,
    noticesOutOfOrder: 0,
    violations: desk.emu.violations.length,
    peakSendsPerSecond: peakPerSecond(
      desk.emu.calls.filter((c) => SENDING.has(c.method) && c.status === 200).map((c) => c.at),
    ),
    errors: [...desk.errors],
  };
  for (const u of people) {
    const mine = byClient.get(u.id) ?? [];
    const inbox = u.inbox();
    const told = inbox
      .filter((m) => intakeKind(m) === 7)
      .map((m) => Number(/#(\d+)/.exec(m.text ?? '')?.[1]));
    if (mine.length > 1) figures.duplicated++;
    if (told.length === 0) figures.unfinished++;
    else if (mine.length === 0) figures.lost++;
    else if (told.some((n) => n !== mine[0])) figures.wrongNumber++;
    else if (mine.length === 1) figures.accepted++;
    const kinds = inbox.map(intakeKind);
    figures.strayMessages += kinds.filter((k) => k === undefined).length;
    const known = kinds.filter((k): k is number => k !== undefined);
    const inOrder = known.every((k, i) => i === 0 || k >= (known[i - 1] ?? 0));
    const lastIsAcceptance = known.length > 0 && known.at(-1) === 7;
    if (!inOrder || (told.length > 0 && !lastIsAcceptance)) figures.orderBroken++;
  }
  const notices = await desk.notices();
  figures.notices = notices.length;
  figures.noticesSent = notices.filter((n) => n.state === 'sent').length;
  figures.noticesSending = notices.filter((n) => n.state === 'sending').length;
  for (const engineer of desk.staff) {
    const texts = engineer.inbox().map((m) => m.text ?? m.caption ?? '');
    figures.duplicateNotices += texts.length - new Set(texts).size;
    const theirs = notices.filter((n) => n.telegramUserId === engineer.id);
    const out = theirs.filter((n) => n.state === 'sent' || n.state === 'sending').length;
    figures.unaccountedNotices += Math.max(0, texts.length - out);
    const numbers = texts
      .map((t) => Number(/#(\d+)/.exec(t)?.[1] ?? Number.NaN))
      .filter((n) => !Number.isNaN(n));
    if (!numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? 0))) figures.noticesOutOfOrder++;
  }
  return figures;
}

const SENDING = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'sendMediaGroup', 'copyMessage']);

/** The most of `times` (ms) within any one second. */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] ?? 0) - (sorted[from] ?? 0) >= 1000) from++;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}

/** Every way the drill can fail, as lines; empty when it passed. */
export function drillFailures(f: DrillFigures): string[] {
  const failures: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  expect(f.accepted === f.clients, `${f.accepted} of ${f.clients} accepted with one ticket`);
  expect(f.lost === 0, `${f.lost} lost`);
  expect(f.duplicated === 0, `${f.duplicated} duplicated`);
  expect(f.wrongNumber === 0, `${f.wrongNumber} told a wrong number`);
  expect(f.unfinished === 0, `${f.unfinished} unfinished`);
  expect(f.tickets === f.clients, `${f.tickets} tickets for ${f.clients} clients`);
  expect(f.numbersInOrder, 'ticket numbers are not 1001… without a gap or a repeat');
  expect(f.orderBroken === 0, `${f.orderBroken} chats out of the dialogue's order`);
  expect(f.duplicateNotices === 0, `${f.duplicateNotices} notices shown twice`);
  expect(f.unaccountedNotices === 0, `${f.unaccountedNotices} messages to engineers beyond the notices sent`);
  expect(f.noticesOutOfOrder === 0, `${f.noticesOutOfOrder} engineers' chats with notices out of order`);
  expect(f.violations === 0, `${f.violations} sends over Telegram's limits`);
  expect(f.errors.length === 0, `instance errors: ${f.errors.slice(0, 5).join(' | ')}`);
  return failures;
}

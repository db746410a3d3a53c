// The bot as in production (runner, long polling, notifier) against the local Bot API emulator over HTTP,
// on a fresh store with the fixtures' people. `restart()` stops the process's bot and starts a new one
// on the same store, as a redeploy would.
import type { Message } from 'grammy/types';
import { expect } from 'vitest';
import { type RunningBot, startBot } from '../bot/run.ts';
import { queryAll } from '../db/access.ts';
import { people } from '../db/schema.ts';
import { type Emulator, startEmulator, type TestUser } from '../emulator/index.ts';
import { makeWorld, type PersonKey, type World, type WorldOptions } from './fixtures.ts';

export interface BotWorld extends World {
  emu: Emulator;
  bot: () => RunningBot;
  errors: unknown[];
  /** The emulated Telegram user of a fixture person. */
  tg(key: PersonKey, language?: 'ru' | 'en'): TestUser;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function botWorld(
  options: WorldOptions & { miniAppUrl?: string; filesDir?: string } = {},
): Promise<BotWorld> {
  const world = await makeWorld(options);
  // The fixture people as Telegram knows them, read once: tests ask for them synchronously.
  const staffAndClients = new Map(
    (await queryAll(world.ctx.db.select().from(people))).map((p) => [p.id, p] as const),
  );
  const emu = await startEmulator();
  const errors: unknown[] = [];
  const start = async () =>
    startBot({
      desk: world.ctx,
      token: emu.token,
      apiRoot: emu.apiRoot,
      onError: (e) => errors.push(e),
      // These tests are about what people see, not about flood limits (tests/notifier.test.ts is).
      limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
      ...(options.miniAppUrl ? { miniAppUrl: options.miniAppUrl } : {}),
      ...(options.filesDir ? { filesDir: options.filesDir } : {}),
    });
  let running = await start();
  return {
    ...world,
    emu,
    errors,
    bot: () => running,
    tg(key, language = 'ru') {
      const person = staffAndClients.get(world.ids[key]);
      if (!person?.telegramUserId) throw new Error(`${key} has no Telegram id`);
      return emu.user({ id: person.telegramUserId, first_name: person.name, language_code: language });
    },
    async restart() {
      await running.stop();
      running = await start();
    },
    async close() {
      await running.stop();
      await emu.close();
    },
  };
}

/** Walks the whole intake; `between` runs after every answer (e.g. a restart). */
export async function fileRequest(
  world: BotWorld,
  u: TestUser,
  between: () => Promise<void> = async () => {},
) {
  u.send('/new');
  const categories = await u.waitForMessage('Выберите категорию');
  await between();
  u.press(categories, `c:${world.category.printer}`);
  await u.waitForMessage('Опишите проблему');
  await between();
  u.send('Принтер зажевал бумагу');
  const added = await u.waitForMessage('Добавлено');
  await between();
  u.sendPhoto({ caption: 'Вот так горит лампочка' });
  const more = await u.waitForMessage(
    (m) => m.text?.includes('Добавлено') === true && m.message_id > added.message_id,
  );
  await between();
  u.press(more, 'done');
  const impact = await u.waitForMessage('Сколько людей');
  await between();
  u.press(impact, 'i:department');
  const urgency = await u.waitForMessage('Насколько срочно');
  await between();
  u.press(urgency, 'u:high');
  await u.waitForMessage('Где это');
  await between();
  u.send('Офис на Тверской, 3 этаж');
  const summary = await u.waitForMessage('Проверьте заявку');
  await between();
  expect(summary.text).toContain('Принтер зажевал бумагу\nВот так горит лампочка');
  expect(summary.text).toContain('Файлов: 1');
  u.press(summary, 'send');
  return u.waitForMessage('принята');
}

/**
 * The shortest whole intake, from /new to "accepted": the category whose label contains `category` (none:
 * the desk asks for none), one line of description, one person affected, work slowed, no place.
 */
export async function fileShortRequest(u: TestUser, category: string | null, description: string) {
  u.send('/new');
  if (category !== null) {
    const step = await u.waitForMessage('Выберите категорию');
    u.press(step, button(step, category));
  }
  await u.waitForMessage('Опишите проблему');
  u.send(description);
  u.press(await u.waitForMessage('Добавлено'), 'done');
  u.press(await u.waitForMessage('Сколько людей'), 'i:person');
  u.press(await u.waitForMessage('Насколько срочно'), 'u:medium');
  u.press(await u.waitForMessage('Где это'), 'skip');
  u.press(await u.waitForMessage('Проверьте заявку'), 'send');
  return u.waitForMessage('принята');
}

/** The callback data of the inline button whose label contains `label` (fails loudly with the labels). */
export function button(message: Message, label: string): string {
  const found = message.reply_markup?.inline_keyboard
    .flat()
    .find((b) => 'callback_data' in b && b.text.includes(label));
  if (!found || !('callback_data' in found)) {
    throw new Error(
      `No button "${label}" on message ${message.message_id}: ${JSON.stringify(labels(message))}`,
    );
  }
  return found.callback_data;
}

export const labels = (message: Message) =>
  message.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

// The bot as in production (runner, long polling, notifier) against the local Bot API emulator over HTTP,
// on a fresh store with the fixtures' people. `restart()` stops the process's bot and starts a new one
// on the same store, as a redeploy would.
import { eq } from 'drizzle-orm';
import { type RunningBot, startBot } from '../bot/run.ts';
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

export async function botWorld(options: WorldOptions = {}): Promise<BotWorld> {
  const world = makeWorld(options);
  const emu = await startEmulator();
  const errors: unknown[] = [];
  const start = () =>
    startBot({
      desk: world.ctx,
      token: emu.token,
      apiRoot: emu.apiRoot,
      onError: (e) => errors.push(e),
      // These tests are about what people see, not about flood limits (tests/notifier.test.ts is).
      limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
    });
  let running = await start();
  return {
    ...world,
    emu,
    errors,
    bot: () => running,
    tg(key, language = 'ru') {
      const person = world.ctx.db.select().from(people).where(eq(people.id, world.ids[key])).get();
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

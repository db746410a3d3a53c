// An update Telegram delivers again — a webhook post it retries, polling that resumes after a crash before
// the offset was confirmed — is handled once: the bot answers nothing more and changes nothing. The intake
// records the update with its draft, in one transaction; an update whose handling failed comes again and is
// handled then; the record is kept two days.
import type { Context } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { HANDLED_UPDATES_KEPT_MS, handledOnce, handledUpdates } from '../bot/handled-updates.ts';
import type { Emulator } from '../emulator/index.ts';
import { type BotWorld, botWorld } from './bot-harness.ts';
import { openTestStore } from './support/test-store.ts';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Every update the emulator handed to the bot, as it handed them. */
function delivered(emu: Emulator): Update[] {
  return emu.calls
    .filter((c) => c.method === 'getUpdates' && c.status === 200)
    .flatMap((c) => c.result as Update[]);
}

describe('an update delivered again', () => {
  it('is dropped: a part of the description is not added twice, a command not answered twice', async () => {
    w = await botWorld();
    const world = w;
    const u = w.tg('clientA');
    u.send('/new');
    u.press(await u.waitForMessage('Выберите категорию'), `c:${w.category.printer}`);
    await u.waitForMessage('Опишите проблему');
    u.send('Принтер в бухгалтерии не печатает');
    const added = await u.waitForMessage('Добавлено');
    const seen = u.inbox().length;

    // Telegram delivers the text and the /new again (the bot's answers never reached it, say).
    const again = delivered(w.emu).filter(
      (update) =>
        update.message?.text === 'Принтер в бухгалтерии не печатает' || update.message?.text === '/new',
    );
    expect(again).toHaveLength(2);
    for (const update of again) await world.bot().bot.handleUpdate(update);
    expect(u.inbox()).toHaveLength(seen);

    // The intake goes on from where it was: the description holds the text once.
    u.press(added, 'done');
    u.press(await u.waitForMessage('Сколько людей'), 'i:person');
    u.press(await u.waitForMessage('Насколько срочно'), 'u:medium');
    await u.waitForMessage('Где это');
    u.send('Кабинет 5');
    const summary = await u.waitForMessage('Проверьте заявку');
    expect(summary.text?.match(/Принтер в бухгалтерии не печатает/g)).toHaveLength(1);
    expect(world.errors).toEqual([]);
  });
});

describe('the record of handled updates', () => {
  const context = (updateId: number) => ({ update: { update_id: updateId } }) as unknown as Context;

  it('is written only when the handling succeeded, so a failed update is handled when it comes again', async () => {
    const db = await openTestStore();
    let now = 1_000;
    const once = handledOnce<Context>(db, () => now);
    let runs = 0;
    const failing = async () => {
      runs++;
      throw new Error('Telegram is down');
    };
    await expect(once(context(7), failing)).rejects.toThrow(/down/);
    await once(context(7), async () => {
      runs++;
    });
    await once(context(7), async () => {
      runs++;
    });
    expect(runs).toBe(2);
    expect(await handledUpdates(db).seen(7)).toBe(true);

    // Two days later the record is pruned (Telegram picks ids afresh only after a week without updates).
    now += HANDLED_UPDATES_KEPT_MS + 1;
    expect(await handledUpdates(db).prune(now - HANDLED_UPDATES_KEPT_MS)).toBe(1);
    expect(await handledUpdates(db).seen(7)).toBe(false);
    expect(await handledUpdates(db).next()).toBe(1);
  });
});

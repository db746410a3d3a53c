// The three-instance drill (issue 15): three tgdesk instances, each the real app in a process of its own
// (startApp, as `npm start` with DATABASE_URL), on one PostgreSQL, taking Telegram's updates by webhook from
// the emulator through a load balancer that answers 502 for a dead instance (bench/drill-harness.ts). People
// file a request each through the guided intake while a random instance — one in the middle of handling a
// post when there is one — is killed with SIGKILL and a new one started. Then: every person has exactly one
// ticket (numbers 1001… without a gap or a repeat), no notice is shown twice and each engineer's come in the
// tickets' order, every chat shows the intake in the dialogue's order with the acceptance last, the emulator
// refused nothing for Telegram's limits, and no instance logged an error.
//
// CI time: the people act at a person's pace (a second at least between two steps each, 20 steps a second
// together, so the desk's answers stay within Telegram's 30 messages a second), so 300 of them take two
// minutes; this test runs DRILL_TEST_CLIENTS people (default 100, about 40 s of intake) with 4 kills.
// `npm run bench:drill` runs the 300 with 10 kills, beside the throughput of one and three instances.
import type { Message } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrill } from '../../bench/drill.ts';
import { checkDrill, drillFailures, FIRST_CLIENT_ID } from '../../bench/drill-clients.ts';
import { DRILL_MAX_CONNECTIONS, type DrillInstance, drillDesk } from '../../bench/drill-harness.ts';
import type { TestUser } from '../../emulator/index.ts';
import { type PostgresServer, postgresAvailable, startPostgres } from '../support/postgres.ts';

const CLIENTS = Number(process.env.DRILL_TEST_CLIENTS ?? 100);
const KILLS = 4;

let server: PostgresServer | undefined;

describe.skipIf(!postgresAvailable())('three instances on one PostgreSQL, killed at random', () => {
  beforeAll(async () => {
    server = await startPostgres({ maxConnections: DRILL_MAX_CONNECTIONS });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('hands a press whose instance died after answering it to another, which takes the step', async () => {
    if (!server) throw new Error('no server');
    const desk = await drillDesk({ store: 'postgres', limits: false, postgres: server, staff: 1 });
    try {
      await desk.start();
      const u = desk.emu.user({ id: FIRST_CLIENT_ID - 1, first_name: 'Клиент', language_code: 'ru' });
      u.send('/new');
      const category = await u.waitForMessage('Выберите категорию', 15_000);
      u.press(category, buttonOf(category, 'Принтер'));
      await u.waitForMessage('Опишите проблему', 15_000);
      u.send('Не печатает принтер');
      u.press(await u.waitForMessage('Добавлено', 15_000), 'done');
      const impact = await u.waitForMessage('Сколько людей', 15_000);

      // The press is answered and the next question is on the screen; the instance dies before it saves.
      desk.emu.faults.inject({
        kind: 'hold',
        method: 'sendMessage',
        textIncludes: 'Насколько срочно',
        afterApplying: true,
      });
      u.press(impact, 'i:department');
      await desk.emu.waitFor(() => desk.emu.faults.held() === 1, 15_000);
      const handling = desk.live().filter((i) => i.handling > 0);
      expect(handling).toHaveLength(1);
      const [victim] = handling;
      if (!victim) throw new Error('nobody handles the press');
      await desk.kill(victim);
      desk.emu.faults.release();

      // Posted again (502, then another instance): its answer is refused as given already, the step is taken.
      await desk.emu.waitFor(
        () => u.inbox().filter((m) => m.text?.includes('Насколько срочно')).length === 2,
        15_000,
      );
      const refused = desk.emu.calls.filter((c) => c.method === 'answerCallbackQuery' && c.status === 400);
      expect(refused).toHaveLength(1);
      u.press(newest(u, 'Насколько срочно'), 'u:high');
      u.press(await u.waitForMessage('Где это', 15_000), 'skip');
      u.press(await u.waitForMessage('Проверьте заявку', 15_000), 'send');
      expect((await u.waitForMessage('принята', 15_000)).text).toMatch(/^Заявка #1001 принята/);
      expect(desk.balancer.badGateway).toBe(1);

      const figures = await checkDrill(desk, [u]);
      expect(figures).toMatchObject({ accepted: 1, tickets: 1, orderBroken: 0, strayMessages: 0 });
      expect(desk.errors).toEqual([]);
    } finally {
      await desk.close();
    }
  }, 120_000);

  it('moves the SLA scheduler to another instance within seconds when the one running it is killed', async () => {
    if (!server) throw new Error('no server');
    const desk = await drillDesk({ store: 'postgres', limits: false, postgres: server, staff: 1 });
    try {
      await desk.start();
      await desk.start();
      const sweeps = async (instance: DrillInstance) => {
        const health = await fetch(`http://127.0.0.1:${instance.port}/healthz`);
        const body = (await health.json()) as { checks: { scheduler?: { lastRunAt: string | null } } };
        return { status: health.status, swept: body.checks.scheduler?.lastRunAt != null };
      };
      const holder = async () => {
        const found: DrillInstance[] = [];
        for (const instance of desk.live()) if ((await sweeps(instance)).swept) found.push(instance);
        return found;
      };
      await expect.poll(async () => (await holder()).length, { timeout: 30_000 }).toBe(1);
      const [first] = await holder();
      if (!first) throw new Error('nobody sweeps');
      await desk.kill(first);
      const [other] = desk.live();
      if (!other) throw new Error('no instance left');
      const killedAt = Date.now();
      // The lease dies with the killed process's connection; the other tries it every 3 s and sweeps at once.
      await expect
        .poll(async () => (await sweeps(other)).swept, { timeout: 30_000, interval: 200 })
        .toBe(true);
      expect(Date.now() - killedAt).toBeLessThan(15_000);
      expect(await sweeps(other)).toEqual({ status: 200, swept: true });
      expect(desk.errors).toEqual([]);
    } finally {
      await desk.close();
    }
  }, 120_000);

  it(`files ${CLIENTS} requests each once, in order, within Telegram's limits, through ${KILLS} kills`, async () => {
    if (!server) throw new Error('no server');
    const f = await runDrill({ clients: CLIENTS, kills: KILLS, seed: 1, postgres: server });
    expect(f.kills).toBe(KILLS);
    expect(drillFailures(f)).toEqual([]);
    expect(f).toMatchObject({
      accepted: CLIENTS,
      tickets: CLIENTS,
      numbersInOrder: true,
      lost: 0,
      duplicated: 0,
      orderBroken: 0,
      duplicateNotices: 0,
      unaccountedNotices: 0,
      violations: 0,
      errors: [],
    });
  }, 300_000);
});

function buttonOf(message: Message, label: string): string {
  const found = message.reply_markup?.inline_keyboard
    .flat()
    .find((b) => 'callback_data' in b && b.text.includes(label));
  if (!found || !('callback_data' in found)) throw new Error(`no button ${label}`);
  return found.callback_data;
}

function newest(u: TestUser, text: string): Message {
  const found = u
    .inbox()
    .filter((m) => m.text?.includes(text))
    .at(-1);
  if (!found) throw new Error(`no message ${text}`);
  return found;
}

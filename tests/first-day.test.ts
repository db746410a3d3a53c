// The first hour of a real installation: `npm start` with a bot token on an empty store, no demo. The
// process is the real one (startApp: bot, API, scheduler) against the local Bot API emulator over HTTP.
// The set-up link makes the first admin, the admin invites staff and a client manager, a client nobody
// knows files a request, and everyone is greeted as who they are.
import { eq, isNull } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { type RunningApp, startApp } from '../app/run.ts';
import { loadActor } from '../core/actors.ts';
import { createCompany } from '../core/admin/companies.ts';
import { DEFAULT_CATEGORIES } from '../core/setup/defaults.ts';
import { issueSetupCode } from '../core/setup/first-admin.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import {
  businessCalendars,
  calendarExceptions,
  categories,
  contracts,
  memberships,
  people,
  tickets,
} from '../db/schema.ts';
import { type Emulator, startEmulator } from '../emulator/index.ts';
import { fileShortRequest, labels } from './bot-harness.ts';

let emu: Emulator | undefined;
let app: RunningApp | undefined;
const errors: unknown[] = [];
afterEach(async () => {
  await app?.stop();
  await emu?.close();
  app = undefined;
  emu = undefined;
  expect(errors.splice(0)).toEqual([]);
});

async function production(env: Record<string, string> = {}): Promise<{ e: Emulator; a: RunningApp }> {
  emu = await startEmulator();
  app = await startApp(
    loadConfig({
      BOT_TOKEN: emu.token,
      BOT_API_ROOT: emu.apiRoot,
      DATABASE_PATH: ':memory:',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    }),
    {
      log: () => {},
      onError: (e) => errors.push(e),
      limits: { globalPerSecond: 30, perChatIntervalMs: 20, groupPerMinute: 20 },
    },
  );
  return { e: emu, a: app };
}

const startPayload = (link: string | undefined) => /\?start=([\w-]+)$/.exec(link ?? '')?.[1];

describe('a new desk with a bot token and an empty store', () => {
  it('has categories, business hours on the production calendar and a contract for unknown senders', async () => {
    const { a } = await production({ DESK_TIME_ZONE: 'Asia/Yekaterinburg' });
    const { db } = a.desk;
    expect((await queryAll(db.select().from(categories))).map((c) => c.code)).toEqual(
      DEFAULT_CATEGORIES.map((c) => c.code),
    );
    const fallback = await queryAll(db.select().from(contracts).where(isNull(contracts.companyId)));
    expect(fallback).toHaveLength(1);
    const calendar = await queryOne(
      db
        .select()
        .from(businessCalendars)
        .where(eq(businessCalendars.id, fallback[0]?.calendarId ?? 0)),
    );
    expect(calendar?.timeZone).toBe('Asia/Yekaterinburg');
    expect(calendar?.week.mon).toEqual(['09:00-18:00']);
    expect(calendar?.week.sat).toEqual([]);
    const days = await queryAll(db.select().from(calendarExceptions));
    expect(days.find((d) => d.date === '2026-01-09')?.hours).toEqual([]);
    expect(days.find((d) => d.date === '2026-11-03')?.hours).toEqual(['09:00-17:00']);
    expect(days.some((d) => d.date.startsWith('2027-'))).toBe(true);
    // Nobody is admin: the set-up link is offered, for this bot.
    expect(await queryAll(db.select().from(memberships))).toEqual([]);
    expect(a.setupUrl).toMatch(/^https:\/\/t\.me\/tgdesk_test_bot\?start=setup_[\w-]{20,}$/);
  });

  it('lets a client nobody knows file a request, landing unverified with 1st line on the default contract', async () => {
    const { e, a } = await production();
    const stranger = e.user({ id: 880001, first_name: 'Пётр', language_code: 'ru' });
    stranger.send('/start');
    await stranger.waitForMessage('Мы пока не знаем, из какой вы компании');
    const accepted = await fileShortRequest(stranger, 'Принтер', 'Не печатает принтер в бухгалтерии');
    expect(accepted.text).toMatch(/^Заявка #1001 принята/);
    const [ticket] = await queryAll(a.desk.db.select().from(tickets));
    const fallback = await queryOne(a.desk.db.select().from(contracts).where(isNull(contracts.companyId)));
    expect(ticket).toMatchObject({ companyId: null, line: 'line1', status: 'new', contractId: fallback?.id });
    expect(ticket?.categoryId).not.toBeNull();
  });

  it('skips the category step when no category is active, so the intake never dead-ends', async () => {
    const { e, a } = await production();
    await execute(a.desk.db.update(categories).set({ active: false }));
    const client = e.user({ id: 880002, first_name: 'Ирина' });
    await fileShortRequest(client, null, 'Не печатает принтер в бухгалтерии');
    const texts = client.inbox().map((m) => m.text ?? '');
    expect(texts.some((t) => t.includes('Выберите категорию'))).toBe(false);
    expect((await queryOne(a.desk.db.select().from(tickets)))?.categoryId).toBeNull();
  });

  it('makes the first admin by the set-up link once; others and old links are refused', async () => {
    const { e, a } = await production();
    const payload = startPayload(a.setupUrl);
    expect(payload).toBeTruthy();
    const owner = e.user({ id: 880010, first_name: 'Анна', language_code: 'ru' });
    owner.send(`/start ${payload}`);
    await owner.waitForMessage('Готово: вы администратор службы');
    const admins = await queryAll(
      a.desk.db
        .select({ telegramUserId: people.telegramUserId })
        .from(memberships)
        .innerJoin(people, eq(people.id, memberships.personId))
        .where(eq(memberships.role, 'admin')),
    );
    expect(admins).toEqual([{ telegramUserId: 880010 }]);
    // The admin's chat gets the admin's menu.
    await e.waitFor(() =>
      e.calls.find(
        (c) =>
          c.method === 'setMyCommands' &&
          (c.params.scope as { chat_id?: number } | undefined)?.chat_id === owner.chatId,
      ),
    );
    const menu = e.calls.findLast(
      (c) =>
        c.method === 'setMyCommands' &&
        (c.params.scope as { chat_id?: number } | undefined)?.chat_id === owner.chatId,
    )?.params.commands as { command: string }[];
    expect(menu.map((c) => c.command)).toEqual([
      'setup',
      'queue',
      'mine',
      'new',
      'my',
      'invite',
      'language',
      'help',
      'cancel',
    ]);

    const second = e.user({ id: 880011, first_name: 'Борис' });
    second.send(`/start ${payload}`);
    await second.waitForMessage('У службы уже есть администратор');
    second.send('/start setup_notarealcode');
    await second.waitForMessage('У службы уже есть администратор');
    expect(await queryAll(a.desk.db.select().from(memberships))).toHaveLength(1);
    // No set-up code is issued (or printed) again once an admin exists.
    expect(await issueSetupCode(a.desk)).toBeNull();
  });

  it('walks the admin through /setup: names the desk, invites a 1st-line engineer and a client manager', async () => {
    const { e, a } = await production();
    const admin = e.user({ id: 880020, first_name: 'Анна' });
    admin.send(`/start ${startPayload(a.setupUrl)}`);
    await admin.waitForMessage('Готово: вы администратор службы');

    admin.send('/setup');
    const checklist = await admin.waitForMessage('Настройка службы');
    expect(checklist.text).toContain('Готово 0 из 9');
    expect(checklist.text).toContain('⬜ Инженеры 1-й линии — сотрудников: 0, приглашений: 0');
    expect(checklist.text).toContain('⬜ Электронная почта');
    expect(labels(checklist)).toHaveLength(9);

    admin.send('/setup zone Mars/Olympus');
    await admin.waitForMessage('Не знаю часового пояса «Mars/Olympus»');
    admin.send('/setup name Сервис-деск «Альфа»');
    await admin.waitForMessage('Сохранено: Сервис-деск «Альфа» · Europe/Moscow');
    admin.send('/setup zone Asia/Novosibirsk');
    await admin.waitForMessage('Сохранено: Сервис-деск «Альфа» · Asia/Novosibirsk');
    const fallback = await queryOne(a.desk.db.select().from(contracts).where(isNull(contracts.companyId)));
    expect(
      (
        await queryOne(
          a.desk.db
            .select()
            .from(businessCalendars)
            .where(eq(businessCalendars.id, fallback?.calendarId ?? 0)),
        )
      )?.timeZone,
    ).toBe('Asia/Novosibirsk');

    // The 1st-line item makes an invite link on the spot.
    const after = await admin.waitForMessage('Готово 1 из 9');
    admin.press(after, 'setup:line1');
    const invite = await admin.waitForMessage('Ссылка для роли «1-я линия»');
    const code = /start=([\w-]+)/.exec(invite.text ?? '')?.[1];
    const engineer = e.user({ id: 880021, first_name: 'Олег' });
    engineer.send(`/start ${code}`);
    await engineer.waitForMessage('Готово: ваша роль — 1-я линия');
    const help = await engineer.waitForMessage('Ваши команды');
    expect(help.text).toContain('/queue');
    expect(help.text).not.toContain('/setup');
    // Staff /start: greeted with their role and commands, never as an unknown client.
    engineer.send('/start');
    const greeting = await engineer.waitForMessage('Ваши роли: 1-я линия');
    expect(greeting.text).toContain('/mine');
    expect(greeting.text).not.toContain('Поделитесь номером');

    // A client company, then its manager by /invite client_manager <id>.
    const adminId = (await queryOne(a.desk.db.select().from(people).where(eq(people.telegramUserId, 880020))))
      ?.id;
    const company = await createCompany(a.desk, await loadActor(a.desk.db, adminId ?? 0), {
      name: 'ООО «Ромашка»',
    });
    admin.send(`/invite client_manager ${company.id}`);
    const managerLink = await admin.waitForMessage('Ссылка-приглашение для сотрудников «ООО «Ромашка»»');
    const manager = e.user({ id: 880022, first_name: 'Мария' });
    manager.send(`/start ${/start=([\w-]+)/.exec(managerLink.text ?? '')?.[1]}`);
    await manager.waitForMessage('Готово: вы добавлены в «ООО «Ромашка»» как Руководитель клиента');
    manager.send('/help');
    const managerHelp = await manager.waitForMessage('Ваши команды');
    expect(managerHelp.text).toContain('/invite');
    expect(managerHelp.text).not.toContain('/queue');

    // Someone who is not an admin gets a polite refusal, and forged checklist buttons do nothing.
    engineer.send('/setup');
    await engineer.waitForMessage('Настройка службы доступна только администраторам');
    engineer.press(greeting, 'setup:line2');
    await e.waitFor(() => engineer.answers().at(-1)?.text?.includes('только администраторам'));

    admin.send('/setup');
    const progress = await admin.waitForMessage(
      (m) => m.text?.includes('Готово 3 из 9') === true && m.message_id > after.message_id,
    );
    expect(progress.text).toContain('✅ Инженеры 1-й линии — сотрудников: 1');
    expect(progress.text).toContain('✅ Клиенты');
  });

  it('makes the ids in ADMIN_TELEGRAM_IDS admins and prints no set-up link', async () => {
    const { e, a } = await production({ ADMIN_TELEGRAM_IDS: '880030, 880031' });
    expect(a.setupUrl).toBeUndefined();
    const admin = e.user({ id: 880030, first_name: 'Вера', last_name: 'Петрова' });
    admin.send('/start');
    const greeting = await admin.waitForMessage('Ваши роли: Администратор');
    expect(greeting.text).toContain('Здравствуйте, Вера');
    expect(greeting.text).toContain('/setup');
    expect(
      (
        await queryOne(
          a.desk.db.select({ name: people.name }).from(people).where(eq(people.telegramUserId, 880030)),
        )
      )?.name,
    ).toBe('Вера Петрова');
  });
});

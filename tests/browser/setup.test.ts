// The admin's guided set-up in the Mini App, in Chromium: on a fresh store (the defaults and one admin)
// the admin area opens on the checklist with nothing done, the desk gets its name and zone in place, and
// each line leads to where it is done; on a desk with everything in place the checklist says it is ready.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../core/actors.ts';
import { createContext } from '../../core/context.ts';
import { ManualClock } from '../../core/model.ts';
import { SYSTEM } from '../../core/permissions.ts';
import { setStaffGroup } from '../../core/settings.ts';
import { applyDefaults } from '../../core/setup/defaults.ts';
import { deskProfile, updateDeskProfile } from '../../core/setup/desk-profile.ts';
import { execute, queryOne } from '../../db/access.ts';
import { openDatabase } from '../../db/connection.ts';
import { memberships, people } from '../../db/schema.ts';
import { makeWorld, type PersonKey, type World } from '../fixtures.ts';
import {
  ARTIFACTS,
  apiAs,
  type Desk,
  type MiniApp,
  openMiniApp,
  rawKeysShown,
  startDesk,
  waitForMainButton,
  waitForScreen,
} from './harness.ts';
import { NOW } from './seed.ts';

/**
 * A store as a new install has it: the defaults (categories, Mon–Fri 9–18, the contract for unmatched
 * requesters) and one admin. Only `admin` of the usual world's people exists; the rest of World is unused.
 */
async function freshWorld(): Promise<World> {
  const db = openDatabase(':memory:');
  const clock = new ManualClock(Date.parse(NOW));
  const ctx = createContext(db, clock);
  await applyDefaults(ctx);
  const admin = await queryOne(
    db
      .insert(people)
      .values({ name: 'Анна Админ', telegramUserId: 7001, language: 'ru', createdAt: clock.now() })
      .returning(),
  );
  await execute(db.insert(memberships).values({ personId: admin.id, role: 'admin', companyId: null }));
  return {
    ctx,
    clock,
    companyA: 0,
    companyB: 0,
    category: { printer: 0, network: 0 },
    ids: { admin: admin.id } as Record<PersonKey, number>,
    as: { admin: await loadActor(db, admin.id) } as World['as'],
  };
}

interface Checklist {
  items: { key: string; state: string }[];
  done: number;
  total: number;
}

const desks: Desk[] = [];
const opened: MiniApp[] = [];

async function open(desk: Desk) {
  const app = await openMiniApp(desk, 'admin');
  opened.push(app);
  await waitForScreen(app, '[data-tab="admin"]');
  await app.page.click('[data-tab="admin"]');
  await waitForScreen(app, '[data-setup-item]');
  return app;
}

/** The checklist's shared texts (setup-item-*, setup-fact-*) shown as raw keys: the build must keep them. */
async function rawSetupKeys(app: MiniApp): Promise<string[]> {
  return String(await app.page.evaluate('document.body.innerText')).match(/\bsetup-[a-z_-]+/g) ?? [];
}

const stateOf = (app: MiniApp, key: string) =>
  app.page.locator(`[data-setup-item="${key}"]`).getAttribute('data-state');

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  for (const desk of desks) {
    await desk.close();
    expect(desk.foreignRequests).toEqual([]);
  }
});

describe('the set-up checklist in the Mini App', () => {
  let fresh: Desk;
  beforeAll(async () => {
    fresh = await startDesk(await freshWorld());
    desks.push(fresh);
  });

  it('opens first on a fresh desk with nothing done; the desk is named in place and turns done', async () => {
    const expected = (await apiAs<{ checklist: Checklist }>(fresh, 'admin', '/api/admin/setup')).checklist;
    expect(expected.done).toBe(0);
    const app = await open(fresh);
    const { page } = app;

    // Set-up is the first tab and the one shown.
    expect(
      await page.locator('[data-screen="admin"] .tabs button').first().getAttribute('data-section'),
    ).toBe('setup');
    expect(await page.locator('[data-section="setup"]').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('[data-setup-progress]').textContent()).toBe(`Готово 0 из ${expected.total}`);
    const shown = await page
      .locator('[data-setup-item]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-setup-item'), e.getAttribute('data-state')]),
      );
    expect(shown).toEqual(expected.items.map((i) => [i.key, i.state]));
    expect(await page.locator('[data-setup-item="email"]').textContent()).toContain('⬜');
    expect(await page.locator('[data-setup-item="line1"]').textContent()).toContain('⬜');
    expect(await page.locator('[data-setup-item="desk"]').textContent()).toContain(
      'без названия · Europe/Moscow',
    );
    // Phone-wide: nothing sticks out sideways, long titles wrap.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/setup-checklist.png`, fullPage: true });

    // The desk line opens a form right here: a name and one of Russia's zones.
    await page.click('[data-setup-item="desk"] button');
    await waitForScreen(app, '[data-desk-form]');
    const zones = await page
      .locator('select[name="deskTimeZone"] option')
      .evaluateAll((os) => os.map((o) => o.getAttribute('value')));
    expect(zones).toContain('Europe/Kaliningrad');
    expect(zones).toContain('Asia/Kamchatka');
    expect(zones).toHaveLength(12);
    expect(await page.locator('select[name="deskTimeZone"]').inputValue()).toBe('Europe/Moscow');
    await page.fill('input[name="deskName"]', 'ИТ-служба «Альфа»');
    await page.selectOption('select[name="deskTimeZone"]', 'Asia/Novosibirsk');
    await page.screenshot({ path: `${ARTIFACTS}/setup-desk-form.png` });
    await waitForMainButton(app, 'Сохранить');
    await app.pressMainButton();

    await expect
      .poll(async () => await deskProfile(fresh.world.ctx))
      .toEqual({ name: 'ИТ-служба «Альфа»', timeZone: 'Asia/Novosibirsk' });
    await expect.poll(() => stateOf(app, 'desk')).toBe('done');
    expect(await page.locator('[data-setup-item="desk"]').textContent()).toContain(
      'ИТ-служба «Альфа» · Asia/Novosibirsk',
    );
    await expect
      .poll(() => page.locator('[data-setup-progress]').textContent())
      .toBe(`Готово 1 из ${expected.total}`);
    // The form closed with the save; the Main Button went with it.
    expect(await page.locator('[data-desk-form]').count()).toBe(0);
    expect(await rawKeysShown(app)).toEqual([]);
    expect(await rawSetupKeys(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('leads each line to where it is done', async () => {
    const app = await open(fresh);
    const { page } = app;
    const route = () => page.evaluate('location.hash') as Promise<string>;

    // The company line: to the companies section, with its "Add" ready.
    await page.click('[data-setup-item="company"] button');
    await waitForScreen(app, '[data-section="companies"][aria-current="page"]');
    expect(await route()).toBe('#/admin/companies');
    await waitForMainButton(app, 'Добавить');

    // A line of engineers: to the invites with that role picked.
    await page.click('[data-section="setup"]');
    await waitForScreen(app, '[data-setup-item]');
    await page.click('[data-setup-item="line2"] button');
    await waitForScreen(app, '[data-section="invites"][aria-current="page"]');
    expect(await page.locator('select[name="role"]').inputValue()).toBe('line2');

    // The staff group is done in Telegram: the line explains how, in place.
    await page.click('[data-section="setup"]');
    await waitForScreen(app, '[data-setup-item]');
    await page.click('[data-setup-item="staff_group"] button');
    await waitForScreen(app, '[data-setup-how="staff_group"]');
    const how = await page.locator('[data-setup-how="staff_group"]').textContent();
    expect(how).toContain('/staffgroup');
    expect(how).toContain('Управление темами');
    await page.click('[data-setup-item="miniapp"] button');
    await waitForScreen(app, '[data-setup-how="miniapp"]');
    expect(await page.locator('[data-setup-how="miniapp"]').textContent()).toContain('MINIAPP_URL');
    expect(await page.locator('[data-setup-item="miniapp"] button').getAttribute('aria-expanded')).toBe(
      'true',
    );

    // Clients: the directory when the admin area has one, else client invites.
    await page.click('[data-setup-item="clients"] button');
    const hasDirectory = (await page.locator('[data-section="directory"]').count()) > 0;
    await waitForScreen(
      app,
      `[data-section="${hasDirectory ? 'directory' : 'invites'}"][aria-current="page"]`,
    );
    if (!hasDirectory) expect(await page.locator('select[name="role"]').inputValue()).toBe('client');
    expect(await rawKeysShown(app)).toEqual([]);
    expect(await rawSetupKeys(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});

describe('a desk with everything in place', () => {
  it('shows every line done and the ready note', async () => {
    const world = await makeWorld({ start: NOW });
    await updateDeskProfile(world.ctx, SYSTEM, { name: 'Сервис-деск' });
    await setStaffGroup(world.ctx, SYSTEM, { chatId: -1001234, title: 'Инженеры', language: 'ru' });
    const desk = await startDesk(world, { miniAppUrl: 'https://desk.example.ru/', emailConfigured: true });
    desks.push(desk);
    const app = await open(desk);
    const { page } = app;
    await waitForScreen(app, '[data-setup-ready]');
    const { checklist } = await apiAs<{ checklist: Checklist }>(desk, 'admin', '/api/admin/setup');
    expect(checklist.done).toBe(checklist.total);
    expect(await page.locator('[data-setup-progress]').textContent()).toBe(
      `Готово ${checklist.total} из ${checklist.total}`,
    );
    expect(await page.locator('[data-setup-ready]').textContent()).toContain('Всё готово');
    expect(await page.locator('[data-setup-item="staff_group"]').textContent()).toContain('группа: Инженеры');
    expect(await page.locator('[data-setup-item="miniapp"]').textContent()).toContain(
      'https://desk.example.ru/',
    );
    expect(await page.locator('[data-setup-item][data-state="todo"]').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/setup-ready.png`, fullPage: true });
    expect(await rawKeysShown(app)).toEqual([]);
    expect(await rawSetupKeys(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});

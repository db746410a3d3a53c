// The directory import in the Mini App, in Chromium as Telegram opens it: the admin picks a CSV (Russian
// Excel's `;` with a byte-order mark), sees the preview with the refused row and its reason, imports with
// the Main Button, and the people are in the directory — and in the People section; the export downloads.
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAll, queryOne } from '../../db/access.ts';
import { companies, memberships, people } from '../../db/schema.ts';
import { makeWorld } from '../fixtures.ts';
import {
  ARTIFACTS,
  type Desk,
  type MiniApp,
  openMiniApp,
  PHONE,
  rawKeysShown,
  startDesk,
  waitForMainButton,
  waitForScreen,
} from './harness.ts';

let desk: Desk;
const opened: MiniApp[] = [];

beforeAll(async () => {
  desk = await startDesk(await makeWorld());
});

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  await desk?.close();
  expect(desk?.foreignRequests ?? []).toEqual([]);
});

const CSV = `\uFEFF${[
  'Компания;ИНН;Домен;ФИО;Телефон;Почта;Роль',
  'ООО «Ромашка»;7701234567;romashka.ru;Иванов Иван;8 916 123-45-67;ivanov@romashka.ru;руководитель',
  'ООО «Ромашка»;7701234567;;Петрова Анна;+7 (916) 222-33-44;;клиент',
  'ООО «Ромашка»;7701234567;;Сидоров Пётр;12345;;клиент',
].join('\r\n')}\r\n`;

describe('the directory import in the Mini App', () => {
  it('an admin uploads a CSV, sees the refused row and why, imports the rest, and the people are there', async () => {
    const { world } = desk;
    const app = await openMiniApp(desk, 'admin');
    opened.push(app);
    const { page } = app;
    await waitForScreen(app, '[data-tab="admin"]');
    await page.click('[data-tab="admin"]');
    await waitForScreen(app, '[data-screen="admin"] [data-section="directory"]');
    await page.click('[data-section="directory"]');
    await waitForScreen(app, '[data-directory]');

    await page.setInputFiles('[data-directory-file]', {
      name: 'клиенты.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV, 'utf8'),
    });
    await waitForScreen(app, '[data-directory-rows] tr[data-line="4"]');
    const refused = page.locator('[data-directory-rows] tr[data-status="error"]');
    expect(await refused.count()).toBe(1);
    expect(await refused.getAttribute('data-line')).toBe('4');
    expect(await refused.textContent()).toContain('телефон не похож на номер');
    expect(await page.locator('[data-directory-rows] tr[data-status="new"]').count()).toBe(2);
    // The phone as it will be stored, whatever way it was written.
    expect(await page.locator('tr[data-line="2"]').textContent()).toContain('+79161234567');
    expect(await page.locator('[data-count="error"]').textContent()).toContain('1');
    expect(await page.locator('[data-directory-summary]').textContent()).toContain('(1)');
    // Nothing is written by looking.
    expect(
      await queryOne(world.ctx.db.select().from(people).where(eq(people.phone, '+79161234567'))),
    ).toBeUndefined();
    // On a phone the page itself never scrolls sideways: the table does, in its own box.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}/admin-directory-preview.png`, fullPage: true });

    await waitForMainButton(app, 'Импортировать 2 строки');
    await app.pressMainButton();
    await waitForScreen(app, '[data-directory-done]');
    expect(await page.locator('[data-directory-done]').textContent()).toContain('Людей добавлено: 2');
    const ivanov = await queryOne(world.ctx.db.select().from(people).where(eq(people.phone, '+79161234567')));
    expect(ivanov).toMatchObject({ name: 'Иванов Иван', email: 'ivanov@romashka.ru' });
    const romashka = await queryOne(
      world.ctx.db.select().from(companies).where(eq(companies.inn, '7701234567')),
    );
    expect(romashka?.emailDomain).toBe('romashka.ru');
    const roles = (await queryAll(world.ctx.db.select().from(memberships)))
      .filter((m) => m.companyId === romashka?.id)
      .map((m) => m.role)
      .sort();
    expect(roles).toEqual(['client', 'client_manager']);
    expect(
      await queryOne(world.ctx.db.select().from(people).where(eq(people.name, 'Сидоров Пётр'))),
    ).toBeUndefined();

    // The export downloads the directory in the same format.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-directory-export="csv"]'),
    ]);
    const exported = await readFile((await download.path()) as string, 'utf8');
    expect(exported).toContain('ООО «Ромашка»;7701234567;romashka.ru;Иванов Иван;');

    // The people are in the admin's People section.
    await page.click('[data-section="people"]');
    await waitForScreen(app, '[data-screen="admin"] >> text=Петрова Анна');
    expect(await page.locator('[data-screen="admin"]').textContent()).toContain('Иванов Иван');
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});

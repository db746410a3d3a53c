// The phone console in Chromium as Telegram opens it, for the 1st line: a known caller's card (company,
// contract, open requests) and a new request on their behalf; a pasted unknown number filed as a new contact
// linked to a company; the caller's words added to an open request; opened from a call's card, the call
// linked to the request. Clients have no Call tab.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCallEvent } from '../../core/phone/calls.ts';
import { createTicket } from '../../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import { calls, comments, memberships, people, tickets } from '../../db/schema.ts';
import { makeWorld } from '../fixtures.ts';
import {
  ARTIFACTS,
  DARK_THEME,
  type Desk,
  type MiniApp,
  openMiniApp,
  rawKeysShown,
  startDesk,
  waitForMainButton,
  waitForScreen,
} from './harness.ts';

let desk: Desk;
let open: { id: number; number: number };
const opened: MiniApp[] = [];

beforeAll(async () => {
  const world = await makeWorld();
  await execute(
    world.ctx.db.update(people).set({ phone: '+79161234567' }).where(eq(people.id, world.ids.clientA)),
  );
  const t = await createTicket(world.ctx, world.as.clientA, {
    channel: 'telegram',
    description: 'Не печатает принтер',
  });
  open = { id: t.id, number: t.number };
  desk = await startDesk(world);
});

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  await desk.close();
  expect(desk.foreignRequests).toEqual([]);
});

async function openCall(theme?: Record<string, string>): Promise<MiniApp> {
  const app = await openMiniApp(desk, 'line1', theme ? { theme } : {});
  opened.push(app);
  await waitForScreen(app, '[data-tab="call"]');
  await app.page.click('[data-tab="call"]');
  await waitForScreen(app, '[data-screen="call"]');
  return app;
}

/** Pastes text into the number field as a clipboard paste would. */
async function paste(app: MiniApp, text: string): Promise<void> {
  // A string, run in the page: the tests are compiled without the DOM's types.
  await app.page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(text)});
    document.querySelector('input[name="phone"]').dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  })()`);
}

describe('the phone console', () => {
  it('shows a known caller and files a new request on their behalf', async () => {
    const { world } = desk;
    const app = await openCall();
    const { page } = app;
    await page.fill('input[name="phone"]', '8 (916) 123-45-67 доб. 12');
    await page.click('[data-action="look-up"]');
    await waitForScreen(app, `[data-caller="${world.ids.clientA}"]`);
    const card = await page.locator('[data-screen="call"]').textContent();
    expect(card).toContain('Client A');
    expect(card).toContain('+7 916 123-45-67 доб. 12');
    expect(card).toContain('Alpha LLC');
    expect(card).toContain('Договор «A business hours»');
    await expect.poll(() => page.locator(`[data-add-to="${open.number}"]`).count()).toBe(1);

    await page.click(`[data-name="category"] [data-value="${world.category.printer}"]`);
    await page.fill('textarea[name="description"]', 'Нет доступа к общей папке');
    await page.click('[data-name="impact"] [data-value="department"]');
    await page.click('[data-name="urgency"] [data-value="high"]');
    await page.fill('input[name="location"]', 'Офис 3, каб. 12');
    expect(await rawKeysShown(app)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/phone-console-known.png`, fullPage: true });
    await waitForMainButton(app, 'Создать заявку');
    await app.pressMainButton();
    await waitForScreen(app, '[data-result="created"]');
    const number = Number(await page.locator('[data-result]').getAttribute('data-number'));
    expect(await page.locator('[data-result]').textContent()).toContain(`Заявка #${number} создана`);
    const ticket = await queryOne(world.ctx.db.select().from(tickets).where(eq(tickets.number, number)));
    expect(ticket).toMatchObject({
      channel: 'phone',
      requesterId: world.ids.clientA,
      companyId: world.companyA,
      categoryId: world.category.printer,
      impact: 'department',
      urgency: 'high',
      location: 'Офис 3, каб. 12',
    });
    // The card again: the new request is among the caller's open ones.
    await expect.poll(() => page.locator(`[data-add-to="${number}"]`).count()).toBe(1);
    const posted = app.apiRequests.filter((r) => r.method === 'POST' && r.path === '/api/phone/calls');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.idempotencyKey).toEqual(expect.any(String));
    expect(app.pageErrors).toEqual([]);
  });

  it('files a pasted unknown number as a new contact linked to a company', async () => {
    const { world } = desk;
    const app = await openCall(DARK_THEME);
    const { page } = app;
    await paste(app, '+7 (926) 555-44-33');
    await waitForScreen(app, '[data-caller="new"]');
    expect(await page.inputValue('input[name="phone"]')).toBe('+7 (926) 555-44-33');
    await page.fill('input[name="name"]', 'Пётр Сидоров');
    await expect
      .poll(() => page.locator(`select[name="companyId"] option[value="${world.companyB}"]`).count())
      .toBe(1);
    await page.selectOption('select[name="companyId"]', String(world.companyB));
    await page.fill('textarea[name="description"]', 'Не работает VPN');
    await page.click('[data-name="impact"] [data-value="person"]');
    await page.click('[data-name="urgency"] [data-value="medium"]');
    expect(await rawKeysShown(app)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/phone-console-new-contact-dark.png`, fullPage: true });
    await waitForMainButton(app, 'Создать заявку');
    await app.pressMainButton();
    await waitForScreen(app, '[data-result="created"]');
    const person = await queryOne(world.ctx.db.select().from(people).where(eq(people.phone, '+79265554433')));
    expect(person?.name).toBe('Пётр Сидоров');
    expect(
      await queryAll(
        world.ctx.db
          .select()
          .from(memberships)
          .where(eq(memberships.personId, person?.id ?? -1)),
      ),
    ).toMatchObject([{ companyId: world.companyB, role: 'client' }]);
    const number = Number(await page.locator('[data-result]').getAttribute('data-number'));
    expect(
      await queryOne(world.ctx.db.select().from(tickets).where(eq(tickets.number, number))),
    ).toMatchObject({
      requesterId: person?.id,
      companyId: world.companyB,
      channel: 'phone',
    });
    // Known now: the card shows the contact with the company.
    await waitForScreen(app, `[data-caller="${person?.id}"]`);
    expect(await page.locator('[data-screen="call"]').textContent()).toContain('Beta JSC');
    expect(app.pageErrors).toEqual([]);
  });

  it('adds the caller’s words to an open request', async () => {
    const { world } = desk;
    const app = await openCall();
    const { page } = app;
    await page.fill('input[name="phone"]', '+79161234567');
    await page.press('input[name="phone"]', 'Enter');
    await waitForScreen(app, `[data-add-to="${open.number}"]`);
    await page.click(`[data-add-to="${open.number}"]`);
    await page.fill('textarea[name="text"]', 'Перезвонил: принтер Canon LBP2900, ошибка E000');
    await waitForMainButton(app, `Добавить к #${open.number}`);
    await page.screenshot({ path: `${ARTIFACTS}/phone-console-add.png`, fullPage: true });
    await app.pressMainButton();
    await waitForScreen(app, '[data-result="commented"]');
    expect(await page.locator('[data-result]').textContent()).toContain(`Добавлено к заявке #${open.number}`);
    expect(
      await queryAll(world.ctx.db.select().from(comments).where(eq(comments.ticketId, open.id))),
    ).toMatchObject([{ body: 'Перезвонил: принтер Canon LBP2900, ошибка E000', authorId: world.ids.line1 }]);
    expect(app.pageErrors).toEqual([]);
  });

  it('opens at the caller from a call’s card, and links the call to the request filed', async () => {
    const { world } = desk;
    await recordCallEvent(world.ctx, {
      event: 'newCall',
      callId: 'c-1',
      from: '+79161234567',
      to: '+74950000000',
    });
    const app = await openMiniApp(desk, 'line1', {
      path: `/?call=c-1&phone=${encodeURIComponent('+79161234567')}`,
    });
    opened.push(app);
    const { page } = app;
    await waitForScreen(app, `[data-screen="call"] [data-caller="${world.ids.clientA}"]`);
    expect(await page.inputValue('input[name="phone"]')).toBe('+79161234567');
    await page.fill('textarea[name="description"]', 'Звонок: не работает почта');
    await page.click('[data-name="impact"] [data-value="person"]');
    await page.click('[data-name="urgency"] [data-value="low"]');
    await waitForMainButton(app, 'Создать заявку');
    await app.pressMainButton();
    await waitForScreen(app, '[data-result="created"]');
    const number = Number(await page.locator('[data-result]').getAttribute('data-number'));
    const ticket = await queryOne(world.ctx.db.select().from(tickets).where(eq(tickets.number, number)));
    await expect
      .poll(
        async () =>
          (await queryOne(world.ctx.db.select().from(calls).where(eq(calls.callId, 'c-1'))))?.ticketId,
      )
      .toBe(ticket?.id);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
  });

  it('is not offered to clients or the 2nd line', async () => {
    for (const who of ['clientA', 'line2'] as const) {
      const app = await openMiniApp(desk, who);
      opened.push(app);
      await waitForScreen(app, who === 'line2' ? '[data-screen="board"]' : '[data-screen="my"]');
      expect(await app.page.locator('[data-tab="call"]').count(), who).toBe(0);
    }
  });
});

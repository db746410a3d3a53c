// The website form in Chromium on a phone: the page in the visitor's language, the ALTCHA widget solved in
// the browser, a field error shown under its field, then the request sent with the number shown. The
// desk's clock (not a sleep) covers the minimum fill time. Nothing is fetched from anywhere but the desk.
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webformForAdmin } from '../../core/webform/settings.ts';
import { queryOne } from '../../db/access.ts';
import { tickets } from '../../db/schema.ts';
import { makeWorld } from '../fixtures.ts';
import { ARTIFACTS, type Desk, PHONE, startDesk } from './harness.ts';

let desk: Desk;
let key: string;

beforeAll(async () => {
  const world = await makeWorld();
  key = (await webformForAdmin(world.ctx, world.as.admin)).key;
  desk = await startDesk(world);
});

afterAll(async () => {
  await desk?.close();
  expect(desk.foreignRequests).toEqual([]);
});

async function openForm(locale: string, colorScheme: 'light' | 'dark', query = ''): Promise<Page> {
  const context = await desk.browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    locale,
    colorScheme,
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== desk.origin) {
      desk.foreignRequests.push(url);
      await route.abort();
    } else await route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${desk.origin}/form/${key}${query}`);
  // The token is there once the script has fetched it.
  await page.waitForFunction("document.querySelector('input[name=token]').value !== ''");
  return page;
}

/** Ticks the widget's box and waits until the browser has solved the challenge. */
async function proveHuman(page: Page): Promise<void> {
  await page.locator('altcha-widget label').first().click();
  await page.waitForFunction("document.querySelector('input[name=altcha]').value !== ''", undefined, {
    timeout: 20_000,
  });
}

describe('the website form in a browser', { timeout: 60_000 }, () => {
  it('speaks Russian by the browser language', async () => {
    const page = await openForm('ru-RU', 'light');
    expect(await page.textContent('h1')).toBe('Заявка в IT-поддержку');
    await page.context().close();
  });

  it('shows a field error, then sends the request and shows its number', async () => {
    const page = await openForm('ru-RU', 'dark', '?lang=en');
    expect(await page.textContent('h1')).toBe('Request to IT support');
    await page.fill('#email', 'olga@example.org');
    await page.fill('#description', 'The VPN drops every hour');
    await page.selectOption('#category', { label: 'Network' });
    await proveHuman(page);
    desk.world.clock.advance(5_000);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#error-name:has-text("Please fill this in.")');
    expect(await page.getAttribute('#name', 'aria-invalid')).toBe('true');
    await page.screenshot({ path: `${ARTIFACTS}/webform-error.png`, fullPage: true });
    await page.fill('#name', 'Olga Web');
    await page.click('button[type="submit"]');
    await page.waitForSelector('#done:visible');
    const done = (await page.textContent('#done')) ?? '';
    await page.screenshot({ path: `${ARTIFACTS}/webform-dark.png` });
    const number = Number(/#(\d+)/.exec(done)?.[1]);
    const ticket = await queryOne(desk.world.ctx.db.select().from(tickets).where(eq(tickets.number, number)));
    expect(ticket).toMatchObject({ channel: 'web', categoryId: desk.world.category.network });
    expect(ticket?.description).toContain('The VPN drops every hour');
    await page.context().close();
  });
});

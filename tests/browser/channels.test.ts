// The admin's Channels section in the Mini App, in Chromium as Telegram opens it: the website form's address
// and snippet on the page's own origin, its switch turning the form off (the API and the page say so) and on
// again at the same address; the telephony webhook's address, its token rotated after a confirm step (the
// address changes, the old one is refused). A non-admin has no admin area at all.
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorld } from '../fixtures.ts';
import {
  ARTIFACTS,
  apiAs,
  DARK_THEME,
  type Desk,
  initDataFor,
  type MiniApp,
  openMiniApp,
  PHONE,
  rawKeysShown,
  startDesk,
  waitForScreen,
} from './harness.ts';

interface Webform {
  enabled: boolean;
  key: string;
}
interface Webhook {
  token: string;
  path: string;
}

const desks: Desk[] = [];
const opened: MiniApp[] = [];

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  for (const desk of desks) {
    await desk.close();
    expect(desk.foreignRequests).toEqual([]);
  }
});

async function openChannels(desk: Desk, theme?: Record<string, string>): Promise<MiniApp> {
  const app = await openMiniApp(desk, 'admin', theme ? { theme } : {});
  opened.push(app);
  await waitForScreen(app, '[data-tab="admin"]');
  await app.page.click('[data-tab="admin"]');
  await waitForScreen(app, '[data-screen="admin"] [data-section="channels"]');
  await app.page.click('[data-section="channels"]');
  await waitForScreen(app, '[data-webform] [data-copy-value="form-url"]');
  await waitForScreen(app, '[data-cti] [data-copy-value="cti-url"]');
  return app;
}

const shown = (app: MiniApp, name: string) => app.page.locator(`[data-copy-value="${name}"]`).inputValue();

describe('the Channels section in the Mini App', { timeout: 60_000 }, () => {
  it('an admin switches the website form off and on and copies its address and snippet', async () => {
    const desk = await startDesk(await makeWorld());
    desks.push(desk);
    const app = await openChannels(desk);
    const { page } = app;
    const form = await apiAs<Webform>(desk, 'admin', '/api/admin/webform');
    expect(form.enabled).toBe(true);
    const url = `${desk.origin}/form/${form.key}`;
    expect(await shown(app, 'form-url')).toBe(url);
    expect(await shown(app, 'form-embed')).toBe(
      `<script src="${url}/embed.js" data-lang="ru" async></script>`,
    );
    expect((await fetch(url)).status).toBe(200);
    expect(await page.locator('[data-webform]').textContent()).toContain('Выключена: страница формы');
    // On a phone nothing sticks out sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}/admin-channels.png`, fullPage: true });

    // Copy puts the address on the clipboard and says so.
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: desk.origin });
    await page.click('[data-copy="form-url"]');
    await expect.poll(() => page.locator('.toast').textContent()).toBe('Скопировано');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(url);

    // Off: the API says so and the page is gone.
    const toggle = page.locator('input[name="webformEnabled"]');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await waitForScreen(app, '[data-webform="off"]');
    expect(await toggle.isChecked()).toBe(false);
    expect(await apiAs<Webform>(desk, 'admin', '/api/admin/webform')).toEqual({
      enabled: false,
      key: form.key,
    });
    expect((await fetch(url)).status).toBe(404);
    await expect.poll(() => page.locator('.toast').textContent()).toBe('Форма на сайте выключена.');

    // On again, at the same address.
    await toggle.click();
    await waitForScreen(app, '[data-webform="on"]');
    expect(await apiAs<Webform>(desk, 'admin', '/api/admin/webform')).toEqual({
      enabled: true,
      key: form.key,
    });
    expect(await shown(app, 'form-url')).toBe(url);
    expect((await fetch(url)).status).toBe(200);
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('an admin sees the CTI webhook address and rotates its token after confirming', async () => {
    const desk = await startDesk(await makeWorld());
    desks.push(desk);
    const app = await openChannels(desk, DARK_THEME);
    const { page } = app;
    const before = await apiAs<Webhook>(desk, 'admin', '/api/admin/telephony');
    const oldUrl = `${desk.origin}${before.path}`;
    expect(await shown(app, 'cti-url')).toBe(oldUrl);
    const hint = await page.locator('[data-cti]').textContent();
    for (const word of ['newCall', 'answer', 'hangup']) expect(hint).toContain(word);

    // Asked first; cancelling changes nothing.
    await page.click('[data-cti-rotate="ask"]');
    await waitForScreen(app, '[data-cti-confirm]');
    expect(await page.locator('[data-cti-confirm]').textContent()).toContain(
      'старый сразу перестанет работать',
    );
    await page.screenshot({ path: `${ARTIFACTS}/admin-channels-rotate-dark.png`, fullPage: true });
    await page.click('[data-cti-rotate="no"]');
    expect(await page.locator('[data-cti-confirm]').count()).toBe(0);
    expect(await apiAs<Webhook>(desk, 'admin', '/api/admin/telephony')).toEqual(before);

    // Confirmed: a new address, shown, and the old one refused.
    await page.click('[data-cti-rotate="ask"]');
    await page.click('[data-cti-rotate="yes"]');
    await expect.poll(() => shown(app, 'cti-url')).not.toBe(oldUrl);
    const after = await apiAs<Webhook>(desk, 'admin', '/api/admin/telephony');
    expect(after.token).not.toBe(before.token);
    expect(await shown(app, 'cti-url')).toBe(`${desk.origin}${after.path}`);
    expect(await page.locator('[data-cti-confirm]').count()).toBe(0);
    const hangup = { event: 'hangup', callId: 'c-1', from: '+79161234567', to: '100', direction: 'in' };
    const post = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(hangup),
      });
    expect((await post(oldUrl)).status).toBe(401);
    expect((await post(`${desk.origin}${after.path}`)).status).toBe(200);
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('a non-admin has no admin area, and the API refuses them the channels', async () => {
    const desk = await startDesk(await makeWorld());
    desks.push(desk);
    const app = await openMiniApp(desk, 'supervisor');
    opened.push(app);
    const { page } = app;
    await waitForScreen(app, '[data-tab]');
    expect(await page.locator('[data-tab="admin"]').count()).toBe(0);
    await page.evaluate(`location.hash = '#/admin/channels'`);
    await waitForScreen(app, '.empty');
    expect(await page.locator('[data-screen="admin"]').count()).toBe(0);
    expect(await page.locator('[data-channels]').count()).toBe(0);
    for (const path of ['/api/admin/webform', '/api/admin/telephony']) {
      const res = await fetch(`${desk.origin}${path}`, {
        headers: { Authorization: `tma ${await initDataFor(desk, 'supervisor')}` },
      });
      expect(res.status, path).toBe(403);
    }
    expect(app.pageErrors).toEqual([]);
  });
});

// The mail settings card in the admin's Mail section, in Chromium on a phone: an admin adds a mailbox and an
// SMTP server and saves; the passwords come back as empty fields with the "kept" note (and stay kept when
// something else is saved); a missing password is named before anything is sent; "Check" against a real
// Dovecot says why a wrong password fails and that the right one connects. Set by the environment, the
// card only shows the settings, passwords masked.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { effectiveMailSettings, mailSettingsView } from '../../core/mail-settings.ts';
import { SYSTEM } from '../../core/permissions.ts';
import { makeWorld, type World } from '../fixtures.ts';
import { dovecotAvailable, startDovecot } from '../support/dovecot.ts';
import {
  ARTIFACTS,
  type Desk,
  type MiniApp,
  openMiniApp,
  PHONE,
  rawKeysShown,
  startDesk,
  waitForScreen,
} from './harness.ts';

const desks: Desk[] = [];
const opened: MiniApp[] = [];

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  for (const desk of desks) {
    await desk.close();
    expect(desk.foreignRequests).toEqual([]);
  }
});

/** A desk whose Mail section lists what the settings name, as the running channel would. */
async function deskWithSettings(world: World, environment?: Parameters<typeof mailSettingsView>[2]) {
  // Read again on each reload, as the running channel does (the server awaits the reload before it answers).
  const read = async () => (await mailSettingsView(world.ctx, SYSTEM, environment)).mailboxes;
  let mailboxes = await read();
  const reload = vi.fn(async () => {
    mailboxes = await read();
  });
  const desk = await startDesk(world, {
    mail: {
      mailboxes: () => mailboxes,
      ownAddresses: [],
      reload,
      ...(environment ? { environment } : {}),
    },
  });
  desks.push(desk);
  return { desk, reload };
}

async function openMail(desk: Desk): Promise<MiniApp> {
  const app = await openMiniApp(desk, 'admin');
  opened.push(app);
  await waitForScreen(app, '[data-tab="admin"]');
  await app.page.click('[data-tab="admin"]');
  await waitForScreen(app, '[data-screen="admin"] [data-section="mail"]');
  await app.page.click('[data-section="mail"]');
  await waitForScreen(app, '[data-mail-settings]');
  return app;
}

describe('the mail settings in the Mini App', () => {
  it('an admin adds a mailbox and SMTP and saves; the passwords come back empty, kept', async () => {
    const world = await makeWorld();
    const { desk, reload } = await deskWithSettings(world);
    const app = await openMail(desk);
    const { page } = app;
    await waitForScreen(app, '[data-mail-settings="none"]');
    await page.click('[data-mail-settings-action="add"]');
    const box = page.locator('[data-mailbox-form="0"]');
    await box.locator('input[name="host"]').fill('mail.desk.example');
    await box.locator('input[name="user"]').fill('support@desk.example');
    // No password yet: said at the field, nothing sent.
    await page.click('[data-mail-settings-action="save"]');
    await waitForScreen(app, '[data-problem="mailboxes.0.password"]');
    expect(reload).not.toHaveBeenCalled();
    await box.locator('input[name="password"]').fill('Box-Secret-1');
    const smtp = page.locator('[data-smtp-form]');
    await smtp.locator('input[name="host"]').fill('smtp.desk.example');
    // TLS off: the usual port follows (465 → 587).
    await smtp.locator('input[name="tls"]').uncheck();
    expect(await smtp.locator('input[name="port"]').inputValue()).toBe('587');
    await smtp.locator('input[name="user"]').fill('support@desk.example');
    await smtp.locator('input[name="password"]').fill('Smtp-Secret-2');
    await page.locator('input[name="from"]').fill('Поддержка <support@desk.example>');
    await page.click('[data-mail-settings-action="save"]');

    await waitForScreen(app, '[data-mail-settings="desk"] [data-mailbox-form="0"] [data-password-kept]');
    await waitForScreen(app, '[data-smtp-form] [data-password-kept]');
    expect(reload).toHaveBeenCalledTimes(1);
    expect(await box.locator('input[name="password"]').inputValue()).toBe('');
    expect(await smtp.locator('input[name="password"]').inputValue()).toBe('');
    expect(await box.locator('[data-password-kept]').textContent()).toBe(
      'Пароль сохранён: оставьте поле пустым, чтобы его не менять.',
    );
    expect(await box.locator('input[name="host"]').inputValue()).toBe('mail.desk.example');
    expect(await box.locator('input[name="user"]').inputValue()).toBe('support@desk.example');
    expect(await effectiveMailSettings(world.ctx, SYSTEM)).toEqual({
      source: 'desk',
      mailboxes: ['imaps://support%40desk.example:Box-Secret-1@mail.desk.example:993/INBOX'],
      smtpUrl: 'smtp://support%40desk.example:Smtp-Secret-2@smtp.desk.example:587',
      from: 'Поддержка <support@desk.example>',
    });
    // The mailboxes read follow the saved settings.
    await expect
      .poll(() => page.locator('[data-mailbox]').allTextContents())
      .toEqual(['imaps://support%40desk.example:***@mail.desk.example:993/INBOX']);
    expect(await page.content()).not.toMatch(/Box-Secret-1|Smtp-Secret-2/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}/admin-mail-settings.png`, fullPage: true });

    // Saving something else keeps both passwords.
    await box.locator('input[name="folder"]').fill('Support');
    await page.click('[data-mail-settings-action="save"]');
    await expect.poll(() => reload.mock.calls.length).toBe(2);
    await waitForScreen(app, '[data-mailbox-form="0"] [data-password-kept]');
    expect(await effectiveMailSettings(world.ctx, SYSTEM)).toMatchObject({
      mailboxes: ['imaps://support%40desk.example:Box-Secret-1@mail.desk.example:993/Support'],
      smtpUrl: 'smtp://support%40desk.example:Smtp-Secret-2@smtp.desk.example:587',
    });
    // Another user is another account: its password must be typed.
    await box.locator('input[name="user"]').fill('help@desk.example');
    expect(await box.locator('[data-password-kept]').count()).toBe(0);
    await page.click('[data-mail-settings-action="save"]');
    await waitForScreen(app, '[data-problem="mailboxes.0.password"]');
    expect(reload).toHaveBeenCalledTimes(2);
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('set by the environment, shows them masked and edits nothing', async () => {
    const { desk } = await deskWithSettings(await makeWorld(), {
      imapUrls: ['imaps://desk:Env-Secret-3@mail.env.example/INBOX'],
      smtpUrl: 'smtps://desk:Env-Secret-3@smtp.env.example',
      from: 'desk@env.example',
    });
    const app = await openMail(desk);
    const { page } = app;
    await waitForScreen(app, '[data-mail-settings="environment"]');
    const card = page.locator('[data-mail-settings="environment"]');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Заданы в окружении сервера');
    expect(text).toContain('imaps://desk:***@mail.env.example/INBOX');
    expect(text).toContain('smtps://desk:***@smtp.env.example');
    expect(await card.locator('input').count()).toBe(0);
    expect(await page.locator('[data-mail-settings-action="save"]').count()).toBe(0);
    expect(await page.content()).not.toContain('Env-Secret-3');
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it.skipIf(!dovecotAvailable())(
    'checks a mailbox against a real server: why a wrong password fails, then connected',
    async () => {
      const dovecot = await startDovecot({ users: [{ user: 'support', password: 'Imap-Secret-4' }] });
      try {
        const { desk } = await deskWithSettings(await makeWorld());
        const app = await openMail(desk);
        const { page } = app;
        await page.click('[data-mail-settings-action="add"]');
        const box = page.locator('[data-mailbox-form="0"]');
        await box.locator('input[name="host"]').fill(dovecot.host);
        await box.locator('input[name="tls"]').uncheck();
        await box.locator('input[name="port"]').fill(String(dovecot.port));
        await box.locator('input[name="user"]').fill('support');
        await box.locator('input[name="password"]').fill('Wrong-Secret-5');
        await page.click('[data-mail-settings-action="check"]');
        await waitForScreen(app, '[data-mailbox-form="0"] [data-check="failed"]');
        expect(await box.locator('[data-check]').textContent()).toContain(
          'Не удалось подключиться: неверный пользователь или пароль',
        );
        await box.locator('input[name="password"]').fill('Imap-Secret-4');
        await page.click('[data-mail-settings-action="check"]');
        await waitForScreen(app, '[data-mailbox-form="0"] [data-check="ok"]');
        expect(await box.locator('[data-check]').textContent()).toBe('Соединение установлено.');
        expect(await rawKeysShown(app)).toEqual([]);
        expect(app.pageErrors).toEqual([]);
      } finally {
        await dovecot.stop();
      }
    },
  );
});

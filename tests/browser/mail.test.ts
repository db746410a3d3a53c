// The admin's Mail section in the Mini App, in Chromium as Telegram opens it: the mailboxes read, the mail
// the intake held back with its reason in words; the original downloads as it came, a mail over its
// sender's hourly limit is taken in again and becomes a request (its number shown), an unreadable one stays
// when taken again (the line says why) and is dismissed; decided mail leaves the list. Without mailboxes
// configured the section says how to set e-mail up.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../core/files/store.ts';
import { queryOne } from '../../db/access.ts';
import { mailQuarantine, tickets } from '../../db/schema.ts';
import { takeMail } from '../../email/ingest.ts';
import { makeWorld } from '../fixtures.ts';
import { buildMail } from '../support/mail-builder.ts';
import {
  ARTIFACTS,
  DARK_THEME,
  type Desk,
  type MiniApp,
  openMiniApp,
  PHONE,
  rawKeysShown,
  startDesk,
  waitForScreen,
} from './harness.ts';

const MAILBOX = 'imaps://support%40desk.example:***@mail.desk.example/INBOX';
const GARBAGE = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x80, 0x81, 0x0a, 0x0d]);
const dir = mkdtempSync(join(tmpdir(), 'tgdesk-mail-browser-'));
const desks: Desk[] = [];
const opened: MiniApp[] = [];

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  for (const desk of desks) {
    await desk.close();
    expect(desk.foreignRequests).toEqual([]);
  }
  rmSync(dir, { recursive: true, force: true });
});

async function openMail(desk: Desk, theme?: Record<string, string>): Promise<MiniApp> {
  const app = await openMiniApp(desk, 'admin', theme ? { theme } : {});
  opened.push(app);
  await waitForScreen(app, '[data-tab="admin"]');
  await app.page.click('[data-tab="admin"]');
  await waitForScreen(app, '[data-screen="admin"] [data-section="mail"]');
  await app.page.click('[data-section="mail"]');
  await waitForScreen(app, '[data-mail]');
  return app;
}

describe('the Mail section in the Mini App', () => {
  it('an admin sees the held mail, takes one in again as a request, dismisses one that cannot be', async () => {
    const world = await makeWorld();
    const files = new FileStore(mkdtempSync(join(dir, 'files-')));
    const intake = { desk: world.ctx, files, ownAddresses: ['support@desk.example'] };
    const limited = await buildMail({
      from: 'Пётр Сидоров <petr@client.example>',
      subject: 'Не печатает принтер',
      text: 'Третий этаж, HP.',
    });
    expect(await takeMail({ ...intake, newTicketsPerHour: 0 }, limited, MAILBOX)).toMatchObject({
      kind: 'quarantined',
    });
    world.clock.advance(60_000);
    expect(await takeMail(intake, GARBAGE, MAILBOX)).toMatchObject({ kind: 'quarantined' });
    const idOf = async (reason: string) =>
      (await queryOne(world.ctx.db.select().from(mailQuarantine).where(eq(mailQuarantine.reason, reason))))
        ?.id;
    const limitedId = await idOf('too_many_requests');
    const garbageId = await idOf('unreadable');

    const desk = await startDesk(world, {
      files,
      mail: { mailboxes: [MAILBOX], ownAddresses: ['support@desk.example'] },
    });
    desks.push(desk);
    const app = await openMail(desk);
    const { page } = app;
    await waitForScreen(app, `[data-held="${limitedId}"]`);
    expect(await page.locator('[data-mailbox]').allTextContents()).toEqual([MAILBOX]);
    // Newest first, each with its reason in words.
    expect(
      await page.locator('[data-held]').evaluateAll((els) => els.map((e) => e.getAttribute('data-held'))),
    ).toEqual([String(garbageId), String(limitedId)]);
    const row = page.locator(`[data-held="${limitedId}"]`);
    const text = await row.textContent();
    expect(text).toContain('Не печатает принтер');
    expect(text).toContain('petr@client.example');
    expect(text).toContain('слишком много новых заявок за час');
    expect(await page.locator(`[data-held="${garbageId}"]`).textContent()).toContain('(без темы)');
    // On a phone nothing sticks out sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}/admin-mail.png`, fullPage: true });

    // The original downloads as it came.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.locator('[data-mail-action="original"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`mail-${limitedId}.eml`);
    expect(await readFile((await download.path()) as string)).toEqual(limited);

    // Taken in again: a request, its number said, the row gone.
    await row.locator('[data-mail-action="take"]').click();
    await waitForScreen(app, '[data-mail-note="done"]');
    const ticket = await queryOne(
      world.ctx.db.select().from(tickets).where(eq(tickets.subject, 'Не печатает принтер')),
    );
    expect(ticket?.channel).toBe('email');
    expect(await page.locator('[data-mail-note]').textContent()).toBe(`Принято: заявка #${ticket?.number}.`);
    expect(await page.locator(`[data-held="${limitedId}"]`).count()).toBe(0);
    expect(
      await queryOne(
        world.ctx.db
          .select()
          .from(mailQuarantine)
          .where(eq(mailQuarantine.id, limitedId ?? 0)),
      ),
    ).toMatchObject({ state: 'taken', ticketId: ticket?.id });

    // The unreadable one cannot be taken in: it stays, and the line says why.
    const garbage = page.locator(`[data-held="${garbageId}"]`);
    await garbage.locator('[data-mail-action="take"]').click();
    await waitForScreen(app, '[data-mail-note="failed"]');
    expect(await page.locator('[data-mail-note]').textContent()).toBe(
      'Письмо снова не принято: письмо не читается, отправитель не найден.',
    );
    expect(await garbage.count()).toBe(1);
    // So it is dismissed.
    await page.locator(`[data-held="${garbageId}"] [data-mail-action="dismiss"]`).click();
    await expect.poll(() => page.locator('[data-mail-note]').textContent()).toBe('Письмо отклонено.');
    await waitForScreen(app, '[data-mail-none]');
    expect(
      (
        await queryOne(
          world.ctx.db
            .select()
            .from(mailQuarantine)
            .where(eq(mailQuarantine.id, garbageId ?? 0)),
        )
      )?.state,
    ).toBe('dismissed');
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('without mailboxes says how to set e-mail up', async () => {
    const desk = await startDesk(await makeWorld());
    desks.push(desk);
    const app = await openMail(desk, DARK_THEME);
    await waitForScreen(app, '[data-mail-unset]');
    const text = await app.page.locator('[data-mail-unset]').textContent();
    for (const name of ['IMAP_URL', 'SMTP_URL', 'MAIL_FROM', 'README']) expect(text).toContain(name);
    expect(await app.page.locator('[data-mail-none]').textContent()).toBe('Задержанных писем нет.');
    await app.page.screenshot({ path: `${ARTIFACTS}/admin-mail-unset-dark.png`, fullPage: true });
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});

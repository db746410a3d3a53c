// The Mini App end to end in Chromium: opened the way Telegram opens it (signed init data, version,
// platform and theme in the URL hash, the Android bridge), served by the real API over a real store.
import { and, desc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../../core/tickets/act.ts';
import { createTicket } from '../../core/tickets/create.ts';
import { queryAll, queryOne } from '../../db/access.ts';
import { comments, companies, contracts, tickets } from '../../db/schema.ts';
import { makeWorld } from '../fixtures.ts';
import {
  ARTIFACTS,
  apiAs,
  DARK_THEME,
  type Desk,
  initDataFor,
  LIGHT_THEME,
  type MiniApp,
  openMiniApp,
  rawKeysShown,
  SCREENSHOTS,
  startDesk,
  telegramUserOf,
  waitForMainButton,
  waitForScreen,
} from './harness.ts';
import { type Seeded, seedHistory, ticketRow } from './seed.ts';

let desk: Desk;
let seeded: Seeded;
const opened: MiniApp[] = [];

beforeAll(async () => {
  const world = await makeWorld();
  seeded = await seedHistory(world);
  desk = await startDesk(world);
});

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  await desk?.close();
  // Nothing the app did may leave 127.0.0.1 — in particular no call to telegram.org.
  expect(desk?.foreignRequests ?? []).toEqual([]);
});

async function open(...args: Parameters<typeof openMiniApp>) {
  const app = await openMiniApp(...args);
  opened.push(app);
  return app;
}

const MINUTE = 60_000;
const ru = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
const percentText = (p: number | null) => (p === null ? '—' : `${ru.format(p)} %`);

function eventTypes(events: { type: string }[]) {
  return events.map((e) => e.type);
}

describe('the Mini App in Telegram', () => {
  it('a client files a request and sees it in the list with a ticking SLA countdown', async () => {
    const app = await open(desk, 'clientA');
    const { page } = app;
    const { world } = desk;
    await waitForScreen(app, '[data-screen="my"]');
    const events = eventTypes(await app.events());
    expect(events).toContain('web_app_ready');
    expect(events).toContain('web_app_expand');
    // The client's own earlier requests, newest first; company B's are not there.
    for (const t of seeded.companyA.filter((t) => t.requesterId === world.ids.clientA))
      await waitForScreen(app, `[data-number="${t.number}"]`);
    expect(await page.locator(`[data-number="${seeded.companyB[0]?.number}"]`).count()).toBe(0);

    await waitForMainButton(app, 'Новая заявка');
    await app.pressMainButton();
    await waitForScreen(app, '[data-screen="new"]');
    const back = (await app.events()).filter((e) => e.type === 'web_app_setup_back_button').at(-1);
    expect(back?.data).toEqual({ is_visible: true });
    // Send stays inactive until the request is complete.
    expect(await app.mainButton()).toMatchObject({ text: 'Отправить', is_visible: true, is_active: false });

    await page.click(`[data-name="category"] [data-value="${world.category.printer}"]`);
    await page.fill('textarea[name="description"]', 'Не сканирует МФУ в приёмной\nПишет «ошибка 5»');
    await page.click('[data-name="impact"] [data-value="department"]');
    await page.click('[data-name="urgency"] [data-value="high"]');
    await page.fill('input[name="location"]', 'Офис 2, кабинет 214');
    await waitForMainButton(app, 'Отправить');
    await page.screenshot({ path: `${ARTIFACTS}/client-new-ticket.png` });
    expect(await rawKeysShown(app)).toEqual([]);
    const newest = async () => await queryOne(world.ctx.db.select().from(tickets).orderBy(desc(tickets.id)));
    const before = (await newest())?.id;
    await app.pressMainButton();

    await waitForScreen(app, '[data-screen="my"]');
    await expect.poll(async () => (await newest())?.id).not.toBe(before);
    const filed = await newest();
    expect(filed).toMatchObject({
      requesterId: world.ids.clientA,
      companyId: world.companyA,
      channel: 'miniapp',
      categoryId: world.category.printer,
      impact: 'department',
      urgency: 'high',
      priority: 'P2',
      status: 'new',
      location: 'Офис 2, кабинет 214',
      subject: 'Не сканирует МФУ в приёмной',
    });
    if (!filed) throw new Error('not filed');
    // Filed under a key of this form, so a Send repeated after a lost answer files nothing twice.
    const post = app.apiRequests.find((r) => r.method === 'POST' && r.path === '/api/tickets');
    expect(post?.idempotencyKey).toMatch(/^[\w-]{8,}$/);
    expect(filed.intakeKey).toContain(post?.idempotencyKey ?? 'none');
    await expect.poll(() => page.locator('.toast').textContent()).toBe(`Заявка #${filed.number} принята`);
    expect(eventTypes(await app.events())).toContain('web_app_trigger_haptic_feedback');

    // The row: number, subject, P2, and "answer within 30 min" (company A answers P2 in 30 business
    // minutes; it is Wednesday 10:00 in Moscow), amber because it is under an hour.
    const row = page.locator(`[data-number="${filed.number}"]`);
    await expect.poll(() => row.textContent()).toContain('Не сканирует МФУ в приёмной');
    expect(await row.locator('[data-priority]').textContent()).toBe('P2');
    expect((filed.firstResponseDueAt - world.clock.now()) / MINUTE).toBe(30);
    const countdown = row.locator('.countdown');
    expect(await countdown.textContent()).toBe('ответим в течение 30 мин');
    expect(await countdown.getAttribute('data-tone')).toBe('amber');
    await page.screenshot({ path: `${ARTIFACTS}/client-list.png` });
    // The note goes after a few seconds; the README's picture is taken without it.
    await page.clock.runFor(4000);
    await expect.poll(() => page.locator('.toast').count()).toBe(0);
    expect(await countdown.textContent()).toBe('ответим в течение 30 мин');
    await page.screenshot({ path: `${SCREENSHOTS}/client.png` });

    // It ticks: seven minutes later, 23 left; past the due time it turns red.
    await page.clock.fastForward('07:00');
    await expect.poll(() => countdown.textContent()).toBe('ответим в течение 23 мин');
    await page.clock.fastForward('24:00');
    await expect.poll(() => countdown.getAttribute('data-tone')).toBe('red');
    expect(await countdown.textContent()).toMatch(/^просрочено на [12] мин$/);
    // In the theme's destructive colour.
    const colour = `getComputedStyle(document.querySelector('[data-number="${filed.number}"] .countdown')).color`;
    expect(await page.evaluate(colour)).toBe('rgb(255, 59, 48)');
    await page.screenshot({ path: `${ARTIFACTS}/client-list-overdue.png` });

    // Every API call carried the signed init data, and nothing failed in the page.
    const auth = `tma ${await initDataFor(desk, 'clientA')}`;
    expect(app.apiRequests.length).toBeGreaterThan(2);
    for (const r of app.apiRequests) expect(r.authorization, r.path).toBe(auth);
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('a manager reads the period report: charts drawn, figures equal to the API, XLSX downloaded', async () => {
    const app = await open(desk, 'managerA');
    const { page } = app;
    const { world } = desk;
    await waitForScreen(app, '[data-screen="company"]');
    for (const t of seeded.companyA) await waitForScreen(app, `[data-number="${t.number}"]`);
    expect(await page.locator(`[data-number="${seeded.companyB[0]?.number}"]`).count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/manager-tickets.png` });

    await page.click('[data-tab="reports"]');
    await waitForScreen(app, '[data-report]:not([data-loading])');
    // Two uPlot charts, each drawn on a canvas.
    await expect.poll(() => page.locator('.uplot canvas').count()).toBe(2);

    // The period the app asked for: this month (November 2026) in Moscow.
    const from = Date.parse('2026-11-01T00:00:00+03:00');
    const to = Date.parse('2026-12-01T00:00:00+03:00');
    const asked = app.apiRequests.find((r) => r.path.startsWith('/api/reports?'));
    const q = new URL(`http://x${asked?.path}`).searchParams;
    expect([Number(q.get('from')), Number(q.get('to')), q.get('tz')]).toEqual([from, to, 'Europe/Moscow']);
    const { report, series } = await apiAs<{
      report: {
        total: number;
        firstResponse: { percent: number | null; minutes: { median: number | null; p90: number | null } };
        resolution: { percent: number | null; minutes: { median: number | null; p90: number | null } };
        rating: { average: number | null; count: number };
        assignees: { assigneeId: number; name: string; tickets: number }[];
      };
      series: { days: string[]; byPriority: Record<string, number[]>; byCategory: { counts: number[] }[] };
    }>(desk, 'managerA', `/api/reports?${q}`);
    expect(report.total).toBeGreaterThanOrEqual(seeded.companyA.length);
    expect(report.firstResponse.percent).not.toBeNull();
    expect(report.rating.count).toBe(3);

    const kpi = (name: string) => page.locator(`[data-kpi="${name}"]`);
    expect(await kpi('first-response').getAttribute('data-value')).toBe(String(report.firstResponse.percent));
    expect(await kpi('first-response').locator('.kpi-value').textContent()).toBe(
      percentText(report.firstResponse.percent),
    );
    expect(await kpi('resolution').locator('.kpi-value').textContent()).toBe(
      percentText(report.resolution.percent),
    );
    expect(await kpi('total').locator('.kpi-value').textContent()).toBe(String(report.total));
    expect(await kpi('rating').getAttribute('data-value')).toBe(String(report.rating.average));
    // The charts plot the API's series: every ticket of the period once.
    const sum = (xs: number[][]) => xs.flat().reduce((a, b) => a + b, 0);
    expect(sum(Object.values(series.byPriority))).toBe(report.total);
    expect(await page.locator('[data-chart]').nth(0).getAttribute('data-sum')).toBe(String(report.total));
    expect(await page.locator('[data-chart]').nth(1).getAttribute('data-sum')).toBe(
      String(sum(series.byCategory.map((c) => c.counts))),
    );
    expect(await page.locator('[data-chart]').nth(0).getAttribute('data-days')).toBe(
      String(series.days.length),
    );
    const times = page.locator('[data-times] td[data-value]');
    const shown: (string | null)[] = [];
    for (let i = 0; i < (await times.count()); i++) shown.push(await times.nth(i).getAttribute('data-value'));
    expect(shown).toEqual(
      [
        report.firstResponse.minutes.median,
        report.firstResponse.minutes.p90,
        report.resolution.minutes.median,
        report.resolution.minutes.p90,
      ].map((v) => (v === null ? '' : String(v))),
    );
    const engineers = page.locator('[data-assignees] tbody tr');
    expect(await engineers.count()).toBe(report.assignees.length);
    expect(await engineers.locator('td:first-child').allTextContents()).toEqual(
      report.assignees.map((a) => a.name),
    );
    await page.screenshot({ path: `${SCREENSHOTS}/manager-report.png` });
    expect(await rawKeysShown(app)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/manager-report-full.png`, fullPage: true });

    // Export XLSX: fetched with the auth header, handed over as a download, readable by exceljs.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-report] [data-export="xlsx"]'),
    ]);
    const file = `${ARTIFACTS}/report.xlsx`;
    await download.saveAs(file);
    const exportCall = app.apiRequests.find((r) => r.path.startsWith('/api/reports/export.xlsx'));
    expect(exportCall?.authorization).toBe(`tma ${await initDataFor(desk, 'managerA')}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.length).toBeGreaterThanOrEqual(2);
    const cells: string[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((r) => {
        r.eachCell((c) => {
          cells.push(String(c.value));
        });
      }),
    );
    for (const t of seeded.companyA)
      expect(
        cells.some((c) => c.includes(String(t.number))),
        `#${t.number}`,
      ).toBe(true);
    expect(cells.some((c) => c.includes(String(seeded.companyB[0]?.number)))).toBe(false);

    // Send to chat: the Main Button; the bot sends the file to the manager's chat.
    await waitForMainButton(app, 'Отправить в чат');
    await app.pressMainButton();
    await expect.poll(() => desk.sentDocuments.length).toBe(1);
    expect(desk.sentDocuments[0]?.chatId).toBe((await telegramUserOf(world, 'managerA')).id);
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('staff triage a new ticket from the queue board: impact and urgency set its priority', async () => {
    const { world } = desk;
    const fresh = await createTicket(world.ctx, world.as.clientB, {
      channel: 'telegram',
      description: 'Не открывается почта',
      impact: 'person',
      urgency: 'low',
    });
    expect(fresh.priority).toBe('P4');
    const app = await open(desk, 'line1');
    const { page } = app;
    await waitForScreen(app, '[data-screen="board"]');
    const row = page.locator(`[data-screen="board"] [data-number="${fresh.number}"]`);
    await row.waitFor();
    // Sorted by due time; the ticket left untouched since Monday is overdue and red.
    const rows = page.locator('[data-screen="board"] .ticket-row');
    const dues: number[] = [];
    for (let i = 0; i < (await rows.count()); i++)
      dues.push(Number(await rows.nth(i).getAttribute('data-due')));
    expect(dues.length).toBeGreaterThanOrEqual(3);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const stale = seeded.companyA.find((t) => t.status === 'new');
    expect(await page.locator(`[data-number="${stale?.number}"] .countdown`).getAttribute('data-tone')).toBe(
      'red',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/staff-board.png` });
    expect(await rawKeysShown(app)).toEqual([]);

    // Filters: company B only.
    await page.selectOption('select[name="companyId"]', String(world.companyB));
    await expect
      .poll(() => app.apiRequests.some((r) => r.path.includes(`companyId=${world.companyB}`)))
      .toBe(true);
    await expect.poll(() => page.locator(`[data-number="${stale?.number}"]`).count()).toBe(0);
    await row.waitFor();

    await row.click();
    await waitForScreen(app, `[data-screen="ticket"][data-ticket="${fresh.id}"]`);
    await page.click('[data-action="triage"]');
    await page.click('[data-form="triage"] [data-name="impact"] [data-value="company"]');
    await page.click('[data-form="triage"] [data-name="urgency"] [data-value="high"]');
    await waitForMainButton(app, 'Принять');
    await page.screenshot({ path: `${ARTIFACTS}/staff-triage.png` });
    expect(await rawKeysShown(app)).toEqual([]);
    await app.pressMainButton();
    // Company B's matrix: the whole company, work stopped → P1.
    await expect.poll(async () => (await ticketRow(world, fresh.id)).priority).toBe('P1');
    expect(await ticketRow(world, fresh.id)).toMatchObject({
      status: 'open',
      impact: 'company',
      urgency: 'high',
    });
    await expect
      .poll(() =>
        page.locator('[data-screen="ticket"] [data-priority]').first().getAttribute('data-priority'),
      )
      .toBe('P1');

    // An internal note, saved with the Main Button, stays internal.
    await page.fill('textarea[name="comment"]', 'Проверить квоту ящика');
    await page.check('input[name="internal"]');
    await waitForMainButton(app, 'Сохранить заметку');
    await app.pressMainButton();
    await expect
      .poll(
        async () =>
          (
            await queryAll(
              world.ctx.db
                .select()
                .from(comments)
                .where(and(eq(comments.ticketId, fresh.id), eq(comments.internal, true))),
            )
          ).length,
      )
      .toBe(1);
    await page.locator('[data-timeline] li[data-internal]').first().waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/staff-ticket.png`, fullPage: true });

    // Back to the board with Telegram's Back Button.
    await app.pressBackButton();
    await waitForScreen(app, '[data-screen="board"]');
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('a client confirms a resolved request and rates it, opened from a t<id> start parameter', async () => {
    const { world } = desk;
    const t = await createTicket(world.ctx, world.as.clientA, {
      channel: 'telegram',
      description: 'Не работает мышь',
      impact: 'person',
      urgency: 'medium',
    });
    await act(world.ctx, world.as.line1, t.id, { action: 'take' });
    await act(world.ctx, world.as.line1, t.id, { action: 'resolve', resolution: 'Заменили батарейки' });
    const app = await open(desk, 'clientA', { startParam: `t${t.id}` });
    const { page } = app;
    await waitForScreen(app, `[data-screen="ticket"][data-ticket="${t.id}"]`);
    expect(await page.locator('[data-screen="ticket"]').textContent()).toContain('Заменили батарейки');
    await page.click('[data-action="confirm"]');
    await expect.poll(async () => (await ticketRow(world, t.id)).status).toBe('closed');
    // Closed: the rating opens by itself.
    await waitForScreen(app, '[data-form="rate"]');
    expect(await app.mainButton()).toMatchObject({ text: 'Оценить', is_active: false });
    await page.click('[data-star="4"]');
    await page.fill('textarea[name="comment"]', 'Быстро, спасибо');
    await waitForMainButton(app, 'Оценить');
    await app.pressMainButton();
    await expect.poll(async () => (await ticketRow(world, t.id)).rating).toBe(4);
    expect((await ticketRow(world, t.id)).ratingComment).toBe('Быстро, спасибо');
    await page.screenshot({ path: `${ARTIFACTS}/client-rated.png`, fullPage: true });
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('opens at the ticket given as ?ticket=<id> in the URL', async () => {
    const target = seeded.companyA[1];
    const app = await open(desk, 'managerA', { path: `/?ticket=${target?.id}` });
    await waitForScreen(app, `[data-screen="ticket"][data-ticket="${target?.id}"]`);
    expect(await app.page.locator('h1').textContent()).toContain(`#${target?.number}`);
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('shows a ticket’s times in its company’s zone, naming it when the device keeps another', async () => {
    // The browser keeps Moscow time: company A works on it, company B (24/7) keeps UTC.
    const moscow = seeded.companyA[1];
    const a = await open(desk, 'managerA', { path: `/?ticket=${moscow?.id}` });
    await waitForScreen(a, `[data-screen="ticket"][data-ticket="${moscow?.id}"]`);
    expect(await a.page.locator('[data-screen="ticket"]').textContent()).not.toContain('(UTC)');
    const utc = seeded.companyB[0];
    const b = await open(desk, 'managerB', { path: `/?ticket=${utc?.id}` });
    await waitForScreen(b, `[data-screen="ticket"][data-ticket="${utc?.id}"]`);
    expect(await b.page.locator('[data-timeline] .meta').first().textContent()).toContain('(UTC)');
  });

  it('an admin adds a company, changes an SLA target of a contract and makes an invite link', async () => {
    const { world } = desk;
    const app = await open(desk, 'admin');
    const { page } = app;
    await waitForScreen(app, '[data-screen="board"]');
    await page.click('[data-tab="admin"]');
    // The admin area opens on the set-up checklist; companies are the next tab.
    await waitForScreen(app, '[data-setup-item]');
    await page.click('[data-screen="admin"] [data-section="companies"]');
    await waitForScreen(app, '[data-section="companies"][aria-current="page"]');
    await waitForScreen(app, '[data-screen="admin"] .cell');
    expect(await page.locator('[data-screen="admin"]').textContent()).toContain('Alpha LLC');

    await waitForMainButton(app, 'Добавить');
    await app.pressMainButton();
    await page.fill('input[name="name"]', 'Gamma Ltd');
    await page.fill('input[name="emailDomain"]', 'gamma.example');
    await waitForMainButton(app, 'Сохранить');
    await app.pressMainButton();
    const company = async () =>
      await queryOne(world.ctx.db.select().from(companies).where(eq(companies.name, 'Gamma Ltd')));
    await expect.poll(async () => (await company())?.emailDomain).toBe('gamma.example');

    // Company A's contract: P1 first response from 15 to 20 business minutes.
    await page.click('[data-screen="admin"] [data-section="contracts"]');
    await page.getByText('A business hours').click();
    // Typed as hours and minutes (0 h 15 min), kept as business minutes.
    const p1 = page.locator('input[name="P1-firstResponse-minutes"]');
    expect(await page.locator('input[name="P1-firstResponse-hours"]').inputValue()).toBe('0');
    expect(await p1.inputValue()).toBe('15');
    expect(await page.locator('select[name="company-high"]').inputValue()).toBe('P1');
    await p1.fill('20');
    await waitForMainButton(app, 'Сохранить');
    await app.pressMainButton();
    const contractA = async () =>
      await queryOne(world.ctx.db.select().from(contracts).where(eq(contracts.companyId, world.companyA)));
    await expect.poll(async () => (await contractA())?.slaTargets.P1.firstResponse).toBe(20);
    expect((await contractA())?.slaTargets.P1.resolution).toBe(240);

    // An invite link for the 2nd line.
    await page.click('[data-screen="admin"] [data-section="invites"]');
    await page.selectOption('select[name="role"]', 'line2');
    await page.getByRole('button', { name: 'Создать ссылку' }).click();
    await expect
      .poll(() => page.locator('[data-invite-link]').inputValue())
      .toMatch(/^https:\/\/t\.me\/tgdesk_test_bot\?start=\S+$/);
    await page.screenshot({ path: `${ARTIFACTS}/admin-invite.png` });
    expect(await rawKeysShown(app)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it('follows the Telegram theme: dark theme params give a dark background', async () => {
    const light = await open(desk, 'clientA', { theme: LIGHT_THEME });
    const dark = await open(desk, 'clientA', { theme: DARK_THEME });
    const colours = async (app: MiniApp) => {
      await app.page.locator('[data-screen="my"] .ticket-row').first().waitFor();
      return app.page.evaluate(`({
        page: getComputedStyle(document.body).backgroundColor,
        section: getComputedStyle(document.querySelector('.section')).backgroundColor,
        text: getComputedStyle(document.querySelector('h1')).color,
      })`);
    };
    expect(await colours(light)).toEqual({
      page: 'rgb(239, 239, 243)',
      section: 'rgb(255, 255, 255)',
      text: 'rgb(0, 0, 0)',
    });
    expect(await colours(dark)).toEqual({
      page: 'rgb(14, 22, 33)',
      section: 'rgb(23, 33, 43)',
      text: 'rgb(245, 245, 245)',
    });
    // The Main Button takes the theme's button colours.
    expect(await dark.mainButton()).toMatchObject({ color: DARK_THEME.button_color });
    await dark.page.screenshot({ path: `${ARTIFACTS}/client-dark.png` });
    expect([...light.pageErrors, ...dark.pageErrors]).toEqual([]);
  });
});

// The API doing its work: filing, commenting, the lifecycle through actions (with the buttons it offers
// changing as it goes), stale versions, search, the board, reports with their series, exports read back,
// files, sending a report through the bot, and serving the Mini App.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EXPORT_PAGE } from '../core/exports.ts';
import type { Priority, Status } from '../core/model.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryOne } from '../db/access.ts';
import { people, type TicketRow, tickets } from '../db/schema.ts';
import { translator } from '../locales/index.ts';
import { type ApiWorld, apiWorld, call } from './api-harness.ts';
import { at } from './fixtures.ts';
import { onPostgres } from './support/test-store.ts';

const DAY = 86_400_000;

async function file(w: ApiWorld, who: 'clientA' | 'clientB' | 'stranger', description: string, extra = {}) {
  const res = await call(w, who, 'POST', '/api/tickets', {
    description,
    impact: 'person',
    urgency: 'medium',
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.json.ticket as { id: number; number: number; version: number; actions: string[] };
}

let number = 7000;
/** A ticket row written directly, for figures that depend on exact times. */
async function put(w: ApiWorld, row: Partial<TicketRow> & { createdAt: number }): Promise<void> {
  await execute(
    w.ctx.db.insert(tickets).values({
      number: ++number,
      channel: 'telegram',
      requesterId: w.ids.clientA,
      companyId: w.companyA,
      subject: 'Row',
      description: 'Row',
      impact: 'person',
      urgency: 'medium',
      priority: 'P3' as Priority,
      status: 'new' as Status,
      line: 'line1',
      updatedAt: row.createdAt,
      firstResponseDueAt: row.createdAt + DAY,
      resolutionDueAt: row.createdAt + 2 * DAY,
      ...row,
    }),
  );
}

async function workbook(bytes: Uint8Array) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return book;
}

describe('tickets through the API', { timeout: 60_000 }, () => {
  it('files a ticket from the Mini App and shows it with its clocks', async () => {
    const w = await apiWorld();
    const res = await call(w, 'clientA', 'POST', '/api/tickets', {
      description: 'The printer on floor 3 jams\nevery second page',
      impact: 'department',
      urgency: 'high',
      categoryId: w.category.printer,
      location: 'Floor 3',
    });
    expect(res.status).toBe(201);
    const t = res.json.ticket;
    expect(t).toMatchObject({
      subject: 'The printer on floor 3 jams',
      status: 'new',
      priority: 'P2',
      channel: 'miniapp',
      companyName: 'Alpha LLC',
      requesterName: 'Client A',
      categoryName: 'Принтер',
      location: 'Floor 3',
      timeZone: 'Europe/Moscow',
      roles: ['client'],
      actions: ['cancel'],
      next: 'first_response',
      visit: null,
      offeredSlots: [],
    });
    // Company A: P2 answers within 30 business minutes; 10:00 Monday in Moscow.
    expect(t.sla.firstResponse).toMatchObject({ state: 'running', targetMinutes: 30, elapsedMinutes: 0 });
    expect(t.dueAt).toBe(at('2026-11-02T10:30:00+03:00'));
    const page = await call(w, 'clientA', 'GET', `/api/tickets/${t.id}`);
    expect(page.json.timeline.map((e: { type: string }) => e.type)).toEqual(['created']);
    expect(page.json.comments).toEqual([]);
  });

  it('moves a ticket through its life, offering only the moves that are possible', async () => {
    const w = await apiWorld();
    const t = await file(w, 'clientA', 'Laptop will not start');
    const line1Sees = await call(w, 'line1', 'GET', `/api/tickets/${t.id}`);
    expect(line1Sees.json.ticket.actions).toEqual(expect.arrayContaining(['triage', 'take', 'cancel']));
    expect(line1Sees.json.ticket.actions).not.toContain('resolve');

    const taken = await call(w, 'line1', 'POST', `/api/tickets/${t.id}/actions`, {
      action: 'take',
      expectedVersion: line1Sees.json.ticket.version,
    });
    expect(taken.status).toBe(200);
    expect(taken.json.ticket).toMatchObject({ status: 'in_progress', assigneeName: 'Line One' });
    expect(taken.json.ticket.actions).toEqual(
      expect.arrayContaining(['resolve', 'ask_customer', 'return_to_queue']),
    );
    expect(taken.json.ticket.actions).not.toContain('take');

    const comment = await call(w, 'clientA', 'POST', `/api/tickets/${t.id}/comments`, {
      body: 'It beeps three times',
    });
    expect(comment.status).toBe(201);
    expect(comment.json.comment).toMatchObject({
      body: 'It beeps three times',
      authorName: 'Client A',
      internal: false,
    });
    expect(comment.json.ticket.version).toBe(taken.json.ticket.version + 1);

    const resolved = await call(w, 'line1', 'POST', `/api/tickets/${t.id}/actions`, {
      action: 'resolve',
      resolution: 'Replaced the battery',
    });
    expect(resolved.json.ticket).toMatchObject({
      status: 'resolved',
      resolutionText: 'Replaced the battery',
    });
    const clientView = await call(w, 'clientA', 'GET', `/api/tickets/${t.id}`);
    expect(clientView.json.ticket.actions.sort()).toEqual(['confirm', 'reopen']);

    const closed = await call(w, 'clientA', 'POST', `/api/tickets/${t.id}/actions`, { action: 'confirm' });
    expect(closed.json.ticket.status).toBe('closed');
    expect(closed.json.ticket.actions).toEqual(['rate']);
    const rated = await call(w, 'clientA', 'POST', `/api/tickets/${t.id}/actions`, {
      action: 'rate',
      rating: 5,
      comment: 'Quick',
    });
    expect(rated.json.ticket).toMatchObject({ rating: 5, ratingComment: 'Quick', actions: [] });
    const again = await call(w, 'clientA', 'POST', `/api/tickets/${t.id}/actions`, {
      action: 'rate',
      rating: 1,
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('invalid_transition');

    const page = await call(w, 'clientA', 'GET', `/api/tickets/${t.id}`);
    expect(page.json.timeline.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'take',
      'comment',
      'resolve',
      'confirm',
      'rate',
    ]);
    expect(page.json.timeline[1]).toMatchObject({
      actorName: 'Line One',
      fromStatus: 'new',
      toStatus: 'in_progress',
    });
  });

  it('refuses a move made on an outdated version, and one the status does not allow', async () => {
    const w = await apiWorld();
    const t = await file(w, 'clientA', 'Monitor flickers');
    await call(w, 'line1', 'POST', `/api/tickets/${t.id}/actions`, { action: 'take' });
    const stale = await call(w, 'line2', 'POST', `/api/tickets/${t.id}/actions`, {
      action: 'return_to_queue',
      expectedVersion: t.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('stale');
    const staleComment = await call(w, 'clientA', 'POST', `/api/tickets/${t.id}/comments`, {
      body: 'hello',
      expectedVersion: t.version,
    });
    expect(staleComment.json.error.code).toBe('stale');
    const fresh = await call(w, 'line2', 'POST', `/api/tickets/${t.id}/actions`, {
      action: 'return_to_queue',
      expectedVersion: t.version + 1,
    });
    expect(fresh.status).toBe(200);
    const wrong = await call(w, 'line1', 'POST', `/api/tickets/${t.id}/actions`, { action: 'confirm' });
    expect(wrong.status).toBe(409);
    expect(wrong.json.error.code).toBe('invalid_transition');
  });

  it('finds tickets by number and by words, literally and in any case', async () => {
    const w = await apiWorld();
    const printer = await file(w, 'clientA', 'Принтер печатает полосами');
    const mail = await file(w, 'clientA', 'Mail: 100% of messages bounce');
    const under = await file(w, 'clientA', 'File name_with underscore is lost');
    const other = await file(w, 'clientA', 'Nothing to see here, 100 percent');
    const ids = async (q: string) =>
      (await call(w, 'line1', 'GET', `/api/tickets?q=${encodeURIComponent(q)}`)).json.tickets.map(
        (t: { id: number }) => t.id,
      );
    expect(await ids(`#${mail.number}`)).toEqual([mail.id]);
    expect(await ids(String(printer.number))).toEqual([printer.id]);
    expect(await ids('ПРИНТЕР')).toEqual([printer.id]);
    expect(await ids('печатает принтер')).toEqual([printer.id]);
    expect(await ids('100%')).toEqual([mail.id]);
    expect(await ids('name_with')).toEqual([under.id]);
    expect(await ids('name%with')).toEqual([]);
    expect(await ids('_')).toEqual([under.id]);
    expect(await ids('100')).toEqual([]);
    expect((await ids('percent')).length).toBe(1);
    expect(await ids('percent')).toEqual([other.id]);
    // The client of another company finds nothing of A, not even by number.
    const b = await call(w, 'clientB', 'GET', `/api/tickets?q=${mail.number}`);
    expect(b.json.tickets).toEqual([]);
  });

  it('pages newest first with a cursor, and filters by category and "mine"', async () => {
    const w = await apiWorld();
    const made = [];
    for (let i = 0; i < 7; i++)
      made.push(await file(w, 'clientA', `Ticket ${i}`, i % 2 ? { categoryId: w.category.network } : {}));
    await file(w, 'clientB', 'Not mine');
    const first = await call(w, 'managerA', 'GET', '/api/tickets?limit=3');
    expect(first.json.tickets.map((t: { id: number }) => t.id)).toEqual(
      made
        .slice(4)
        .reverse()
        .map((t) => t.id),
    );
    expect(first.json.next).toBe(made[4]?.id);
    const second = await call(w, 'managerA', 'GET', `/api/tickets?limit=3&before=${first.json.next}`);
    expect(second.json.tickets.map((t: { id: number }) => t.id)).toEqual(
      made
        .slice(1, 4)
        .reverse()
        .map((t) => t.id),
    );
    const last = await call(w, 'managerA', 'GET', `/api/tickets?limit=3&before=${second.json.next}`);
    expect(last.json).toMatchObject({ next: null, tickets: [{ id: made[0]?.id }] });
    const network = await call(w, 'line1', 'GET', `/api/tickets?categoryId=${w.category.network}`);
    expect(network.json.tickets.map((t: { id: number }) => t.id).sort()).toEqual(
      made
        .filter((_, i) => i % 2)
        .map((t) => t.id)
        .sort(),
    );
    expect((await call(w, 'managerA', 'GET', '/api/tickets?mine=1')).json.tickets).toEqual([]);
    expect((await call(w, 'clientA', 'GET', '/api/tickets?mine=1')).json.tickets).toHaveLength(7);
    const unassigned = await call(w, 'line1', 'GET', '/api/tickets?assigneeId=none&status=new,open');
    expect(unassigned.json.tickets).toHaveLength(8);
  });

  // SQLite: counts the statements the connection prepares (PostgreSQL's pool has no such hook).
  it.skipIf(onPostgres)('shapes a list of 200 with a handful of queries, not one per row', async () => {
    const w = await apiWorld();
    for (let i = 0; i < 200; i++)
      await createTicket(w.ctx, i % 2 ? w.as.clientA : w.as.clientB, {
        channel: 'telegram',
        description: `Row ${i}`,
        categoryId: w.category.printer,
      });
    const client = w.ctx.db.$client;
    const prepare = client.prepare.bind(client);
    let queries = 0;
    client.prepare = ((source: string) => {
      queries++;
      return prepare(source);
    }) as typeof client.prepare;
    const res = await call(w, 'line1', 'GET', '/api/tickets?limit=200');
    client.prepare = prepare;
    expect(res.json.tickets).toHaveLength(200);
    expect(res.json.tickets[0]).toMatchObject({ categoryName: 'Принтер', requesterName: expect.any(String) });
    expect(queries).toBeLessThan(20);
  });
});

describe('the board', () => {
  it('lists open work by the clock that runs out next, staff only', async () => {
    const w = await apiWorld();
    const now = w.clock.now();
    await put(w, {
      createdAt: now - 3 * DAY,
      firstRespondedAt: now - 3 * DAY,
      resolutionDueAt: now + 5 * DAY,
      firstResponseDueAt: now,
      status: 'in_progress',
      assigneeId: w.ids.line1,
    });
    await put(w, { createdAt: now - DAY, firstResponseDueAt: now + 2 * DAY, resolutionDueAt: now + 3 * DAY });
    await put(w, {
      createdAt: now,
      firstResponseDueAt: now + 60_000,
      resolutionDueAt: now + DAY,
      companyId: w.companyB,
      requesterId: w.ids.clientB,
    });
    await put(w, {
      createdAt: now,
      firstResponseDueAt: now - 60_000,
      resolutionDueAt: now + DAY,
      line: 'field',
    });
    await put(w, {
      createdAt: now,
      firstResponseDueAt: now - 5 * DAY,
      resolutionDueAt: now - 4 * DAY,
      status: 'resolved',
    });
    const board = await call(w, 'line1', 'GET', '/api/board');
    expect(board.status).toBe(200);
    const dues = board.json.tickets.map((t: { dueAt: number }) => t.dueAt);
    expect(dues).toEqual([now - 60_000, now + 60_000, now + 2 * DAY, now + 5 * DAY]);
    expect(board.json.tickets.map((t: { next: string }) => t.next)).toEqual([
      'first_response',
      'first_response',
      'first_response',
      'resolution',
    ]);
    expect((await call(w, 'line1', 'GET', `/api/board?companyId=${w.companyB}`)).json.tickets).toHaveLength(
      1,
    );
    expect((await call(w, 'line1', 'GET', '/api/board?assigneeId=none')).json.tickets).toHaveLength(3);
    expect((await call(w, 'line1', 'GET', '/api/board?limit=2')).json.tickets).toHaveLength(2);
    const field = await call(w, 'field', 'GET', '/api/board');
    expect(field.json.tickets.map((t: { line: string }) => t.line)).toEqual(['field']);
    expect((await call(w, 'managerA', 'GET', '/api/board')).status).toBe(403);
  });
});

describe('reports and exports', { timeout: 60_000 }, () => {
  it('counts per local day in the company zone, and per week over long periods', async () => {
    const w = await apiWorld({ start: '2027-01-10T12:00:00Z' });
    // 00:30 in Moscow on 2 November is still 1 November in UTC.
    await put(w, {
      createdAt: at('2026-11-02T00:30:00+03:00'),
      priority: 'P1',
      categoryId: w.category.printer,
    });
    await put(w, { createdAt: at('2026-11-02T23:59:00+03:00'), priority: 'P1' });
    await put(w, {
      createdAt: at('2026-11-04T10:00:00+03:00'),
      priority: 'P4',
      categoryId: w.category.printer,
    });
    await put(w, {
      createdAt: at('2026-11-04T10:00:00+03:00'),
      companyId: w.companyB,
      requesterId: w.ids.clientB,
    });
    const from = at('2026-11-01T00:00:00+03:00');
    const to = at('2026-11-05T00:00:00+03:00');
    const res = await call(w, 'managerA', 'GET', `/api/reports?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.json.report.total).toBe(3);
    expect(res.json.timeZone).toBe('Europe/Moscow');
    expect(res.json.series.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']);
    expect(res.json.series.byPriority).toEqual({
      P1: [0, 2, 0, 0],
      P2: [0, 0, 0, 0],
      P3: [0, 0, 0, 0],
      P4: [0, 0, 0, 1],
    });
    expect(res.json.series.byCategory).toEqual([
      { categoryId: w.category.printer, name: 'Принтер', counts: [0, 1, 0, 1] },
      { categoryId: null, name: 'Без категории', counts: [0, 1, 0, 0] },
    ]);
    const utc = await call(w, 'managerA', 'GET', `/api/reports?from=${from}&to=${to}&tz=UTC`);
    expect(utc.json.series.days).toEqual([
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
    ]);
    expect(utc.json.series.byPriority.P1).toEqual([0, 1, 1, 0, 0]);

    const long = await call(
      w,
      'supervisor',
      'GET',
      `/api/reports?from=${at('2026-09-01T00:00:00+03:00')}&to=${at('2027-01-01T00:00:00+03:00')}&tz=Europe/Moscow`,
    );
    expect(long.json.series.bucket).toBe('week');
    expect(long.json.series.days[0]).toBe('2026-08-31');
    const nov2 = long.json.series.days.indexOf('2026-11-02');
    expect(long.json.series.byPriority.P1[nov2]).toBe(2);
    expect(long.json.series.byPriority.P3[nov2]).toBe(1);
    expect(long.json.series.byPriority.P4[nov2]).toBe(1);
  });

  it("exports every ticket, past any page size, as CSV and XLSX in the person's language", async () => {
    const w = await apiWorld();
    const n = EXPORT_PAGE * 2 + 345;
    const base = w.clock.now() - DAY;
    for (let i = 0; i < n; i++)
      await put(w, { createdAt: base + i, subject: i === 5 ? '=HYPERLINK("x")' : `Row ${i}` });
    await put(w, { createdAt: base, companyId: w.companyB, requesterId: w.ids.clientB });
    await execute(w.ctx.db.update(people).set({ language: 'en' }).where(eq(people.id, w.ids.managerA)));

    const csv = await call(w, 'managerA', 'GET', '/api/tickets/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      `\uFEFF${translator('en')('csv-number')},Created (Europe/Moscow),Company,Requester,Channel,Category,Subject,Priority,Status,Line,Assignee,First response due (Europe/Moscow),First response (Europe/Moscow),First response on time,Resolution due (Europe/Moscow),Resolved (Europe/Moscow),Resolved on time,Rating`,
    );
    expect(lines).toHaveLength(n + 1);
    expect(csv.text).toContain(`"'=HYPERLINK(""x"")"`);

    const xlsx = await call(w, 'managerA', 'GET', '/api/tickets/export.xlsx');
    expect(xlsx.headers.get('content-disposition')).toMatch(
      /attachment; filename="tickets-\d{4}-\d\d-\d\d\.xlsx"/,
    );
    const book = await workbook(xlsx.bytes);
    const sheet = book.worksheets[0];
    expect(sheet?.rowCount).toBe(n + 1);
    expect(sheet?.getRow(1).getCell(1).value).toBe('Number');
    expect(sheet?.getRow(1).getCell(7).value).toBe('Subject');
    const numbers = new Set<number>();
    sheet?.eachRow((row, i) => {
      if (i > 1) numbers.add(Number(row.getCell(1).value));
    });
    expect(numbers.size).toBe(n);
    // A formula-looking subject stays text; times are local wall-clock dates.
    const row5 = [...Array(n).keys()]
      .map((i) => sheet?.getRow(i + 2))
      .find((r) => r?.getCell(7).value === '=HYPERLINK("x")');
    expect(row5).toBeDefined();
    expect(row5?.getCell(2).value).toBeInstanceOf(Date);
  });

  it('exports a period report with a summary, a sheet per engineer and every ticket', async () => {
    const w = await apiWorld({ start: '2027-01-10T12:00:00Z' });
    const created = at('2026-11-10T10:00:00+03:00');
    for (let i = 0; i < 30; i++)
      await put(w, {
        createdAt: created + i * 60_000,
        assigneeId: i % 3 ? w.ids.line1 : w.ids.line2,
        status: 'closed',
        resolutionMet: true,
        resolutionMinutes: 60,
        rating: 4,
      });
    await put(w, { createdAt: created, companyId: w.companyB, requesterId: w.ids.clientB });
    const q = `from=${at('2026-11-01T00:00:00+03:00')}&to=${at('2026-12-01T00:00:00+03:00')}`;
    const res = await call(w, 'managerA', 'GET', `/api/reports/export.xlsx?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('report-2026-11-01-2026-11-30.xlsx');
    const book = await workbook(res.bytes);
    expect(book.worksheets).toHaveLength(3);
    const [summary, engineers, list] = book.worksheets;
    const t = translator('ru');
    expect(summary?.getRow(1).values).toEqual([
      undefined,
      t('report-section'),
      t('report-key'),
      t('report-value'),
    ]);
    const total: unknown[] = [];
    summary?.eachRow((row) => {
      if (row.getCell(2).value === t('report-total')) total.push(row.getCell(3).value);
    });
    expect(total).toEqual([30]);
    expect(engineers?.getRow(1).getCell(1).value).toBe(t('csv-assignee'));
    expect(engineers?.getRow(2).values).toEqual([undefined, 'Line One', 20, 20, 100, 60, 4]);
    expect(engineers?.getRow(3).values).toEqual([undefined, 'Line Two', 10, 10, 100, 60, 4]);
    expect(list?.rowCount).toBe(31);
    expect(list?.getRow(1).getCell(1).value).toBe(t('csv-number'));

    const csv = await call(w, 'managerA', 'GET', `/api/reports/export.csv?${q}`);
    const [report, ticketList] = csv.text.split('\r\n\r\n');
    expect(report).toContain(`${t('report-total')},30`);
    expect(ticketList?.split('\r\n').filter(Boolean)).toHaveLength(31);
  });

  it('sends the report file to the person through the bot, and says 503 when it cannot', async () => {
    const w = await apiWorld({ start: '2027-01-10T12:00:00Z' });
    await put(w, { createdAt: at('2026-11-10T10:00:00+03:00') });
    const body = {
      from: at('2026-11-01T00:00:00+03:00'),
      to: at('2026-12-01T00:00:00+03:00'),
      format: 'xlsx',
    };
    const res = await call(w, 'managerA', 'POST', '/api/reports/send', body);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ queued: true });
    expect(w.sent).toHaveLength(1);
    const me = await queryOne(w.ctx.db.select().from(people).where(eq(people.id, w.ids.managerA)));
    expect(w.sent[0]).toMatchObject({
      chatId: me?.telegramUserId,
      fileName: 'report-2026-11-01-2026-11-30.xlsx',
      // The days the period covers, in the report's zone (not "03:00" boundaries).
      caption: 'Отчёт за период 2026-11-01 — 2026-11-30 (Europe/Moscow): Alpha LLC',
    });
    expect((await workbook(w.sent[0]?.bytes ?? new Uint8Array())).worksheets[2]?.rowCount).toBe(2);
    const csv = await call(w, 'managerA', 'POST', '/api/reports/send', { ...body, format: 'csv' });
    expect(csv.status).toBe(202);
    expect(new TextDecoder().decode(w.sent[1]?.bytes)).toContain('Alpha LLC');

    const without = await apiWorld({ start: '2027-01-10T12:00:00Z' }, { sendDocument: undefined });
    const refused = await call(without, 'managerA', 'POST', '/api/reports/send', body);
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('unavailable');
    // Bad input and permissions are still answered first.
    expect((await call(without, 'clientA', 'POST', '/api/reports/send', body)).status).toBe(403);
    expect(
      (await call(without, 'managerA', 'POST', '/api/reports/send', { ...body, format: 'pdf' })).status,
    ).toBe(400);
  });
});

describe('files, the Mini App and the rest', () => {
  it('downloads a file by its Telegram id, with its name; 404 when it cannot', async () => {
    const w = await apiWorld();
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      description: 'See the photo',
      attachments: [
        { kind: 'document', fileName: 'Счёт №5.pdf', mimeType: 'application/pdf', telegramFileId: 'doc-1' },
        { kind: 'photo', storagePath: 'mail/1.jpg' },
        { kind: 'photo', telegramFileId: 'gone' },
      ],
    });
    await addComment(w.ctx, w.as.line1, t.id, {
      body: 'Here',
      attachments: [{ kind: 'photo', telegramFileId: 'ph-1' }],
    });
    w.files.set('doc-1', new TextEncoder().encode('%PDF-1.4'));
    w.files.set('ph-1', new Uint8Array([0xff, 0xd8]));
    const page = await call(w, 'clientA', 'GET', `/api/tickets/${t.id}`);
    const [doc, stored, gone] = page.json.attachments;
    expect(doc).toMatchObject({
      kind: 'document',
      fileName: 'Счёт №5.pdf',
      url: `/api/tickets/${t.id}/attachments/${doc.id}`,
    });
    expect(page.json.comments[0].attachments).toHaveLength(1);

    const got = await call(w, 'clientA', 'GET', doc.url);
    expect(got.status).toBe(200);
    expect(got.text).toBe('%PDF-1.4');
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="____ _5.pdf"; filename*=UTF-8''${encodeURIComponent('Счёт №5.pdf')}`,
    );
    const photo = await call(w, 'clientA', 'GET', page.json.comments[0].attachments[0].url);
    expect(photo.headers.get('content-disposition')).toContain('photo-');
    expect((await call(w, 'clientA', 'GET', stored.url)).status).toBe(404);
    expect((await call(w, 'clientA', 'GET', gone.url)).status).toBe(404);
    const noBot = await apiWorld({}, { downloadFile: undefined });
    const t2 = await createTicket(noBot.ctx, noBot.as.clientA, {
      channel: 'telegram',
      description: 'x',
      attachments: [{ kind: 'photo', telegramFileId: 'p' }],
    });
    expect((await call(noBot, 'clientA', 'GET', `/api/tickets/${t2.id}/attachments/1`)).status).toBe(404);
  });

  it('serves the built Mini App, index.html for unknown paths, and leaves later routes and /api alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'miniapp-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>tgdesk</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const w = await apiWorld({}, { miniappDir: dir });
    w.app.get('/sandbox', (c) => c.text('sandbox page'));
    const index = await call(w, null, 'GET', '/');
    expect(index.text).toContain('<title>tgdesk</title>');
    expect(index.headers.get('content-type')).toContain('text/html');
    expect((await call(w, null, 'GET', '/tickets/42')).text).toContain('<title>tgdesk</title>');
    const js = await call(w, null, 'GET', '/app.js');
    expect(js.text).toBe('console.log(1)');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await call(w, null, 'GET', '/sandbox')).text).toBe('sandbox page');
    expect((await call(w, null, 'GET', '/../../etc/passwd')).text).not.toContain('root:');
    expect((await call(w, null, 'GET', '/%2e%2e/%2e%2e/etc/passwd')).text).not.toContain('root:');
    const api = await call(w, 'admin', 'GET', '/api/unknown');
    expect(api.status).toBe(404);
    expect(api.json.error.code).toBe('not_found');
    const health = await call(w, null, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ ok: true, checks: { store: { ok: true }, outbox: { ok: true } } });
  });

  it('answers the bot webhook at its path, without init data', async () => {
    const seen: string[] = [];
    const w = await apiWorld(
      {},
      {
        webhook: {
          path: '/telegram/hook',
          handler: async (c) => {
            seen.push(await c.req.text());
            return c.text('ok');
          },
        },
      },
    );
    const res = await call(w, null, 'POST', '/telegram/hook', { update_id: 1 });
    expect(res.status).toBe(200);
    expect(seen).toEqual(['{"update_id":1}']);
  });

  it("names categories in the person's language and lists staff and companies", async () => {
    const w = await apiWorld();
    await execute(w.ctx.db.update(people).set({ language: 'en' }).where(eq(people.id, w.ids.clientB)));
    expect(
      (await call(w, 'clientA', 'GET', '/api/categories')).json.map((c: { name: string }) => c.name),
    ).toEqual(['Принтер', 'Сеть']);
    expect((await call(w, 'clientB', 'GET', '/api/categories')).json).toEqual([
      { id: w.category.printer, code: 'printer', name: 'Printer' },
      { id: w.category.network, code: 'network', name: 'Network' },
    ]);
    const staff = await call(w, 'line1', 'GET', '/api/staff?line=line1');
    expect(staff.json.people.map((p: { name: string }) => p.name)).toEqual(['Line One', 'Line One B']);
    expect(
      (await call(w, 'line1', 'GET', '/api/companies')).json.companies.map((c: { name: string }) => c.name),
    ).toEqual(['Alpha LLC', 'Beta JSC']);
    expect((await call(w, 'managerB', 'GET', '/api/companies')).json.companies).toEqual([
      { id: w.companyB, name: 'Beta JSC' },
    ]);
    const me = await call(w, 'admin', 'GET', '/api/me');
    expect(me.json).toMatchObject({
      staff: true,
      admin: true,
      roles: [{ role: 'admin', companyId: null, companyName: null }],
    });
  });
});

// XLSX exports in core, read back with exceljs: every row, localized headers, local times as dates, and
// filters checked before anything is written.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../core/errors.ts';
import { ticketCsvChunks } from '../core/exports.ts';
import { ExportCancelled, reportXlsx, ticketsXlsx, type XlsxWriter } from '../core/exports-xlsx.ts';
import type { Language } from '../core/model.ts';
import { buildReport } from '../core/reports.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute } from '../db/access.ts';
import { tickets } from '../db/schema.ts';
import { translator } from '../locales/index.ts';
import { at, makeWorld } from './fixtures.ts';

async function read(write: XlsxWriter): Promise<ExcelJS.Workbook> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(chunks) as unknown as ExcelJS.Buffer);
  return book;
}

const format = (language: Language, timeZone = 'Europe/Moscow') => ({
  t: translator(language),
  language,
  timeZone,
});

describe('XLSX exports', () => {
  it('write every ticket the actor may see, with headers in their language and local times', async () => {
    const w = await makeWorld();
    for (let i = 0; i < 12; i++) {
      await createTicket(w.ctx, w.as[i % 3 ? 'clientA' : 'clientB'], {
        channel: 'telegram',
        description: `Issue ${i}`,
      });
      w.clock.advance(60_000);
    }
    const en = await read(ticketsXlsx(w.ctx, w.as.line1, {}, format('en')));
    const sheet = en.worksheets[0];
    expect(sheet?.rowCount).toBe(13);
    expect(sheet?.getRow(1).getCell(1).value).toBe('Number');
    expect(sheet?.getRow(1).getCell(9).value).toBe('Status');
    expect(sheet?.getRow(2).getCell(9).value).toBe('New');
    // Newest first; created 10:11 Moscow time shows as 10:11.
    expect(sheet?.getRow(2).getCell(2).value).toEqual(new Date('2026-11-02T10:11:00Z'));
    expect(sheet?.getColumn(2).numFmt).toBe('yyyy-mm-dd hh:mm');

    const ru = await read(ticketsXlsx(w.ctx, w.as.managerA, {}, format('ru')));
    const rows = ru.worksheets[0];
    expect(rows?.getRow(1).getCell(1).value).toBe('Номер');
    expect(rows?.rowCount).toBe(1 + 8);
    const companies = new Set<unknown>();
    rows?.eachRow((row, i) => {
      if (i > 1) companies.add(row.getCell(3).value);
    });
    expect([...companies]).toEqual(['Alpha LLC']);
  });

  it('check the filter before writing anything', async () => {
    const w = await makeWorld();
    expect(() => ticketsXlsx(w.ctx, w.as.line1, { status: ['lost' as 'new'] }, format('en'))).toThrow(
      InvalidInputError,
    );
    // A limit means nothing to an export without a cap: it is dropped, not refused.
    expect(() => ticketCsvChunks(w.ctx, w.as.line1, { limit: 0 } as never, format('en'))).not.toThrow();
    expect(() => ticketCsvChunks(w.ctx, w.as.line1, { from: 'x' as never }, format('en'))).toThrow(
      InvalidInputError,
    );
  });

  it('write a report as a summary, a sheet per engineer and the tickets of the period', async () => {
    const w = await makeWorld();
    const a = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'One' });
    const b = await createTicket(w.ctx, w.as.clientA, { channel: 'email', description: 'Two' });
    await createTicket(w.ctx, w.as.clientB, { channel: 'telegram', description: 'Other company' });
    await act(w.ctx, w.as.line1, a.id, { action: 'take' });
    await act(w.ctx, w.as.line2, b.id, { action: 'take' });
    w.clock.advance(30 * 60_000);
    await act(w.ctx, w.as.line1, a.id, { action: 'resolve', resolution: 'ok' });
    const report = await buildReport(w.ctx, w.as.managerA, {
      companyId: w.companyA,
      from: at('2026-11-01T00:00:00+03:00'),
      to: at('2026-12-01T00:00:00+03:00'),
    });
    const book = await read(await reportXlsx(w.ctx, w.as.managerA, report, format('en')));
    expect(book.worksheets).toHaveLength(3);
    const [summary, engineers, list] = book.worksheets;
    const figures = new Map<unknown, unknown>();
    summary?.eachRow((row) => {
      figures.set(row.getCell(2).value, row.getCell(3).value);
    });
    expect(figures.get('Tickets')).toBe(2);
    expect(figures.get('Company')).toBe('Alpha LLC');
    expect(figures.get('Resolved on time, %')).toBe(100);
    expect([...figures.keys()].some((k) => String(k).includes(': tickets'))).toBe(false);
    // Name, tickets, resolved, on time %, median minutes; no rating yet, so that cell stays empty.
    expect(engineers?.getRow(2).values).toEqual([undefined, 'Line One', 1, 1, 100, 30]);
    expect(engineers?.getRow(3).getCell(1).value).toBe('Line Two');
    expect(list?.rowCount).toBe(3);
    expect(list?.getRow(1).getCell(5).value).toBe('Channel');
    expect(new Set([list?.getRow(2).getCell(5).value, list?.getRow(3).getCell(5).value])).toEqual(
      new Set(['Telegram', 'E-mail']),
    );
  });
});

describe('XLSX export to a slow or vanished reader', () => {
  it('stops, without finishing the file, when the reader goes away', async () => {
    const w = await makeWorld();
    const values = Array.from({ length: 2500 }, (_, i) => ({
      number: 5000 + i,
      channel: 'telegram' as const,
      requesterId: w.ids.clientA,
      companyId: w.companyA,
      subject: `Row ${i} ${'x'.repeat(200)}`,
      description: 'Row',
      impact: 'person' as const,
      urgency: 'medium' as const,
      priority: 'P3' as const,
      status: 'new' as const,
      line: 'line1' as const,
      createdAt: i,
      updatedAt: i,
      firstResponseDueAt: i,
      resolutionDueAt: i,
    }));
    for (let i = 0; i < values.length; i += 500)
      await execute(w.ctx.db.insert(tickets).values(values.slice(i, i + 500)));
    // Nobody reads: the writer waits for the reader instead of filling memory, then the reader goes.
    const out = new PassThrough({ highWaterMark: 1024 });
    const done = ticketsXlsx(w.ctx, w.as.line1, {}, format('en'))(out);
    await new Promise((resolve) => setTimeout(resolve, 50));
    out.destroy();
    await expect(done).rejects.toBeInstanceOf(ExportCancelled);
  });
});

// XLSX exports of the ticket list and of a period report, written as a stream (exceljs's WorkbookWriter):
// rows go out as they are read, a page at a time, so an export of any size never sits in memory whole.
// Texts come from the caller's locale, as in the CSV exports; times are the caller's local wall time,
// stored as spreadsheet dates.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { offsetAt } from './calendar/time-zone.ts';
import type { DeskContext } from './context.ts';
import {
  assigneeRows,
  type ExportCell,
  type ExportFormat,
  type ExportTicket,
  exportPages,
  reportRows,
  reportTicketFilter,
  TICKET_TIME_COLUMNS,
  ticketCells,
  ticketHeader,
} from './exports.ts';
import type { Instant } from './model.ts';
import type { Actor } from './permissions.ts';
import type { Report } from './reports.ts';
import type { TicketFilter } from './tickets/read.ts';

/**
 * Writes the workbook to `out` (and ends it) and resolves when it is complete. Rejects with
 * ExportCancelled when `out` is destroyed first (the reader went away).
 */
export type XlsxWriter = (out: Writable) => Promise<void>;

export class ExportCancelled extends Error {
  constructor() {
    super('the export was cancelled: its reader went away');
    this.name = 'ExportCancelled';
  }
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DATE_FORMAT = 'yyyy-mm-dd hh:mm';

/** A spreadsheet date showing the local wall time of `at` (spreadsheets have no time zones). */
function localDate(at: Instant | null, timeZone: string): Date | null {
  return at === null ? null : new Date(at + offsetAt(at, timeZone));
}

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';
}

function plain(values: unknown[]): unknown[] {
  return values.map((v) => (v === '' || v === undefined ? null : v));
}

type Sheet = ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>;

/**
 * Between pages: lets the event loop run (a long export does not hold up other requests) and waits while
 * the reader is behind, so a slow download does not pile the whole file up in memory.
 */
function readerReady(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(new ExportCancelled());
  return new Promise((resolve, reject) => {
    const settle = () => {
      out.off('drain', settle);
      out.off('close', settle);
      if (out.destroyed) reject(new ExportCancelled());
      else resolve();
    };
    if (out.writableNeedDrain) {
      out.on('drain', settle);
      out.on('close', settle);
    } else setImmediate(settle);
  });
}

/** `work`, unless `out` is destroyed first (then ExportCancelled): the workbook's end waits on `out`. */
function whileOpen(out: Writable, work: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    // Closed after everything was written is the normal end; closed before is the reader gone.
    const cancelled = () => {
      if (!out.writableFinished) reject(new ExportCancelled());
    };
    if (out.destroyed) cancelled();
    else out.once('close', cancelled);
    work.then(
      () => {
        out.off('close', cancelled);
        resolve();
      },
      (error: unknown) => {
        out.off('close', cancelled);
        reject(error);
      },
    );
  });
}

async function writeTickets(
  sheet: Sheet,
  pages: AsyncIterable<ExportTicket[]>,
  format: ExportFormat,
  out: Writable,
) {
  const header = ticketHeader(format);
  sheet.columns = header.map((h) => ({ header: h, width: Math.max(10, Math.min(40, h.length + 4)) }));
  for (const i of TICKET_TIME_COLUMNS) sheet.getColumn(i + 1).numFmt = DATE_FORMAT;
  for await (const page of pages) {
    for (const r of page) {
      const cells = ticketCells(r, format).map((c: ExportCell) =>
        c !== null && typeof c === 'object' ? localDate(c.at, format.timeZone) : c,
      );
      sheet.addRow(plain(cells)).commit();
    }
    await readerReady(out);
  }
  sheet.commit();
}

function workbook(out: Writable) {
  return new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
}

/**
 * The ticket list as one sheet: every ticket matching the filter that the actor may see, no cap. The
 * filter is checked now (a bad one throws before anything is written); the rows are read while writing.
 */
export function ticketsXlsx(
  ctx: DeskContext,
  actor: Actor,
  raw: TicketFilter,
  format: ExportFormat,
): XlsxWriter {
  const pages = exportPages(ctx, actor, raw);
  return async (out) => {
    const book = workbook(out);
    await writeTickets(book.addWorksheet(sheetName(format.t('xlsx-sheet-tickets'))), pages, format, out);
    await whileOpen(out, book.commit());
  };
}

/**
 * A period report: the summary sheet (the figures of the CSV report), a sheet per assignee row, and every
 * ticket of the period the actor may see. The report must have been built for this actor (buildReport
 * checks who may see it).
 */
export async function reportXlsx(
  ctx: DeskContext,
  actor: Actor,
  report: Report,
  format: ExportFormat,
): Promise<XlsxWriter> {
  const summary = await reportRows(ctx, report, format, { assignees: false });
  const assignees = assigneeRows(report, format);
  const pages = exportPages(ctx, actor, reportTicketFilter(report));
  return async (out) => {
    const book = workbook(out);
    const first = book.addWorksheet(sheetName(format.t('xlsx-sheet-summary')));
    first.columns = [{ width: 24 }, { width: 48 }, { width: 16 }];
    for (const row of summary) first.addRow(plain(row)).commit();
    first.commit();
    const second = book.addWorksheet(sheetName(format.t('xlsx-sheet-assignees')));
    second.columns = [
      { width: 28 },
      { width: 14 },
      { width: 14 },
      { width: 18 },
      { width: 22 },
      { width: 14 },
    ];
    for (const row of assignees) second.addRow(plain(row)).commit();
    second.commit();
    await writeTickets(book.addWorksheet(sheetName(format.t('xlsx-sheet-tickets'))), pages, format, out);
    await whileOpen(out, book.commit());
  };
}

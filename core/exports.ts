// CSV exports of the ticket list and of a period report, for spreadsheets, and the columns and rows the
// XLSX exports (exports-xlsx.ts) share with them. Labels come from the caller's locale; times are shown in
// the caller's time zone. The uncapped exports read the store a page at a time.
import { desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { queryAll, queryOne } from '../db/access.ts';
import { categories, companies, people, type TicketRow, tickets } from '../db/schema.ts';
import type { DeskContext } from './context.ts';
import { csvLines as writeCsv } from './csv.ts';
import type { Instant, Language } from './model.ts';
import type { Actor } from './permissions.ts';
import type { Report } from './reports.ts';
import { statements } from './statements.ts';
import {
  filterCondition,
  type ParsedTicketFilter,
  type TicketFilter,
  ticketFilterSchema,
} from './tickets/read.ts';
import { parseInput } from './validation.ts';

/** Looks a message up in the locale files; core only knows the keys. */
export type Translate = (key: string, args?: Record<string, string | number>) => string;

export interface ExportFormat {
  t: Translate;
  language: Language;
  timeZone: string;
}

/** The most rows one `exportTicketsCsv` returns; `ticketCsvChunks` and the XLSX export have no cap. */
export const EXPORT_LIMIT = 100_000;
const exportFilterSchema = ticketFilterSchema.extend({
  limit: z.number().int().min(1).max(EXPORT_LIMIT).default(EXPORT_LIMIT),
});
/** Rows read from the store at a time by the uncapped exports. */
export const EXPORT_PAGE = 1000;

const localTime = new Map<string, Intl.DateTimeFormat>();
/** "2026-11-25 14:03" in the given zone. */
export function formatLocal(at: Instant | null, timeZone: string): string {
  if (at === null) return '';
  let f = localTime.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' });
    localTime.set(timeZone, f);
  }
  return f.format(at);
}

/** CSV lines without the byte-order mark, formula-safe (core/csv.ts). */
function csvLines(rows: unknown[][]): string {
  return writeCsv(rows, ',');
}

/** UTF-8 with a byte-order mark, so Excel shows Cyrillic correctly. */
function csv(rows: unknown[][]): string {
  return `\uFEFF${csvLines(rows)}`;
}

const round1 = (n: number | null) => (n === null ? '' : Math.round(n * 10) / 10);

/** One ticket with the names an export shows beside it. */
export interface ExportTicket {
  ticket: TicketRow;
  company: string | null;
  requester: string | null;
  assignee: string | null;
  categoryRu: string | null;
  categoryEn: string | null;
}

/** A cell of the ticket list: a text, a number, or an instant the format shows in its time zone. */
export type ExportCell = string | number | null | { at: Instant | null };

interface Column {
  /** The locale key of its header. */
  key: string;
  cell: (r: ExportTicket, f: ExportFormat) => ExportCell;
  /** Its cells are instants. */
  time?: true;
}
const at = (key: string, instant: (t: TicketRow) => Instant | null): Column => ({
  key,
  cell: (r) => ({ at: instant(r.ticket) }),
  time: true,
});

/** The columns of the ticket list, in order. */
const TICKET_COLUMNS: readonly Column[] = [
  { key: 'csv-number', cell: (r) => r.ticket.number },
  at('csv-created', (t) => t.createdAt),
  { key: 'csv-company', cell: (r) => r.company },
  { key: 'csv-requester', cell: (r) => r.requester },
  { key: 'csv-channel', cell: (r, f) => f.t(`channel-${r.ticket.channel}`) },
  { key: 'csv-category', cell: (r, f) => (f.language === 'ru' ? r.categoryRu : r.categoryEn) },
  { key: 'csv-subject', cell: (r) => r.ticket.subject },
  { key: 'csv-priority', cell: (r) => r.ticket.priority },
  { key: 'csv-status', cell: (r, f) => f.t(`status-${r.ticket.status}`) },
  { key: 'csv-line', cell: (r, f) => f.t(`line-${r.ticket.line}`) },
  { key: 'csv-assignee', cell: (r) => r.assignee },
  at('csv-first-response-due', (t) => t.firstResponseDueAt),
  at('csv-first-responded', (t) => t.firstRespondedAt),
  { key: 'csv-first-response-met', cell: (r, f) => yesNo(f, r.ticket.firstResponseMet) },
  at('csv-resolution-due', (t) => t.resolutionDueAt),
  at('csv-resolved', (t) => t.resolvedAt),
  { key: 'csv-resolution-met', cell: (r, f) => yesNo(f, r.ticket.resolutionMet) },
  { key: 'csv-rating', cell: (r) => r.ticket.rating },
];

/** Positions (from 0) of the ticket list's columns that hold instants. */
export const TICKET_TIME_COLUMNS: readonly number[] = TICKET_COLUMNS.flatMap((c, i) => (c.time ? [i] : []));

function yesNo(f: ExportFormat, v: boolean | null): string {
  return v === null ? '' : f.t(v ? 'yes' : 'no');
}

/** The ticket list's header row, in the format's language. */
export function ticketHeader(format: ExportFormat): string[] {
  // A time column names its zone: a file read elsewhere (another office, Excel) cannot guess it.
  return TICKET_COLUMNS.map((c) => (c.time ? `${format.t(c.key)} (${format.timeZone})` : format.t(c.key)));
}

/** One ticket as a row of cells (instants left for the format to show). */
export function ticketCells(r: ExportTicket, format: ExportFormat): ExportCell[] {
  return TICKET_COLUMNS.map((c) => c.cell(r, format));
}

function csvRow(r: ExportTicket, format: ExportFormat): unknown[] {
  return ticketCells(r, format).map((c) =>
    c !== null && typeof c === 'object' ? formatLocal(c.at, format.timeZone) : c,
  );
}

async function exportQuery(db: DeskContext['db'], actor: Actor, f: ParsedTicketFilter, limit: number) {
  const requester = alias(people, 'requester');
  const assignee = alias(people, 'assignee');
  return await queryAll(
    db
      .select({
        ticket: tickets,
        company: companies.name,
        requester: requester.name,
        assignee: assignee.name,
        categoryRu: categories.nameRu,
        categoryEn: categories.nameEn,
      })
      .from(tickets)
      .leftJoin(companies, eq(companies.id, tickets.companyId))
      .leftJoin(requester, eq(requester.id, tickets.requesterId))
      .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
      .leftJoin(categories, eq(categories.id, tickets.categoryId))
      .where(filterCondition(db, actor, f))
      .orderBy(desc(tickets.id))
      .limit(limit),
  );
}

/**
 * Every ticket matching the filter that the actor may see, newest first, a page at a time: no cap on the
 * total. The filter is checked at once (a bad one throws here, before anything is read); the pages are
 * read as they are asked for.
 */
export function exportPages(
  ctx: DeskContext,
  actor: Actor,
  raw: TicketFilter,
): AsyncIterable<ExportTicket[]> {
  // Unknown keys (a `limit` too) are dropped: these exports have no cap.
  const f = parseInput(ticketFilterSchema.omit({ limit: true }), raw);
  return {
    async *[Symbol.asyncIterator]() {
      let before = f.before;
      for (;;) {
        const page = await exportQuery(ctx.db, actor, { ...f, before }, EXPORT_PAGE);
        if (page.length > 0) yield page;
        if (page.length < EXPORT_PAGE) return;
        before = (page[page.length - 1] as ExportTicket).ticket.id;
      }
    },
  };
}

export async function exportTicketsCsv(
  ctx: DeskContext,
  actor: Actor,
  raw: TicketFilter,
  format: ExportFormat,
): Promise<string> {
  const f = parseInput(exportFilterSchema, raw);
  const rows = await exportQuery(ctx.db, actor, f, f.limit);
  return csv([ticketHeader(format), ...rows.map((r) => csvRow(r, format))]);
}

/**
 * The ticket list as CSV text in chunks (the byte-order mark and header first, then a page of rows per
 * chunk), for streaming every matching ticket without holding them all. Checks the filter at once.
 */
export function ticketCsvChunks(
  ctx: DeskContext,
  actor: Actor,
  raw: TicketFilter,
  format: ExportFormat,
): AsyncIterable<string> {
  return csvChunks(exportPages(ctx, actor, raw), format);
}

async function* csvChunks(
  pages: AsyncIterable<ExportTicket[]>,
  format: ExportFormat,
  lead = '',
): AsyncIterable<string> {
  yield `\uFEFF${lead}${csvLines([ticketHeader(format)])}`;
  for await (const page of pages) yield csvLines(page.map((r) => csvRow(r, format)));
}

/**
 * A period report as CSV, then an empty line and every ticket of the period the actor may see, in chunks.
 * The report must have been built for this actor (buildReport checks who may see it).
 */
export async function reportWithTicketsCsvChunks(
  ctx: DeskContext,
  actor: Actor,
  report: Report,
  format: ExportFormat,
): Promise<AsyncIterable<string>> {
  const pages = exportPages(ctx, actor, reportTicketFilter(report));
  return csvChunks(pages, format, `${(await reportCsv(ctx, report, format)).slice(1)}\r\n`);
}

/** The ticket-list filter of a report's tickets: its company (or all) and period. */
export function reportTicketFilter(report: Report): TicketFilter {
  return {
    ...(report.companyId === null ? {} : { companyId: report.companyId }),
    from: report.from,
    to: report.to,
  };
}

/** The report as section / figure / value rows (with a header row); per assignee too unless told not. */
export async function reportRows(
  ctx: DeskContext,
  report: Report,
  format: ExportFormat,
  options: { assignees?: boolean } = {},
): Promise<unknown[][]> {
  const { t, timeZone } = format;
  const companyName =
    report.companyId === null
      ? t('report-all-companies')
      : ((await queryOne(statements(ctx.db).companyName, { id: report.companyId }))?.name ?? '');
  const rows: unknown[][] = [[t('report-section'), t('report-key'), t('report-value')]];
  const add = (section: string, key: string, value: unknown) => rows.push([t(section), key, value]);
  add('report-period', t('report-company'), companyName);
  add('report-period', formatLocal(report.from, timeZone), formatLocal(report.to, timeZone));
  add('report-period', t('report-total'), report.total);
  for (const [k, v] of Object.entries(report.byStatus)) add('report-by-status', t(`status-${k}`), v);
  for (const [k, v] of Object.entries(report.byPriority)) add('report-by-priority', t(`priority-${k}`), v);
  for (const [k, v] of Object.entries(report.byChannel)) add('report-by-channel', t(`channel-${k}`), v);
  for (const c of report.byCategory) {
    const name = (format.language === 'ru' ? c.nameRu : c.nameEn) ?? t('report-no-category');
    add('report-by-category', name, c.count);
  }
  add('report-sla', t('report-first-response-percent'), round1(report.firstResponse.percent));
  add('report-sla', t('report-resolution-percent'), round1(report.resolution.percent));
  add('report-sla', t('report-first-response-median'), round1(report.firstResponse.minutes.median));
  add('report-sla', t('report-first-response-p90'), round1(report.firstResponse.minutes.p90));
  add('report-sla', t('report-resolution-median'), round1(report.resolution.minutes.median));
  add('report-sla', t('report-resolution-p90'), round1(report.resolution.minutes.p90));
  add('report-sla', t('report-rating'), round1(report.rating.average));
  add('report-sla', t('report-rating-count'), report.rating.count);
  if (options.assignees === false) return rows;
  for (const a of report.assignees) {
    add('report-assignees', t('report-assignee-tickets', { name: a.name }), a.tickets);
    add('report-assignees', t('report-assignee-resolved', { name: a.name }), a.resolved);
    add('report-assignees', t('report-assignee-percent', { name: a.name }), round1(a.resolution.percent));
    add(
      'report-assignees',
      t('report-assignee-median', { name: a.name }),
      round1(a.resolutionMinutes.median),
    );
    add('report-assignees', t('report-assignee-rating', { name: a.name }), round1(a.averageRating));
  }
  return rows;
}

/** The per-assignee table of a report: a header row, then one row per person. */
export function assigneeRows(report: Report, format: ExportFormat): unknown[][] {
  const { t } = format;
  return [
    [
      t('csv-assignee'),
      t('report-total'),
      t('xlsx-col-resolved'),
      t('report-resolution-percent'),
      t('report-resolution-median'),
      t('report-rating'),
    ],
    ...report.assignees.map((a) => [
      a.name,
      a.tickets,
      a.resolved,
      round1(a.resolution.percent),
      round1(a.resolutionMinutes.median),
      round1(a.averageRating),
    ]),
  ];
}

/** The report as section / figure / value rows. */
export async function reportCsv(ctx: DeskContext, report: Report, format: ExportFormat): Promise<string> {
  return csv(await reportRows(ctx, report, format));
}

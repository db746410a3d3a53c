// CSV exports of the ticket list and of a period report, for spreadsheets. Labels come from the caller's
// locale; times are shown in the caller's time zone.
import { stringify } from 'csv-stringify/sync';
import { desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { categories, companies, people, tickets } from '../db/schema.ts';
import type { DeskContext } from './context.ts';
import type { Instant, Language } from './model.ts';
import type { Actor } from './permissions.ts';
import type { Report } from './reports.ts';
import { filterCondition, type TicketFilter, ticketFilterSchema } from './tickets/read.ts';
import { parseInput } from './validation.ts';

/** Looks a message up in the locale files; core only knows the keys. */
export type Translate = (key: string, args?: Record<string, string | number>) => string;

export interface ExportFormat {
  t: Translate;
  language: Language;
  timeZone: string;
}

/** The most rows one export returns; larger exports page with `before`. */
export const EXPORT_LIMIT = 100_000;
const exportFilterSchema = ticketFilterSchema.extend({
  limit: z.number().int().min(1).max(EXPORT_LIMIT).default(EXPORT_LIMIT),
});

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

/** Spreadsheets run cells that start with = + - @ as formulas; a leading quote keeps them text. */
function cell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  const s = String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** UTF-8 with a byte-order mark, so Excel shows Cyrillic correctly. */
function csv(rows: unknown[][]): string {
  return `\uFEFF${stringify(
    rows.map((r) => r.map(cell)),
    { record_delimiter: '\r\n' },
  )}`;
}

const round1 = (n: number | null) => (n === null ? '' : Math.round(n * 10) / 10);

export function exportTicketsCsv(
  ctx: DeskContext,
  actor: Actor,
  raw: TicketFilter,
  format: ExportFormat,
): string {
  const f = parseInput(exportFilterSchema, raw);
  const requester = alias(people, 'requester');
  const assignee = alias(people, 'assignee');
  const rows = ctx.db
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
    .where(filterCondition(actor, f))
    .orderBy(desc(tickets.id))
    .limit(f.limit)
    .all();
  const { t, timeZone } = format;
  const yesNo = (v: boolean | null) => (v === null ? '' : t(v ? 'yes' : 'no'));
  const header = [
    'csv-number',
    'csv-created',
    'csv-company',
    'csv-requester',
    'csv-channel',
    'csv-category',
    'csv-subject',
    'csv-priority',
    'csv-status',
    'csv-line',
    'csv-assignee',
    'csv-first-response-due',
    'csv-first-responded',
    'csv-first-response-met',
    'csv-resolution-due',
    'csv-resolved',
    'csv-resolution-met',
    'csv-rating',
  ].map((k) => t(k));
  return csv([
    header,
    ...rows.map(({ ticket: x, ...r }) => [
      x.number,
      formatLocal(x.createdAt, timeZone),
      r.company,
      r.requester,
      t(`channel-${x.channel}`),
      format.language === 'ru' ? r.categoryRu : r.categoryEn,
      x.subject,
      x.priority,
      t(`status-${x.status}`),
      t(`line-${x.line}`),
      r.assignee,
      formatLocal(x.firstResponseDueAt, timeZone),
      formatLocal(x.firstRespondedAt, timeZone),
      yesNo(x.firstResponseMet),
      formatLocal(x.resolutionDueAt, timeZone),
      formatLocal(x.resolvedAt, timeZone),
      yesNo(x.resolutionMet),
      x.rating,
    ]),
  ]);
}

/** The report as section / figure / value rows. */
export function reportCsv(ctx: DeskContext, report: Report, format: ExportFormat): string {
  const { t, timeZone } = format;
  const companyName =
    report.companyId === null
      ? t('report-all-companies')
      : (ctx.db
          .select({ name: companies.name })
          .from(companies)
          .where(eq(companies.id, report.companyId))
          .get()?.name ?? '');
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
  return csv(rows);
}

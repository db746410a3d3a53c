// Exports: the ticket list (same filters as GET /api/tickets, every matching ticket, no cap) and period
// reports with their tickets, as CSV or XLSX, streamed.
import { Hono } from 'hono';
import { buildReport } from '../../core/reports.ts';
import { translator } from '../../locales/index.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { readQuery, zoneText } from '../input.ts';
import { type FileFormat, localDay, reportFile, ticketsFile } from '../report-files.ts';
import { zoneFor } from '../time-zone.ts';
import { attachmentDisposition } from './attachments.ts';
import { reportCompany, reportQuerySchema } from './reports.ts';
import { ticketQuerySchema } from './tickets.ts';

const exportQuerySchema = ticketQuerySchema.extend({ tz: zoneText.optional() });

export function exportRoutes(deps: ApiDeps, log: (error: unknown) => void) {
  const { desk } = deps;
  const ticketExport = (type: FileFormat) =>
    new Hono<ApiEnv>().get(`/tickets/export.${type}`, async (c) => {
      const { tz, ...filter } = readQuery(c, exportQuerySchema);
      const { actor, person } = c.var;
      const timeZone = await zoneFor(desk, actor, filter.companyId ?? null, tz);
      const format = { t: translator(person.language), language: person.language, timeZone };
      const file = ticketsFile(desk, actor, filter, format, type, log);
      const name = `tickets-${localDay(desk.clock.now(), timeZone)}.${type}`;
      return c.body(file.stream, 200, {
        'Content-Type': file.mimeType,
        'Content-Disposition': attachmentDisposition(name),
        'Cache-Control': 'private, no-store',
      });
    });
  const reportExport = (type: FileFormat) =>
    new Hono<ApiEnv>().get(`/reports/export.${type}`, async (c) => {
      const q = readQuery(c, reportQuerySchema);
      const { actor, person } = c.var;
      const companyId = reportCompany(actor, q.companyId);
      const report = await buildReport(desk, actor, { companyId, from: q.from, to: q.to });
      const timeZone = await zoneFor(desk, actor, companyId, q.tz);
      const format = { t: translator(person.language), language: person.language, timeZone };
      const file = await reportFile(desk, actor, report, format, type, log);
      const name = `report-${localDay(q.from, timeZone)}-${localDay(q.to - 1, timeZone)}.${type}`;
      return c.body(file.stream, 200, {
        'Content-Type': file.mimeType,
        'Content-Disposition': attachmentDisposition(name),
        'Cache-Control': 'private, no-store',
      });
    });
  return new Hono<ApiEnv>()
    .route('/', ticketExport('csv'))
    .route('/', ticketExport('xlsx'))
    .route('/', reportExport('csv'))
    .route('/', reportExport('xlsx'));
}

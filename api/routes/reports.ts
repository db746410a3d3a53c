// Period reports: the figures with their day (or week) series, and sending the report file to the
// person's Telegram chat through the bot.
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { type Actor, managedCompanies, ticketScope } from '../../core/permissions.ts';
import { reportSeries } from '../../core/report-series.ts';
import { buildReport } from '../../core/reports.ts';
import { instantSchema } from '../../core/validation.ts';
import { queryOne } from '../../db/access.ts';
import { companies } from '../../db/schema.ts';
import { translator } from '../../locales/index.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { idText, instantText, readJson, readQuery, zoneText } from '../input.ts';
import { bytesOf, localDay, reportFile } from '../report-files.ts';
import { zoneFor } from '../time-zone.ts';

export const reportQuerySchema = z.object({
  from: instantText,
  to: instantText,
  companyId: idText.optional(),
  tz: zoneText.optional(),
});

const sendBody = z.object({
  from: instantSchema,
  to: instantSchema,
  companyId: z.number().int().positive().nullish(),
  tz: zoneText.optional(),
  format: z.enum(['xlsx', 'csv']),
});

/**
 * The company a report is about when none is named: a client manager of exactly one company (and no
 * staff role that sees everything) means theirs; otherwise all companies, which core allows staff only.
 */
export function reportCompany(actor: Actor, companyId: number | null | undefined): number | null {
  if (companyId != null) return companyId;
  const managed = managedCompanies(actor);
  return ticketScope(actor).kind === 'some' && managed.length === 1 ? (managed[0] as number) : null;
}

export function reportRoutes(deps: ApiDeps, log: (error: unknown) => void) {
  const { desk } = deps;
  return new Hono<ApiEnv>()
    .get('/reports', async (c) => {
      const q = readQuery(c, reportQuerySchema);
      const { actor, person } = c.var;
      const companyId = reportCompany(actor, q.companyId);
      const report = await buildReport(desk, actor, { companyId, from: q.from, to: q.to });
      const timeZone = await zoneFor(desk, actor, companyId, q.tz);
      const series = await reportSeries(
        desk,
        actor,
        { companyId, from: q.from, to: q.to, timeZone },
        person.language,
      );
      const noCategory = translator(person.language)('report-no-category');
      return c.json({
        report,
        series: {
          ...series,
          byCategory: series.byCategory.map((s) => ({ ...s, name: s.name ?? noCategory })),
        },
        timeZone,
      });
    })
    .post('/reports/send', async (c) => {
      const body = await readJson(c, sendBody);
      const { actor, person } = c.var;
      const companyId = reportCompany(actor, body.companyId);
      const report = await buildReport(desk, actor, { companyId, from: body.from, to: body.to });
      const timeZone = await zoneFor(desk, actor, companyId, body.tz);
      if (!deps.sendDocument)
        throw new ApiError(503, 'unavailable', 'sending files through the bot is not set up');
      if (person.telegramUserId === null) throw new ApiError(409, 'conflict', 'no Telegram chat to send to');
      const t = translator(person.language);
      const format = { t, language: person.language, timeZone };
      const bytes = await bytesOf(await reportFile(desk, actor, report, format, body.format, log));
      const fileName = `report-${localDay(body.from, timeZone)}-${localDay(body.to - 1, timeZone)}.${body.format}`;
      const company =
        companyId === null
          ? t('report-all-companies')
          : ((
              await queryOne(
                desk.db.select({ name: companies.name }).from(companies).where(eq(companies.id, companyId)),
              )
            )?.name ?? '');
      const caption = t('report-send-caption', {
        // The period as the days it covers ([from, to) ends the day before `to`), in the report's zone.
        from: localDay(body.from, timeZone),
        to: localDay(body.to - 1, timeZone),
        zone: timeZone,
        company,
      });
      // Not awaited: a slow Bot API does not hold the Mini App up; a failure (even a thrown one) is logged.
      const send = deps.sendDocument;
      const chatId = person.telegramUserId;
      (async () => send(chatId, { bytes, fileName }, caption))().catch(log);
      return c.json({ queued: true }, 202);
    });
}

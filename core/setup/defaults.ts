// What a fresh desk starts with, so that the first request can be filed the minute the bot runs: the
// usual categories of an IT service desk, business hours Mon–Fri 09:00–18:00 with the Russian production
// calendar in the desk's time zone, a few canned replies in both languages, and a contract for requests from people not yet matched to a client
// company (the default SLA targets and priority matrix). Applied once per store: what an admin then edits
// or removes is not brought back at the next start.
import { count, isNull } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import {
  businessCalendars,
  calendarExceptions,
  cannedReplies,
  categories,
  contracts,
} from '../../db/schema.ts';
import { workWeek } from '../calendar/business-calendar.ts';
import { productionExceptions } from '../calendar/russian-production-calendar.ts';
import { isValidTimeZone } from '../calendar/time-zone.ts';
import type { DeskContext } from '../context.ts';
import { DeskError } from '../errors.ts';
import { readSetting, writeSetting } from '../settings.ts';
import { DEFAULT_PRIORITY_MATRIX, DEFAULT_SLA_TARGETS } from '../sla-policy.ts';
import { inTransaction } from '../transaction.ts';

export const DEFAULT_TIME_ZONE = 'Europe/Moscow';
export const DEFAULT_WORKING_HOURS = ['09:00-18:00'];
const APPLIED = 'defaults_applied';
/** The calendar the defaults made: the desk's time zone follows it (core/setup/desk-profile.ts). */
export const DEFAULT_CALENDAR = 'default_calendar_id';

/** The categories of a typical IT outsourcer's desk, in Russian and English (editable by admins). */
export const DEFAULT_CATEGORIES = [
  { code: 'workstation', nameRu: 'Компьютер, ноутбук', nameEn: 'Computer, laptop', sort: 10 },
  { code: 'printer', nameRu: 'Принтер, сканер', nameEn: 'Printer, scanner', sort: 20 },
  { code: 'network', nameRu: 'Интернет, сеть, Wi-Fi', nameEn: 'Internet, network, Wi-Fi', sort: 30 },
  { code: 'email', nameRu: 'Почта', nameEn: 'E-mail', sort: 40 },
  { code: 'software', nameRu: 'Программы, 1С', nameEn: 'Software, 1C', sort: 50 },
  { code: 'access', nameRu: 'Доступы, пароли', nameEn: 'Access, passwords', sort: 60 },
  { code: 'phone', nameRu: 'Телефония', nameEn: 'Telephony', sort: 70 },
  { code: 'other', nameRu: 'Другое', nameEn: 'Other', sort: 90 },
] as const;

/** Ready answers for the first days, in Russian and English (staff add their own). */
export const DEFAULT_CANNED_REPLIES = [
  {
    title: 'Перезагрузите устройство',
    body:
      'Пожалуйста, полностью выключите устройство, подождите 30 секунд и включите снова. ' +
      'Если проблема останется — напишите, что видите на экране после перезагрузки.',
    titleEn: 'Restart the device',
    bodyEn:
      'Please switch the device off completely, wait 30 seconds and switch it on again. ' +
      'If the problem stays, tell us what you see on the screen after the restart.',
    sort: 10,
  },
  {
    title: 'Сброс пароля',
    body:
      'Чтобы сбросить пароль: откройте страницу входа, нажмите «Забыли пароль?» и укажите рабочую ' +
      'почту. Ссылка для сброса придёт в течение 5 минут, проверьте и папку «Спам». ' +
      'Новый пароль — не короче 12 символов, с цифрами и буквами разного регистра.',
    titleEn: 'Password reset',
    bodyEn:
      'To reset your password, open the sign-in page, press “Forgot password?” and enter your work ' +
      'e-mail. The reset link arrives within 5 minutes; check the Spam folder too. ' +
      'The new password must be at least 12 characters, with digits and both upper and lower case letters.',
    sort: 20,
  },
  {
    title: 'Уже занимаемся',
    body: 'Мы уже занимаемся вашей заявкой и сообщим, как только будут новости. Спасибо за терпение!',
    titleEn: 'We are on it',
    bodyEn:
      'We are already working on your request and will let you know as soon as there is news. Thank you for your patience!',
    sort: 30,
  },
  {
    title: 'Пришлите скриншот',
    body:
      'Пришлите, пожалуйста, скриншот ошибки или фото экрана — так мы разберёмся быстрее. ' +
      'Можно отправить его ответом на это сообщение.',
    titleEn: 'Send a screenshot',
    bodyEn:
      'Please send a screenshot of the error or a photo of the screen — it helps us sort it out faster. ' +
      'You can send it as a reply to this message.',
    sort: 40,
  },
] as const;

export interface DefaultsApplied {
  /** False when this store had them already (or had its own set-up before). */
  applied: boolean;
  categories: number;
  calendarId: number | null;
  contractId: number | null;
}

/**
 * Gives a store the defaults it lacks, once, in one transaction. Parts the store already has (its own
 * categories, a contract for unmatched requesters) are left as they are.
 */
export async function applyDefaults(
  ctx: DeskContext,
  options: { timeZone?: string } = {},
): Promise<DefaultsApplied> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isValidTimeZone(timeZone)) {
    throw new DeskError('invalid_input', `unknown time zone ${timeZone}`, { timeZone });
  }
  const { db } = ctx;
  const result = await inTransaction(db, async (): Promise<DefaultsApplied> => {
    if ((await readSetting(db, APPLIED)) !== null) {
      return { applied: false, categories: 0, calendarId: null, contractId: null };
    }
    const now = ctx.clock.now();
    let categoryCount = 0;
    if (((await queryOne(db.select({ n: count() }).from(categories)))?.n ?? 0) === 0) {
      await execute(db.insert(categories).values([...DEFAULT_CATEGORIES]));
      categoryCount = DEFAULT_CATEGORIES.length;
    }
    if (((await queryOne(db.select({ n: count() }).from(cannedReplies)))?.n ?? 0) === 0) {
      await execute(db.insert(cannedReplies).values([...DEFAULT_CANNED_REPLIES]));
    }
    let calendarId: number | null = null;
    let contractId: number | null = null;
    const hasFallbackContract =
      (await queryOne(db.select({ id: contracts.id }).from(contracts).where(isNull(contracts.companyId)))) !==
      undefined;
    if (!hasFallbackContract) {
      const calendar = await queryOne(
        db
          .insert(businessCalendars)
          .values({ name: 'Пн–пт 9:00–18:00', timeZone, week: workWeek(DEFAULT_WORKING_HOURS) })
          .returning({ id: businessCalendars.id }),
      );
      calendarId = calendar.id;
      await execute(
        db
          .insert(calendarExceptions)
          .values(
            productionExceptions(DEFAULT_WORKING_HOURS).map((e) => ({ calendarId: calendar.id, ...e })),
          ),
      );
      contractId = (
        await queryOne(
          db
            .insert(contracts)
            .values({
              companyId: null,
              name: 'Без договора (заявители, ещё не привязанные к компании)',
              // From the beginning of time, so that requests with any clock are covered.
              startsAt: 0,
              calendarId: calendar.id,
              slaTargets: DEFAULT_SLA_TARGETS,
              priorityMatrix: DEFAULT_PRIORITY_MATRIX,
              autoCloseBusinessDays: 3,
            })
            .returning({ id: contracts.id }),
        )
      ).id;
      await writeSetting(db, DEFAULT_CALENDAR, String(calendar.id), now);
    }
    await writeSetting(db, APPLIED, String(now), now);
    return { applied: true, categories: categoryCount, calendarId, contractId };
  });
  if (result.contractId !== null) ctx.policies.invalidate();
  return result;
}

/** Marks the defaults as given without adding them: the demo brings its own categories and contracts. */
export async function markDefaultsApplied(ctx: DeskContext): Promise<void> {
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async () => {
    if ((await readSetting(ctx.db, APPLIED)) === null) await writeSetting(ctx.db, APPLIED, String(now), now);
  });
}

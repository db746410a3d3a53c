// Configuration from the environment, checked once at start-up with a clear message per bad value.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../api/rate-limit.ts';
import { isValidTimeZone } from '../core/calendar/time-zone.ts';
import { DEFAULT_FILES_DIR } from '../core/files/store.ts';
import { IMAP_URL_SHAPE, MAIL_FROM_SHAPE, SMTP_URL_SHAPE } from '../core/mail-settings.ts';
import { DEFAULT_TIME_ZONE } from '../core/setup/defaults.ts';
import { DEFAULT_DATABASE_PATH } from '../db/connection.ts';
import { type LogFormat, type LogLevel, logFormatSchema, logLevelSchema } from './logger.ts';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['1', 'true', 'yes'].includes(v)));

function httpsUrl(message: string) {
  return z
    .url()
    .refine((u) => u.startsWith('https://'), message)
    .optional()
    .or(z.literal('').transform(() => undefined));
}

/** Requests a minute (0: no limit). */
function rateLimit(name: string, fallback: number) {
  const message = `${name} must be a whole number of requests a minute (0 turns the limit off)`;
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? String(fallback) : v.trim()))
    .pipe(
      z
        .string()
        .regex(/^\d{1,7}$/, message)
        .transform(Number),
    );
}

const envSchema = z.object({
  DATABASE_PATH: z.string().min(1).default(DEFAULT_DATABASE_PATH),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'DATABASE_URL must be postgres://user:password@host:5432/database')
    .optional(),
  BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{30,}$/, 'BOT_TOKEN must look like 123456:ABC… (from @BotFather)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  BOT_API_ROOT: z.url().default('https://api.telegram.org'),
  DEMO: flag,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  WEBHOOK_URL: httpsUrl('WEBHOOK_URL must be https (Telegram posts only there)'),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'WEBHOOK_SECRET: 16–256 characters of A–Z, a–z, 0–9, _ and -')
    .optional(),
  MINIAPP_URL: httpsUrl('MINIAPP_URL must be https (Telegram opens Mini Apps only there)'),
  ADMIN_TELEGRAM_IDS: z
    .string()
    .regex(
      /^\s*(\d{1,15}\s*(,\s*\d{1,15}\s*)*)?$/,
      'ADMIN_TELEGRAM_IDS: Telegram user ids separated by commas',
    )
    .optional()
    .transform((v) => (v ?? '').split(',').flatMap((id) => (id.trim() ? [Number(id.trim())] : []))),
  DESK_TIME_ZONE: z
    .string()
    .refine(isValidTimeZone, 'DESK_TIME_ZONE must be an IANA time zone, e.g. Europe/Moscow')
    .default(DEFAULT_TIME_ZONE),
  INIT_DATA_MAX_AGE: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(3600),
  LOG_LEVEL: logLevelSchema,
  LOG_FORMAT: logFormatSchema,
  BACKUP_DIR: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  FILES_DIR: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  /** The name the e-mail issue uses for the same folder: either names it. */
  ATTACHMENTS_DIR: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  BACKUP_KEEP: z.coerce
    .number({ error: 'BACKUP_KEEP must be a whole number of backups to keep, 1 or more' })
    .int('BACKUP_KEEP must be a whole number of backups to keep, 1 or more')
    .min(1, 'BACKUP_KEEP must be a whole number of backups to keep, 1 or more')
    .max(10_000)
    .default(7),
  API_RATE_LIMIT_PERSON: rateLimit('API_RATE_LIMIT_PERSON', DEFAULT_RATE_LIMITS.perPerson),
  API_RATE_LIMIT_IP: rateLimit('API_RATE_LIMIT_IP', DEFAULT_RATE_LIMITS.perIp),
  API_RATE_LIMIT_AUTH_FAILURES: rateLimit(
    'API_RATE_LIMIT_AUTH_FAILURES',
    DEFAULT_RATE_LIMITS.authFailuresPerIp,
  ),
  TRUST_PROXY: flag,
  IMAP_URL: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .refine(
            (u) => IMAP_URL_SHAPE.test(u),
            'IMAP_URL: imap://user:password@host:143/INBOX or imaps://…:993 (several separated by commas)',
          ),
      ),
    ),
  SMTP_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .refine(
      (u) => u === undefined || SMTP_URL_SHAPE.test(u),
      'SMTP_URL: smtp://user:password@host:587 (STARTTLS) or smtps://…:465',
    ),
  MAIL_FROM: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .refine(
      (v) => v === undefined || MAIL_FROM_SHAPE.test(v),
      'MAIL_FROM: the desk\'s address, e.g. "Support <support@example.ru>"',
    ),
  MAIL_NEW_TICKETS_PER_HOUR: z.coerce
    .number({ error: 'MAIL_NEW_TICKETS_PER_HOUR must be a whole number, 1 or more' })
    .int('MAIL_NEW_TICKETS_PER_HOUR must be a whole number, 1 or more')
    .min(1, 'MAIL_NEW_TICKETS_PER_HOUR must be a whole number, 1 or more')
    .default(10),
});

export interface Config {
  databasePath: string;
  /** The store on PostgreSQL (several instances may share it); SQLite at `databasePath` when unset. */
  databaseUrl: string | undefined;
  botToken: string | undefined;
  botApiRoot: string;
  /** The offline demo: seeded data, no real Telegram. On when DEMO=1 or when no bot token is set. */
  demo: boolean;
  /** The one HTTP port: the API, the Mini App, the bot's webhook, and in the sandbox its page. 0: any. */
  port: number;
  /** Where to listen; default every interface with a bot token, 127.0.0.1 for the offline sandbox. */
  host: string | undefined;
  /**
   * Webhook mode when set: Telegram posts updates to `url`; this process answers them at `path` (the
   * URL's path) on `port`, behind an https reverse proxy.
   */
  webhook: { url: string; secret: string; path: string } | undefined;
  /** The https URL Telegram opens the Mini App at; the bot's chat menu button opens it. */
  miniAppUrl: string | undefined;
  /** Seconds a Mini App's signed init data stays valid. */
  initDataMaxAge: number;
  /** Telegram accounts that are the desk's admins from the start (scripted installs). */
  adminTelegramIds: number[];
  /** The time zone of a new store's default business hours. */
  deskTimeZone: string;
  /** LOG_LEVEL: trace, debug, info (default), warn, error, fatal or silent. */
  logLevel: LogLevel;
  /** LOG_FORMAT: json (default when stdout is not a terminal) or text (for a person at one). */
  logFormat: LogFormat;
  /** BACKUP_DIR turns on a daily backup there, keeping the newest BACKUP_KEEP (default 7). */
  backup: { dir: string; keep: number } | undefined;
  /** FILES_DIR: where files uploaded from the Mini App are kept, by content hash (default ./data/files). */
  filesDir: string;
  /**
   * API_RATE_LIMIT_PERSON / _IP / _AUTH_FAILURES: requests a minute per person, per client address, and
   * failed sign-ins per address (0: off); TRUST_PROXY=1 takes the address from X-Forwarded-For.
   */
  apiRateLimit: RateLimits;
  /**
   * E-mail: IMAP_URL (mailboxes to read, comma-separated), SMTP_URL and MAIL_FROM (how notices go out by
   * mail), MAIL_NEW_TICKETS_PER_HOUR (new requests one sender may open by mail in an hour).
   */
  mail: {
    imapUrls: string[];
    smtpUrl: string | undefined;
    from: string | undefined;
    newTicketsPerHour: number;
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Bad configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.FILES_DIR !== undefined && e.ATTACHMENTS_DIR !== undefined && e.FILES_DIR !== e.ATTACHMENTS_DIR) {
    throw new Error(
      'Bad configuration:\n  ATTACHMENTS_DIR: names the same folder as FILES_DIR; set one of them',
    );
  }
  if (e.SMTP_URL !== undefined && e.MAIL_FROM === undefined) {
    throw new Error(
      'Bad configuration:\n  MAIL_FROM: needed with SMTP_URL (the address notices are sent from)',
    );
  }
  // Telegram proves its posts with WEBHOOK_SECRET; a token in the URL would land in every proxy's log.
  const token = e.BOT_TOKEN;
  if (token && e.WEBHOOK_URL?.includes(token.split(':')[1] ?? token)) {
    throw new Error(
      'Bad configuration:\n  WEBHOOK_URL: must not contain the bot token (WEBHOOK_SECRET authenticates the posts)',
    );
  }
  // The offline demo is the embedded SQLite store's: PostgreSQL is for a real desk, with its bot.
  if (e.DATABASE_URL !== undefined && (e.BOT_TOKEN === undefined || e.DEMO === true)) {
    throw new Error(
      'Bad configuration:\n  DATABASE_URL: the offline demo runs on SQLite; set BOT_TOKEN (and no DEMO) to run on PostgreSQL',
    );
  }
  return {
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    botToken: e.BOT_TOKEN,
    botApiRoot: e.BOT_API_ROOT,
    demo: e.DEMO ?? e.BOT_TOKEN === undefined,
    port: e.PORT,
    host: e.HOST,
    webhook:
      e.WEBHOOK_URL === undefined
        ? undefined
        : {
            url: e.WEBHOOK_URL,
            // Without a configured secret, one per start: Telegram gets it again with setWebhook.
            secret: e.WEBHOOK_SECRET ?? randomBytes(24).toString('base64url'),
            path: new URL(e.WEBHOOK_URL).pathname,
          },
    miniAppUrl: e.MINIAPP_URL,
    initDataMaxAge: e.INIT_DATA_MAX_AGE,
    adminTelegramIds: e.ADMIN_TELEGRAM_IDS,
    deskTimeZone: e.DESK_TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    backup: e.BACKUP_DIR === undefined ? undefined : { dir: e.BACKUP_DIR, keep: e.BACKUP_KEEP },
    filesDir: e.FILES_DIR ?? e.ATTACHMENTS_DIR ?? DEFAULT_FILES_DIR,
    apiRateLimit: {
      perPerson: e.API_RATE_LIMIT_PERSON,
      perIp: e.API_RATE_LIMIT_IP,
      authFailuresPerIp: e.API_RATE_LIMIT_AUTH_FAILURES,
      trustProxy: e.TRUST_PROXY ?? false,
    },
    mail: {
      imapUrls: e.IMAP_URL,
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      newTicketsPerHour: e.MAIL_NEW_TICKETS_PER_HOUR,
    },
  };
}

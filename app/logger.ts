// The one logger: pino, one JSON object per line, for machines to ship and search (an operator reads them
// with `| npx pino-pretty` or jq). Secrets never reach a line: known paths are redacted, and every line is
// scrubbed of anything shaped like a bot token and of the secrets this process was started with, in case
// one hides in an error message or a URL.
import { writeSync } from 'node:fs';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { z } from 'zod';

export type { Logger };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL from the environment: one of LOG_LEVELS, case-insensitive, info when unset or empty. */
export const logLevelSchema = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? 'info' : v.trim().toLowerCase()))
  .pipe(z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }));

/**
 * Object paths that may carry a secret. Callers should not put secrets into log objects at all; this is
 * the net under that rule (an error object with a request's headers, a config logged whole).
 */
export const REDACTED_PATHS = [
  'token',
  'botToken',
  'secret',
  'initData',
  'authorization',
  'headers.authorization',
  'headers["x-telegram-bot-api-secret-token"]',
  '*.token',
  '*.botToken',
  '*.secret',
  '*.initData',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-telegram-bot-api-secret-token"]',
];

/** A bot token anywhere in a line (123456:AA…, as in Bot API URLs /bot<token>/method). */
const BOT_TOKEN_SHAPE = /\d{5,}:[A-Za-z0-9_-]{30,}/g;
/** Signed Mini App init data: its `tma` header value, its hash and its signature. */
const INIT_DATA_SHAPE = /(tma |hash=|signature=)[^\s"&]+/gi;

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LOG_FORMAT: json for machines (the default when stdout is not a terminal), text for a person at one. */
export const logFormatSchema = z
  .enum([...LOG_FORMATS, ''], { error: 'LOG_FORMAT must be json or text' })
  .optional()
  .transform((v): LogFormat => (v === 'json' || v === 'text' ? v : process.stdout.isTTY ? 'text' : 'json'));

export interface LoggerSetup {
  level?: LogLevel;
  /** Lines as JSON (default) or as text for a person at a terminal (ignored with `destination`). */
  format?: LogFormat;
  /** Where lines go (default stdout). Tests pass a stream to read them. */
  destination?: DestinationStream;
  /** Values never to print, wherever they turn up (the bot token, the webhook secret). */
  secrets?: readonly (string | undefined)[];
}

/** Where a logger made here keeps what it blanks; its children (made with Object.create) see the same. */
const SECRETS = Symbol('tgdesk.log-secrets');
/** Shorter values would blank innocent words. */
const SECRET_MIN_LENGTH = 8;

export function createLogger(setup: LoggerSetup = {}): Logger {
  const secrets = new Set(
    (setup.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= SECRET_MIN_LENGTH),
  );
  const options: LoggerOptions = {
    level: setup.level ?? 'info',
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      streamWrite(line) {
        let safe = line.replace(BOT_TOKEN_SHAPE, '[redacted]').replace(INIT_DATA_SHAPE, '$1[redacted]');
        for (const secret of secrets) safe = safe.split(secret).join('[redacted]');
        return safe;
      },
    },
  };
  // Synchronous by default: the lines keep their order with what start-up prints to the console, and the
  // last ones before a crash are not lost in a buffer.
  const destination =
    setup.destination ?? (setup.format === 'text' ? textLines : pino.destination({ fd: 1, sync: true }));
  const logger = pino(options, destination);
  Object.defineProperty(logger, SECRETS, { value: secrets });
  return logger;
}

/**
 * More values a logger made by createLogger blanks from now on: secrets learnt while running (mail
 * passwords an admin saves). A logger made elsewhere is left as it is.
 */
export function hideInLogs(logger: Logger, values: readonly (string | undefined)[]): void {
  const secrets = (logger as unknown as { [SECRETS]?: Set<string> })[SECRETS];
  for (const value of values)
    if (typeof value === 'string' && value.length >= SECRET_MIN_LENGTH) secrets?.add(value);
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** A person at a terminal reads "12:00:01 info  message {extra}" rather than JSON (already scrubbed). */
const textLines: DestinationStream = {
  write(line: string) {
    let text = line;
    try {
      const { level, time, msg, pid: _pid, err, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const clock = typeof time === 'string' ? time.slice(11, 19) : '';
      const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      const error = err as { stack?: string; message?: string } | undefined;
      const why = error ? `\n${error.stack ?? error.message ?? ''}` : '';
      text = `${clock} ${(LEVEL_NAMES[level as number] ?? String(level)).padEnd(5)} ${String(msg ?? '')}${extra}${why}\n`;
    } catch {
      // Not JSON: print it as it came.
    }
    writeSync(1, text);
  },
};

/**
 * For parts built without a logger (tests that build the API or the bot alone): only errors, on stderr,
 * as console.error printed them before.
 */
export function errorsOnlyLogger(): Logger {
  errorsOnly ??= createLogger({ level: 'error', destination: pino.destination({ fd: 2, sync: true }) });
  return errorsOnly;
}
let errorsOnly: Logger | undefined;

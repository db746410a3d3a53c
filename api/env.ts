// What every part of the API is handed: the dependencies createApi takes, and the per-request variables
// the auth middleware sets.
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { DeskContext } from '../core/context.ts';
import type { FileStore } from '../core/files/store.ts';
import type { MailEnvironment } from '../core/mail-settings.ts';
import type { Actor } from '../core/permissions.ts';
import type { WebformLimits } from '../core/webform/protect.ts';
import type { PersonRow } from '../db/schema.ts';
import type { HealthSources } from './health.ts';
import type { RateLimits } from './rate-limit.ts';

export interface DownloadedFile {
  bytes: Uint8Array;
  fileName?: string;
  mimeType?: string;
}

export interface ApiDeps {
  desk: DeskContext;
  /** Init data is checked against this bot's token. */
  botToken: string;
  /** For invite links (https://t.me/<bot>?start=<code>); without it they come back with `link: null`. */
  botUsername?: string;
  /** How old signed init data may be, in seconds (default 3600). */
  initDataMaxAgeSeconds?: number;
  /** Fetches a file by its Telegram file id (the Bot API's getFile); without it attachments are 404. */
  downloadFile?: (fileId: string) => Promise<DownloadedFile>;
  /** Sends a file to a Telegram chat; without it POST /api/reports/send answers 503. */
  sendDocument?: (
    chatId: number,
    file: { bytes: Uint8Array; fileName: string },
    caption: string,
  ) => Promise<void>;
  /** FILES_DIR: where uploaded files are stored by content hash (default ./data/files; core/files/store.ts). */
  filesDir?: string;
  /** The attachment store itself, when the caller made one (else one over `filesDir`). */
  files?: FileStore;
  /** The built Mini App: served with index.html for unknown paths, when set and present. */
  miniappDir?: string;
  /** MINIAPP_URL as configured, for the admin's set-up checklist (unset: that line is still to do). */
  miniAppUrl?: string | undefined;
  /** The e-mail channel is configured (the checklist's e-mail line is to do until then); asked each time. */
  emailConfigured?: boolean | (() => boolean);
  /**
   * The e-mail channel, for the admin's Mail section: the mailboxes read (passwords masked) and the desk's
   * own addresses (a quarantined mail taken again is judged as the intake judges it), each a value or asked
   * each time; what the server's environment sets (then the desk's own settings are only shown); and
   * `reload`, called once an admin saved new settings, so that the channel runs on them.
   */
  mail?: {
    mailboxes: string[] | (() => string[]);
    ownAddresses: string[] | (() => string[]);
    environment?: MailEnvironment;
    reload?: () => Promise<void>;
  };
  /** The bot's webhook, answered outside /api (no init data there: Telegram's secret token instead). */
  webhook?: { path: string; handler: (c: Context) => Promise<Response> };
  /** Request lines and unexpected errors; without one only errors are logged, to stderr. */
  logger?: Logger;
  /** What /healthz reports beside the store and the outbox: the bot, the SLA scheduler. */
  health?: HealthSources;
  /** Rate limits of /api (per address, failed sign-ins, per person); without them there are none. */
  rateLimit?: RateLimits;
  /** Submissions of the website form per address and per form (default DEFAULT_WEBFORM_LIMITS). */
  webformLimits?: WebformLimits;
}

export interface ApiEnv {
  Variables: {
    actor: Actor;
    person: PersonRow;
  };
}

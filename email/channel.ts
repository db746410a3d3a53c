// The e-mail channel while the desk runs: the intake (a watcher per mailbox) and the sender (the outbox's
// 'email' rows over SMTP), both from the settings in force — the server's environment when it sets mail,
// else the desk's own (core/mail-settings.ts). When an admin saves new settings, reload() stops both and
// starts them again on those. No URL is logged here but masked; the desk's passwords go to `hideSecrets`
// so that the logger blanks them should one ever turn up.
import type { Logger } from 'pino';
import type { DeskContext } from '../core/context.ts';
import type { FileStore } from '../core/files/store.ts';
import {
  type EffectiveMailSettings,
  effectiveMailSettings,
  type MailEnvironment,
  mailPasswords,
  maskMailUrl,
} from '../core/mail-settings.ts';
import { SYSTEM } from '../core/permissions.ts';
import { mailAddressOf } from './address.ts';
import { type MailIntakeService, startMailIntake } from './intake-service.ts';
import { MailSender } from './outbound/sender.ts';

export interface MailChannelOptions {
  desk: DeskContext;
  files: FileStore;
  logger: Logger;
  /** IMAP_URL, SMTP_URL, MAIL_FROM and MAIL_NEW_TICKETS_PER_HOUR as configured (app/config.ts). */
  env: MailEnvironment & { newTicketsPerHour?: number };
  /** Fetches a file Telegram holds, so that files sent through the bot go with the mail too. */
  downloadFile?: (telegramFileId: string) => Promise<{ bytes: Uint8Array; fileName?: string }>;
  /** Something was filed from a mail: notices to send. */
  onFiled?: () => void;
  /** The passwords of the settings in force, for the logger to blank. */
  hideSecrets?: (values: string[]) => void;
  /** Progress lines (what is read, how mail goes out); default the logger at info. */
  log?: (line: string) => void;
  /** The watchers' re-poll (ms), for tests. */
  pollMs?: number;
}

export interface MailChannel {
  /** The settings may have changed: stops and starts again on them (nothing happens when they did not). */
  reload(): Promise<void>;
  stop(): Promise<void>;
  /** Mailboxes are read and mail goes out: the set-up checklist's "E-mail". */
  configured(): boolean;
  /** A mail sender runs: e-mail notices leave. */
  sendsMail(): boolean;
  /** The mailboxes read, passwords masked. */
  mailboxes(): string[];
  /** The desk's own address (the From of its mail): mail from it is its own, come back. */
  ownAddresses(): string[];
}

interface Running {
  settings: EffectiveMailSettings;
  intake: MailIntakeService | undefined;
  sender: MailSender | undefined;
}

export async function startMailChannel(options: MailChannelOptions): Promise<MailChannel> {
  const { desk, logger } = options;
  const log = options.log ?? ((line: string) => logger.info(line));
  const read = async () => await effectiveMailSettings(desk, SYSTEM, options.env);
  const fingerprint = (s: EffectiveMailSettings) => JSON.stringify([s.mailboxes, s.smtpUrl, s.from]);
  const ownAddresses = (s: EffectiveMailSettings) => (s.from ? [mailAddressOf(s.from)] : []);

  const start = async (settings: EffectiveMailSettings): Promise<Running> => {
    options.hideSecrets?.(mailPasswords(settings));
    const running: Running = { settings, intake: undefined, sender: undefined };
    const from = settings.source === 'environment' ? 'the environment' : "the desk's settings";
    if (settings.smtpUrl && settings.from) {
      try {
        const sender = new MailSender({
          desk,
          smtpUrl: settings.smtpUrl,
          from: settings.from,
          files: options.files,
          ...(options.downloadFile ? { downloadFile: options.downloadFile } : {}),
          logger,
          onError: (error) => logger.error({ err: error }, 'mail sending failed'),
        });
        await sender.start();
        running.sender = sender;
        log(
          `tgdesk: notices by e-mail from ${settings.from} through ${maskMailUrl(settings.smtpUrl)} (${from})`,
        );
      } catch (error) {
        // Its messages name no URL (email/outbound/sender.ts).
        logger.error({ err: messageOf(error) }, 'mail: the sender could not start');
      }
    }
    if (settings.mailboxes.length > 0) {
      try {
        running.intake = startMailIntake({
          desk,
          files: options.files,
          imapUrls: settings.mailboxes,
          ownAddresses: ownAddresses(settings),
          ...(options.env.newTicketsPerHour === undefined
            ? {}
            : { newTicketsPerHour: options.env.newTicketsPerHour }),
          logger,
          onFiled: () => {
            options.onFiled?.();
            running.sender?.poke();
          },
          ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
        });
        log(`tgdesk: reading mail from ${settings.mailboxes.map(maskMailUrl).join(', ')} (${from})`);
      } catch (error) {
        // parseMailboxUrl's messages name no URL (email/mailbox.ts).
        logger.error({ err: messageOf(error) }, 'mail: the intake could not start');
      }
    }
    return running;
  };

  const halt = async (running: Running) => {
    await Promise.all([running.intake?.stop(), running.sender?.stop()]);
  };

  let current: Running | undefined = await start(await read());
  // One reload at a time, in order: each starts from what the previous one left.
  let queue: Promise<void> = Promise.resolve();
  const serially = (step: () => Promise<void>) => {
    const next = queue.then(step);
    queue = next.catch((error: unknown) => logger.error({ err: messageOf(error) }, 'mail: reload failed'));
    return next;
  };

  return {
    reload: () =>
      serially(async () => {
        if (!current) return;
        const settings = await read();
        if (fingerprint(settings) === fingerprint(current.settings)) return;
        const old = current;
        await halt(old);
        current = await start(settings);
        if (old.settings.mailboxes.length > 0 && settings.mailboxes.length === 0)
          log('tgdesk: reading no mail any more');
      }),
    stop: () =>
      serially(async () => {
        const old = current;
        current = undefined;
        if (old) await halt(old);
      }),
    configured: () => Boolean(current && current.settings.mailboxes.length > 0 && current.settings.smtpUrl),
    sendsMail: () => current?.sender !== undefined,
    mailboxes: () => current?.settings.mailboxes.map(maskMailUrl) ?? [],
    ownAddresses: () => (current ? ownAddresses(current.settings) : []),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

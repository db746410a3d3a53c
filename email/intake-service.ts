// The e-mail intake while the desk runs: one watcher per mailbox (IMAP_URL, comma-separated), each mail
// taken in UID order and marked read only after what it made is committed.
import type { Logger } from 'pino';
import type { DeskContext } from '../core/context.ts';
import type { FileStore } from '../core/files/store.ts';
import { type MailIntakeResult, takeMail } from './ingest.ts';
import { describeMailbox, MailboxWatcher, parseMailboxUrl } from './mailbox.ts';
import { loadMailboxCursor, saveMailboxCursor } from './mailbox-cursors.ts';

export interface MailIntakeServiceOptions {
  desk: DeskContext;
  files: FileStore;
  imapUrls: readonly string[];
  /** MAIL_FROM's address and the like: mail from them is ours, come back. */
  ownAddresses: readonly string[];
  newTicketsPerHour?: number;
  logger: Logger;
  /** Something was filed: the senders have notices to send. */
  onFiled?: (result: MailIntakeResult) => void;
  pollMs?: number;
}

export interface MailIntakeService {
  watchers: MailboxWatcher[];
  stop(): Promise<void>;
}

export function startMailIntake(options: MailIntakeServiceOptions): MailIntakeService {
  const { desk } = options;
  const watchers = options.imapUrls.map((url) => {
    // The cursor's key names the mailbox without its password.
    const key = describeMailbox(url);
    const target = parseMailboxUrl(url);
    const own = [...options.ownAddresses, ...(target.user.includes('@') ? [target.user] : [])];
    const watcher = new MailboxWatcher({
      url,
      loadCursor: async () => await loadMailboxCursor(desk.db, key),
      saveCursor: async (cursor) => await saveMailboxCursor(desk.db, key, cursor, desk.clock.now()),
      onMail: async (raw) => {
        const result = await takeMail(
          {
            desk,
            files: options.files,
            ownAddresses: own,
            logger: options.logger,
            ...(options.newTicketsPerHour === undefined
              ? {}
              : { newTicketsPerHour: options.newTicketsPerHour }),
          },
          raw,
          key,
        );
        options.onFiled?.(result);
      },
      logger: options.logger,
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    });
    watcher.start();
    return watcher;
  });
  return {
    watchers,
    stop: async () => {
      await Promise.all(watchers.map((w) => w.stop()));
    },
  };
}

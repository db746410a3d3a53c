// A desk process that only reads mail (for the crash test): it takes the mailbox's new mail into the store
// at argv[2] and, with CRASH_AFTER_COMMIT=1, kills itself with SIGKILL right after the first mail's
// ticket is committed — before the mail is marked \Seen and before the cursor moves.

import { createContext } from '../../core/context.ts';
import { FileStore } from '../../core/files/store.ts';
import { systemClock } from '../../core/model.ts';
import { openDatabase } from '../../db/connection.ts';
import { takeMail } from '../../email/ingest.ts';
import { describeMailbox, MailboxWatcher } from '../../email/mailbox.ts';
import { loadMailboxCursor, saveMailboxCursor } from '../../email/mailbox-cursors.ts';

const [dbPath, filesDir, imapUrl] = process.argv.slice(2);
if (!dbPath || !filesDir || !imapUrl) throw new Error('usage: mail-intake-child <db> <files> <imap url>');
const desk = createContext(openDatabase(dbPath), systemClock);
const files = new FileStore(filesDir);
const key = describeMailbox(imapUrl);
const crash = process.env.CRASH_AFTER_COMMIT === '1';

const watcher = new MailboxWatcher({
  url: imapUrl,
  loadCursor: async () => await loadMailboxCursor(desk.db, key),
  saveCursor: async (cursor) => await saveMailboxCursor(desk.db, key, cursor, desk.clock.now()),
  onMail: async (raw) => {
    const result = await takeMail({ desk, files, ownAddresses: [] }, raw, key);
    process.stdout.write(`${JSON.stringify({ taken: result.kind })}\n`);
    if (crash) process.kill(process.pid, 'SIGKILL');
  },
});
watcher.start();
await watcher.idle();
await watcher.stop();
process.stdout.write('idle\n');
desk.db.$client.close();

// Where each watched mailbox has read up to, kept in the store beside the tickets it made.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.ts';
import { mailboxCursors } from '../db/schema.ts';
import type { MailboxCursor } from './mailbox.ts';

export function loadMailboxCursor(db: Db, mailbox: string): MailboxCursor | null {
  const row = db.select().from(mailboxCursors).where(eq(mailboxCursors.mailbox, mailbox)).get();
  return row ? { uidValidity: row.uidValidity, lastUid: row.lastUid } : null;
}

export function saveMailboxCursor(db: Db, mailbox: string, cursor: MailboxCursor, at: number): void {
  const set = { uidValidity: cursor.uidValidity, lastUid: cursor.lastUid, updatedAt: at };
  db.insert(mailboxCursors)
    .values({ mailbox, ...set })
    .onConflictDoUpdate({ target: mailboxCursors.mailbox, set })
    .run();
}

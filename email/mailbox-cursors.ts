// Where each watched mailbox has read up to, kept in the store beside the tickets it made.
import { eq } from 'drizzle-orm';
import { execute, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { mailboxCursors } from '../db/schema.ts';
import type { MailboxCursor } from './mailbox.ts';

export async function loadMailboxCursor(db: Db, mailbox: string): Promise<MailboxCursor | null> {
  const row = await queryOne(db.select().from(mailboxCursors).where(eq(mailboxCursors.mailbox, mailbox)));
  return row ? { uidValidity: row.uidValidity, lastUid: row.lastUid } : null;
}

export async function saveMailboxCursor(
  db: Db,
  mailbox: string,
  cursor: MailboxCursor,
  at: number,
): Promise<void> {
  const set = { uidValidity: cursor.uidValidity, lastUid: cursor.lastUid, updatedAt: at };
  await execute(
    db
      .insert(mailboxCursors)
      .values({ mailbox, ...set })
      .onConflictDoUpdate({ target: mailboxCursors.mailbox, set }),
  );
}

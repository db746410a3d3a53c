// Mail the intake could not take: kept whole (the raw `.eml` in the file store) with the reason, for an admin
// to look at, take again or dismiss. One bad mail never stops its mailbox, and no mail is lost.
import { and, desc, eq } from 'drizzle-orm';
import { execute, queryAll, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { type MailQuarantineRow, mailQuarantine } from '../db/schema.ts';

export interface QuarantineEntry {
  mailKey: string;
  mailbox: string;
  fromAddress: string | null;
  subject: string | null;
  reason: string;
  storagePath: string;
  size: number;
}

/** Keeps the mail once: a mail refused again (read a second time after a crash) stays one row. */
export async function quarantineMail(db: Db, entry: QuarantineEntry, at: number): Promise<void> {
  await execute(
    db
      .insert(mailQuarantine)
      .values({ ...entry, subject: entry.subject?.slice(0, 500) ?? null, receivedAt: at })
      .onConflictDoNothing(),
  );
}

export async function heldMail(db: Db, limit = 100): Promise<MailQuarantineRow[]> {
  return await queryAll(
    db
      .select()
      .from(mailQuarantine)
      .where(eq(mailQuarantine.state, 'held'))
      .orderBy(desc(mailQuarantine.receivedAt))
      .limit(limit),
  );
}

export async function quarantinedMail(db: Db, id: number): Promise<MailQuarantineRow | undefined> {
  return await queryOne(db.select().from(mailQuarantine).where(eq(mailQuarantine.id, id)));
}

/** An admin's decision on a held mail; false when it was no longer held (decided by someone else). */
export async function decideQuarantined(
  db: Db,
  id: number,
  decision: { state: 'taken'; ticketId: number | null } | { state: 'dismissed' },
  at: number,
): Promise<boolean> {
  return (
    (
      await execute(
        db
          .update(mailQuarantine)
          .set({
            state: decision.state,
            ticketId: decision.state === 'taken' ? decision.ticketId : null,
            decidedAt: at,
          })
          .where(and(eq(mailQuarantine.id, id), eq(mailQuarantine.state, 'held'))),
      )
    ).changes > 0
  );
}

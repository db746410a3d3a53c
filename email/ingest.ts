// One mail into the desk: read it, drop our own and the machines' (auto-replies; a bounce goes to the ticket
// whose mail it returns), keep its files and the original `.eml`, then hand it to the intake as a new
// request or a follow-up. A mail the rules refuse, or that cannot be read, is quarantined whole. Only a
// failure of the store itself is thrown: the mailbox then leaves the mail unread and tries again.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { DeskContext } from '../core/context.ts';
import { DeskError } from '../core/errors.ts';
import { detectType } from '../core/files/detect.ts';
import { type FileStore, MAX_FILE_BYTES, MAX_FILES_PER_MESSAGE, safeFileName } from '../core/files/store.ts';
import type { IntakeOutcome } from '../core/intake/inbound.ts';
import { refOf, rememberRef, ticketOfRefs } from '../core/intake/message-refs.ts';
import { receiveInbound } from '../core/intake/receive.ts';
import { SYSTEM } from '../core/permissions.ts';
import { addComment } from '../core/tickets/comment.ts';
import type { AttachmentInput } from '../core/tickets/create.ts';
import { inTransaction } from '../core/transaction.ts';
import { classifyAutomatic } from './automatic.ts';
import { type ParsedMail, parseMail } from './parse.ts';
import { quarantineMail } from './quarantine.ts';
import { stripQuoted } from './quoted-text.ts';

export interface MailIntakeOptions {
  desk: DeskContext;
  files: FileStore;
  /** The desk's own addresses (MAIL_FROM, the mailboxes'): mail from them is our own, come back. */
  ownAddresses: readonly string[];
  /** New requests one sender may open by mail in an hour (a mail loop's brake). */
  newTicketsPerHour?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export type MailIntakeResult =
  | { kind: 'filed'; outcome: IntakeOutcome }
  | { kind: 'bounce'; ticketId: number | null }
  | { kind: 'dropped'; reason: 'own_mail' | 'auto_reply' }
  | { kind: 'quarantined'; reason: string };

export const DEFAULT_NEW_TICKETS_PER_HOUR = 10;

/** The key a mail is known by: its Message-ID, or a hash of its bytes when it has none. */
export function mailKeyOf(mail: ParsedMail, raw: Buffer): string {
  return mail.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/** `[#1042]` in a subject: the ticket a mail is about. */
const TICKET_TAG = /\[#(\d{1,9})\]/;
/** Reply and forward prefixes of the mail programs people use, in Russian and English. */
const PREFIXES = /^(?:\s*(?:re|fw|fwd|aw|wg|ответ|отв|пересл|переслано)\s*(?:\[\d+\])?\s*:\s*)+/i;

export function ticketNumberIn(subject: string): number | undefined {
  const found = TICKET_TAG.exec(subject);
  return found?.[1] ? Number(found[1]) : undefined;
}

/** The subject as a request's title: no reply prefixes, no ticket tag. */
export function cleanSubject(subject: string): string {
  return subject.replace(TICKET_TAG, ' ').replace(PREFIXES, '').replace(/\s+/g, ' ').trim();
}

export async function takeMail(
  options: MailIntakeOptions,
  raw: Buffer,
  mailbox: string,
): Promise<MailIntakeResult> {
  const { desk, files } = options;
  const mail = await parseMail(raw);
  const mailKey = mailKeyOf(mail, raw);
  const quarantine = async (reason: string): Promise<MailIntakeResult> => {
    const storagePath = await files.put(raw);
    await quarantineMail(
      desk.db,
      {
        mailKey,
        mailbox,
        fromAddress: mail.from?.address ?? null,
        subject: mail.subject || null,
        reason,
        storagePath,
        size: raw.length,
      },
      desk.clock.now(),
    );
    options.logger?.warn({ mailbox, reason, mailKey }, 'mail quarantined');
    return { kind: 'quarantined', reason };
  };

  try {
    return await takeReadMail(options, raw, mail, mailKey, mailbox, quarantine);
  } catch (error) {
    // The store or the disk failing is no fault of this mail: the mailbox leaves it unread and tries again.
    if (isStoreFailure(error)) throw error;
    // Anything else is about this very mail (a bug it hits included): it waits in the quarantine, and the
    // mail after it is read.
    options.logger?.warn({ mailbox, mailKey, err: String(error) }, 'mail could not be taken');
    return quarantine(`failed: ${String(error).slice(0, 300)}`);
  }
}

/** A failure of the store (SQLite) or of the machine (disk, files), as opposed to one of the mail. */
export function isStoreFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return code.startsWith('SQLITE_') || /^E[A-Z]+$/.test(code);
}

async function takeReadMail(
  options: MailIntakeOptions,
  raw: Buffer,
  mail: ParsedMail,
  mailKey: string,
  mailbox: string,
  quarantine: (reason: string) => Promise<MailIntakeResult>,
): Promise<MailIntakeResult> {
  const { desk, files } = options;
  if (!mail.from || mail.from.address === '') return quarantine('unreadable');
  const own = new Set(options.ownAddresses.map((a) => a.toLowerCase()));
  // A mail we sent that came back to us (a forward rule, a list): never a request, never a reply.
  if (own.has(mail.from.address) || (await refOf(desk.db, 'email', mailKey))?.direction === 'out') {
    return { kind: 'dropped', reason: 'own_mail' };
  }
  const automatic = classifyAutomatic(mail);
  if (automatic.kind === 'auto_reply') {
    options.logger?.info({ mailbox, reason: automatic.reason }, 'auto-reply dropped');
    return { kind: 'dropped', reason: 'auto_reply' };
  }

  const original = await keepOriginal(files, raw);
  if (automatic.kind === 'bounce') {
    return await takeBounce(desk, mail, mailKey, automatic.bouncedMessageIds, original);
  }

  const threadRefs = [...mail.inReplyTo, ...[...mail.references].reverse()];
  const number = ticketNumberIn(mail.subject);
  // A reply keeps only what is new; a new mail keeps everything (a forwarded problem is the problem).
  const isReply = number !== undefined || threadRefs.length > 0;
  const body = isReply ? stripQuoted(mail.text) : mail.text;
  try {
    const outcome = await receiveInbound(desk, {
      channel: 'email',
      sender: { kind: 'email', address: mail.from.address, name: mail.from.name },
      language: mail.language ?? undefined,
      deliveryKey: mailKey,
      thread: { ticketNumber: number, refs: threadRefs },
      subject: cleanSubject(mail.subject),
      body,
      files: await keepFiles(files, mail),
      internalFiles: [original],
      reopensResolved: true,
      newTicketsPerHour: options.newTicketsPerHour ?? DEFAULT_NEW_TICKETS_PER_HOUR,
    });
    if (outcome.kind === 'rate_limited') return quarantine('too_many_requests');
    return { kind: 'filed', outcome };
  } catch (error) {
    // The rules said no (an empty mail, a refused move): keep the mail for an admin, go on with the next.
    if (error instanceof DeskError) return quarantine(`refused: ${error.message}`);
    throw error;
  }
}

/** The whole mail as it came, for staff: kept beside the request as an internal `.eml` file. */
async function keepOriginal(files: FileStore, raw: Buffer): Promise<AttachmentInput> {
  return {
    kind: 'document',
    fileName: 'original.eml',
    mimeType: 'message/rfc822',
    size: raw.length,
    storagePath: await files.put(raw),
    internal: true,
  };
}

/**
 * The mail's attachments and inline pictures that the desk accepts (by their bytes, as uploads are), up to
 * the per-message count; anything else stays readable in the original `.eml`.
 */
async function keepFiles(files: FileStore, mail: ParsedMail): Promise<AttachmentInput[]> {
  const kept: AttachmentInput[] = [];
  for (const file of mail.files) {
    if (kept.length >= MAX_FILES_PER_MESSAGE) break;
    if (file.bytes.length === 0 || file.bytes.length > MAX_FILE_BYTES) continue;
    const type = detectType(file.bytes, file.fileName);
    if (!type) continue;
    kept.push({
      kind: type.kind,
      fileName: safeFileName(file.fileName, type),
      mimeType: type.mimeType,
      size: file.bytes.length,
      storagePath: await files.put(file.bytes),
    });
  }
  return kept;
}

/** A bounce is news for staff about the ticket whose mail did not arrive: an internal note with it. */
async function takeBounce(
  desk: DeskContext,
  mail: ParsedMail,
  mailKey: string,
  bounced: readonly string[],
  original: AttachmentInput,
): Promise<MailIntakeResult> {
  const ticketId = await ticketOfRefs(desk.db, 'email', bounced);
  if (ticketId === undefined) return { kind: 'bounce', ticketId: null };
  return await inTransaction(desk.db, async () => {
    if (await refOf(desk.db, 'email', mailKey)) return { kind: 'bounce', ticketId };
    try {
      await addComment(desk, SYSTEM, ticketId, {
        body: mail.subject.slice(0, 500),
        internal: true,
        attachments: [original],
      });
    } catch (error) {
      // A ticket closed since: the bounce is no news any more.
      if (!(error instanceof DeskError)) throw error;
    }
    await rememberRef(desk.db, 'email', mailKey, { ticketId, direction: 'in' }, desk.clock.now());
    return { kind: 'bounce', ticketId };
  });
}

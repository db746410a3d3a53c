// Drains the outbox rows of channel 'email' through SMTP, each at most once, in order per recipient, and
// within a per-domain budget so that one client's mail server is not flooded. Like the Telegram notifier
// (bot/notifier.ts): what surely was not handed over (a refused connection, an unknown host, a 4xx
// answer, a connection lost before the message's DATA) is tried again with the outbox's backoff; a 5xx
// answer is a dead letter with the server's reason; a connection lost after the message went out may or
// may not have delivered it, so it is an "uncertain" dead letter, never a second copy.
// A sent mail's Message-ID is kept in message_refs (direction 'out'), in the transaction that marks the
// row sent, so a reply to it lands on its ticket.
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { DeskContext } from '../../core/context.ts';
import type { FileStore } from '../../core/files/store.ts';
import { rememberRef } from '../../core/intake/message-refs.ts';
import { type Clock, type Language, MINUTE, systemClock } from '../../core/model.ts';
import { filesOfEvent } from '../../core/notice-files.ts';
import { noticeWording } from '../../core/notice-wording.ts';
import {
  claimDue,
  markDead,
  markSent,
  nextDueAt,
  reconcileInterrupted,
  release,
  retryDelay,
  StaleClaimsWatch,
  scheduleRetry,
} from '../../core/outbox.ts';
import { deskProfile } from '../../core/setup/desk-profile.ts';
import { inTransaction } from '../../core/transaction.ts';
import { queryAll } from '../../db/access.ts';
import { storeDialect } from '../../db/dialect.ts';
import { messageRefs, type OutboxRow, people } from '../../db/schema.ts';
import { translator } from '../../locales/index.ts';
import { renderMail, senderAddress } from './render.ts';

// Refs written in the same millisecond keep the order they were written in: SQLite's rowid; PostgreSQL's row
// address, which follows the writes of a table whose rows are never updated in place (a ref's row is not).
const WRITTEN_ORDER = storeDialect() === 'postgres' ? sql`ctid` : sql`rowid`;

/** How long the SMTP server may stay silent during a send (nodemailer's default is ten minutes). */
const SEND_TIMEOUT_MS = 60_000;

/** Whom a notice goes to: their address and the language it is written in. */
interface Reader {
  email: string | null;
  language: Language;
}

export interface MailLimits {
  /** Mails to one recipient domain within a minute, at most. */
  perDomainPerMinute: number;
  /** Open SMTP connections, at most (only for a transport made from smtpUrl). */
  maxConnections: number;
}

export const MAIL_LIMITS: MailLimits = { perDomainPerMinute: 30, maxConnections: 3 };

/** Files one mail carries at most, all together: most mail servers refuse more than 20–25 MB. */
export const MAIL_FILES_MAX_BYTES = 15 * 1024 * 1024;

/** pino's shape, narrowed to what is used here. */
export interface MailSenderLogger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface MailSenderOptions {
  desk: DeskContext;
  /** Real time for retries and the domain budget, even when the desk runs on a test clock. */
  clock?: Clock;
  /** SMTP_URL: smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465. */
  smtpUrl?: string;
  /** A transport of one's own instead of smtpUrl; it is not closed on stop. */
  transport?: Transporter;
  /** MAIL_FROM: "Desk name <support@x.ru>"; its domain names our Message-IDs. */
  from: string;
  /** The name that signs the mails (default: the name in `from`, else the desk's name, else its address). */
  deskName?: string;
  /** Where a person can open a ticket, for the link in the mail; none when left out. */
  ticketUrl?: (ticketId: number) => string | undefined;
  limits?: Partial<MailLimits>;
  /** How often to look for due mails when nobody pokes (ms). */
  idleMs?: number;
  /** The desk's file store: files that came with a comment go with its mail. */
  files?: FileStore;
  /** Fetches a file Telegram holds (one sent through the bot), to attach it too. */
  downloadFile?: (telegramFileId: string) => Promise<{ bytes: Uint8Array; fileName?: string }>;
  /** Whether to send now; false leaves the rows to another sender (the sandbox's, once real SMTP is set). */
  active?: () => boolean;
  random?: () => number;
  onError?: (error: unknown) => void;
  logger?: MailSenderLogger;
}

const silent: MailSenderLogger = { info() {}, warn() {}, error() {} };

/** A thread's References header keeps its first mail and the latest ones: enough to thread, not a wall. */
const REFERENCES_MAX = 20;

export class MailSender {
  private readonly desk: DeskContext;
  private readonly transport: Transporter;
  private readonly ownTransport: boolean;
  private readonly limits: MailLimits;
  private readonly log: MailSenderLogger;
  private readonly fromDomain: string;
  private readonly deskName: string | undefined;
  /** When each recent mail to a domain went, for the per-domain budget. */
  private readonly sentToDomain = new Map<string, number[]>();
  /**
   * The mails under way, by Message-ID, with their message stream once the transport made it: whether
   * the server's DATA began reading it tells a lost connection that may have delivered the mail from one
   * that surely did not.
   */
  private readonly underWay = new Map<string, Readable | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private readonly staleClaims = new StaleClaimsWatch();
  private draining: Promise<void> | undefined;
  private rerun = false;

  constructor(private readonly options: MailSenderOptions) {
    this.desk = { ...options.desk, clock: options.clock ?? systemClock };
    this.limits = { ...MAIL_LIMITS, ...options.limits };
    this.log = options.logger ?? silent;
    const address = senderAddress(options.from);
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    if (!address.includes('@') || !domain)
      throw new Error('MAIL_FROM must hold an address: "Desk <support@x.ru>"');
    this.fromDomain = domain;
    this.deskName = options.deskName ?? (displayName(options.from) || undefined);
    if (options.transport) {
      this.transport = options.transport;
      this.ownTransport = false;
    } else if (options.smtpUrl) {
      this.transport = nodemailer.createTransport({
        ...smtpOptions(options.smtpUrl),
        pool: true,
        maxConnections: this.limits.maxConnections,
        // The pool may put a message back on its queue only while not a byte of it was sent; never more
        // than that, the outbox does the retrying.
        maxRequeues: 1,
        // A server silent this long has given up: the send fails (and is judged as sent or not) instead of
        // holding that person's later notices back for nodemailer's ten minutes.
        socketTimeout: SEND_TIMEOUT_MS,
        logger: false,
      });
      this.ownTransport = true;
      this.log.info({ smtp: maskedSmtpUrl(options.smtpUrl) }, 'mail sender: SMTP transport ready');
    } else {
      throw new Error('MailSender needs smtpUrl or transport');
    }
    this.transport.use('stream', (mail, done) => {
      const id = bare(mail.message.messageId());
      // Only ours: a transport of one's own may carry other mail too.
      if (this.underWay.has(id))
        mail.message.processFunc((input) => {
          // A pass-through of our own as the last stage: the SMTP connection reads it only once the
          // server answered DATA with 354. (A DKIM signer added after it would read it early; then a
          // lost connection only counts as uncertain more often, never as surely not sent.)
          const output = new PassThrough();
          pipeline(input, output, () => {});
          if (this.underWay.has(id)) this.underWay.set(id, output);
          return output;
        });
      done();
    });
  }

  /** Recovers from a crash (see core/outbox.ts) and starts draining. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    await reconcileInterrupted(this.desk);
    await this.staleClaims.started(this.desk, (error) => this.options.onError?.(error));
    this.poke();
  }

  /** Something was committed to the outbox: look now rather than at the next tick. */
  poke(): void {
    if (!this.running) return;
    if (this.draining) {
      this.rerun = true;
      return;
    }
    clearTimeout(this.timer);
    this.draining = this.drain().finally(async () => {
      // Still "draining" while the delay is read, so that a poke meanwhile asks for a rerun.
      const delay =
        this.rerun || !this.running
          ? 0
          : await this.nextDelay().catch((error: unknown) => {
              this.options.onError?.(error);
              return this.options.idleMs ?? 500;
            });
      this.draining = undefined;
      if (!this.running) return;
      if (this.rerun) {
        this.rerun = false;
        this.poke();
      } else {
        this.timer = setTimeout(() => this.poke(), delay);
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.draining;
    // Renewed until the last send in hand has finished.
    await this.staleClaims.stopped();
    if (this.ownTransport) this.transport.close();
  }

  /** Sends what is due now; resolves when nothing due is left (for tests and one-off runs). */
  async drain(): Promise<void> {
    if (this.options.active && !this.options.active()) return;
    try {
      await this.staleClaims.look(this.desk);
      for (;;) {
        const rows = await claimDue(this.desk, 20, 'email', this.staleClaims.claimer);
        if (rows.length === 0) return;
        // The readers first, in one read: each send then checks its domain's budget before it awaits anything,
        // in the claim's order, so the budget goes to the oldest notices.
        const readers = await this.readersOf(rows);
        await Promise.all(
          rows.map(async (row) => this.deliverSafely(row, readers.get(row.recipientId ?? 0))),
        );
        if (this.stopped) return;
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private async nextDelay(): Promise<number> {
    const idle = this.options.idleMs ?? 500;
    const due = await nextDueAt(this.desk, 'email');
    if (due === null) return idle;
    return Math.min(idle, Math.max(1, due - this.desk.clock.now()));
  }

  /** A fault of ours (wording, bookkeeping) fails the same way each time: a dead letter at once. */
  private async readersOf(rows: OutboxRow[]): Promise<Map<number, Reader>> {
    const ids = [...new Set(rows.map((row) => row.recipientId ?? 0))];
    const found = await queryAll(
      this.desk.db
        .select({ id: people.id, email: people.email, language: people.language })
        .from(people)
        .where(inArray(people.id, ids)),
    );
    return new Map(found.map((reader) => [reader.id, reader]));
  }

  private async deliverSafely(row: OutboxRow, reader: Reader | undefined): Promise<void> {
    try {
      await this.deliver(row, reader);
    } catch (error) {
      await this.unsendable(row, error);
    }
  }

  private async unsendable(row: OutboxRow, error: unknown): Promise<void> {
    this.options.onError?.(error);
    await markDead(this.desk, row.id, `cannot be sent: ${String(error)}`);
    this.log.error({ outboxId: row.id, kind: row.kind, err: String(error) }, 'mail: cannot be sent');
  }

  private async deliver(row: OutboxRow, person: Reader | undefined): Promise<void> {
    const { desk } = this;
    if (!person?.email?.trim()) {
      await markDead(desk, row.id, 'the recipient has no e-mail address');
      return;
    }
    // One mailbox, or none: "a@x.ru, b@y.ru" in the directory must not send a client's notice to two.
    const to = singleAddress(person.email);
    if (!to) {
      await markDead(desk, row.id, "the recipient's e-mail address is not one valid address");
      return;
    }
    const domain = to.slice(to.lastIndexOf('@') + 1).toLowerCase();
    const wait = this.domainWait(domain, desk.clock.now());
    if (wait > 0) {
      await release(desk, row.id, desk.clock.now() + wait);
      return;
    }
    // Counted before anything is awaited: mails under way at once must not all pass the same check.
    this.recordSend(domain, desk.clock.now());
    // Worded on the desk's own clock (due times), sent on real time.
    let mail: ReturnType<typeof renderMail>;
    try {
      mail = await this.render(row, person.language);
    } catch (error) {
      await this.unsendable(row, error);
      return;
    }
    const attachments = await this.filesFor(row);
    const messageId = `t${row.ticketId ?? 0}.n${row.id}@${this.fromDomain}`;
    const thread = row.ticketId === null ? [] : await this.threadOf(row.ticketId);
    const latest = thread.at(-1);
    this.underWay.set(messageId, undefined);
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(attachments.length > 0 ? { attachments } : {}),
        messageId: `<${messageId}>`,
        ...(latest ? { inReplyTo: `<${latest}>`, references: thread.map((ref) => `<${ref}>`) } : {}),
        headers: {
          // RFC 3834: an automatic mail; auto-responders (and Exchange's, by its own header) keep quiet.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
        },
      });
    } catch (error) {
      // No message stream made yet: not a byte of the mail can have gone.
      await this.failed(row, error, this.underWay.get(messageId)?.readableDidRead ?? false);
      return;
    } finally {
      this.underWay.delete(messageId);
    }
    await inTransaction(desk.db, async () => {
      await markSent(desk, row.id);
      if (row.ticketId !== null)
        await rememberRef(
          desk.db,
          'email',
          messageId,
          { ticketId: row.ticketId, direction: 'out' },
          desk.clock.now(),
        );
    });
  }

  private async render(row: OutboxRow, language: Language) {
    const t = translator(language);
    const wording = await noticeWording(this.options.desk, t, row, language);
    const url = wording.ticketId === null ? undefined : this.options.ticketUrl?.(wording.ticketId);
    return renderMail(wording, {
      language,
      from: this.options.from,
      deskName:
        this.deskName ?? (await deskProfile(this.options.desk)).name ?? senderAddress(this.options.from),
      ...(url ? { ticketUrl: url } : {}),
    });
  }

  /**
   * The files that came with the event (a staff answer with a screenshot, a new request's photos), as far
   * as they can be had and fit in one mail; one that cannot be had is left out, the mail still goes.
   */
  private async filesFor(row: OutboxRow): Promise<{ filename: string; content: Buffer }[]> {
    const { files, downloadFile } = this.options;
    const event = typeof row.payload.event === 'string' ? row.payload.event : '';
    if (row.ticketId === null || (!files && !downloadFile)) return [];
    const out: { filename: string; content: Buffer }[] = [];
    let total = 0;
    for (const file of await filesOfEvent(this.desk.db, row.ticketId, event, row.payload)) {
      let bytes: Uint8Array | null = null;
      let name = file.fileName ?? '';
      try {
        if (file.storagePath && files) bytes = await files.read(file.storagePath);
        else if (file.telegramFileId && downloadFile) {
          const got = await downloadFile(file.telegramFileId);
          bytes = got.bytes;
          name ||= got.fileName ?? '';
        }
      } catch (error) {
        this.log.warn({ outboxId: row.id, fileId: file.id, err: String(error) }, 'mail: a file left out');
      }
      if (!bytes || total + bytes.byteLength > MAIL_FILES_MAX_BYTES) continue;
      total += bytes.byteLength;
      out.push({ filename: name || `file-${file.id}`, content: Buffer.from(bytes) });
    }
    return out;
  }

  /** The ticket's mails, ours and theirs, oldest first: its first and its latest ones. */
  private async threadOf(ticketId: number): Promise<string[]> {
    const refs = (
      await queryAll(
        this.desk.db
          .select({ ref: messageRefs.ref })
          .from(messageRefs)
          .where(and(eq(messageRefs.ticketId, ticketId), eq(messageRefs.channel, 'email')))
          .orderBy(asc(messageRefs.createdAt), asc(WRITTEN_ORDER)),
      )
    )
      .map((r) => r.ref)
      // A header holds only a well-formed id; a stray one from someone's mail is left out.
      .filter((ref) => /^[^\s<>@]+@[^\s<>@]+$/.test(ref));
    if (refs.length <= REFERENCES_MAX) return refs;
    return [...refs.slice(0, 1), ...refs.slice(-(REFERENCES_MAX - 1))];
  }

  private domainWait(domain: string, now: number): number {
    const sent = this.sentToDomain.get(domain);
    if (!sent) return 0;
    while (sent.length > 0 && (sent[0] ?? 0) <= now - MINUTE) sent.shift();
    if (sent.length < this.limits.perDomainPerMinute) return 0;
    return (sent[0] ?? now) + MINUTE - now;
  }

  private recordSend(domain: string, now: number): void {
    const sent = this.sentToDomain.get(domain) ?? [];
    sent.push(now);
    this.sentToDomain.set(domain, sent);
  }

  /** What a failed send means for the row. `handedOver`: whether the server began to read the message. */
  private async failed(row: OutboxRow, error: unknown, handedOver: boolean): Promise<void> {
    const { desk } = this;
    const e = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
    const code = e.code ?? '';
    const retry = async (reason: string) => {
      await scheduleRetry(desk, row, reason, retryDelay(row.attempts, this.options.random));
      this.log.warn({ outboxId: row.id, reason }, 'mail: not sent, will try again');
    };
    const dead = async (reason: string) => {
      await markDead(desk, row.id, reason);
      this.log.error({ outboxId: row.id, reason }, 'mail: dead letter');
    };
    const answer = `${e.responseCode ?? ''} ${oneLine(e.response ?? e.message ?? '')}`.trim();
    // Our own login is wrong or refused: the desk's fault, not this mail's. Tried again (it may be fixed
    // meanwhile) and reported.
    if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'EOAUTH2') {
      this.options.onError?.(new Error(`SMTP login failed: ${answer}`));
      await retry(`smtp login: ${answer}`);
      return;
    }
    // The server answered: it did not take the message. 4xx: maybe later; 5xx: never.
    if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
      const permanent = e.permanent ?? (e.responseCode >= 500 && e.responseCode !== 503);
      if (permanent) await dead(`smtp: ${answer}`);
      else await retry(`smtp: ${answer}`);
      return;
    }
    // Refused before anything was sent: the addresses or the message itself; again would fail again.
    if (PERMANENT_CODES.has(code)) {
      await dead(`smtp: ${code}: ${oneLine(e.message ?? '')}`);
      return;
    }
    if (!(error instanceof Error) || !code) {
      await this.unsendable(row, error);
      return;
    }
    const reason = [code, e.originalCode, e.timeoutType].filter(Boolean).join('/');
    if (!handedOver) {
      await retry(`network: ${reason}`);
      return;
    }
    await dead(
      `uncertain: ${reason}: the connection was lost after the mail went out; it may or may not have been delivered`,
    );
  }
}

/** Nodemailer's codes for a mail it refused to send (bad address, message, settings). */
const PERMANENT_CODES = new Set([
  'EENVELOPE',
  'EMESSAGE',
  'EMAXRECIPIENTS',
  'EREQUIRETLS',
  'ECONFIG',
  'EFILEACCESS',
  'EURLACCESS',
]);

/** Nodemailer's connection options from SMTP_URL; the error says nothing of the URL (it holds a password). */
export function smtpOptions(smtpUrl: string): {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
} {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('SMTP_URL is not a URL (smtp://user:password@host:587 or smtps://…:465)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  if (!url.hostname) throw new Error('SMTP_URL has no host');
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
  };
}

/** SMTP_URL for logs and admin screens: the password masked. */
export function maskedSmtpUrl(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(not a URL)';
  }
}

function singleAddress(email: string): string | undefined {
  const found = addressparser(email, { flatten: true });
  const address = found.length === 1 ? found[0]?.address.trim() : undefined;
  return address && /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/.test(address) ? address : undefined;
}

function displayName(from: string): string {
  for (const entry of addressparser(from, { flatten: true })) if (entry.name) return entry.name;
  return '';
}

const bare = (messageId: string) => messageId.replace(/[<>\s]/g, '');
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 500);

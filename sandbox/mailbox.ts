// The sandbox's mail, with no network: mails written on the page as a demo person (or any address) are
// built as real raw MIME and go through the desk's own intake (takeMail: the parser, the own-mail and
// auto-reply checks, the intake, quarantine); the desk's mails come from its real MailSender over a
// stream transport that keeps each raw mail in memory instead of handing it to a server. Both lists are
// bounded: the sandbox runs for days without growing.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import nodemailer, { type Transport, type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import StreamTransport, { type StreamSentMessageInfo } from 'nodemailer/lib/stream-transport';
import type { DeskContext } from '../core/context.ts';
import type { FileStore } from '../core/files/store.ts';
import { ROLES, type Role } from '../core/model.ts';
import { companies, memberships, people, tickets } from '../db/schema.ts';
import { mailAddressOf } from '../email/address.ts';
import { type MailIntakeOptions, type MailIntakeResult, takeMail } from '../email/ingest.ts';
import type { MailPersonView, MailResultView, MailView, SentMailView, WrittenMailView } from './types.ts';

/** The sandbox desk's address when MAIL_FROM is not set. */
export const SANDBOX_MAIL_FROM = 'tgdesk <support@tgdesk.example>';

/** How many mails each list keeps, the newest. */
const KEEP = 200;

export interface SandboxMailOptions {
  desk: DeskContext;
  /** The desk's file store (FILES_DIR): a mail's files and its original land there as from a mailbox. */
  files: FileStore;
  /** The desk's From ("Name <address>"): the address mails are written to, and the desk's own. */
  deskFrom: string;
  newTicketsPerHour?: number;
  logger?: MailIntakeOptions['logger'];
  /** Something was filed: the bot and the sender have notices to send. */
  onFiled?: () => void;
  /** False when the desk sends through SMTP_URL (this transport then carries nothing). */
  capturing?: boolean;
}

export interface WriteMail {
  from: { address: string; name: string };
  subject: string;
  text: string;
  /** The id of a desk mail in the sent list: the new one answers it as a mail program would. */
  replyTo?: number;
  file?: { name: string; bytes: Buffer };
}

/** Input the page got wrong (an unknown mail to reply to, a person without an address): a 400. */
export class MailInputError extends Error {}

interface Sent {
  view: SentMailView;
  messageId: string | undefined;
  references: string[];
  from: string;
}

export class SandboxMail {
  /** What the sandbox's MailSender sends through: a stream transport whose raw mails are kept here. */
  readonly transport: Transporter;
  readonly deskAddress: string;
  private readonly sentMails: Sent[] = [];
  private readonly writtenMails: WrittenMailView[] = [];
  private readonly listeners = new Set<() => void>();
  private nextId = 1;

  constructor(private readonly options: SandboxMailOptions) {
    this.deskAddress = mailAddressOf(options.deskFrom);
    // CRLF line ends: the raw mail is what an SMTP server would have received.
    const stream = new StreamTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    const keep = (info: StreamSentMessageInfo) => {
      if (!Buffer.isBuffer(info.message)) return;
      const to = String(info.envelope.to[0] ?? '');
      const raw = info.message;
      // Numbered in the order sent; parsing may finish in another order, the list is kept by number.
      const id = this.nextId++;
      void this.parseSent(id, to, raw).catch((error: unknown) =>
        options.logger?.warn({ err: error }, 'sandbox: a sent mail did not parse'),
      );
    };
    const capturing: Transport<StreamSentMessageInfo> = {
      name: 'SandboxMailbox',
      version: '1',
      send(mail, done) {
        stream.send(mail, (error, info) => {
          if (!error && info) keep(info);
          done(error, info);
        });
      },
    };
    this.transport = nodemailer.createTransport(capturing);
  }

  /** The desk's mails, newest first. */
  sent(): SentMailView[] {
    return this.sentMails.map((s) => s.view).reverse();
  }

  /** The mails written on the page and what the desk made of them, newest first. */
  written(): WrittenMailView[] {
    return [...this.writtenMails].reverse();
  }

  view(): MailView {
    return {
      deskAddress: this.deskAddress,
      capturing: this.options.capturing ?? true,
      sent: this.sent(),
      written: this.written(),
    };
  }

  /** Calls `listener` whenever either list changed; returns the call that stops it. */
  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The people of the store with an e-mail address, clients first, as the page's "From" offers them. */
  people(): (Omit<MailPersonView, 'roleName'> & { role: Role | null })[] {
    const rows = this.options.desk.db
      .select({
        id: people.id,
        name: people.name,
        email: people.email,
        role: memberships.role,
        company: companies.name,
      })
      .from(people)
      .leftJoin(memberships, eq(memberships.personId, people.id))
      .leftJoin(companies, eq(companies.id, memberships.companyId))
      .all();
    const rank = (role: Role | null) => (role === null ? ROLES.length : ROLES.indexOf(role));
    const byPerson = new Map<
      number,
      { id: number; name: string; email: string; role: Role | null; company: string | null }
    >();
    for (const row of rows) {
      const email = row.email?.trim();
      if (!email) continue;
      const known = byPerson.get(row.id);
      if (known && rank(known.role) <= rank(row.role)) continue;
      byPerson.set(row.id, { ...row, email });
    }
    return [...byPerson.values()].sort((a, b) => rank(a.role) - rank(b.role) || a.id - b.id);
  }

  /** A person's name and address for the From line; undefined for an unknown person or one without mail. */
  personAddress(personId: number): { address: string; name: string } | undefined {
    const row = this.options.desk.db
      .select({ name: people.name, email: people.email })
      .from(people)
      .where(eq(people.id, personId))
      .get();
    const address = row?.email?.trim();
    return row && address ? { address, name: row.name } : undefined;
  }

  /** Builds the mail as a mail program would and hands it to the desk's intake; says what became of it. */
  async write(input: WriteMail): Promise<WrittenMailView> {
    const answered =
      input.replyTo === undefined ? undefined : this.sentMails.find((s) => s.view.id === input.replyTo);
    if (input.replyTo !== undefined && !answered)
      throw new MailInputError('replyTo: no such mail of the desk');
    const subject = answered && !/^re:/i.test(input.subject.trim()) ? `Re: ${input.subject}` : input.subject;
    const text = answered ? `${input.text}\n\n${quoted(answered)}` : input.text;
    const domain = input.from.address.slice(input.from.address.lastIndexOf('@') + 1) || 'sandbox.example';
    const raw = await new MailComposer({
      from: { name: input.from.name, address: input.from.address },
      to: this.options.deskFrom,
      subject,
      text,
      date: new Date(),
      messageId: `<${randomUUID()}@${domain}>`,
      ...(answered?.messageId
        ? {
            inReplyTo: answered.messageId,
            references: [...answered.references, answered.messageId],
          }
        : {}),
      ...(input.file ? { attachments: [{ filename: input.file.name, content: input.file.bytes }] } : {}),
    })
      .compile()
      .build();
    const result = await takeMail(
      {
        desk: this.options.desk,
        files: this.options.files,
        ownAddresses: [this.deskAddress],
        ...(this.options.newTicketsPerHour === undefined
          ? {}
          : { newTicketsPerHour: this.options.newTicketsPerHour }),
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      },
      raw,
      'sandbox',
    );
    if (result.kind === 'filed' || result.kind === 'bounce') this.options.onFiled?.();
    const written: WrittenMailView = {
      id: this.nextId++,
      from: input.from.address.toLowerCase(),
      subject,
      result: this.resultView(result),
      date: Date.now(),
    };
    this.writtenMails.push(written);
    if (this.writtenMails.length > KEEP) this.writtenMails.shift();
    this.changed();
    return written;
  }

  private async parseSent(id: number, to: string, raw: Buffer): Promise<void> {
    const mail = await simpleParser(raw);
    const references = mail.references === undefined ? [] : [mail.references].flat();
    const sent: Sent = {
      view: {
        id,
        to: to.toLowerCase(),
        subject: mail.subject ?? '',
        text: mail.text ?? '',
        date: mail.date?.getTime() ?? Date.now(),
      },
      messageId: mail.messageId,
      references,
      from: mail.from?.text ?? this.options.deskFrom,
    };
    const at = this.sentMails.findIndex((s) => s.view.id > id);
    this.sentMails.splice(at < 0 ? this.sentMails.length : at, 0, sent);
    if (this.sentMails.length > KEEP) this.sentMails.shift();
    this.changed();
  }

  private resultView(result: MailIntakeResult): MailResultView {
    const numberOf = (ticketId: number | null) =>
      ticketId === null
        ? null
        : (this.options.desk.db
            .select({ number: tickets.number })
            .from(tickets)
            .where(eq(tickets.id, ticketId))
            .get()?.number ?? null);
    switch (result.kind) {
      case 'dropped':
        return { kind: 'dropped', reason: result.reason };
      case 'quarantined':
        return { kind: 'quarantined', reason: result.reason };
      case 'bounce':
        return { kind: 'bounce', number: numberOf(result.ticketId) };
      case 'filed': {
        const outcome = result.outcome;
        if (outcome.kind === 'created') return { kind: 'created', number: outcome.ticket.number };
        if (outcome.kind === 'commented')
          return { kind: 'commented', number: outcome.ticket.number, reopened: outcome.reopened };
        if (outcome.kind === 'duplicate') return { kind: 'duplicate', number: numberOf(outcome.ticketId) };
        // takeMail quarantines a rate-limited mail itself; kept for the type's sake.
        return { kind: 'quarantined', reason: 'too_many_requests' };
      }
    }
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The answered mail below the new text, as mail programs quote: an "On …, … wrote:" line and `> ` lines. */
function quoted(sent: Sent): string {
  const lines = sent.view.text.replace(/\r\n?/g, '\n').trimEnd().split('\n');
  const when = new Date(sent.view.date).toUTCString();
  return [`On ${when}, ${sent.from} wrote:`, ...lines.map((line) => (line ? `> ${line}` : '>'))].join('\n');
}

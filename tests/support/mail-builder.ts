// Raw mails for tests, built by nodemailer's MIME composer (what real senders produce), not by hand.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface TestMail {
  from: string;
  to?: string;
  subject: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
}

let counter = 0;

/** A unique Message-ID for a test mail (without angle brackets). */
export const newMessageId = (who = 'client') => `m${++counter}.${Date.now()}@${who}.example`;

export async function buildMail(m: TestMail): Promise<Buffer> {
  const composer = new MailComposer({
    from: m.from,
    to: m.to ?? 'support@desk.example',
    subject: m.subject,
    ...(m.text === undefined ? {} : { text: m.text }),
    ...(m.html === undefined ? {} : { html: m.html }),
    messageId: `<${m.messageId ?? newMessageId()}>`,
    ...(m.inReplyTo ? { inReplyTo: `<${m.inReplyTo}>` } : {}),
    ...(m.references ? { references: m.references.map((r) => `<${r}>`) } : {}),
    ...(m.headers ? { headers: m.headers } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
  });
  return composer.compile().build();
}

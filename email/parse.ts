// Reading one raw e-mail into the plain shape the help desk works with. Pure: no database, no network.
//
// Never throws: bytes that mailparser cannot read give an "empty" mail (no sender, empty text), which the
// intake then skips as it would any mail without a sender.

import { convert } from 'html-to-text';
import { type AddressObject, type Attachment, simpleParser } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

export interface MailFile {
  fileName: string;
  mimeType: string;
  bytes: Buffer;
  contentId?: string;
  inline: boolean;
}

export interface ParsedMail {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string } | null;
  to: string[];
  cc: string[];
  replyTo: string | null;
  subject: string;
  date: number | null;
  text: string;
  html: string | null;
  files: MailFile[];
  headers: Map<string, string>;
  language: 'ru' | 'en' | null;
}

export function emptyMail(): ParsedMail {
  return {
    messageId: null,
    inReplyTo: [],
    references: [],
    from: null,
    to: [],
    cc: [],
    replyTo: null,
    subject: '',
    date: null,
    text: '',
    html: null,
    files: [],
    headers: new Map(),
    language: null,
  };
}

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  let source: Awaited<ReturnType<typeof simpleParser>>;
  try {
    source = await simpleParser(raw, {
      // cid: links stay as they are, so inline images can be matched to files (not inlined as data: URIs)
      keepCidLinks: true,
      // the HTML is converted below, after sanitising, with our own options
      skipHtmlToText: true,
      skipTextToHtml: true,
      // an attached message (the original in a bounce, a forwarded .eml) stays one file with its own bytes
      ignoreEmbedded: true,
    });
  } catch {
    return emptyMail();
  }

  const headers = rawHeaders(source.headerLines ?? []);
  const rawHtml = typeof source.html === 'string' && source.html.trim() !== '' ? source.html : null;
  const html = rawHtml === null ? null : safely(() => sanitizeMailHtml(rawHtml), '');
  const plain = normaliseText(source.text ?? '');
  const text = plain !== '' ? plain : html ? safely(() => htmlToPlainText(html), '') : '';
  const subject = (source.subject ?? '').trim();
  const date =
    source.date instanceof Date && !Number.isNaN(source.date.getTime()) ? source.date.getTime() : null;

  return {
    messageId: firstMessageId(headers.get('message-id')),
    inReplyTo: messageIdsIn(headers.get('in-reply-to')),
    references: messageIdsIn(headers.get('references')),
    from: firstAddress(source.from),
    to: addressesOf(source.to),
    cc: addressesOf(source.cc),
    replyTo: firstAddress(source.replyTo)?.address ?? null,
    subject,
    date,
    text,
    html: html === '' ? null : html,
    files: (source.attachments ?? []).map((a, i) => toMailFile(a, i, rawHtml)),
    headers,
    language: guessLanguage(`${subject}\n${text}`),
  };
}

function safely<T>(work: () => T, fallback: T): T {
  try {
    return work();
  } catch {
    return fallback;
  }
}

/** Lower-cased header name → raw (undecoded, unfolded) value of its first occurrence. */
function rawHeaders(lines: ReadonlyArray<{ key: string; line: string }>): Map<string, string> {
  const headers = new Map<string, string>();
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    if (headers.has(name)) continue;
    const colon = line.indexOf(':');
    const value = colon < 0 ? '' : line.slice(colon + 1);
    headers.set(name, value.replace(/\r?\n(?=[ \t])/g, '').trim());
  }
  return headers;
}

/** Every `<id>` in a header, without brackets, in order; a bare id when the sender left the brackets out. */
export function messageIdsIn(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>]*)>/g)].map((m) => (m[1] ?? '').replace(/\s+/g, ''));
  if (bracketed.length > 0) return bracketed.filter((id) => id !== '');
  // no brackets at all: take words that look like ids (local@domain), ignoring comments around them
  return value.split(/[\s,]+/).filter((word) => /^[^@\s()]+@[^@\s()]+$/.test(word));
}

function firstMessageId(value: string | undefined): string | null {
  return messageIdsIn(value)[0] ?? null;
}

type AddressHeader = AddressObject | AddressObject[] | undefined;

function flatAddresses(header: AddressHeader): { address: string; name: string }[] {
  if (!header) return [];
  const out: { address: string; name: string }[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      const address = (entry.address ?? '').trim().toLowerCase();
      if (address.includes('@')) out.push({ address, name: (entry.name ?? '').trim() });
    }
  };
  for (const object of Array.isArray(header) ? header : [header]) visit(object.value ?? []);
  return out;
}

function firstAddress(header: AddressHeader): { address: string; name: string } | null {
  return flatAddresses(header)[0] ?? null;
}

function addressesOf(header: AddressHeader): string[] {
  return [...new Set(flatAddresses(header).map((a) => a.address))];
}

// data: images are part of the mail itself, so they are kept; anything fetched from outside is not
const INLINE_IMAGE_SRC = /^(cid:|data:image\/(png|jpe?g|gif|webp);base64,)/i;

/** HTML safe to show staff: no scripts, styles, event handlers, or images that call home. */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center'],
    allowedAttributes: {
      a: ['href', 'name', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      '*': ['dir', 'lang'],
    },
    // Outlook's paragraphs are single lines on screen; the class tells the text converter so
    allowedClasses: { p: ['MsoNormal'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid', 'data'] },
    allowProtocolRelative: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && !INLINE_IMAGE_SRC.test(frame.attribs.src ?? ''),
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
    },
  }).trim();
}

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
  selector,
  options: { uppercase: false },
}));

/** Readable text of (already sanitised) HTML: links shown once, images dropped, no hard wrapping. */
export function htmlToPlainText(html: string): string {
  return tidyHtmlText(
    convert(html, {
      wordwrap: false,
      selectors: [
        { selector: 'img', format: 'skip' },
        { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: [' <', '>'] } },
        {
          selector: 'p.MsoNormal',
          format: 'block',
          options: { leadingLineBreaks: 1, trailingLineBreaks: 1 },
        },
        { selector: 'table', format: 'block' },
        { selector: 'tr', format: 'block' },
        { selector: 'td', format: 'inline' },
        ...HEADINGS,
      ],
    }),
  );
}

/** Line ends made `\n`, invisible BOM/zero-width noise removed, outer blank space trimmed. */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\uFEFF\u200B]/g, '')
    .trim();
}

/** HTML layout leaves no-break spaces, blank-looking lines and runs of empty paragraphs: flatten them. */
function tidyHtmlText(text: string): string {
  return normaliseText(
    text
      .replace(/\u00A0/g, ' ')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n'),
  );
}

const EXTENSION_BY_TYPE: Record<string, string> = {
  'message/rfc822': '.eml',
  'text/rfc822-headers': '.txt',
  'message/delivery-status': '.txt',
  'message/disposition-notification': '.txt',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'application/pdf': '.pdf',
};

function toMailFile(attachment: Attachment, index: number, rawHtml: string | null): MailFile {
  const mimeType = (attachment.contentType || 'application/octet-stream').toLowerCase();
  const contentId = attachment.cid?.trim() || undefined;
  // inline = the HTML body shows it through a cid: link; other images are attachments the person sent
  const inline =
    contentId !== undefined && (rawHtml ?? '').toLowerCase().includes(`cid:${contentId.toLowerCase()}`);
  const file: MailFile = {
    fileName:
      safeFileName(attachment.filename) ?? `attachment-${index + 1}${EXTENSION_BY_TYPE[mimeType] ?? '.bin'}`,
    mimeType,
    bytes: Buffer.isBuffer(attachment.content) ? attachment.content : Buffer.alloc(0),
    inline,
  };
  if (contentId !== undefined) file.contentId = contentId;
  return file;
}

/** The last path segment without control characters: a name someone else chose must not pick our folder. */
function safeFileName(name: string | undefined): string | null {
  if (!name) return null;
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/\p{Cc}/gu, '').trim();
  return base === '' || base === '.' || base === '..' ? null : base;
}

/** Cyrillic anywhere → 'ru'; Latin letters and no Cyrillic → 'en'; no letters of either → null. */
export function guessLanguage(text: string): 'ru' | 'en' | null {
  if (/\p{Script=Cyrillic}/u.test(text)) return 'ru';
  if (/\p{Script=Latin}/u.test(text)) return 'en';
  return null;
}

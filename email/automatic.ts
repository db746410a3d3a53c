// Telling people from machines: an auto-reply must not reopen or comment on a ticket, and a bounce should
// be attached to the ticket whose mail it returns, not become a new request.

import { messageIdsIn, type ParsedMail } from './parse.ts';

export type AutomaticMail =
  | { kind: 'human' }
  | { kind: 'auto_reply'; reason: string }
  | { kind: 'bounce'; reason: string; bouncedMessageIds: string[] };

/** Content-Type value without its parameters, lower-cased. */
const mediaType = (value: string | undefined) => (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
const reportType = (value: string | undefined) =>
  /report-type\s*=\s*"?([\w-]+)/i.exec(value ?? '')?.[1]?.toLowerCase() ?? '';

// Sent by mail servers themselves; RFC 5321 requires postmaster, MAILER-DAEMON is the Unix tradition
const SYSTEM_SENDER = /^(?:mailer-daemon|postmaster)@/i;

export function classifyAutomatic(mail: ParsedMail): AutomaticMail {
  const header = (name: string) => mail.headers.get(name);
  const contentType = header('content-type');
  const bounce = (reason: string): AutomaticMail => ({
    kind: 'bounce',
    reason,
    bouncedMessageIds: bouncedMessageIds(mail),
  });

  // ---- bounces: a report of mail we sent that could not be delivered
  if (mediaType(contentType) === 'multipart/report' && reportType(contentType) === 'delivery-status') {
    return bounce('delivery status report');
  }
  if (mail.from && SYSTEM_SENDER.test(mail.from.address)) return bounce(`sent by ${mail.from.address}`);
  // Exim adds it to its failure reports only
  if (header('x-failed-recipients') !== undefined) return bounce('X-Failed-Recipients');

  // ---- auto-replies: out of office, read receipts, newsletters
  if (
    mediaType(contentType) === 'multipart/report' &&
    reportType(contentType) === 'disposition-notification'
  ) {
    return { kind: 'auto_reply', reason: 'read receipt' };
  }
  const autoSubmitted = mediaType(header('auto-submitted'));
  if (autoSubmitted !== '' && autoSubmitted !== 'no') {
    return { kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  }
  const precedence = mediaType(header('precedence'));
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) {
    return { kind: 'auto_reply', reason: `Precedence: ${precedence}` };
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoreply-from', 'x-mail-autoreply']) {
    if (header(name) !== undefined) return { kind: 'auto_reply', reason: `${headerLabel(name)} present` };
  }
  const suppress = header('x-auto-response-suppress') ?? '';
  if (/\b(?:all|oof|autoreply)\b/i.test(suppress)) {
    return { kind: 'auto_reply', reason: `X-Auto-Response-Suppress: ${suppress}` };
  }

  // An empty Return-Path is the envelope of a bounce; vacation replies use it too, but carry the
  // auto-reply headers checked above
  const returnPath = header('return-path');
  if (returnPath !== undefined && /^<?\s*>?$/.test(returnPath.trim())) return bounce('empty Return-Path');

  return { kind: 'human' };
}

/** Mail from a mailing list or a newsletter (List-Id, List-Unsubscribe), for callers that want to know. */
export function isListMail(mail: ParsedMail): boolean {
  return mail.headers.has('list-id') || mail.headers.has('list-unsubscribe');
}

function headerLabel(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

// the returned original travels as a whole message or as its header block alone
const ORIGINAL_TYPES = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/rfc822-headers',
  'message/global-headers',
]);

/**
 * Message-IDs of the mail that bounced, in order found: from the attached original (or its headers),
 * then from `Message-ID:` lines quoted in the report's text, then the report's In-Reply-To. Never the
 * bounce's own id.
 */
export function bouncedMessageIds(mail: ParsedMail): string[] {
  const found: string[] = [];
  for (const file of mail.files) {
    if (ORIGINAL_TYPES.has(file.mimeType) || file.fileName.toLowerCase().endsWith('.eml')) {
      found.push(...messageIdsIn(headerOf(file.bytes.toString('utf8'), 'message-id')));
    }
  }
  for (const match of mail.text.matchAll(/^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)/gim)) {
    found.push(...messageIdsIn(match[1]));
  }
  // Exchange and some others also point In-Reply-To at the mail that bounced
  found.push(...mail.inReplyTo);
  return [...new Set(found)].filter((id) => id !== mail.messageId);
}

/** One header's unfolded value from the header block at the top of a message, if present. */
function headerOf(message: string, name: string): string | undefined {
  const head = message.replace(/\r\n?/g, '\n').split(/\n\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\n[ \t]+/g, ' ');
  const line = unfolded.split('\n').find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim();
}

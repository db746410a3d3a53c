// A notice as a mail: the subject with the ticket's "[#1042]" tag (so a reply finds its ticket even when a
// mail client drops the threading headers), and a plain-text and an HTML body that say the same. Both open
// with the reply line (email/reply-marker.ts): what the person writes above it is all the intake keeps.
// The HTML sets no colours of its own beyond a neutral grey, so a client's dark mode can invert it safely,
// and fits a phone's width.
import addressparser from 'nodemailer/lib/addressparser';
import type { Language } from '../../core/model.ts';
import type { NoticeWording } from '../../core/notice-wording.ts';
import { translator } from '../../locales/index.ts';

export interface MailLayout {
  language: Language;
  /** The desk's From, "Desk name <support@x.ru>": its address signs the mail. */
  from: string;
  deskName: string;
  /** Where the reader can open the ticket; left out unless http(s). */
  ticketUrl?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Long enough for any title, short enough that no client cuts off the tag's meaning. */
const SUBJECT_MAX = 200;

export function renderMail(wording: NoticeWording, opts: MailLayout): RenderedMail {
  const t = translator(opts.language);
  const marker = t('mail-reply-above');
  const title = oneLine(wording.title);
  const subject = clip(wording.number === null ? title : `[#${wording.number}] ${title}`, SUBJECT_MAX);
  const url = opts.ticketUrl && /^https?:\/\//i.test(opts.ticketUrl) ? opts.ticketUrl : undefined;
  const footer =
    wording.ticketId === null
      ? t('mail-footer-plain', { desk: opts.deskName })
      : t('mail-footer', { desk: opts.deskName });
  const address = senderAddress(opts.from);
  const body = wording.body.replace(/\r\n?/g, '\n').trim();

  const text = [
    marker,
    '',
    title,
    '',
    ...(body ? [body, ''] : []),
    ...(wording.facts.length > 0 ? [...wording.facts.map((f) => `${f.label}: ${oneLine(f.value)}`), ''] : []),
    ...(url ? [`${t('mail-open-ticket')}: ${url}`, ''] : []),
    footer,
    '',
    // "-- " starts a signature: mail clients and our own reply cutter leave it out of a quoted answer.
    '-- ',
    opts.deskName,
    ...(address ? [address] : []),
  ].join('\n');

  const muted = 'color:#8a8a8a;font-size:13px;line-height:1.4;';
  const factRows = wording.facts
    .map(
      (f) =>
        `<tr><td style="padding:4px 12px 4px 0;vertical-align:top;white-space:nowrap;${muted}">${escapeHtml(f.label)}</td>` +
        `<td style="padding:4px 0;vertical-align:top;">${escapeHtml(oneLine(f.value))}</td></tr>`,
    )
    .join('');
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${opts.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="supported-color-schemes" content="light dark">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;">',
    `<div style="${muted}padding:8px 16px;">${escapeHtml(marker)}</div>`,
    '<div style="max-width:600px;padding:8px 16px 24px;font-family:-apple-system,BlinkMacSystemFont,\'Segoe UI\',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5;">',
    `<h1 style="font-size:20px;line-height:1.3;margin:0 0 16px;font-weight:600;">${escapeHtml(title)}</h1>`,
    ...paragraphs(body).map((p) => `<p style="margin:0 0 16px;">${p}</p>`),
    factRows
      ? `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 16px;font-size:15px;">${factRows}</table>`
      : '',
    url
      ? `<p style="margin:0 0 16px;"><a href="${escapeHtml(url)}" style="font-weight:600;">${escapeHtml(t('mail-open-ticket'))}</a></p>`
      : '',
    `<p style="${muted}margin:24px 0 0;padding-top:12px;border-top:1px solid #8a8a8a;">${escapeHtml(footer)}<br>${escapeHtml(opts.deskName)}${address ? ` · ${escapeHtml(address)}` : ''}</p>`,
    '</div>',
    '</body>',
    '</html>',
  ]
    .filter(Boolean)
    .join('\n');

  return { subject, text, html };
}

/** Escapes text for HTML content and attribute values alike. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Blank lines part paragraphs; a single line break stays one. */
function paragraphs(body: string): string[] {
  if (!body) return [];
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => p.split('\n').map(escapeHtml).join('<br>'));
}

/** A header or table cell holds one line: line breaks and runs of spaces become one space. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

/** support@x.ru out of "Desk name <support@x.ru>" (empty when there is none). */
export function senderAddress(from: string): string {
  for (const entry of addressparser(from, { flatten: true })) if (entry.address) return entry.address;
  return '';
}

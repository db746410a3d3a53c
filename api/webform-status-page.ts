// The web submitter's status page (GET /form/status/:token): the request's number, subject and status, its
// public history (events and comments a client may read), a comment box, and Confirm solved / Reopen while
// it is resolved. Plain HTML with no script, phone-first, light or dark by the system.
import { formatLocal } from '../core/exports.ts';
import type { Language } from '../core/model.ts';
import { translator } from '../locales/index.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1b1f; --muted: #6b6b75; --line: #cfcfd6;
  --accent: #2f6fdf; --ok: #1b7f3b; --error: #c62828; }
@media (prefers-color-scheme: dark) { :root { --bg: #17181c; --fg: #ececf1; --muted: #a0a0ab;
  --line: #3a3b43; --accent: #6d9cff; --ok: #5fd38a; --error: #ff6b6b; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.45 system-ui, sans-serif; }
main { max-width: 560px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.3rem; margin: 0 0 4px; }
.status { font-weight: 600; }
ol { list-style: none; padding: 0; }
li { border-top: 1px solid var(--line); padding: 8px 0; }
li time { display: block; color: var(--muted); font-size: 0.85rem; }
li p { margin: 4px 0 0; white-space: pre-wrap; }
textarea { width: 100%; min-height: 100px; font: inherit; color: inherit; background: transparent;
  border: 1px solid var(--line); border-radius: 8px; padding: 10px; }
button { margin-top: 10px; width: 100%; font: inherit; font-weight: 600; color: #fff; background: var(--accent);
  border: 0; border-radius: 10px; padding: 12px; }
button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
.ok { color: var(--ok); font-weight: 600; }
.error { color: var(--error); font-weight: 600; }
`;

export interface StatusEntry {
  at: number;
  /** An event's label or a comment's author. */
  title: string;
  body: string | null;
}

export interface StatusView {
  number: number;
  subject: string;
  status: string;
  resolved: boolean;
  open: boolean;
  timeZone: string;
  history: StatusEntry[];
  /** A one-time key the form sends with a comment: sent twice (a reload, a double tap), it is added once. */
  sendKey: string;
}

export function statusPage(
  language: Language,
  view: StatusView,
  message: { ok: boolean; key: string } | null,
): string {
  const t = translator(language);
  const e = (key: string, args?: Record<string, string>) => escapeHtml(t(key, args));
  const items = view.history
    .map(
      (h) =>
        `<li><time>${escapeHtml(formatLocal(h.at, view.timeZone))}</time><strong>${escapeHtml(h.title)}</strong>` +
        `${h.body ? `<p>${escapeHtml(h.body)}</p>` : ''}</li>`,
    )
    .join('');
  const note = message ? `<p class="${message.ok ? 'ok' : 'error'}">${e(message.key)}</p>` : '';
  const buttons = view.resolved
    ? `<button type="submit" name="do" value="confirm">${e('webform-status-confirm')}</button>` +
      `<button type="submit" name="do" value="reopen" class="secondary">${e('webform-status-reopen')}</button>`
    : `<button type="submit" name="do" value="comment">${e('webform-status-send')}</button>`;
  const form = view.open
    ? `<form method="post"><input type="hidden" name="lang" value="${language}">` +
      `<input type="hidden" name="key" value="${escapeHtml(view.sendKey)}">` +
      `<label for="body">${e(view.resolved ? 'webform-status-reason' : 'webform-status-comment')}</label>` +
      `<textarea id="body" name="body" maxlength="4000"></textarea>${buttons}</form>`
    : '';
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e('webform-status-title', { number: String(view.number) })}</title><style>${STYLE}</style></head>
<body><main><h1>${e('webform-status-title', { number: String(view.number) })}</h1>
<p>${escapeHtml(view.subject)}</p>
<p>${e('webform-status-status')} <span class="status">${escapeHtml(view.status)}</span></p>
${note}${form}<h2>${e('webform-status-history')}</h2><ol>${items}</ol></main></body></html>`;
}

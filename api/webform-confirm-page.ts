// The page a known person opens from the mail asking them to confirm a web request filed with their address
// (GET /form/confirm/:token): plain HTML, no script, phone-first, light or dark by the system. Opening it
// changes nothing (mail scanners fetch links); its button POSTs to the same address.
import type { Language } from '../core/model.ts';
import { translator } from '../locales/index.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1b1f; --muted: #6b6b75; --accent: #2f6fdf; --ok: #1b7f3b; }
@media (prefers-color-scheme: dark) { :root { --bg: #17181c; --fg: #ececf1; --muted: #a0a0ab;
  --accent: #6d9cff; --ok: #5fd38a; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.45 system-ui, sans-serif; }
main { max-width: 560px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.4rem; margin: 0 0 8px; }
p { color: var(--muted); }
button { margin-top: 12px; width: 100%; font: inherit; font-weight: 600; color: #fff; background: var(--accent);
  border: 0; border-radius: 10px; padding: 12px; }
.done { color: var(--ok); font-weight: 600; }
a { color: var(--accent); font-weight: 600; }
`;

/** What the page says: the question with its button, or how the confirmation went. */
export type ConfirmPageState = 'ask' | 'confirmed' | 'already' | 'refused' | 'invalid';

/** `follow`: the request's status page for the person who confirmed it, shown once it is theirs. */
export function confirmPage(
  language: Language,
  state: ConfirmPageState,
  number: number | null,
  follow: string | null = null,
): string {
  const t = translator(language);
  const args = { number: String(number ?? '') };
  const message = escapeHtml(t(`webform-confirm-${state}`, args));
  const done = state === 'confirmed' || state === 'already';
  const followLink =
    done && follow !== null
      ? `<p><a id="follow" href="${escapeHtml(follow)}">${escapeHtml(t('webform-confirm-follow'))}</a></p>`
      : '';
  const body =
    state === 'ask'
      ? `<p>${message}</p><form method="post"><input type="hidden" name="lang" value="${language}">` +
        `<button type="submit">${escapeHtml(t('webform-confirm-button'))}</button></form>`
      : `<p${done ? ' class="done"' : ''}>${message}</p>${followLink}`;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(t('webform-confirm-title'))}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(t('webform-confirm-title'))}</h1>${body}</main></body></html>`;
}

// The website form's page (GET /form/:key): plain HTML and one small script, phone-first, light or dark as
// the visitor's system is. The script fetches a token and a challenge, keeps the ALTCHA widget's payload,
// sends the form (multipart, with files) and shows each refusal under its field. The widget's script is
// served by us (GET /form/:key/altcha.js), never from a CDN. embed.js puts the page into another site.
import type { CategoryChoice } from '../core/categories.ts';
import { MAX_FILE_BYTES, MAX_FILES_PER_MESSAGE } from '../core/files/store.ts';
import type { Language } from '../core/model.ts';
import { translator } from '../locales/index.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

/** JSON inside <script>: `<` escaped so a text cannot close the tag. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1b1f; --muted: #6b6b75; --line: #cfcfd6;
  --accent: #2f6fdf; --error: #c62828; --ok: #1b7f3b; }
@media (prefers-color-scheme: dark) { :root { --bg: #17181c; --fg: #ececf1; --muted: #a0a0ab;
  --line: #3a3b43; --accent: #6d9cff; --error: #ff6b6b; --ok: #5fd38a; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.45 system-ui, sans-serif; }
main { max-width: 560px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.4rem; margin: 0 0 4px; }
p.intro { color: var(--muted); margin: 0 0 16px; }
label { display: block; font-weight: 600; margin: 14px 0 4px; }
input, select, textarea { width: 100%; font: inherit; color: inherit; background: transparent;
  border: 1px solid var(--line); border-radius: 8px; padding: 10px; }
textarea { min-height: 140px; resize: vertical; }
.error { color: var(--error); font-size: 0.9rem; margin-top: 4px; }
.error:empty { display: none; }
[aria-invalid="true"] { border-color: var(--error); }
.trap { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
button { margin-top: 18px; width: 100%; font: inherit; font-weight: 600; color: #fff; background: var(--accent);
  border: 0; border-radius: 10px; padding: 12px; }
button:disabled { opacity: 0.6; }
altcha-widget { display: block; margin-top: 16px; }
.done { color: var(--ok); font-size: 1.15rem; font-weight: 600; }
`;

const SCRIPT = `
(() => {
  const cfg = JSON.parse(document.getElementById('cfg').textContent);
  const form = document.getElementById('form');
  const widget = document.querySelector('altcha-widget');
  const general = document.getElementById('error-general');
  const setError = (path, message) => {
    const slot = document.getElementById('error-' + path) || general;
    slot.textContent = message;
    const input = form.elements.namedItem(path);
    if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
  };
  const clearErrors = () => {
    for (const slot of document.querySelectorAll('.error')) slot.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  };
  // A new challenge (the widget asks to be ticked again) and, with token true, a new form token too: a kept
  // token keeps the time the person has already spent on the form.
  const fresh = async (token) => {
    const res = await fetch(cfg.challengeUrl, { cache: 'no-store' });
    if (!res.ok) throw new Error('challenge: ' + res.status);
    const body = await res.json();
    if (token) form.elements.namedItem('token').value = body.token;
    form.elements.namedItem('altcha').value = '';
    widget.setAttribute('challenge', JSON.stringify(body.challenge));
    if (typeof widget.reset === 'function') widget.reset();
  };
  // Files over the limits are refused here, before their bytes are sent; the desk checks them again.
  const files = form.elements.namedItem('files');
  const fileProblem = () => {
    const list = Array.from((files && files.files) || []);
    if (list.length > cfg.maxFiles) return cfg.filesTooMany;
    if (list.some((f) => f.size > cfg.maxFileBytes)) return cfg.filesTooLarge;
    return null;
  };
  if (files)
    files.addEventListener('change', () => {
      document.getElementById('error-files').textContent = '';
      files.removeAttribute('aria-invalid');
      const problem = fileProblem();
      if (problem) setError('files', problem);
    });
  widget.addEventListener('statechange', (e) => {
    if (e.detail && e.detail.state === 'verified') form.elements.namedItem('altcha').value = e.detail.payload;
  });
  const resize = () => parent !== window && parent.postMessage({ tgdeskForm: document.body.scrollHeight }, '*');
  new ResizeObserver(resize).observe(document.body);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const tooMuch = fileProblem();
    if (tooMuch) return setError('files', tooMuch);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const data = new FormData(form);
      data.delete('altcha_widget');
      const res = await fetch(form.action, { method: 'POST', body: data });
      const body = await res.json().catch(() => ({}));
      // 201: filed now; 200: this solved check had filed it already (the first answer was lost on the way).
      if (res.ok && body.ticket) {
        form.hidden = true;
        const done = document.getElementById('done');
        done.textContent = cfg.success.replace('{number}', String(body.ticket.number));
        done.hidden = false;
        return;
      }
      // The form was switched off (or its address changed) while the page was open.
      if (res.status === 404) return setError('general', cfg.closed);
      const fields = (body.error && body.error.fields) || [];
      if (fields.length === 0) setError('general', cfg.failed);
      for (const f of fields) setError(f.path, f.message);
      const token = fields.find((f) => f.path === 'token');
      // Too quick: the same token and check become good in a moment. Out of date: renewed here, no reload.
      if (token && token.message !== cfg.tooFresh) {
        await fresh(true);
        setError('token', cfg.renewed);
      } else if (fields.some((f) => f.path === 'altcha')) await fresh(false);
    } catch {
      setError('general', cfg.failed);
    } finally {
      button.disabled = false;
    }
  });
  fresh(true).catch(() => setError('general', cfg.failed));
})();
`;

export function webformPage(
  formKey: string,
  language: Language,
  categories: CategoryChoice[],
  widgetSrc: string,
): string {
  const t = (key: string) => escapeHtml(translator(language)(key));
  const field = (name: string, label: string, input: string) =>
    `<label for="${name}">${label}</label>${input}<div class="error" id="error-${name}" role="alert"></div>`;
  const options = categories.map((c) => `<option value="${c.id}">${escapeHtml(c.name)}</option>`).join('');
  const cfg = {
    challengeUrl: `/form/${formKey}/challenge`,
    success: translator(language)('webform-page-success', { number: '{number}' }),
    failed: translator(language)('webform-page-failed'),
    closed: translator(language)('webform-page-closed'),
    renewed: translator(language)('webform-page-renewed'),
    tooFresh: translator(language)('webform-error-token-too_fresh'),
    filesTooMany: translator(language)('webform-error-files-too-many'),
    filesTooLarge: translator(language)('webform-error-files-too-large'),
    maxFiles: MAX_FILES_PER_MESSAGE,
    maxFileBytes: MAX_FILE_BYTES,
  };
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('webform-page-title')}</title>
<style>${STYLE}</style>
<script type="module" src="${widgetSrc}"></script>
</head>
<body>
<main>
<h1>${t('webform-page-title')}</h1>
<p class="intro">${t('webform-page-intro')}</p>
<form id="form" action="/form/${formKey}" method="post" enctype="multipart/form-data" novalidate>
<input type="hidden" name="lang" value="${language}">
<input type="hidden" name="token" value="">
<input type="hidden" name="altcha" value="">
${field('name', t('webform-page-name'), '<input id="name" name="name" autocomplete="name" maxlength="200" required>')}
${field('email', t('webform-page-email'), '<input id="email" name="email" type="email" autocomplete="email" maxlength="254">')}
${field('phone', t('webform-page-phone'), '<input id="phone" name="phone" type="tel" autocomplete="tel" maxlength="40">')}
${field('company', t('webform-page-company'), '<input id="company" name="company" autocomplete="organization" maxlength="200">')}
${
  categories.length > 0
    ? field(
        'category',
        t('webform-page-category'),
        `<select id="category" name="category"><option value="">${t('webform-page-category-none')}</option>${options}</select>`,
      )
    : ''
}
${field('description', t('webform-page-description'), '<textarea id="description" name="description" required></textarea>')}
${field('files', t('webform-page-files'), '<input id="files" name="files" type="file" multiple>')}
<div class="trap" aria-hidden="true"><label for="website">${t('webform-page-trap')}</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<altcha-widget name="altcha_widget" language="${language}"></altcha-widget>
<div class="error" id="error-altcha" role="alert"></div>
<div class="error" id="error-token" role="alert"></div>
<div class="error" id="error-general" role="alert"></div>
<button type="submit">${t('webform-page-submit')}</button>
</form>
<p class="done" id="done" role="status" hidden></p>
</main>
<script type="application/json" id="cfg">${scriptJson(cfg)}</script>
<script>${SCRIPT}</script>
</body>
</html>`;
}

/** embed.js: an iframe of the page where the script tag stands, grown to the page's height. */
export function webformEmbed(formKey: string): string {
  return `(() => {
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const lang = script.dataset.lang ? '?lang=' + encodeURIComponent(script.dataset.lang) : '';
  const frame = document.createElement('iframe');
  frame.src = origin + '/form/${formKey}' + lang;
  frame.style.cssText = 'width:100%;max-width:600px;border:0;height:900px';
  frame.setAttribute('title', 'tgdesk');
  script.after(frame);
  addEventListener('message', (e) => {
    if (e.origin === origin && e.source === frame.contentWindow && e.data && typeof e.data.tgdeskForm === 'number')
      frame.style.height = e.data.tgdeskForm + 'px';
  });
})();
`;
}

// The desk's website form, public (no init data): GET /form/:key/challenge hands out a signed form token
// and an ALTCHA challenge; POST /form/:key (JSON or multipart with files) checks, in this order, that the
// form is on, the address's and the form's counters, the token's age, the honeypot, the proof of work, then
// the fields, and files the request (core/webform/). Refusals are 400 JSON with `fields` worded in the
// submitter's language. Admins switch the form off and on under /api/admin/webform.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { activeCategories } from '../../core/categories.ts';
import { detectType } from '../../core/files/detect.ts';
import { MAX_FILE_BYTES, MAX_FILES_PER_MESSAGE, safeFileName } from '../../core/files/store.ts';
import type { Language } from '../../core/model.ts';
import type { AttachmentInput } from '../../core/tickets/create.ts';
import {
  checkFormToken,
  checkProofOfWork,
  DEFAULT_WEBFORM_LIMITS,
  issueChallenge,
  issueFormToken,
  SubmissionCounter,
} from '../../core/webform/protect.ts';
import { openForm, setWebformEnabled, webformForAdmin } from '../../core/webform/settings.ts';
import { checkFields, fileSubmission, type WebformFields } from '../../core/webform/submit.ts';
import { translator } from '../../locales/index.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { errorJson } from '../errors.ts';
import { readJson } from '../input.ts';
import { clientAddress } from '../rate-limit.ts';
import { webformEmbed, webformPage } from '../webform-page.ts';
import { fileStoreOf } from './uploads.ts';

export const FORM_PATH_PREFIX = '/form/';
export const CONFIRM_PATH_PREFIX = '/form/confirm/';
export const STATUS_PATH_PREFIX = '/form/status/';

/** The desk's public origin (MINIAPP_URL's), for links in mail; none when it is not configured. */
export function publicOrigin(deps: ApiDeps): string | null {
  if (!deps.miniAppUrl) return null;
  try {
    return new URL(deps.miniAppUrl).origin;
  } catch {
    return null;
  }
}
/** Every file at the Mini App's limit, and room for the fields around them. */
const FORM_BODY_LIMIT = MAX_FILES_PER_MESSAGE * MAX_FILE_BYTES + 256 * 1024;

/** The submitter's language: a `lang` field or query, else Accept-Language, else Russian. */
export function formLanguage(c: Context, field?: unknown): Language {
  const asked = typeof field === 'string' ? field : c.req.query('lang');
  if (asked === 'ru' || asked === 'en') return asked;
  for (const part of (c.req.header('accept-language') ?? '').toLowerCase().split(',')) {
    const tag = part.split(';')[0]?.trim().slice(0, 2);
    if (tag === 'ru' || tag === 'en') return tag;
  }
  return 'ru';
}

/** The ALTCHA widget with its translations, from the installed package: the page loads nothing from elsewhere. */
const WIDGET_FILE = join(dirname(fileURLToPath(import.meta.resolve('altcha/i18n'))), 'altcha.i18n.min.js');
let widget: Promise<string> | null = null;

interface FieldError {
  path: string;
  message: string;
}

function refuse(c: Context, language: Language, code: string, fields: { path: string; problem: string }[]) {
  const t = translator(language);
  const errors: FieldError[] = fields.map((f) => ({
    path: f.path,
    message: t(`webform-error-${f.problem}`),
  }));
  return c.json(
    { error: { code, message: errors[0]?.message ?? t('webform-error-invalid'), fields: errors } },
    code === 'too_many_requests' ? 429 : 400,
  );
}

interface Submitted {
  fields: Record<string, unknown>;
  files: File[];
}

async function readSubmission(c: Context): Promise<Submitted> {
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    const body = await c.req.parseBody({ all: true });
    const fields: Record<string, unknown> = {};
    const files: File[] = [];
    for (const [name, value] of Object.entries(body)) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        if (typeof v === 'string') fields[name] ??= v;
        // A file input left empty still sends a part: no name, no bytes.
        else if ((name === 'files' || name === 'files[]') && !(v.name === '' && v.size === 0)) files.push(v);
      }
    }
    return { fields, files };
  }
  const fields = await readJson(c, z.record(z.string(), z.unknown()));
  return { fields, files: [] };
}

export function webformRoutes(deps: ApiDeps) {
  const { desk } = deps;
  const counter = new SubmissionCounter(desk, 'webform', deps.webformLimits ?? DEFAULT_WEBFORM_LIMITS);
  const trustProxy = deps.rateLimit?.trustProxy ?? false;
  const limit = bodyLimit({
    maxSize: FORM_BODY_LIMIT,
    onError: (c) =>
      errorJson(c, 413, { code: 'too_large', message: `the body is over ${FORM_BODY_LIMIT} bytes` }),
  });
  const gone = (c: Context) => errorJson(c, 404, { code: 'not_found', message: 'no such form' });
  const noStore = { 'Cache-Control': 'no-store' };
  // Without the desk's public address no confirm link can be made: such requests stay unverified.
  const origin = publicOrigin(deps);
  const confirmLink =
    origin === null ? undefined : (token: string) => `${origin}${CONFIRM_PATH_PREFIX}${token}`;

  return new Hono<ApiEnv>()
    .get('/form/:key', async (c) => {
      const form = await openForm(desk, c.req.param('key'));
      if (!form) return gone(c);
      const language = formLanguage(c);
      const html = webformPage(
        form.key,
        language,
        await activeCategories(desk.db, language),
        `/form/${form.key}/altcha.js`,
      );
      return c.html(html, 200, { ...noStore, 'Content-Language': language, Vary: 'Accept-Language' });
    })
    .get('/form/:key/embed.js', async (c) => {
      const form = await openForm(desk, c.req.param('key'));
      if (!form) return gone(c);
      return c.body(webformEmbed(form.key), 200, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'no-cache',
      });
    })
    .get('/form/:key/altcha.js', async (c) => {
      if (!(await openForm(desk, c.req.param('key')))) return gone(c);
      widget ??= readFile(WIDGET_FILE, 'utf8');
      return c.body(await widget, 200, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'public, max-age=86400',
      });
    })
    .get('/form/:key/challenge', async (c) => {
      const form = await openForm(desk, c.req.param('key'));
      if (!form) return gone(c);
      const now = desk.clock.now();
      return c.json(
        {
          token: issueFormToken(form.tokenSecret, form.key, now),
          challenge: await issueChallenge(form.altchaSecret, form.key, now),
        },
        200,
        noStore,
      );
    })
    .post('/form/:key', limit, async (c) => {
      const form = await openForm(desk, c.req.param('key'));
      if (!form) return gone(c);
      // Counted before the body is read: an address over its allowance costs no parsing.
      const ip = clientAddress(c, trustProxy);
      if (!(await counter.allows(ip, form.key)))
        return refuse(c, formLanguage(c), 'too_many_requests', [{ path: '', problem: 'too_many' }]);
      await counter.attempt(ip);
      const { fields, files } = await readSubmission(c);
      const language = formLanguage(c, fields.lang);
      const token = typeof fields.token === 'string' ? fields.token : undefined;
      const tokenProblem = checkFormToken(form.tokenSecret, form.key, token, desk.clock.now());
      if (tokenProblem)
        return refuse(c, language, 'form_token', [{ path: 'token', problem: `token-${tokenProblem}` }]);
      // The honeypot is hidden from people: anything in it was typed by a script.
      if (typeof fields.website === 'string' && fields.website !== '')
        return refuse(c, language, 'rejected', [{ path: 'website', problem: 'rejected' }]);
      const payload = typeof fields.altcha === 'string' ? fields.altcha : undefined;
      const proof = await checkProofOfWork(form.altchaSecret, form.key, payload, desk.clock.now());
      if (proof.problem !== null)
        return refuse(c, language, 'altcha', [{ path: 'altcha', problem: `altcha-${proof.problem}` }]);
      const checked = await checkFields(desk, fields as WebformFields, language);
      const fileProblem =
        files.length > MAX_FILES_PER_MESSAGE
          ? 'files-too-many'
          : files.some((f) => f.size > MAX_FILE_BYTES)
            ? 'files-too-large'
            : null;
      const problems: { path: string; problem: string }[] =
        'problems' in checked ? [...checked.problems] : [];
      if (fileProblem) problems.push({ path: 'files', problem: fileProblem });
      const read: { bytes: Uint8Array; name: string }[] = [];
      if (!fileProblem)
        for (const f of files) {
          const bytes = new Uint8Array(await f.arrayBuffer());
          if (!detectType(bytes, f.name)) {
            problems.push({ path: 'files', problem: 'files-bad-type' });
            break;
          }
          read.push({ bytes, name: f.name });
        }
      if (problems.length > 0 || !('ok' in checked)) return refuse(c, language, 'invalid_input', problems);
      // Bytes are stored by content before the transaction: a refusal after this leaves only unlinked bytes.
      const store = fileStoreOf(deps);
      const attachments: AttachmentInput[] = [];
      for (const f of read) {
        const type = detectType(f.bytes, f.name);
        if (!type) continue;
        attachments.push({
          kind: type.kind,
          fileName: safeFileName(f.name, type),
          mimeType: type.mimeType,
          size: f.bytes.byteLength,
          storagePath: await store.put(f.bytes),
        });
      }
      const t = translator(language);
      const filed = await fileSubmission(desk, checked.ok, {
        language,
        companyLine:
          checked.ok.company === null ? null : t('webform-company-line', { company: checked.ok.company }),
        contactLine: t('webform-contact-line', {
          contact: [checked.ok.email, checked.ok.phone].filter((v) => v !== null).join(', '),
        }),
        files: attachments,
        // One solved challenge files one request: a resend (a lost answer, a double tap) gets the same one.
        deliveryKey: `altcha:${proof.proof}`,
        confirmLink,
        statusLink: origin === null ? undefined : (token: string) => `${origin}${STATUS_PATH_PREFIX}${token}`,
      });
      if (filed.repeated) return c.json({ ticket: { number: filed.number } }, 200);
      await counter.accepted(form.key);
      return c.json({ ticket: { number: filed.number } }, 201);
    });
}

export function webformAdminRoutes(deps: ApiDeps) {
  const { desk } = deps;
  return new Hono<ApiEnv>()
    .get('/admin/webform', async (c) => c.json(await webformForAdmin(desk, c.var.actor)))
    .patch('/admin/webform', async (c) => {
      const body = await readJson(c, z.object({ enabled: z.boolean() }));
      return c.json(await setWebformEnabled(desk, c.var.actor, body.enabled));
    });
}

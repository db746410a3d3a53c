// The desk's own mail settings, set by an admin in the Mini App: the mailboxes it reads and how its mail
// goes out. The server's environment (IMAP_URL, SMTP_URL) wins when it sets either; then these are only
// shown. Passwords live in the URLs, in the store (so its backups hold them), and never go back to anyone:
// what is shown has them masked, and a password sent back as `***` (or left out) keeps the stored one.
import { z } from 'zod';
import type { DeskContext } from './context.ts';
import { ConflictError, InvalidInputError } from './errors.ts';
import { type Actor, assertAdmin } from './permissions.ts';
import { readSetting, writeSetting } from './settings.ts';
import { parseInput } from './validation.ts';

const MAIL_SETTINGS = 'mail_settings';

/** The shapes of IMAP_URL, SMTP_URL and MAIL_FROM (app/config.ts checks the environment with them too). */
export const IMAP_URL_SHAPE = /^imaps?:\/\/[^/@\s]+@[^/\s]+/;
export const SMTP_URL_SHAPE = /^smtps?:\/\/[^\s/]+/;
export const MAIL_FROM_SHAPE = /^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/;

/** A password not typed again: the stored one of the same user@host stays. */
export const KEPT_PASSWORD = '***';
export const MAX_MAILBOXES = 10;

export interface DeskMailSettings {
  /** imap(s)://user:password@host:port/folder */
  mailboxes: string[];
  /** smtp(s)://user:password@host:port */
  smtpUrl: string | null;
  /** "Desk <support@x.ru>" or an address. */
  from: string | null;
}

/** What the server's environment sets (app/config.ts's `config.mail`). */
export interface MailEnvironment {
  imapUrls: readonly string[];
  smtpUrl?: string | undefined;
  from?: string | undefined;
}

export type MailSource = 'environment' | 'desk' | 'none';

export interface EffectiveMailSettings extends DeskMailSettings {
  source: MailSource;
}

/** What an admin sees: passwords masked. */
export interface MailSettingsView {
  source: MailSource;
  mailboxes: string[];
  smtp: string | null;
  from: string | null;
}

const NO_ENVIRONMENT: MailEnvironment = { imapUrls: [] };

/** The environment sets the desk's mail when it names a mailbox or an SMTP server. */
export function environmentSetsMail(env: MailEnvironment = NO_ENVIRONMENT): boolean {
  return env.imapUrls.length > 0 || Boolean(env.smtpUrl);
}

function parsedUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function isImapUrl(url: string): boolean {
  const u = IMAP_URL_SHAPE.test(url) ? parsedUrl(url) : null;
  return u !== null && u.hostname !== '' && u.username !== '';
}

function isSmtpUrl(url: string): boolean {
  const u = SMTP_URL_SHAPE.test(url) ? parsedUrl(url) : null;
  return u !== null && u.hostname !== '';
}

/** The URL with its password masked, for screens and logs. */
export function maskMailUrl(url: string): string {
  const u = parsedUrl(url);
  if (!u) return '(not a URL)';
  if (u.password) u.password = KEPT_PASSWORD;
  return u.toString();
}

/** The passwords in these settings, as the logger should blank them wherever they turn up. */
export function mailPasswords(settings: DeskMailSettings): string[] {
  const urls = [...settings.mailboxes, ...(settings.smtpUrl ? [settings.smtpUrl] : [])];
  return urls.flatMap((url) => {
    const password = parsedUrl(url)?.password ?? '';
    if (!password) return [];
    const decoded = safeDecode(password);
    return decoded === password ? [password] : [password, decoded];
  });
}

// The messages never echo the value: it holds a password.
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

export const mailSettingsInputSchema = z
  .object({
    mailboxes: z
      .array(
        z
          .string()
          .trim()
          .max(2000)
          .refine(isImapUrl, 'imap://user:password@host:143/INBOX or imaps://user:password@host:993/INBOX'),
      )
      .max(MAX_MAILBOXES)
      .default([]),
    smtp: optionalText(2000).refine(
      (v) => v === null || isSmtpUrl(v),
      'smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465',
    ),
    from: optionalText(300).refine(
      (v) => v === null || MAIL_FROM_SHAPE.test(v),
      'the desk\'s address, e.g. "Support <support@example.ru>"',
    ),
  })
  .superRefine((v, ctx) => {
    if (v.smtp !== null && v.from === null)
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'needed with an SMTP server: mail is sent from it',
      });
    const seen = new Set<string>();
    v.mailboxes.forEach((url, i) => {
      const key = mailboxKey(url);
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['mailboxes', i], message: 'the same mailbox twice' });
      seen.add(key);
    });
  });
export type MailSettingsInput = z.input<typeof mailSettingsInputSchema>;

/** One mailbox whatever its password or letter case: user, host, port and folder. */
function mailboxKey(url: string): string {
  const u = parsedUrl(url);
  if (!u) return url;
  const folder = safeDecode(u.pathname.replace(/^\//, '')) || 'INBOX';
  const port = u.port || (u.protocol === 'imaps:' ? '993' : '143');
  return `${accountOf(u)}:${port}/${folder}`;
}

const kindOf = (u: URL) => (u.protocol.startsWith('imap') ? 'imap' : 'smtp');

/** user@host of a URL, the key a kept password is found by. */
function accountOf(u: URL): string {
  return `${safeDecode(u.username).toLowerCase()}@${u.hostname.toLowerCase()}`;
}

const storedSchema = z.object({
  mailboxes: z.array(z.string()),
  smtpUrl: z.string().nullable(),
  from: z.string().nullable(),
});

/** The desk's own settings as stored (null when none, or when what is stored does not read). */
async function storedMailSettings(ctx: DeskContext): Promise<DeskMailSettings | null> {
  const value = await readSetting(ctx.db, MAIL_SETTINGS);
  if (value === null) return null;
  try {
    const parsed = storedSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The settings the desk runs on, passwords included (the mail channel's; admins get the view). */
export async function effectiveMailSettings(
  ctx: DeskContext,
  actor: Actor,
  env: MailEnvironment = NO_ENVIRONMENT,
): Promise<EffectiveMailSettings> {
  assertAdmin(actor);
  if (environmentSetsMail(env))
    return {
      source: 'environment',
      mailboxes: [...env.imapUrls],
      smtpUrl: env.smtpUrl ?? null,
      from: env.from ?? null,
    };
  const stored = await storedMailSettings(ctx);
  if (!stored || (stored.mailboxes.length === 0 && stored.smtpUrl === null && stored.from === null))
    return { source: 'none', mailboxes: [], smtpUrl: null, from: null };
  return { source: 'desk', ...stored };
}

export function maskedMailSettings(settings: EffectiveMailSettings): MailSettingsView {
  return {
    source: settings.source,
    mailboxes: settings.mailboxes.map(maskMailUrl),
    smtp: settings.smtpUrl === null ? null : maskMailUrl(settings.smtpUrl),
    from: settings.from,
  };
}

/** The admin's view of the mail settings: where they come from, passwords masked. */
export async function mailSettingsView(
  ctx: DeskContext,
  actor: Actor,
  env?: MailEnvironment,
): Promise<MailSettingsView> {
  return maskedMailSettings(await effectiveMailSettings(ctx, actor, env));
}

/**
 * Input checked and completed with the stored passwords, not saved (what "Check" tries before saving).
 * A password given as `***` or left empty is the stored one of the same user@host; a new account needs one.
 */
export async function resolveMailSettings(
  ctx: DeskContext,
  actor: Actor,
  raw: unknown,
): Promise<DeskMailSettings> {
  assertAdmin(actor);
  const input = parseInput(mailSettingsInputSchema, raw);
  const stored = await storedMailSettings(ctx);
  const accounts = [...(stored?.mailboxes ?? []), ...(stored?.smtpUrl ? [stored.smtpUrl] : [])].flatMap(
    (url) => {
      const u = parsedUrl(url);
      return u?.password ? [{ kind: kindOf(u), account: accountOf(u), password: u.password }] : [];
    },
  );
  const issues: { path: (string | number)[]; message: string }[] = [];
  const complete = (url: string, path: (string | number)[]): string => {
    const u = parsedUrl(url);
    if (!u) return url;
    if (!u.username) {
      u.password = '';
      return u.toString();
    }
    if (u.password !== '' && safeDecode(u.password) !== KEPT_PASSWORD) return u.toString();
    // The same kind first: an SMTP login of the same user@host as a mailbox's only fills in after.
    const account = accountOf(u);
    const same = accounts.filter((a) => a.account === account);
    const kept = (same.find((a) => a.kind === kindOf(u)) ?? same[0])?.password;
    if (kept) u.password = kept;
    else issues.push({ path, message: 'a password is needed (none is stored for this user and server)' });
    return u.toString();
  };
  const settings: DeskMailSettings = {
    mailboxes: input.mailboxes.map((url, i) => complete(url, ['mailboxes', i])),
    smtpUrl: input.smtp === null ? null : complete(input.smtp, ['smtp']),
    from: input.from,
  };
  if (issues.length > 0) {
    throw new InvalidInputError(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues);
  }
  return settings;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** An admin saves the desk's mail settings; refused while the server's environment sets them. */
export async function saveMailSettings(
  ctx: DeskContext,
  actor: Actor,
  raw: unknown,
  env: MailEnvironment = NO_ENVIRONMENT,
): Promise<EffectiveMailSettings> {
  assertAdmin(actor);
  if (environmentSetsMail(env))
    throw new ConflictError("mail is set by the server's environment (IMAP_URL, SMTP_URL)", {
      source: 'environment',
    });
  const settings = await resolveMailSettings(ctx, actor, raw);
  const empty = settings.mailboxes.length === 0 && settings.smtpUrl === null && settings.from === null;
  await writeSetting(ctx.db, MAIL_SETTINGS, empty ? null : JSON.stringify(settings), ctx.clock.now());
  return await effectiveMailSettings(ctx, actor, env);
}

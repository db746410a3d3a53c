// "Check" in the admin's mail settings: logs in to each mailbox (and opens its folder, read-only) and to the
// SMTP server, within a time limit each, and says per item whether it worked or, in a word and a short line,
// why not. What it answers names the servers with their passwords masked, and no error text it passes on
// may carry a password.
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { maskMailUrl } from '../core/mail-settings.ts';
import { parseMailboxUrl } from './mailbox.ts';
import { smtpOptions } from './outbound/sender.ts';

export const CHECK_TIMEOUT_MS = 10_000;

/** Why a check failed, for the screen to say in words. */
export type MailCheckReason =
  | 'auth'
  | 'connection'
  | 'host'
  | 'timeout'
  | 'tls'
  | 'folder'
  | 'protocol'
  | 'settings'
  | 'other';

export interface MailCheckItem {
  /** The mailbox or SMTP server, its password masked. */
  target: string;
  ok: boolean;
  reason?: MailCheckReason;
  /** The server's or the system's own short words, when there are some. */
  detail?: string;
}

export interface MailCheckResult {
  mailboxes: MailCheckItem[];
  smtp: MailCheckItem | null;
}

export async function checkMailSettings(
  settings: { mailboxes: readonly string[]; smtpUrl: string | null },
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<MailCheckResult> {
  const [mailboxes, smtp] = await Promise.all([
    Promise.all(settings.mailboxes.map((url) => checkMailbox(url, timeoutMs))),
    settings.smtpUrl === null ? null : checkSmtp(settings.smtpUrl, timeoutMs),
  ]);
  return { mailboxes, smtp };
}

class TimedOut extends Error {}

/** `run` within `ms`; on time out `cancel` cuts what is under way. */
async function within<T>(ms: number, run: Promise<T>, cancel: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cancel();
      reject(new TimedOut());
    }, ms);
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkMailbox(url: string, timeoutMs = CHECK_TIMEOUT_MS): Promise<MailCheckItem> {
  const target = maskMailUrl(url);
  let t: ReturnType<typeof parseMailboxUrl>;
  try {
    t = parseMailboxUrl(url);
  } catch (error) {
    return { target, ok: false, reason: 'settings', detail: detailOf(error, []) };
  }
  const client = new ImapFlow({
    host: t.host,
    port: t.port,
    secure: t.secure,
    auth: { user: t.user, pass: t.password },
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  // Errors come as rejections below; an unheard 'error' event would end the process.
  client.on('error', () => {});
  // Logged in, then the folder: a failure after login is the folder's.
  const progress = { loggedIn: false };
  try {
    await within(
      timeoutMs,
      (async () => {
        await client.connect();
        progress.loggedIn = true;
        await client.mailboxOpen(t.path, { readOnly: true });
        await client.logout();
      })(),
      () => client.close(),
    );
    return { target, ok: true };
  } catch (error) {
    const reason = progress.loggedIn && !(error instanceof TimedOut) ? 'folder' : reasonOf(error);
    return { target, ok: false, reason, detail: detailOf(error, [t.password]) };
  } finally {
    client.close();
  }
}

export async function checkSmtp(url: string, timeoutMs = CHECK_TIMEOUT_MS): Promise<MailCheckItem> {
  const target = maskMailUrl(url);
  let options: ReturnType<typeof smtpOptions>;
  try {
    options = smtpOptions(url);
  } catch (error) {
    return { target, ok: false, reason: 'settings', detail: detailOf(error, []) };
  }
  const transport = nodemailer.createTransport({
    ...options,
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await within(timeoutMs, transport.verify(), () => transport.close());
    return { target, ok: true };
  } catch (error) {
    return { target, ok: false, reason: reasonOf(error), detail: detailOf(error, [options.auth?.pass]) };
  } finally {
    transport.close();
  }
}

const CODES: Record<string, MailCheckReason> = {
  ECONNREFUSED: 'connection',
  ECONNRESET: 'connection',
  EHOSTUNREACH: 'connection',
  ENETUNREACH: 'connection',
  EPIPE: 'connection',
  ENOTFOUND: 'host',
  EAI_AGAIN: 'host',
  EDNS: 'host',
  ETIMEDOUT: 'timeout',
  EAUTH: 'auth',
  ENOAUTH: 'auth',
  ETLS: 'tls',
  EPROTOCOL: 'protocol',
};

function reasonOf(error: unknown): MailCheckReason {
  if (error instanceof TimedOut) return 'timeout';
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    authenticationFailed?: unknown;
    message?: unknown;
  };
  if (e.authenticationFailed === true) return 'auth';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (CODES[code]) return CODES[code];
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /CERT|SSL|TLS/.test(code)) return 'tls';
  // Nodemailer wraps socket errors as ESOCKET/ECONNECTION and keeps the system's words in the message.
  const inMessage =
    /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)\b/.exec(message)?.[1];
  if (inMessage && CODES[inMessage]) return CODES[inMessage];
  if (/timed? ?out/i.test(message)) return 'timeout';
  if (/ssl|tls|certificate/i.test(message)) return 'tls';
  return 'other';
}

/** The error's own words, one short line, with no password in it. */
function detailOf(error: unknown, passwords: readonly (string | undefined)[]): string | undefined {
  if (error instanceof TimedOut) return undefined;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    responseText?: unknown;
    response?: unknown;
  };
  const words = [e.responseText, e.response, e.message].find((w) => typeof w === 'string' && w.trim() !== '');
  if (typeof words !== 'string') return undefined;
  let line = words.replace(/\s+/g, ' ').trim();
  for (const password of passwords) {
    if (!password) continue;
    for (const form of new Set([password, encodeURIComponent(password)])) line = line.split(form).join('***');
  }
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

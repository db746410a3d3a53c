// Telegram Mini App init data: the signed string Telegram hands the Mini App (`Telegram.WebApp.initData`),
// checked the way Telegram documents it. secret = HMAC_SHA256(key "WebAppData", bot token); hash =
// hex(HMAC_SHA256(secret, data-check-string)), the data-check-string being every field but `hash` as
// key=value, sorted by key, joined by "\n". Nothing in it is trusted before the hash matches.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `user` field of init data, as Telegram sends it (only what the desk reads; the rest is kept). */
export interface InitDataUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface VerifiedInitData {
  user: InitDataUser;
  /** Seconds since the epoch, as signed. */
  authDate: number;
  startParam: string | undefined;
}

export type InitDataRefusal = 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'from_the_future';

export type InitDataCheck = { ok: true; data: VerifiedInitData } | { ok: false; reason: InitDataRefusal };

/** How far ahead of our clock a signature may be dated (clocks drift). */
export const FUTURE_SLACK_SECONDS = 60;
/** Longer raw strings are refused before any parsing or hashing. */
const MAX_RAW_LENGTH = 8192;

/** The key derived from a bot token, once per token (a process serves one or two). */
const secretKeys = new Map<string, Buffer>();

function secretKey(botToken: string): Buffer {
  let key = secretKeys.get(botToken);
  if (!key) {
    key = createHmac('sha256', 'WebAppData').update(botToken).digest();
    secretKeys.set(botToken, key);
  }
  return key;
}

function dataCheckString(fields: [string, string][]): string {
  return fields
    .filter(([key]) => key !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

function sign(botToken: string, fields: [string, string][]): string {
  return createHmac('sha256', secretKey(botToken)).update(dataCheckString(fields)).digest('hex');
}

function isUser(value: unknown): value is InitDataUser {
  if (typeof value !== 'object' || value === null) return false;
  const u = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(u.id) &&
    (u.id as number) > 0 &&
    typeof u.first_name === 'string' &&
    (u.last_name === undefined || typeof u.last_name === 'string') &&
    (u.language_code === undefined || typeof u.language_code === 'string')
  );
}

/**
 * Checks raw init data signed for `botToken`: the hash (in constant time), then its age against `now`
 * (UTC ms, from the desk's clock): at most `maxAgeSeconds` old and not more than a minute in the future.
 */
export function verifyInitData(
  raw: string | undefined,
  botToken: string,
  opts: { now: number; maxAgeSeconds: number },
): InitDataCheck {
  if (!raw) return { ok: false, reason: 'missing' };
  if (raw.length > MAX_RAW_LENGTH) return { ok: false, reason: 'malformed' };
  let fields: [string, string][];
  try {
    fields = [...new URLSearchParams(raw)];
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const keys = new Set(fields.map(([key]) => key));
  // A repeated field would let the checked value and the used value differ.
  if (keys.size !== fields.length) return { ok: false, reason: 'malformed' };
  const hash = fields.find(([key]) => key === 'hash')?.[1];
  if (!hash || !/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: 'malformed' };

  const expected = Buffer.from(sign(botToken, fields), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'bad_signature' };

  const value = (key: string) => fields.find(([k]) => k === key)?.[1];
  const authDateText = value('auth_date');
  if (!authDateText || !/^\d{1,12}$/.test(authDateText)) return { ok: false, reason: 'malformed' };
  const authDate = Number(authDateText);
  const nowSeconds = Math.floor(opts.now / 1000);
  if (authDate > nowSeconds + FUTURE_SLACK_SECONDS) return { ok: false, reason: 'from_the_future' };
  if (nowSeconds - authDate > opts.maxAgeSeconds) return { ok: false, reason: 'expired' };

  let user: unknown;
  try {
    user = JSON.parse(value('user') ?? '');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isUser(user)) return { ok: false, reason: 'malformed' };
  return { ok: true, data: { user, authDate, startParam: value('start_param') } };
}

/**
 * The signing half: builds raw init data for `user` exactly as Telegram would sign it with this bot's
 * token. Used by the offline sandbox (which plays Telegram's part) and by tests; production init data
 * comes from Telegram itself. `authDate` is in seconds (default now by the system clock).
 */
export function signInitData(
  botToken: string,
  user: InitDataUser,
  opts: { authDate?: number; startParam?: string } = {},
): string {
  const fields: [string, string][] = [
    ['auth_date', String(opts.authDate ?? Math.floor(Date.now() / 1000))],
    ['user', JSON.stringify(user)],
  ];
  if (opts.startParam !== undefined) fields.push(['start_param', opts.startParam]);
  fields.push(['hash', sign(botToken, fields)]);
  return new URLSearchParams(fields).toString();
}

// What keeps scripts off the public form without any outside service: a signed token with its issue time
// (filled too fast or too late is refused), a self-hosted ALTCHA proof of work (each solution once), and
// counters per address and per form. The counters and the used solutions live in this process's memory:
// enough for the one process a desk runs; a restart forgets them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Challenge, createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Clock } from '../model.ts';

/** A form filled faster than this is a script's. */
export const MIN_FILL_MS = 3_000;
/** A page older than this asks for a fresh token. */
export const MAX_FILL_MS = 2 * 3_600_000;
/** Proof of work: the solver tries up to this many numbers (about a second in a phone's browser). */
const ALTCHA_MAX_NUMBER = 50_000;
const ALGORITHM = 'SHA-256';

export type TokenProblem = 'missing' | 'forged' | 'too_fresh' | 'expired';

function sign(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

/** `<formKey>.<issuedAt>.<nonce>.<mac>`. */
export function issueFormToken(secret: string, formKey: string, now: number): string {
  const body = `${formKey}.${now}.${randomBytes(8).toString('base64url')}`;
  return `${body}.${sign(secret, body)}`;
}

export function checkFormToken(
  secret: string,
  formKey: string,
  token: string | undefined,
  now: number,
): TokenProblem | null {
  if (!token) return 'missing';
  const cut = token.lastIndexOf('.');
  if (cut < 0) return 'forged';
  const body = token.slice(0, cut);
  const mac = Buffer.from(token.slice(cut + 1));
  const expected = Buffer.from(sign(secret, body));
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return 'forged';
  const [key, issued] = body.split('.');
  if (key !== formKey) return 'forged';
  const age = now - Number(issued);
  if (!Number.isFinite(age)) return 'forged';
  if (age < MIN_FILL_MS) return 'too_fresh';
  if (age > MAX_FILL_MS) return 'expired';
  return null;
}

/** A signed challenge for the ALTCHA widget; its issue time is signed in with it. */
export function issueChallenge(secret: string, formKey: string, now: number): Promise<Challenge> {
  return createChallenge({
    algorithm: ALGORITHM,
    cost: 1,
    counter: randomInt(ALTCHA_MAX_NUMBER),
    deriveKey,
    data: { form: formKey, issuedAt: now },
    hmacSignatureSecret: secret,
  });
}

/** The widget's payload: base64 of JSON `{ challenge, solution }`. */
function decodePayload(payload: string): { challenge: Challenge; solution: { counter: number } } | null {
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    if (typeof parsed?.challenge?.parameters !== 'object' || typeof parsed?.solution !== 'object')
      return null;
    return parsed;
  } catch {
    return null;
  }
}

export type AltchaProblem = 'missing' | 'invalid' | 'replayed' | 'expired';

/** Checks proofs of work, each one usable once while it is within the window. */
export class AltchaGuard {
  private readonly used = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async check(
    secret: string,
    formKey: string,
    payload: string | undefined,
  ): Promise<{ problem: AltchaProblem } | { problem: null; commit: () => void }> {
    if (!payload) return { problem: 'missing' };
    const decoded = decodePayload(payload);
    if (!decoded) return { problem: 'invalid' };
    const result = await verifySolution({
      challenge: decoded.challenge,
      solution: decoded.solution as Parameters<typeof verifySolution>[0]['solution'],
      deriveKey,
      hmacSignatureSecret: secret,
    }).catch(() => null);
    if (!result?.verified) return { problem: 'invalid' };
    const data = decoded.challenge.parameters.data ?? {};
    if (data.form !== formKey) return { problem: 'invalid' };
    const now = this.clock.now();
    const issuedAt = Number(data.issuedAt);
    if (!(now - issuedAt <= MAX_FILL_MS)) return { problem: 'expired' };
    const id = decoded.challenge.signature ?? '';
    this.forgetOld(now);
    if (this.used.has(id)) return { problem: 'replayed' };
    // Spent only once the submission is accepted: a field error lets the person fix and send again.
    return { problem: null, commit: () => this.used.set(id, issuedAt) };
  }

  private forgetOld(now: number): void {
    for (const [id, issuedAt] of this.used) if (now - issuedAt > MAX_FILL_MS) this.used.delete(id);
  }
}

export interface WebformLimits {
  perIpHour: number;
  perIpDay: number;
  perFormDay: number;
}

/** A person fixing a typo sends again: the address's allowance leaves room for that. */
export const DEFAULT_WEBFORM_LIMITS: WebformLimits = { perIpHour: 10, perIpDay: 30, perFormDay: 500 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Submissions counted in sliding windows, in memory. Every attempt counts for its address (junk included);
 * only accepted ones count for the form, so junk from many addresses cannot shut the form for everyone.
 */
export class SubmissionCounter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limits: WebformLimits,
    private readonly clock: Clock,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.hits.get(key) ?? []).filter((at) => now - at < DAY);
    if (kept.length === 0) this.hits.delete(key);
    else this.hits.set(key, kept);
    return kept;
  }

  /** Whether one more submission from this address to this form is allowed now. */
  allows(ip: string, formKey: string): boolean {
    const now = this.clock.now();
    const byIp = this.recent(`ip:${ip}`, now);
    return (
      byIp.filter((at) => now - at < HOUR).length < this.limits.perIpHour &&
      byIp.length < this.limits.perIpDay &&
      this.recent(`form:${formKey}`, now).length < this.limits.perFormDay
    );
  }

  private add(key: string): void {
    const now = this.clock.now();
    this.hits.set(key, [...this.recent(key, now), now]);
  }

  attempt(ip: string): void {
    this.add(`ip:${ip}`);
  }

  accepted(formKey: string): void {
    this.add(`form:${formKey}`);
  }
}

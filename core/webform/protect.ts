// What keeps scripts off the public form without any outside service: a signed token with its issue time
// (filled too fast or too late is refused), a self-hosted ALTCHA proof of work, and counters per address
// and per form. A solution files one request: it is that request's delivery key (core/webform/submit.ts),
// so sending it again answers with the same request. The counters are rows in the store: a restart
// forgets nobody's allowance.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Challenge, createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { and, count, eq, gte, lt } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import { publicHits } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';

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

export type AltchaProblem = 'missing' | 'invalid' | 'expired';

/**
 * Checks a proof of work for this form within the window. Its `proof` (the challenge's signature) names
 * the one request it may file.
 */
export async function checkProofOfWork(
  secret: string,
  formKey: string,
  payload: string | undefined,
  now: number,
): Promise<{ problem: AltchaProblem } | { problem: null; proof: string }> {
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
  const issuedAt = Number(data.issuedAt);
  if (!(now - issuedAt <= MAX_FILL_MS)) return { problem: 'expired' };
  const proof = decoded.challenge.signature;
  if (typeof proof !== 'string' || proof === '') return { problem: 'invalid' };
  return { problem: null, proof };
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

/** Hits older than the longest window are deleted, at most once a minute per counter. */
const PRUNE_EVERY = 60_000;

/**
 * Submissions counted in sliding windows, as rows of `public_hits`. Every attempt counts for its address
 * (junk included); only accepted ones count for the form, so junk from many addresses cannot shut the form
 * for everyone. `scope` keeps the form's counts apart from its links'.
 */
export class SubmissionCounter {
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: DeskContext,
    private readonly scope: string,
    private readonly limits: WebformLimits,
  ) {}

  private async since(bucket: string, from: number): Promise<number> {
    const row = await queryOne(
      this.ctx.db
        .select({ n: count() })
        .from(publicHits)
        .where(and(eq(publicHits.bucket, bucket), gte(publicHits.at, from))),
    );
    return row?.n ?? 0;
  }

  /** Whether one more submission from this address to this form is allowed now. */
  async allows(ip: string, formKey: string): Promise<boolean> {
    const now = this.ctx.clock.now();
    const byIp = `${this.scope}:ip:${ip}`;
    return (
      (await this.since(byIp, now - HOUR + 1)) < this.limits.perIpHour &&
      (await this.since(byIp, now - DAY + 1)) < this.limits.perIpDay &&
      (await this.since(`${this.scope}:form:${formKey}`, now - DAY + 1)) < this.limits.perFormDay
    );
  }

  private async add(bucket: string): Promise<void> {
    const now = this.ctx.clock.now();
    await execute(this.ctx.db.insert(publicHits).values({ bucket, at: now }));
    if (now - this.prunedAt >= PRUNE_EVERY) {
      this.prunedAt = now;
      await execute(this.ctx.db.delete(publicHits).where(lt(publicHits.at, now - DAY)));
    }
  }

  async attempt(ip: string): Promise<void> {
    await this.add(`${this.scope}:ip:${ip}`);
  }

  async accepted(formKey: string): Promise<void> {
    await this.add(`${this.scope}:form:${formKey}`);
  }
}

// Rate limits of the API, as in-memory token buckets: per client address before authentication (every
// request, and apart from that the failed authentications), per person after it. A bucket holds up to a
// minute's allowance, so a busy manager may burst, and refills continuously; an empty one answers 429 with
// Retry-After. Time comes from an injected clock (tests move it; nothing sleeps).
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { type Clock, systemClock } from '../core/model.ts';
import type { ApiEnv } from './env.ts';
import { errorJson } from './errors.ts';

/** Requests a minute; 0 switches that limit off. */
export interface RateLimits {
  /** Per person, after authentication. */
  perPerson: number;
  /** Per client address, before authentication (every request under /api). */
  perIp: number;
  /** Failed authentications (401) per client address; when used up, the address gets 429 until it refills. */
  authFailuresPerIp: number;
  /** Behind a reverse proxy: the client's address is the last one in X-Forwarded-For (what the proxy added). */
  trustProxy?: boolean;
  clock?: Clock;
}

/** Generous enough for a busy manager clicking through reports; far below what a script can fire. */
export const DEFAULT_RATE_LIMITS: RateLimits = { perPerson: 120, perIp: 600, authFailuresPerIp: 30 };

const MINUTE = 60_000;
/** Buckets kept before the full ones (nobody used them for a minute) are forgotten, at most once a second. */
const SWEEP_AT = 10_000;
const SWEEP_EVERY = 1_000;

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by key: `perMinute` tokens at most, refilled at `perMinute` a minute. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  private bucket(key: string): Bucket {
    const now = this.clock.now();
    const found = this.buckets.get(key);
    if (found) {
      const refill = ((now - found.at) * this.perMinute) / MINUTE;
      found.tokens = Math.min(this.perMinute, found.tokens + Math.max(0, refill));
      found.at = now;
      return found;
    }
    if (this.buckets.size >= SWEEP_AT && now - this.sweptAt >= SWEEP_EVERY) this.sweep(now);
    const fresh = { tokens: this.perMinute, at: now };
    this.buckets.set(key, fresh);
    return fresh;
  }

  /** How many addresses or people it remembers. */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, b] of this.buckets) if (now - b.at >= MINUTE) this.buckets.delete(key);
  }

  /** Milliseconds until a token is there (0: one is there now). */
  wait(key: string): number {
    const b = this.bucket(key);
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) * MINUTE) / this.perMinute);
  }

  /** Takes a token: 0 when there was one, else the milliseconds until there is (nothing taken). */
  take(key: string): number {
    const wait = this.wait(key);
    if (wait === 0) (this.buckets.get(key) as Bucket).tokens -= 1;
    return wait;
  }

  /** Takes a token even when none is left (the bucket goes below zero): for counting what already happened. */
  charge(key: string): void {
    const b = this.bucket(key);
    b.tokens = Math.max(-this.perMinute, b.tokens - 1);
  }
}

function tooMany(c: Context, waitMs: number, what: string): Response {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  c.header('Retry-After', String(seconds));
  return errorJson(c, 429, { code: 'rate_limited', message: `${what}; try again in ${seconds} s` });
}

/** The client's address: the socket's, or behind a trusted proxy the last X-Forwarded-For entry. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('X-Forwarded-For');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * The two middlewares: `beforeAuth` (per address, and refusing an address whose failed authentications
 * are used up; it counts the 401s that follow), `afterAuth` (per person).
 */
export function rateLimits(limits: RateLimits): {
  beforeAuth: MiddlewareHandler<ApiEnv>;
  afterAuth: MiddlewareHandler<ApiEnv>;
} {
  const clock = limits.clock ?? systemClock;
  const trustProxy = limits.trustProxy ?? false;
  const ip = limits.perIp > 0 ? new TokenBuckets(limits.perIp, clock) : null;
  const failures = limits.authFailuresPerIp > 0 ? new TokenBuckets(limits.authFailuresPerIp, clock) : null;
  const person = limits.perPerson > 0 ? new TokenBuckets(limits.perPerson, clock) : null;
  return {
    beforeAuth: async (c, next) => {
      const address = clientAddress(c, trustProxy);
      if (failures) {
        const wait = failures.wait(address);
        if (wait > 0) return tooMany(c, wait, 'too many failed sign-ins from this address');
      }
      if (ip) {
        const wait = ip.take(address);
        if (wait > 0) return tooMany(c, wait, 'too many requests from this address');
      }
      await next();
      if (failures && c.res.status === 401) failures.charge(address);
    },
    // Not async: under the limit it goes on with no promise of its own.
    afterAuth: (c, next) => {
      if (person) {
        const wait = person.take(String(c.get('person').id));
        if (wait > 0) return Promise.resolve(tooMany(c, wait, 'too many requests'));
      }
      return next();
    },
  };
}

// Telegram's flood limits for sending: about one message a second per chat (private chats tolerate a
// short burst), about 30 a second overall, and 20 a minute in a group. A message over a limit is
// refused with 429 and retry_after, and recorded as a violation so tests can assert there were none.

export interface LimitOptions {
  perChatPerSecond?: number;
  /** Messages a private chat may take at once before the per-second rate applies. */
  perChatBurst?: number;
  globalPerSecond?: number;
  groupPerMinute?: number;
}

export interface Violation {
  kind: 'per_chat' | 'global' | 'group';
  chatId?: number;
  at: number;
}

export class RateLimits {
  readonly #perChatPerSecond: number;
  readonly #burst: number;
  readonly #globalPerSecond: number;
  readonly #groupPerMinute: number;
  /** Token buckets of private chats. */
  #buckets = new Map<number, { tokens: number; at: number }>();
  /** Send times in the current window: overall (1 s) and per group (60 s). */
  #global: number[] = [];
  #groups = new Map<number, number[]>();

  constructor(
    options: LimitOptions,
    private readonly violations: Violation[],
  ) {
    this.#perChatPerSecond = options.perChatPerSecond ?? 1;
    this.#burst = options.perChatBurst ?? 3;
    this.#globalPerSecond = options.globalPerSecond ?? 30;
    this.#groupPerMinute = options.groupPerMinute ?? 20;
  }

  /** Seconds to wait when this message breaks a limit (it is then not counted), or 0 (it is counted). */
  check(chatId: number, isGroup: boolean, now = Date.now()): number {
    this.#global = this.#global.filter((t) => t > now - 1000);
    const sent = this.#groups.get(chatId)?.filter((t) => t > now - 60_000) ?? [];
    const bucket = this.#refill(chatId, now);

    let refusal: { kind: Violation['kind']; wait: number } | undefined;
    if (isGroup && sent.length >= this.#groupPerMinute) {
      refusal = { kind: 'group', wait: (sent[0] ?? now) + 60_000 - now };
    } else if (!isGroup && bucket.tokens < 1) {
      refusal = { kind: 'per_chat', wait: ((1 - bucket.tokens) / this.#perChatPerSecond) * 1000 };
    } else if (this.#global.length >= this.#globalPerSecond) {
      refusal = { kind: 'global', wait: (this.#global[0] ?? now) + 1000 - now };
    }
    if (refusal) {
      this.violations.push({ kind: refusal.kind, ...(refusal.kind === 'global' ? {} : { chatId }), at: now });
      return Math.max(1, Math.ceil(refusal.wait / 1000));
    }

    this.#global.push(now);
    if (isGroup) this.#groups.set(chatId, [...sent, now]);
    else bucket.tokens -= 1;
    return 0;
  }

  #refill(chatId: number, now: number): { tokens: number; at: number } {
    const bucket = this.#buckets.get(chatId) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(
      this.#burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.#perChatPerSecond,
    );
    bucket.at = now;
    this.#buckets.set(chatId, bucket);
    return bucket;
  }
}

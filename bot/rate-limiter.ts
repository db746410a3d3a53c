// Telegram's sending limits, kept on our side so we rarely meet a 429: about 30 messages a second in
// all, one a second per private chat, 20 a minute per group. `wait` says how long to hold a message back.

export interface SendLimits {
  globalPerSecond: number;
  perChatIntervalMs: number;
  groupPerMinute: number;
}

export const TELEGRAM_LIMITS: SendLimits = {
  globalPerSecond: 30,
  perChatIntervalMs: 1000,
  groupPerMinute: 20,
};

/**
 * A message takes a place in the global window from the moment it is sent until a second after Telegram
 * answered: Telegram counts it somewhere in between (on arrival), so this never lets 31 arrive within one
 * second, however the requests are spread on the way.
 */
export interface SendSlot {
  /** When Telegram answered; Infinity while the request is under way. */
  answeredAt: number;
}

export class RateLimiter {
  private readonly global: SendSlot[] = [];
  private readonly lastInChat = new Map<number, number>();
  private readonly groupSends = new Map<number, number[]>();
  /** Until when a chat (or everything, key 0) is held back after Telegram said "retry after". */
  private readonly heldUntil = new Map<number, number>();

  constructor(private readonly limits: SendLimits = TELEGRAM_LIMITS) {}

  /** Milliseconds to wait before a message to `chatId` may go; 0 = now. */
  wait(chatId: number, now: number): number {
    const held = Math.max(this.heldUntil.get(0) ?? 0, this.heldUntil.get(chatId) ?? 0) - now;
    const window = this.global.filter((slot) => slot.answeredAt > now - 1000);
    this.global.splice(0, this.global.length, ...window);
    let globalWait = 0;
    if (window.length >= this.limits.globalPerSecond) {
      // The earliest place to free up; if all are under way, look again shortly.
      const earliest = Math.min(...window.map((slot) => slot.answeredAt));
      globalWait = Number.isFinite(earliest) ? earliest + 1000 - now : 50;
    }
    const last = this.lastInChat.get(chatId);
    const chatWait = last === undefined ? 0 : last + this.limits.perChatIntervalMs - now;
    let groupWait = 0;
    if (chatId < 0) {
      const sends = this.groupSends.get(chatId) ?? [];
      prune(sends, now - 60_000);
      if (sends.length >= this.limits.groupPerMinute) groupWait = (sends[0] ?? now) + 60_000 - now;
    }
    return Math.max(0, held, globalWait, chatWait, groupWait);
  }

  /** Takes a place for a message sent now; call `answered` on the returned slot when Telegram answers. */
  record(chatId: number, now: number): SendSlot {
    const slot: SendSlot = { answeredAt: Number.POSITIVE_INFINITY };
    this.global.push(slot);
    this.lastInChat.set(chatId, now);
    if (chatId < 0) {
      const sends = this.groupSends.get(chatId) ?? [];
      sends.push(now);
      this.groupSends.set(chatId, sends);
    }
    return slot;
  }

  /** Telegram answered 429 with retry_after for this chat. */
  holdChat(chatId: number, until: number): void {
    this.heldUntil.set(chatId, Math.max(until, this.heldUntil.get(chatId) ?? 0));
  }
}

function prune(times: number[], before: number): void {
  while (times.length > 0 && (times[0] ?? 0) <= before) times.shift();
}

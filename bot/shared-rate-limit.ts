// Telegram's limits kept across every instance on one PostgreSQL store (db/pg/telegram-budget.ts): the
// notifier's budget when several processes send for one bot. A SQLite desk is one process and keeps the
// limits in memory (bot/rate-limiter.ts).
//
// Each send reserves a slot in the global scope, its chat's, and for a group (a negative chat id) the group's;
// slots are spaced evenly: 30 a second is one every 35 ms, 20 a minute one every 3 s, one per chat interval.
// The slack in those steps is what a send may run late after its slot and still keep 30 to any second (and 20
// to any minute) as Telegram counts them on arrival; a send that woke later than that takes a fresh slot.
import type pg from 'pg';
import { type BudgetScope, holdScope, reserveSlot } from '../db/pg/telegram-budget.ts';
import { type SendLimits, TELEGRAM_LIMITS } from './rate-limiter.ts';

/** How late (ms) a send may go after its slot, within the steps' slack. */
export const LATE_MS = 15;
/** Added to each window before it is divided into steps: twice the lateness allowed. */
const SLACK_MS = 2 * LATE_MS;

/** Times a send asks for its slot (a chat's turn came, it woke too late) before the notice is put back. */
const ATTEMPTS = 4;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface BudgetSteps {
  globalMs: number;
  chatMs: number;
  groupMs: number;
}

/** How far apart slots are in each scope, for Telegram's limits. */
export function budgetSteps(limits: SendLimits = TELEGRAM_LIMITS): BudgetSteps {
  return {
    globalMs: limits.globalPerSecond > 0 ? Math.ceil((1000 + SLACK_MS) / limits.globalPerSecond) : 0,
    chatMs: Math.max(0, limits.perChatIntervalMs),
    groupMs: limits.groupPerMinute > 0 ? Math.ceil((60_000 + SLACK_MS) / limits.groupPerMinute) : 0,
  };
}

/** The scopes a message to `chatId` takes a slot in. */
export function scopesOf(chatId: number, steps: BudgetSteps): BudgetScope[] {
  const scopes: BudgetScope[] = [
    { scope: 'global', stepMs: steps.globalMs },
    { scope: `chat:${chatId}`, stepMs: steps.chatMs },
  ];
  if (chatId < 0) scopes.push({ scope: `group:${chatId}`, stepMs: steps.groupMs });
  return scopes;
}

export type Go = { go: true } | { go: false; waitMs: number };

export class SharedRateLimit {
  private readonly steps: BudgetSteps;

  /**
   * `now`: the clock of slot times (an injected one in tests); without it, the database's, one time line for
   * all instances whatever their own clocks say.
   */
  constructor(
    private readonly db: pg.Pool,
    limits: SendLimits = TELEGRAM_LIMITS,
    private readonly now?: () => number,
  ) {
    this.steps = budgetSteps(limits);
  }

  /**
   * Waits for a slot to send to `chatId` if one comes within `maxWaitMs`, and says go; else takes nothing and
   * says how long until one might (the notice is put back for then).
   */
  async take(chatId: number, maxWaitMs: number): Promise<Go> {
    const scopes = scopesOf(chatId, this.steps);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const reservation = await reserveSlot(this.db, scopes, maxWaitMs, this.now?.());
      if (reservation.waitMs > maxWaitMs) return { go: false, waitMs: reservation.waitMs };
      const asked = performance.now();
      if (reservation.waitMs > 0) await sleep(reservation.waitMs);
      // The chat, its group or a hold had the slot wait: now it is time, ask again.
      if (!reservation.reserved) continue;
      const late = performance.now() - asked - reservation.waitMs;
      if (late <= LATE_MS) return { go: true };
      // Woke too late: sending now could crowd the slots after this one. This one is left unused.
    }
    return { go: false, waitMs: 1 };
  }

  /** Telegram answered 429 with retry_after for this chat: every instance holds its messages to it back. */
  async holdChat(chatId: number, ms: number): Promise<void> {
    await holdScope(this.db, `chat:${chatId}`, ms, this.now?.());
  }

  /** Nothing goes to anyone, from any instance, for `ms`. */
  async holdAll(ms: number): Promise<void> {
    await holdScope(this.db, 'global', ms, this.now?.());
  }
}

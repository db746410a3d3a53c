// Telegram's side of a webhook. Once setWebhook gave a URL, every update waiting and every new one is POSTed
// there as JSON, with the secret in X-Telegram-Bot-Api-Secret-Token. A post answered 2xx delivers its update;
// any other answer, a refused or dropped connection or no answer in time means it is posted again later
// (after 100 ms, doubling up to 2 s). At most max_connections posts (40 unless set) are under way at once,
// and the updates of one chat go one at a time in update-id order: the next waits for the answer to the one
// before, as Telegram does. deleteWebhook stops it (posts under way finish; what is left waits for getUpdates).
//
// The URL is https (Telegram posts nowhere else); a test says where its posts really go with a `target`
// (e.g. a local load balancer on http://127.0.0.1). A URL with no target is unreachable: its updates wait, and
// getWebhookInfo reports the error, as for a server that is down. A webhook's answer is not read for a method
// to call (Telegram allows that; grammY does not use it unless asked).
import type { Update } from 'grammy/types';
import { DEFAULT_MAX_CONNECTIONS } from './methods.ts';
import type { World } from './state.ts';

/** Where a post for the webhook's URL goes: an http(s) URL, or undefined when it cannot be reached. */
export type WebhookTarget = (url: string) => string | undefined;

export interface WebhookAttempt {
  updateId: number;
  /** The chat the update belongs to (its posts go one at a time), if any. */
  chatId?: number;
  startedAt: number;
  endedAt?: number;
  /** The HTTP status answered; 0 when the connection failed or nothing came back in time. */
  status?: number;
  error?: string;
}

export interface WebhookStats {
  /** POSTs made, first posts and retries. */
  posts: number;
  /** Posts answered 2xx: updates delivered. */
  delivered: number;
  /** Posts of an update that was posted before. */
  retries: number;
  /** Posts answered with another status. */
  failed: number;
  /** Posts whose connection was refused or dropped, or that got no answer in time. */
  refused: number;
  /** The most posts under way at once. */
  maxInFlight: number;
  /** Every post, in the order they were made. */
  attempts: WebhookAttempt[];
}

export interface WebhookDeliveryOptions {
  target?: WebhookTarget;
  /** How long a post may take before it counts as failed (ms). */
  timeoutMs?: number;
  /** The first wait before posting a failed update again, doubled each time up to `maxRetryDelayMs`. */
  firstRetryDelayMs?: number;
  maxRetryDelayMs?: number;
}

const NO_TARGET = 'Connection refused: the webhook URL is not routed to any server';

export class WebhookDelivery {
  readonly stats: WebhookStats = {
    posts: 0,
    delivered: 0,
    retries: 0,
    failed: 0,
    refused: 0,
    maxInFlight: 0,
    attempts: [],
  };
  #target: WebhookTarget;
  readonly #timeoutMs: number;
  readonly #firstDelay: number;
  readonly #maxDelay: number;
  /** Posts under way, by update id. */
  readonly #inFlight = new Map<number, AbortController>();
  /** Updates that failed: when they may go again, and the wait after the next failure. */
  readonly #backoff = new Map<number, { until: number; next: number }>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #closed = false;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly world: World,
    options: WebhookDeliveryOptions = {},
  ) {
    this.#target = options.target ?? (() => undefined);
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#firstDelay = options.firstRetryDelayMs ?? 100;
    this.#maxDelay = options.maxRetryDelayMs ?? 2_000;
    this.#unsubscribe = world.onUpdates(() => this.pump());
  }

  /** Where posts go from now on. */
  route(target: WebhookTarget): void {
    this.#target = target;
    this.pump();
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Starts every post that may start now, and a timer for the next update waiting to go again. */
  pump(): void {
    const webhook = this.world.webhook;
    if (this.#closed || !webhook) return;
    const target = this.#target(webhook.url);
    if (target === undefined) {
      if (this.world.pendingUpdateCount() > 0) this.#failedNow(NO_TARGET);
      return;
    }
    const max = webhook.max_connections ?? DEFAULT_MAX_CONNECTIONS;
    const now = Date.now();
    // A chat with an earlier update not delivered yet (under way, waiting to go again, or started just now)
    // gets nothing more until it is.
    const busy = new Set<number>();
    let nextRetry = Number.POSITIVE_INFINITY;
    for (const update of this.world.pendingUpdates()) {
      const chatId = chatOf(update);
      if (chatId !== undefined) {
        if (busy.has(chatId)) continue;
        busy.add(chatId);
      }
      if (this.#inFlight.has(update.update_id)) continue;
      const backoff = this.#backoff.get(update.update_id);
      if (backoff && backoff.until > now) {
        nextRetry = Math.min(nextRetry, backoff.until);
        continue;
      }
      if (this.#inFlight.size >= max) break;
      this.#post(update, chatId, target, webhook.secret_token);
    }
    this.#wakeAt(nextRetry);
  }

  /** Stops posting: posts under way are cut off, no retry is made. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    clearTimeout(this.#timer);
    for (const abort of this.#inFlight.values()) abort.abort();
  }

  #post(update: Update, chatId: number | undefined, target: string, secret: string | undefined): void {
    const abort = new AbortController();
    this.#inFlight.set(update.update_id, abort);
    const { stats } = this;
    stats.posts++;
    if (this.#backoff.has(update.update_id)) stats.retries++;
    stats.maxInFlight = Math.max(stats.maxInFlight, this.#inFlight.size);
    const attempt: WebhookAttempt = {
      updateId: update.update_id,
      ...(chatId === undefined ? {} : { chatId }),
      startedAt: Date.now(),
    };
    stats.attempts.push(attempt);
    const timeout = setTimeout(() => abort.abort(new Error('no answer in time')), this.#timeoutMs);
    fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
      },
      body: JSON.stringify(update),
      signal: abort.signal,
    })
      .then(async (response) => {
        await response.arrayBuffer().catch(() => undefined);
        attempt.status = response.status;
        if (response.ok) {
          stats.delivered++;
          this.#backoff.delete(update.update_id);
          this.world.confirmUpdate(update.update_id);
        } else {
          stats.failed++;
          this.#retryLater(update.update_id, `Wrong response from the webhook: ${response.status}`);
        }
      })
      .catch((error: unknown) => {
        attempt.status = 0;
        attempt.error = describe(error);
        stats.refused++;
        this.#retryLater(update.update_id, attempt.error);
      })
      .finally(() => {
        clearTimeout(timeout);
        attempt.endedAt = Date.now();
        this.#inFlight.delete(update.update_id);
        this.pump();
      });
  }

  #retryLater(updateId: number, message: string): void {
    const wait = this.#backoff.get(updateId)?.next ?? this.#firstDelay;
    this.#backoff.set(updateId, { until: Date.now() + wait, next: Math.min(wait * 2, this.#maxDelay) });
    this.#failedNow(message);
  }

  #failedNow(message: string): void {
    this.world.webhookError = { date: this.world.now(), message };
  }

  #wakeAt(at: number): void {
    if (!Number.isFinite(at) || at >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
    this.#timer.unref();
  }
}

/** The chat an update belongs to: its updates are delivered one at a time, in order. */
export function chatOf(update: Update): number | undefined {
  return (
    update.message?.chat.id ??
    update.edited_message?.chat.id ??
    update.callback_query?.message?.chat.id ??
    update.callback_query?.from.id ??
    update.my_chat_member?.chat.id ??
    update.chat_member?.chat.id ??
    update.message_reaction?.chat.id ??
    update.chat_join_request?.chat.id
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

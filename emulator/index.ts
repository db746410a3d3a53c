// A local Telegram Bot API for end-to-end tests: point grammY at `apiRoot`, drive people with `user()`
// and `group()`, and read back what the bot did.
import type { UserFromGetMe } from 'grammy/types';
import { type Fault, FaultPlan, type Faults } from './faults.ts';
import { type LimitOptions, RateLimits, type Violation } from './limits.ts';
import { type ApiCall, listen } from './server.ts';
import { World } from './state.ts';
import { Group, type GroupOptions, Person, type TestGroup, type TestUser, type UserProfile } from './user.ts';
import { waitFor } from './wait.ts';
import { WebhookDelivery, type WebhookStats, type WebhookTarget } from './webhook.ts';

export type { Fault, Faults } from './faults.ts';
export type { LimitOptions, Violation } from './limits.ts';
export type { AdminRights, BotRights, Membership } from './members.ts';
export { ADMIN_DEFAULTS } from './members.ts';
export { METHOD_NAMES } from './methods.ts';
export type { ApiCall } from './server.ts';
export type { GroupPostOptions, TestGroup, TestUser, TopicSummary, UserProfile } from './user.ts';
export type { WebhookAttempt, WebhookStats, WebhookTarget } from './webhook.ts';

export const DEFAULT_TOKEN = '123456:TEST-token-for-the-local-bot-api-emulator';

export interface EmulatorOptions {
  token?: string;
  /** The bot's id defaults to the number before ':' in the token, as on Telegram. */
  bot?: { id?: number; username?: string; first_name?: string };
  /** Flood limits; `true` for Telegram's (1/s per private chat with a burst of 3, 30/s, 20/min per group). */
  limits?: boolean | LimitOptions;
  /**
   * The first message id of each new chat. A store that outlives the emulator (the sandbox's) remembers
   * message ids; a new emulator must not hand out the same ids again for other messages.
   */
  firstMessageId?: (chatId: number) => number;
  /**
   * The first update id (730,000,001 by default). A store that outlives the emulator remembers the updates
   * it handled and drops one that comes again: a new emulator must go on after them.
   */
  firstUpdateId?: number;
  /**
   * Where the posts for a webhook's https URL really go, e.g. `() => 'http://127.0.0.1:PORT/hook'`; undefined
   * for a URL nothing serves. Without it a webhook is unreachable: its updates wait (see emulator/webhook.ts).
   */
  webhookTarget?: WebhookTarget;
  /** How long a webhook post may take before it counts as failed and is made again (ms, default 60 s). */
  webhookTimeoutMs?: number;
}

export interface EmulatorWebhook {
  /** Where the webhook's posts go from now on (replaces `webhookTarget`). */
  route(target: WebhookTarget): void;
  /** Posts made, delivered, retried, failed; every attempt. */
  readonly stats: WebhookStats;
  /** Posts under way now. */
  readonly inFlight: number;
}

export interface Emulator {
  /** For grammY: `new Bot(token, { client: { apiRoot } })`. */
  apiRoot: string;
  token: string;
  /** What getMe returns; pass it as grammY's `botInfo` to skip the getMe call. */
  botInfo: UserFromGetMe;
  /** A person; the same id again returns the same person. */
  user(profile: UserProfile): TestUser;
  /**
   * A supergroup; `forum` turns topics on. The bot is an administrator with ADMIN_DEFAULTS (it may
   * manage topics, pin and delete messages) unless `botRights` says otherwise; with `addedBy` it gets
   * the my_chat_member update of being added.
   */
  group(options: Omit<GroupOptions, 'id'> & { id?: number }): TestGroup;
  /** Every call the bot made, in the order they were answered. */
  calls: ApiCall[];
  /** Sending calls refused for flood limits (only when `limits` is on). */
  violations: Violation[];
  faults: Faults;
  /** True while the bot has a getUpdates long poll waiting here (it is "online"). */
  readonly polling: boolean;
  /** The webhook's delivery, once the bot set one (setWebhook). */
  webhook: EmulatorWebhook;
  waitFor<T>(
    check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
    timeoutMs?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const token = options.token ?? DEFAULT_TOKEN;
  const botInfo: UserFromGetMe = {
    id: options.bot?.id ?? (Number(token.split(':')[0]) || 123456),
    is_bot: true,
    first_name: options.bot?.first_name ?? 'tgdesk',
    username: options.bot?.username ?? 'tgdesk_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
  const world = new World(botInfo, options.firstMessageId, options.firstUpdateId);
  const faults = new FaultPlan();
  const violations: Violation[] = [];
  const limits = options.limits
    ? new RateLimits(options.limits === true ? {} : options.limits, violations)
    : undefined;
  const calls: ApiCall[] = [];
  const server = await listen({ token, world, faults, limits, calls });
  const delivery = new WebhookDelivery(world, {
    ...(options.webhookTarget ? { target: options.webhookTarget } : {}),
    ...(options.webhookTimeoutMs ? { timeoutMs: options.webhookTimeoutMs } : {}),
  });

  const people = new Map<number, Person>();
  let groups = 0;
  return {
    apiRoot: server.apiRoot,
    token,
    botInfo,
    calls,
    violations,
    faults: {
      inject: (fault: Fault) => faults.inject(fault),
      clear: () => faults.clear(),
      seed: (n: number) => faults.seed(n),
      held: () => faults.held(),
      release: () => faults.release(),
    },
    user(profile) {
      const known = people.get(profile.id);
      if (known) return known;
      const person = new Person(world, profile);
      people.set(profile.id, person);
      return person;
    },
    group({ id, ...options }) {
      groups++;
      return new Group(world, { id: id ?? -1_001_000_000_000 - groups, ...options });
    },
    get polling() {
      return world.polling;
    },
    webhook: {
      route: (target) => delivery.route(target),
      stats: delivery.stats,
      get inFlight() {
        return delivery.inFlight;
      },
    },
    waitFor: (check, timeoutMs) => waitFor(check, timeoutMs),
    close: () => {
      delivery.close();
      return server.close();
    },
  };
}

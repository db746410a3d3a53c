// Drains the outbox to Telegram after each commit: within Telegram's limits, in order per chat, each
// notice at most once. Retries what surely did not arrive (Telegram's answer 429 after retry_after or 5xx,
// a refused connection) with capped, jittered backoff; a connection lost after the request went out is an
// "uncertain" dead letter, not a retry; a 403 means the person blocked the bot: they are marked unreachable
// and not written to again.
import { eq } from 'drizzle-orm';
import { type Api, GrammyError, HttpError, InlineKeyboard } from 'grammy';
import type { DeskContext } from '../core/context.ts';
import type { FileStore } from '../core/files/store.ts';
import { GROUP_PRIVATE_START } from '../core/groups/notice-preference.ts';
import { groupThreadOf } from '../core/groups/threads.ts';
import { type Clock, systemClock } from '../core/model.ts';
import { ACCEPTED_NOTICE } from '../core/notifications.ts';
import {
  claimDue,
  markDead,
  markSent,
  markUnreachable,
  nextDueAt,
  reconcileInterrupted,
  release,
  retryDelay,
  StaleClaimsWatch,
  scheduleRetry,
} from '../core/outbox.ts';
import { staffGroup } from '../core/settings.ts';
import { queryOne } from '../db/access.ts';
import { isPostgresStore, type PgStoreDb } from '../db/pg/store.ts';
import { type OutboxRow, type PersonRow, people } from '../db/schema.ts';
import { translator } from '../locales/index.ts';
import { rememberMessage } from './message-links.ts';
import { sendFiles } from './notice-files.ts';
import { renderNotice, ticketInApp } from './notices.ts';
import { RateLimiter, type SendLimits, TELEGRAM_LIMITS } from './rate-limiter.ts';
import { SharedRateLimit } from './shared-rate-limit.ts';
import { forgetTopic } from './staff/topic-store.ts';
import { type GroupSend, syncTopic, topicGone } from './staff/topic-sync.ts';

export interface NotifierOptions {
  desk: DeskContext;
  /** Real time for retries and rate limits, even when the desk runs on a test clock. */
  clock?: Clock;
  /** A plain Api: the notifier decides about retries itself, so no auto-retry transformer here. */
  api: Api;
  limits?: SendLimits;
  /** How often to look for due notices when nobody pokes (ms). */
  idleMs?: number;
  random?: () => number;
  onError?: (error: unknown) => void;
  /** Where the Mini App opens: private notices about a ticket get a button to it. */
  miniAppUrl?: string;
  /** The desk's file store, for files uploaded in the Mini App that staff get in their chats. */
  files?: FileStore;
  /** The bot's username once known, for t.me links in notices. */
  botUsername?: () => string | undefined;
}

/**
 * On PostgreSQL (several instances), how long a notice to a person may wait for its slot in the shared budget
 * before it is put back in the outbox for then instead; a staff-group message (its topic is synced in a few
 * calls) waits longer, its group's slots being 3 s apart.
 */
const SHARED_MAX_WAIT_MS = 1_000;
const SHARED_GROUP_MAX_WAIT_MS = 10_000;

/** A staff-group message whose slot is further than the group drain waits: the notice goes back for then. */
class HeldBack extends Error {
  constructor(readonly waitMs: number) {
    super(`held back ${waitMs} ms by Telegram's limits`);
  }
}

type Recipient = { language: PersonRow['language'] };
type Thread = Awaited<ReturnType<typeof groupThreadOf>>;
type Notice = Awaited<ReturnType<typeof renderNotice>>;

export class Notifier {
  private readonly limiter: RateLimiter;
  /** On PostgreSQL, Telegram's limits shared with every instance on the store (bot/shared-rate-limit.ts). */
  private readonly shared: SharedRateLimit | undefined;
  private readonly desk: DeskContext;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly staleClaims = new StaleClaimsWatch();
  private draining: Promise<void> | undefined;
  /** The staff group is drained apart: its slow limits (20 a minute) must not hold up people's chats. */
  private groupDraining: Promise<void> | undefined;
  private rerun = false;

  constructor(private readonly options: NotifierOptions) {
    this.limiter = new RateLimiter(options.limits ?? TELEGRAM_LIMITS);
    // Slot times on the notifier's clock when one is given, else on the database's (one time line for all).
    this.shared = isPostgresStore(options.desk.db)
      ? new SharedRateLimit(
          (options.desk.db as unknown as PgStoreDb).$client,
          options.limits ?? TELEGRAM_LIMITS,
          options.clock ? () => this.desk.clock.now() : undefined,
        )
      : undefined;
    this.desk = { ...options.desk, clock: options.clock ?? systemClock };
  }

  /** Recovers from a crash (see core/outbox.ts) and starts draining. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await reconcileInterrupted(this.desk);
    await this.staleClaims.started(this.desk, (error) => this.options.onError?.(error));
    this.poke();
  }

  /** Something was committed to the outbox: look now rather than at the next tick. */
  poke(): void {
    if (!this.running) return;
    if (this.draining) {
      this.rerun = true;
      return;
    }
    clearTimeout(this.timer);
    this.draining = this.drain().finally(async () => {
      // Still "draining" while the delay is read, so that a poke meanwhile asks for a rerun.
      const delay =
        this.rerun || !this.running
          ? 0
          : await this.nextDelay().catch((error: unknown) => {
              this.options.onError?.(error);
              return this.options.idleMs ?? 200;
            });
      this.draining = undefined;
      if (!this.running) return;
      if (this.rerun) {
        this.rerun = false;
        this.poke();
      } else {
        this.timer = setTimeout(() => this.poke(), delay);
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.draining;
    await this.groupDraining;
    // Renewed until the last send in hand has finished.
    await this.staleClaims.stopped();
  }

  /** Until the next notice is due, within the idle interval. */
  private async nextDelay(): Promise<number> {
    const idle = this.options.idleMs ?? 200;
    const dues = [await nextDueAt(this.desk), await nextDueAt(this.desk, 'staff_group')].filter(
      (d) => d !== null,
    );
    const due = dues.length > 0 ? Math.min(...dues) : null;
    if (due === null) return idle;
    return Math.min(idle, Math.max(1, due - this.desk.clock.now()));
  }

  private async drain(): Promise<void> {
    try {
      await this.staleClaims.look(this.desk);
      for (;;) {
        await this.startGroupDrain();
        const rows = await claimDue(this.desk, 30, 'telegram', this.staleClaims.claimer);
        if (rows.length === 0) return;
        await Promise.all(rows.map(async (row) => this.deliverSafely(row)));
        if (!this.running) return;
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private async startGroupDrain(): Promise<void> {
    if (this.groupDraining || !this.running) return;
    this.groupDraining = (async () => {
      try {
        for (;;) {
          const [row] = await claimDue(this.desk, 1, 'staff_group', this.staleClaims.claimer);
          if (!row || !this.running) {
            if (row) await release(this.desk, row.id, this.desk.clock.now());
            return;
          }
          await this.deliverSafely(row);
        }
      } catch (error) {
        this.options.onError?.(error);
      }
    })().finally(() => {
      this.groupDraining = undefined;
    });
  }

  /** The ticket's topic in the staff group, kept within the group's sending limits. */
  private async deliverToGroup(row: OutboxRow): Promise<void> {
    const { desk } = this;
    const group = await staffGroup(desk.db);
    if (!group) {
      await markDead(desk, row.id, 'no staff group is set up');
      return;
    }
    const chatId = group.chatId;
    const { shared } = this;
    const send: GroupSend = shared
      ? async (call) => {
          const go = await shared.take(chatId, SHARED_GROUP_MAX_WAIT_MS);
          if (!go.go) throw new HeldBack(go.waitMs);
          return await call();
        }
      : async (call) => {
          const wait = this.limiter.wait(chatId, desk.clock.now());
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const slot = this.limiter.record(chatId, desk.clock.now());
          try {
            return await call();
          } finally {
            slot.answeredAt = desk.clock.now();
          }
        };
    try {
      await syncTopic(this.options.desk, this.options.api, group, row, send);
      await markSent(desk, row.id);
    } catch (error) {
      if (error instanceof HeldBack) {
        await release(desk, row.id, desk.clock.now() + error.waitMs);
        return;
      }
      if (topicGone(error) && row.ticketId !== null) {
        await forgetTopic(desk.db, row.ticketId);
        await scheduleRetry(desk, row, 'the topic was deleted; opening a new one', 0);
        return;
      }
      await this.failed(row, chatId, error);
    }
  }

  /**
   * A bug in rendering or bookkeeping must not leave a notice claimed forever, nor be tried again and again
   * (it fails the same way each time, and the message may have gone out already): a dead letter at once,
   * with the error kept for whoever looks at it.
   */
  private async deliverSafely(row: OutboxRow): Promise<void> {
    try {
      await this.deliver(row);
    } catch (error) {
      await this.unsendable(row, error);
    }
  }

  private async unsendable(row: OutboxRow, error: unknown): Promise<void> {
    this.options.onError?.(error);
    await markDead(this.desk, row.id, `cannot be sent: ${String(error)}`);
  }

  private async deliver(row: OutboxRow): Promise<void> {
    if (row.channel === 'staff_group') return this.deliverToGroup(row);
    const { desk } = this;
    const person = await queryOne(
      desk.db
        .select({
          telegramUserId: people.telegramUserId,
          language: people.language,
          groupNoticesPrivate: people.groupNoticesPrivate,
        })
        .from(people)
        .where(eq(people.id, row.recipientId ?? 0)),
    );
    if (!person?.telegramUserId) {
      await markDead(desk, row.id, 'the recipient has no Telegram account');
      return;
    }
    // The requester of a ticket a group message opened hears in that group, as a reply to the message.
    // Unless they asked to be told in private.
    const thread =
      row.kind.startsWith('requester.') && row.ticketId !== null && !person.groupNoticesPrivate
        ? await groupThreadOf(desk.db, row.ticketId)
        : undefined;
    const chatId = thread?.chatId ?? person.telegramUserId;
    if (this.shared) return this.deliverShared(this.shared, row, person, thread, chatId);
    const now = desk.clock.now();
    const wait = this.limiter.wait(chatId, now);
    if (wait > 0) {
      await release(desk, row.id, desk.clock.now() + wait);
      return;
    }
    // The place is taken at once, before rendering awaits the store: the other notices of this round are
    // checked meanwhile, and must see it taken.
    const slot = this.limiter.record(chatId, now);
    // Rendered on the desk's own clock (SLA time left), sent on real time. A notice that cannot be
    // rendered (its text or keyboard throws) never will be: a dead letter at once, the error kept.
    let notice: Notice;
    try {
      notice = await this.compose(row, person, thread);
    } catch (error) {
      slot.answeredAt = desk.clock.now();
      await this.unsendable(row, error);
      return;
    }
    try {
      const sent = await this.post(chatId, notice, thread).finally(() => {
        slot.answeredAt = desk.clock.now();
      });
      await this.delivered(row, chatId, notice, sent.message_id);
    } catch (error) {
      await this.failed(row, chatId, error, thread !== undefined);
    }
  }

  /**
   * On PostgreSQL: rendered first, then a slot in the budget all instances share is taken (its wait is short)
   * and the notice goes at its time; when no slot comes soon, the notice goes back to the outbox for then.
   */
  private async deliverShared(
    shared: SharedRateLimit,
    row: OutboxRow,
    person: Recipient,
    thread: Thread,
    chatId: number,
  ): Promise<void> {
    const { desk } = this;
    let notice: Notice;
    try {
      notice = await this.compose(row, person, thread);
    } catch (error) {
      await this.unsendable(row, error);
      return;
    }
    const go = await shared.take(chatId, SHARED_MAX_WAIT_MS);
    if (!go.go) {
      await release(desk, row.id, desk.clock.now() + go.waitMs);
      return;
    }
    try {
      const sent = await this.post(chatId, notice, thread);
      await this.delivered(row, chatId, notice, sent.message_id);
    } catch (error) {
      await this.failed(row, chatId, error, thread !== undefined);
    }
  }

  /** The notice's text and keyboard for this chat (private, or the client group's thread). */
  private async compose(row: OutboxRow, person: Recipient, thread: Thread): Promise<Notice> {
    const notice = await renderNotice(this.options.desk, translator(person.language), row, person.language);
    // Telegram takes Mini App buttons in private chats only. Under the group's "accepted": a link to be
    // told in private instead (it opens the private chat, so the bot may write there).
    if (thread) {
      notice.keyboard = withoutAppButtons(notice.keyboard);
      const username = this.options.botUsername?.();
      if (row.kind === ACCEPTED_NOTICE && username)
        notice.keyboard = (notice.keyboard ?? new InlineKeyboard()).url(
          translator(person.language)('group-notices-link'),
          `https://t.me/${username}?start=${GROUP_PRIVATE_START}`,
        );
    } else if (notice.ticketId !== null && this.options.miniAppUrl) {
      const t = translator(person.language);
      notice.keyboard = (notice.keyboard ?? new InlineKeyboard())
        .row()
        .webApp(t('open-in-app'), ticketInApp(this.options.miniAppUrl, notice.ticketId));
    }
    if (!thread && notice.appLink && this.options.miniAppUrl) {
      const url = new URL(this.options.miniAppUrl);
      for (const [name, value] of Object.entries(notice.appLink.params)) url.searchParams.set(name, value);
      notice.keyboard = (notice.keyboard ?? new InlineKeyboard()).webApp(
        notice.appLink.label,
        url.toString(),
      );
    }
    return notice;
  }

  private async post(chatId: number, notice: Notice, thread: Thread): Promise<{ message_id: number }> {
    const { api } = this.options;
    return await (notice.files
      ? sendFiles(api, chatId, notice.files, notice.text, this.options.files)
      : api.sendMessage(chatId, notice.text, {
          ...(notice.keyboard ? { reply_markup: notice.keyboard } : {}),
          ...(thread
            ? {
                reply_parameters: { message_id: thread.messageId, allow_sending_without_reply: true },
                disable_notification: true,
              }
            : {}),
        }));
  }

  private async delivered(row: OutboxRow, chatId: number, notice: Notice, messageId: number): Promise<void> {
    const { desk } = this;
    await markSent(desk, row.id);
    if (notice.ticketId !== null)
      await rememberMessage(desk.db, chatId, messageId, notice.ticketId, desk.clock.now());
  }

  private async failed(row: OutboxRow, chatId: number, error: unknown, inGroup = false): Promise<void> {
    const { desk } = this;
    if (error instanceof GrammyError) {
      if (error.error_code === 429) {
        const seconds = error.parameters.retry_after ?? 1;
        if (this.shared) await this.shared.holdChat(chatId, seconds * 1000);
        else this.limiter.holdChat(chatId, desk.clock.now() + seconds * 1000);
        await scheduleRetry(desk, row, error.description, seconds * 1000);
      } else if (error.error_code === 403 && inGroup) {
        await markDead(desk, row.id, `the group is closed to the bot: ${error.description}`);
      } else if (error.error_code === 403 && row.recipientId !== null) {
        await markUnreachable(desk, row.recipientId, error.description);
      } else if (error.error_code >= 500) {
        await scheduleRetry(desk, row, error.description, retryDelay(row.attempts, this.options.random));
      } else {
        await markDead(desk, row.id, error.description); // a bad request does not get better by trying again
      }
      return;
    }
    // Not Telegram's answer nor the network: a fault of ours (a topic's card that cannot be rendered, …),
    // which trying again would only repeat.
    if (!(error instanceof HttpError)) {
      await this.unsendable(row, error);
      return;
    }
    // The network. Tried again only when the request surely never reached Telegram (the connection was
    // refused, the name did not resolve). A connection lost after the request went out (reset, a timeout,
    // an answer that is not Telegram's) may have delivered it: an "uncertain" dead letter, never sent twice.
    const reason = networkReason(error);
    if (!NOT_SENT.has(reason)) {
      await markDead(
        desk,
        row.id,
        `uncertain: ${reason}: the request went out, it may or may not have been delivered`,
      );
      return;
    }
    await scheduleRetry(desk, row, `network: ${reason}`, retryDelay(row.attempts, this.options.random));
  }
}

/** The keyboard without its Mini App buttons (and without rows left empty); undefined when nothing is left. */
function withoutAppButtons(keyboard: InlineKeyboard | undefined): InlineKeyboard | undefined {
  if (!keyboard) return undefined;
  const rows = keyboard.inline_keyboard
    .map((row) => row.filter((button) => !('web_app' in button)))
    .filter((row) => row.length > 0);
  return rows.length === 0 ? undefined : new InlineKeyboard(rows);
}

/** Network failures that happen before a request is sent: it cannot have arrived. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * The system error code of a failed request ("ECONNRESET"; node-fetch puts it on the error, Node's own
 * fetch on its cause), else its message; never the URL (it holds the token).
 */
function networkReason(error: HttpError): string {
  let cause: unknown = error.error;
  for (let depth = 0; depth < 3 && typeof cause === 'object' && cause !== null; depth++) {
    if ('code' in cause && typeof cause.code === 'string') return cause.code;
    cause = 'cause' in cause ? cause.cause : undefined;
  }
  const message = error.error instanceof Error ? error.error.message : String(error.error);
  return message.replace(/https?:\/\/\S+/g, '<url>');
}

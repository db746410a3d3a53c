// The IMAP side of the e-mail intake: watches one mailbox and hands every new message to the caller, once, in
// UID order. No database here: the caller keeps the cursor and commits each mail's effect keyed by its
// Message-ID, so a mail read twice (after a crash or a UIDVALIDITY change) is a no-op.

import { ImapFlow } from 'imapflow';

/** Mails fetched in one FETCH: few round trips, bounded memory. */
const FETCH_BATCH = 20;

export interface MailboxCursor {
  uidValidity: number;
  lastUid: number;
}

export interface MailboxLogger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

export interface MailboxTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface MailMeta {
  uid: number;
  uidValidity: number;
  mailbox: string;
}

export interface MailboxOptions {
  /** imap://user:pass@host:port/INBOX (imaps:// for TLS); the path is the mailbox, INBOX when empty. */
  url: string;
  loadCursor(): MailboxCursor | null | Promise<MailboxCursor | null>;
  saveCursor(c: MailboxCursor): void | Promise<void>;
  /**
   * Called once per new message, in UID order; the caller commits its effect (idempotently, keyed by
   * Message-ID) before resolving. Throwing means the mail could not be handled at all right now: the round
   * stops, the mail is not marked \Seen, the cursor stays, and it is offered again later. The caller
   * quarantines bad mails itself and resolves normally.
   */
  onMail(raw: Buffer, meta: MailMeta): Promise<void>;
  /** Periodic re-poll even while IDLE, which can die silently. Default 60 s. */
  pollMs?: number;
  /** Base reconnect (and handler retry) backoff, doubled per failure, jittered. Default 1 s. */
  reconnectMs?: number;
  /** Cap of that backoff. Default 60 s. */
  reconnectMaxMs?: number;
  logger?: MailboxLogger;
  timers?: MailboxTimers;
  /** Jitter source, [0, 1). */
  random?: () => number;
}

export interface MailboxTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  path: string;
}

export function parseMailboxUrl(url: string): MailboxTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // The message must not echo the URL: it holds the password.
    throw new Error('mailbox URL is not a valid URL');
  }
  const secure = u.protocol === 'imaps:';
  if (!secure && u.protocol !== 'imap:') throw new Error('mailbox URL must start with imap:// or imaps://');
  if (!u.hostname) throw new Error('mailbox URL has no host');
  if (!u.username) throw new Error('mailbox URL has no user');
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    path: path || 'INBOX',
  };
}

/** The URL with its password masked, for logs and admin screens. */
export function describeMailbox(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid mailbox URL)';
  }
}

/** Marks errors of the caller's callbacks: they keep the connection, IMAP errors drop it. */
class CallerError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

function errInfo(err: unknown): object {
  const e = err instanceof CallerError ? err.original : err;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return code === undefined ? { message: e.message } : { message: e.message, code };
  }
  return { message: String(e) };
}

interface RoundWaiter {
  /** First round number that may settle it: rounds started after the wait began. */
  from: number;
  /** idle(): wants a round that found no new mail. */
  empty: boolean;
  resolve(): void;
  reject(err: unknown): void;
}

const noopLogger: MailboxLogger = { info() {}, warn() {}, error() {} };
const nodeTimers: MailboxTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
const LOGOUT_GRACE_MS = 2_000;

export class MailboxWatcher {
  private readonly target: MailboxTarget;
  private readonly label: string;
  private readonly log: MailboxLogger;
  private readonly timers: MailboxTimers;
  private readonly random: () => number;
  private readonly pollMs: number;
  private readonly reconnectMs: number;
  private readonly reconnectMaxMs: number;

  private running = false;
  private loop: Promise<void> | null = null;
  private client: ImapFlow | null = null;
  private connecting = false;
  private connectFailures = 0;
  private handlerFailures = 0;
  private rounds = 0;
  private waiters: RoundWaiter[] = [];
  /** A wake-up (new mail, pollNow, close) that arrived while no one was sleeping. */
  private wakePending = false;
  /** pollNow()/idle() asked for a round: select the mailbox anew first. */
  private reselectPending = false;
  private interrupt: ((byWake: boolean) => void) | null = null;

  constructor(private readonly o: MailboxOptions) {
    this.target = parseMailboxUrl(o.url);
    this.label = describeMailbox(o.url);
    this.log = o.logger ?? noopLogger;
    this.timers = o.timers ?? nodeTimers;
    this.random = o.random ?? Math.random;
    this.pollMs = o.pollMs ?? 60_000;
    this.reconnectMs = o.reconnectMs ?? 1_000;
    this.reconnectMaxMs = o.reconnectMaxMs ?? 60_000;
  }

  start(): void {
    if (this.running) return;
    // The old loop would see running again and carry on beside the new one.
    if (this.loop) throw new Error('mailbox watcher is still stopping; await stop() first');
    this.running = true;
    this.loop = this.supervise();
  }

  /** Finishes the message in hand (its \Seen and cursor included), logs out, clears every timer. */
  async stop(): Promise<void> {
    this.running = false;
    // A connect can hang until its timeout; nothing is in hand yet, so cut it.
    if (this.connecting) this.client?.close();
    this.interrupt?.(false);
    await this.loop;
    this.loop = null;
    for (const w of this.waiters.splice(0)) {
      if (w.empty) w.resolve();
      else w.reject(new Error('mailbox watcher stopped'));
    }
  }

  /** Runs a round now; resolves when it finished, rejects with its error (onMail's included). */
  pollNow(): Promise<void> {
    return this.waitRound(false);
  }

  /** Asks for a round; resolves when a round started after this call found no new mail (for tests). */
  idle(): Promise<void> {
    return this.waitRound(true);
  }

  private waitRound(empty: boolean): Promise<void> {
    if (!this.running) return Promise.reject(new Error('mailbox watcher is not running'));
    const done = new Promise<void>((resolve, reject) => {
      this.waiters.push({ from: this.rounds + 1, empty, resolve, reject });
    });
    this.reselectPending = true;
    this.wake();
    return done;
  }

  private wake(): void {
    if (this.interrupt) this.interrupt(true);
    else this.wakePending = true;
  }

  /** Sleeps ms; stop() always ends it early, a wake() only when wakeable. Says whether the time ran out. */
  private sleep(ms: number, wakeable: boolean): Promise<boolean> {
    if (!this.running) return Promise.resolve(false);
    if (wakeable && this.wakePending) {
      this.wakePending = false;
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const finish = (timedOut: boolean) => {
        this.timers.clearTimeout(timer);
        this.interrupt = null;
        resolve(timedOut);
      };
      const timer = this.timers.setTimeout(() => finish(true), ms);
      this.interrupt = (byWake) => {
        if (byWake && !wakeable) this.wakePending = true;
        else finish(false);
      };
    });
  }

  private backoff(failures: number): number {
    const base = Math.min(this.reconnectMaxMs, this.reconnectMs * 2 ** Math.min(failures, 30));
    return Math.round(base * (0.5 + 0.5 * this.random()));
  }

  private async supervise(): Promise<void> {
    while (this.running) {
      try {
        await this.session();
      } catch (err) {
        if (this.running) this.log.warn({ mailbox: this.label, err: errInfo(err) }, 'IMAP session failed');
      }
      if (!this.running) break;
      const delayMs = this.backoff(this.connectFailures++);
      this.log.info({ mailbox: this.label, delayMs }, 'IMAP reconnecting');
      // Only stop() cuts this short: the close event's wake-up must not turn backoff into a busy loop.
      await this.sleep(delayMs, false);
    }
  }

  /** One connection: open the mailbox, then rounds until the connection ends or stop(). */
  private async session(): Promise<void> {
    const t = this.target;
    const client = new ImapFlow({
      host: t.host,
      port: t.port,
      secure: t.secure,
      auth: { user: t.user, pass: t.password },
      logger: false,
    });
    this.client = client;
    client.on('error', (err: unknown) => {
      if (this.running) this.log.warn({ mailbox: this.label, err: errInfo(err) }, 'IMAP connection error');
    });
    client.on('close', () => this.wake());
    client.on('exists', () => this.wake());
    try {
      this.connecting = true;
      await client.connect();
      await client.mailboxOpen(t.path);
      this.connecting = false;
      this.connectFailures = 0;
      // The first round reads everything, whatever asked for a round meanwhile.
      this.wakePending = false;
      this.reselectPending = false;
      this.log.info({ mailbox: this.label }, 'IMAP mailbox opened');
      let reselect = false;
      while (this.running && client.usable) {
        // A selected mailbox that was deleted and created again keeps its old view (and UIDVALIDITY) in
        // Dovecot until selected anew: polls and pollNow() select it again.
        if (reselect || this.reselectPending) {
          this.reselectPending = false;
          await client.mailboxOpen(t.path);
        }
        await this.round(client);
        if (!this.running || !client.usable) break;
        // IDLE right away (not after imapflow's 15 s auto-IDLE delay); the next command ends it.
        client.idle().catch(() => undefined);
        const retry = this.handlerFailures > 0;
        reselect = await this.sleep(retry ? this.backoff(this.handlerFailures - 1) : this.pollMs, true);
      }
    } finally {
      this.connecting = false;
      this.client = null;
      await this.close(client);
    }
  }

  private async close(client: ImapFlow): Promise<void> {
    if (client.usable) {
      let timer: unknown;
      const grace = new Promise<void>((resolve) => {
        timer = this.timers.setTimeout(resolve, LOGOUT_GRACE_MS);
      });
      await Promise.race([client.logout().catch(() => undefined), grace]);
      this.timers.clearTimeout(timer);
    }
    client.close();
  }

  private async round(client: ImapFlow): Promise<void> {
    const n = ++this.rounds;
    try {
      const found = await this.readNew(client);
      this.handlerFailures = 0;
      this.settle(n, null, found);
    } catch (err) {
      this.settle(n, err, 0);
      if (!(err instanceof CallerError)) throw err;
      this.handlerFailures++;
      this.log.error(
        { mailbox: this.label, err: errInfo(err) },
        'mail could not be handled; it stays unread and is retried',
      );
    }
  }

  private settle(n: number, err: unknown, found: number): void {
    const keep: RoundWaiter[] = [];
    for (const w of this.waiters) {
      if (w.from > n) keep.push(w);
      else if (!w.empty) {
        if (err) w.reject(err instanceof CallerError ? err.original : err);
        else w.resolve();
      } else if (!err && found === 0) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
    // Someone waits for an empty round and this one had mail: check again at once.
    if (!err && found > 0 && keep.some((w) => w.empty)) this.wakePending = true;
  }

  /** Reads every message above the cursor; returns how many there were. */
  private async readNew(client: ImapFlow): Promise<number> {
    const box = client.mailbox;
    if (!box) throw new Error('no mailbox selected');
    const uidValidity = Number(box.uidValidity);
    const mailbox = this.target.path;
    const cursor = await this.caller(() => this.o.loadCursor());
    let lastUid = 0;
    if (cursor && cursor.uidValidity === uidValidity) {
      lastUid = cursor.lastUid;
    } else {
      // Old UIDs mean nothing under a new UIDVALIDITY; the caller's Message-ID keys make re-reads harmless.
      this.log.info(
        { mailbox: this.label, uidValidity, previous: cursor?.uidValidity ?? null },
        'reading the mailbox from the start',
      );
      await this.caller(() => this.o.saveCursor({ uidValidity, lastUid: 0 }));
    }
    // All UIDs first: no other command may run inside a fetch (imapflow deadlocks).
    const result = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
    if (!Array.isArray(result)) throw new Error('UID SEARCH failed');
    // "n:*" always includes the highest UID, even below n.
    const uids = result.filter((uid) => uid > lastUid).sort((a, b) => a - b);
    // A batch of sources in one FETCH, then each handled in order; \Seen and the cursor follow for the
    // handled ones in one STORE (a crash before it re-reads mail whose effect is committed: a no-op).
    for (let i = 0; i < uids.length && this.running; i += FETCH_BATCH) {
      const batch = uids.slice(i, i + FETCH_BATCH);
      const fetched = await client.fetchAll(batch.join(','), { uid: true, source: true }, { uid: true });
      const sources = new Map(fetched.map((m) => [m.uid, m.source]));
      const handled: number[] = [];
      try {
        for (const uid of batch) {
          if (!this.running) break;
          const source = sources.get(uid);
          if (source) await this.caller(() => this.o.onMail(source, { uid, uidValidity, mailbox }));
          else this.log.warn({ mailbox: this.label, uid }, 'mail vanished before it was read; skipped');
          handled.push(uid);
        }
      } finally {
        const last = handled.at(-1);
        if (last !== undefined) {
          const flagged = await client.messageFlagsAdd(handled.join(','), ['\\Seen'], { uid: true });
          if (!flagged) this.log.warn({ mailbox: this.label, uids: handled }, 'could not mark mail \\Seen');
          await this.caller(() => this.o.saveCursor({ uidValidity, lastUid: last }));
        }
      }
    }
    return uids.length;
  }

  private async caller<T>(fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new CallerError(err);
    }
  }
}

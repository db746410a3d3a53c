// The IMAP watcher against a real Dovecot (tests/support/dovecot.ts): no stand-ins for imapflow or the server.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  describeMailbox,
  type MailboxCursor,
  type MailboxOptions,
  type MailboxTimers,
  MailboxWatcher,
  type MailMeta,
  parseMailboxUrl,
} from '../email/mailbox.ts';
import { type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.ts';

describe('mailbox URL', () => {
  test('parses host, port, TLS, user, password and mailbox', () => {
    expect(parseMailboxUrl('imap://desk%40corp.example:p%40ss%3Aw@mail.example:1143/Support%20Desk')).toEqual(
      {
        host: 'mail.example',
        port: 1143,
        secure: false,
        user: 'desk@corp.example',
        password: 'p@ss:w',
        path: 'Support Desk',
      },
    );
    expect(parseMailboxUrl('imaps://u:p@[::1]')).toMatchObject({
      host: '::1',
      port: 993,
      secure: true,
      path: 'INBOX',
    });
    expect(parseMailboxUrl('imap://u:p@h/')).toMatchObject({ port: 143, path: 'INBOX' });
    expect(() => parseMailboxUrl('https://u:p@h/INBOX')).toThrow(/imap/);
    expect(() => parseMailboxUrl('imap://h/INBOX')).toThrow(/user/);
    expect(() => parseMailboxUrl('imap://u:secret@')).not.toThrow(/secret/);
  });

  test('describeMailbox masks the password', () => {
    const shown = describeMailbox('imap://desk:hunter2@mail.example:143/INBOX');
    expect(shown).toBe('imap://desk:***@mail.example:143/INBOX');
    expect(describeMailbox('imap://desk@mail.example/INBOX')).toBe('imap://desk@mail.example/INBOX');
    expect(describeMailbox('not a url hunter2')).not.toContain('hunter2');
  });
});

const USERS = ['order', 'restart', 'failing', 'idle', 'validity', 'outage', 'stopping'].map((user) => ({
  user,
  password: `pw-${user}-S3cret`,
}));

function mail(id: string): string {
  return [
    'From: Ann <ann@example.com>',
    'To: desk@example.com',
    `Subject: Request ${id}`,
    `Message-ID: <${id}@example.com>`,
    'Date: Mon, 01 Jun 2026 10:00:00 +0000',
    '',
    `Body of ${id}`,
    '',
  ].join('\r\n');
}

/** A watcher with a cursor in memory, its onMail calls, its log, and timers that are counted. */
function harness(url: string, extra: Partial<MailboxOptions> = {}) {
  const seen: Array<MailMeta & { id: string }> = [];
  const logs: string[] = [];
  const state: { cursor: MailboxCursor | null; fail: Error | null } = { cursor: null, fail: null };
  const active = new Set<unknown>();
  const timers: MailboxTimers = {
    setTimeout(fn, ms) {
      const handle = setTimeout(() => {
        active.delete(handle);
        fn();
      }, ms);
      active.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      active.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
  const record = (level: string) => (o: object, m?: string) =>
    logs.push(`${level} ${m ?? ''} ${JSON.stringify(o)}`);
  const watcher = new MailboxWatcher({
    url,
    loadCursor: () => state.cursor,
    saveCursor: (c) => {
      state.cursor = { ...c };
    },
    onMail: async (raw, meta) => {
      if (state.fail) throw state.fail;
      seen.push({ ...meta, id: /^Message-ID: <([^@]+)@/im.exec(raw.toString())?.[1] ?? '?' });
    },
    reconnectMs: 50,
    reconnectMaxMs: 500,
    logger: { info: record('info'), warn: record('warn'), error: record('error') },
    timers,
    ...extra,
  });
  return { watcher, seen, logs, state, active };
}

async function flagsOf(
  dovecot: DovecotServer,
  user: string,
  mailbox = 'INBOX',
): Promise<Map<number, string[]>> {
  return dovecot.withClient(user, async (client) => {
    const out = new Map<number, string[]>();
    const lock = await client.getMailboxLock(mailbox);
    try {
      for await (const m of client.fetch('1:*', { uid: true, flags: true }, { uid: true })) {
        out.set(m.uid, [...(m.flags ?? [])]);
      }
    } finally {
      lock.release();
    }
    return out;
  });
}

// Conditions, not sleeps: a busy 2-core machine may be slow, so the deadline is generous.
const until = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 20 });

describe.skipIf(!dovecotAvailable())('MailboxWatcher with Dovecot', { timeout: 30_000 }, () => {
  let dovecot: DovecotServer;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: USERS });
  }, 30_000);

  afterAll(async () => {
    await dovecot?.stop();
  });

  test('reads each new mail once, in UID order, marks it \\Seen and saves the cursor', async () => {
    for (const id of ['a1', 'a2', 'a3']) await dovecot.append('order', mail(id));
    const h = harness(dovecot.url('order'));
    h.watcher.start();
    await h.watcher.idle();
    await h.watcher.stop();

    expect(h.seen.map((m) => [m.uid, m.id, m.mailbox])).toEqual([
      [1, 'a1', 'INBOX'],
      [2, 'a2', 'INBOX'],
      [3, 'a3', 'INBOX'],
    ]);
    const uidValidity = h.seen[0]?.uidValidity;
    expect(uidValidity).toBeGreaterThan(0);
    expect(h.state.cursor).toEqual({ uidValidity, lastUid: 3 });
    const flags = await flagsOf(dovecot, 'order');
    expect([...flags.values()].every((f) => f.includes('\\Seen'))).toBe(true);
    expect(h.active.size).toBe(0);
  });

  test('a restart with the saved cursor reads nothing twice, \\Seen or not', async () => {
    for (const id of ['b1', 'b2']) await dovecot.append('restart', mail(id));
    const first = harness(dovecot.url('restart'));
    first.watcher.start();
    await first.watcher.idle();
    await first.watcher.stop();
    expect(first.seen.map((m) => m.id)).toEqual(['b1', 'b2']);

    // The cursor, not the flag, decides what is new.
    await dovecot.withClient('restart', async (c) => {
      await c.mailboxOpen('INBOX');
      await c.messageFlagsRemove('1:*', ['\\Seen'], { uid: true });
    });
    await dovecot.append('restart', mail('b3'));
    const second = harness(dovecot.url('restart'));
    second.state.cursor = first.state.cursor;
    second.watcher.start();
    await second.watcher.idle();
    await second.watcher.stop();
    expect(second.seen.map((m) => [m.uid, m.id])).toEqual([[3, 'b3']]);
    expect(second.state.cursor).toMatchObject({ lastUid: 3 });
  });

  test('onMail throwing: nothing is marked \\Seen, the cursor stays, the mail comes again', async () => {
    for (const id of ['c1', 'c2']) await dovecot.append('failing', mail(id));
    // A long backoff so only pollNow() retries.
    const h = harness(dovecot.url('failing'), { reconnectMs: 60_000 });
    h.state.fail = new Error('database is down');
    h.watcher.start();
    await expect(h.watcher.pollNow()).rejects.toThrow('database is down');
    expect(h.seen).toEqual([]);
    expect(h.state.cursor?.lastUid ?? 0).toBe(0);
    const flags = await flagsOf(dovecot, 'failing');
    expect([...flags.values()].some((f) => f.includes('\\Seen'))).toBe(false);
    expect(h.logs.some((l) => l.startsWith('error') && l.includes('database is down'))).toBe(true);

    h.state.fail = null;
    await h.watcher.pollNow();
    await h.watcher.idle();
    await h.watcher.stop();
    expect(h.seen.map((m) => m.id)).toEqual(['c1', 'c2']);
    expect(h.state.cursor).toMatchObject({ lastUid: 2 });
    const after = await flagsOf(dovecot, 'failing');
    expect([...after.values()].every((f) => f.includes('\\Seen'))).toBe(true);
    expect(h.active.size).toBe(0);
  });

  test('a mail appended while watching arrives through IDLE', async () => {
    // No poll within the deadline: only IDLE can bring it.
    const h = harness(dovecot.url('idle'), { pollMs: 10 * 60_000 });
    h.watcher.start();
    await h.watcher.idle();
    await dovecot.append('idle', mail('d1'));
    await until(() => expect(h.seen.map((m) => m.id)).toEqual(['d1']));
    await dovecot.append('idle', mail('d2'));
    await until(() => expect(h.seen.map((m) => m.id)).toEqual(['d1', 'd2']));
    await h.watcher.stop();
    expect(h.active.size).toBe(0);
  });

  test('a new UIDVALIDITY (mailbox deleted and created again) reads from the start', async () => {
    await dovecot.withClient('validity', (c) => c.mailboxCreate('Support'));
    for (const id of ['e1', 'e2']) await dovecot.append('validity', mail(id), [], 'Support');
    const h = harness(dovecot.url('validity', 'Support'), { pollMs: 200 });
    h.watcher.start();
    await h.watcher.idle();
    const before = h.state.cursor;
    expect(before).toMatchObject({ lastUid: 2 });

    await dovecot.withClient('validity', async (c) => {
      await c.mailboxDelete('Support');
      await c.mailboxCreate('Support');
    });
    await dovecot.append('validity', mail('e3'), [], 'Support');
    await until(() => expect(h.seen.map((m) => m.id)).toEqual(['e1', 'e2', 'e3']));
    await h.watcher.stop();
    const last = h.seen[2];
    expect(last?.uid).toBe(1);
    expect(last?.mailbox).toBe('Support');
    expect(last?.uidValidity).not.toBe(before?.uidValidity);
    expect(h.state.cursor).toEqual({ uidValidity: last?.uidValidity, lastUid: 1 });
  });

  test('the server going away and coming back: the watcher reconnects and carries on', async () => {
    await dovecot.append('outage', mail('f1'));
    const h = harness(dovecot.url('outage'));
    h.watcher.start();
    await h.watcher.idle();

    await dovecot.halt();
    await until(() => expect(h.logs.some((l) => l.includes('IMAP reconnecting'))).toBe(true));
    await dovecot.restart();
    await dovecot.append('outage', mail('f2'));
    await until(() => expect(h.seen.map((m) => m.id)).toEqual(['f1', 'f2']));
    await h.watcher.stop();
    expect(h.active.size).toBe(0);
    // Logs name the mailbox, never its password.
    expect(h.logs.some((l) => l.includes('outage:***@'))).toBe(true);
    expect(h.logs.join('\n')).not.toContain('pw-outage-S3cret');
  });

  test('stop() during onMail lets that mail finish (\\Seen, cursor) and reads no further', async () => {
    for (const id of ['g1', 'g2']) await dovecot.append('stopping', mail(id));
    let entered = () => {};
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled: number[] = [];
    const h = harness(dovecot.url('stopping'), {
      onMail: async (_raw, meta) => {
        entered();
        await released;
        handled.push(meta.uid);
      },
    });
    h.watcher.start();
    await inHandler;
    const stopped = h.watcher.stop();
    release();
    await stopped;
    expect(handled).toEqual([1]);
    expect(h.state.cursor).toMatchObject({ lastUid: 1 });
    const flags = await flagsOf(dovecot, 'stopping');
    expect(flags.get(1)).toContain('\\Seen');
    expect(flags.get(2)).not.toContain('\\Seen');
    expect(h.active.size).toBe(0);
  });

  test('stop() while the server is unreachable ends at once and leaves no timers', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    const h = harness(`imap://nobody:pw@127.0.0.1:${port}/INBOX`, { reconnectMs: 60_000 });
    const baseline = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    h.watcher.start();
    await until(() => expect(h.logs.some((l) => l.includes('IMAP reconnecting'))).toBe(true));
    expect(h.active.size).toBe(1);
    const t0 = Date.now();
    await h.watcher.stop();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(h.active.size).toBe(0);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(
      baseline,
    );
    await expect(h.watcher.pollNow()).rejects.toThrow(/not running/);
  });
});

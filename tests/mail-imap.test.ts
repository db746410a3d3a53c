// The e-mail intake end to end against a real IMAP server (Dovecot): mail appended to a mailbox becomes a
// ticket; a process killed between the commit and \Seen makes no second ticket when it starts again; one
// mail delivered to two mailboxes makes one ticket.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileStore } from '../core/files/store.ts';
import { queryAll } from '../db/access.ts';
import { openDatabase } from '../db/connection.ts';
import { tickets } from '../db/schema.ts';
import { startMailIntake } from '../email/intake-service.ts';
import { makeWorld } from './fixtures.ts';
import { type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.ts';
import { buildMail } from './support/mail-builder.ts';
import { onPostgres } from './support/test-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-mail-imap-'));
const until = (check: () => void | Promise<void>) => vi.waitFor(check, { timeout: 30_000, interval: 50 });

async function seenUids(dovecot: DovecotServer, user: string): Promise<number[]> {
  return dovecot.withClient(user, async (client) => {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const seen: number[] = [];
      for await (const m of client.fetch('1:*', { uid: true, flags: true }, { uid: true })) {
        if (m.flags?.has('\\Seen')) seen.push(m.uid);
      }
      return seen;
    } finally {
      lock.release();
    }
  });
}

/** Runs the mail-only desk process to its end (idle, or killed); answers its exit and what it printed. */
function runChild(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join('tests', 'support', 'mail-intake-child.ts'), ...args],
        {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, out }));
    },
  );
}

describe.skipIf(!dovecotAvailable())('e-mail intake over IMAP', { timeout: 90_000 }, () => {
  let dovecot: DovecotServer;
  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [
        { user: 'support', password: 'pw-support' },
        { user: 'crash', password: 'pw-crash' },
        { user: 'second', password: 'pw-second' },
      ],
    });
  }, 30_000);
  afterAll(async () => {
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // A child process on a SQLite file of its own.
  it.skipIf(onPostgres)(
    'a process killed between the commit and \\Seen makes no second ticket when it starts again',
    async () => {
      const dbPath = join(dir, 'crash.sqlite');
      const filesDir = join(dir, 'crash-files');
      openDatabase(dbPath).$client.close();
      await dovecot.append(
        'crash',
        await buildMail({ from: 'a@client.example', subject: 'Первое', text: 'Не печатает' }),
      );
      await dovecot.append(
        'crash',
        await buildMail({ from: 'b@client.example', subject: 'Второе', text: 'Нет сети' }),
      );
      const url = dovecot.url('crash');

      const killed = await runChild([dbPath, filesDir, url], { CRASH_AFTER_COMMIT: '1' });
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.out).toContain('"taken":"filed"');
      const afterCrash = openDatabase(dbPath);
      expect((await queryAll(afterCrash.select().from(tickets))).map((t) => t.subject)).toEqual(['Первое']);
      afterCrash.$client.close();
      expect(await seenUids(dovecot, 'crash')).toEqual([]);

      const again = await runChild([dbPath, filesDir, url]);
      expect(again.code).toBe(0);
      expect(again.out).toContain('idle');
      const db = openDatabase(dbPath);
      expect((await queryAll(db.select().from(tickets))).map((t) => t.subject)).toEqual(['Первое', 'Второе']);
      db.$client.close();
      expect(await seenUids(dovecot, 'crash')).toEqual([1, 2]);
    },
  );

  it('takes mail as it arrives, and one mail in two mailboxes makes one ticket', async () => {
    const w = await makeWorld();
    const intake = startMailIntake({
      desk: w.ctx,
      files: new FileStore(join(dir, 'files')),
      imapUrls: [dovecot.url('support'), dovecot.url('second')],
      ownAddresses: ['support@desk.example'],
      logger: pino({ level: 'silent' }),
    });
    try {
      const mail = await buildMail({
        from: 'Client <client@client.example>',
        to: 'support@desk.example, second@desk.example',
        subject: 'Сломался ноутбук',
        text: 'Не включается',
      });
      await dovecot.append('support', mail);
      await dovecot.append('second', mail);
      await until(async () => expect(await seenUids(dovecot, 'second')).toEqual([1]));
      await until(async () => expect(await seenUids(dovecot, 'support')).toEqual([1]));
      expect((await queryAll(w.ctx.db.select().from(tickets))).map((t) => t.subject)).toEqual([
        'Сломался ноутбук',
      ]);
    } finally {
      await intake.stop();
    }
  });
});

// E-mail settings from the environment: checked at start with a clear message, and the mailbox passwords
// never reach a log line, even while the server cannot be reached.
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { startApp } from '../app/run.ts';

describe('mail settings', () => {
  it('take several mailboxes, an SMTP server and the address mail comes from', () => {
    const config = loadConfig({
      IMAP_URL: 'imaps://support%40a.ru:pw@imap.a.ru/INBOX, imap://b:pw2@127.0.0.1:1143',
      SMTP_URL: 'smtps://support%40a.ru:pw@smtp.a.ru:465',
      MAIL_FROM: 'Поддержка <support@a.ru>',
    });
    expect(config.mail).toEqual({
      imapUrls: ['imaps://support%40a.ru:pw@imap.a.ru/INBOX', 'imap://b:pw2@127.0.0.1:1143'],
      smtpUrl: 'smtps://support%40a.ru:pw@smtp.a.ru:465',
      from: 'Поддержка <support@a.ru>',
      newTicketsPerHour: 10,
    });
    expect(loadConfig({ ATTACHMENTS_DIR: '/srv/desk/files' }).filesDir).toBe('/srv/desk/files');
    expect(loadConfig({}).filesDir).toBe('./data/files');
    expect(loadConfig({}).mail).toEqual({
      imapUrls: [],
      smtpUrl: undefined,
      from: undefined,
      newTicketsPerHour: 10,
    });
  });

  it.each([
    [{ IMAP_URL: 'imap.a.ru' }, 'IMAP_URL'],
    [{ SMTP_URL: 'mail.a.ru:25' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://a:b@mail.a.ru' }, 'MAIL_FROM'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM'],
    [{ MAIL_NEW_TICKETS_PER_HOUR: '0' }, 'MAIL_NEW_TICKETS_PER_HOUR'],
    [{ FILES_DIR: './a', ATTACHMENTS_DIR: './b' }, 'ATTACHMENTS_DIR'],
  ])('refuse %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('never log a mailbox password, even while its server refuses', async () => {
    // A port that refuses: bound, then closed.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const password = 'Sup3r-Secret-Pw';
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const app = await startApp(
      {
        ...loadConfig({ PORT: '0', DATABASE_PATH: ':memory:' }),
        mail: {
          imapUrls: [`imap://desk:${password}@127.0.0.1:${port}/INBOX`],
          smtpUrl: undefined,
          from: undefined,
          newTicketsPerHour: 10,
        },
      },
      { logger, log: (line) => lines.push(line) },
    );
    try {
      await vi.waitFor(() => expect(lines.join('\n')).toMatch(/desk:\*\*\*@127\.0\.0\.1/), {
        timeout: 20_000,
      });
      await vi.waitFor(
        () => expect(lines.some((l) => /ECONNREFUSED|connect|reconnect/i.test(l))).toBe(true),
        {
          timeout: 20_000,
        },
      );
    } finally {
      await app.stop();
    }
    expect(lines.join('\n')).not.toContain(password);
  });
});

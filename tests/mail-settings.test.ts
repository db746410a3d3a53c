// The desk's own mail settings (an admin's, in the Mini App): checked like IMAP_URL/SMTP_URL/MAIL_FROM, a
// password sent back as *** (or left empty) keeps the stored one, the environment wins over them; over
// HTTP admins only, never a password in an answer, saving starts the channel again, bad input is a 400,
// and "Check" logs in to a real Dovecot and a real SMTP server. Last, a desk started as in production
// with no IMAP_URL reads the mailbox an admin saved through the API.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signInitData } from '../api/init-data.ts';
import { loadConfig } from '../app/config.ts';
import { createLogger, hideInLogs } from '../app/logger.ts';
import { type RunningApp, startApp } from '../app/run.ts';
import { ConflictError, ForbiddenError, InvalidInputError } from '../core/errors.ts';
import {
  effectiveMailSettings,
  mailSettingsView,
  maskMailUrl,
  resolveMailSettings,
  saveMailSettings,
} from '../core/mail-settings.ts';
import { queryOne } from '../db/access.ts';
import { tickets } from '../db/schema.ts';
import { startEmulator } from '../emulator/index.ts';
import { apiWorld, call } from './api-harness.ts';
import { makeWorld } from './fixtures.ts';
import { type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.ts';
import { buildMail } from './support/mail-builder.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';
import { onPostgres } from './support/test-store.ts';

const BOX_PW = 'Box-Secret-1';
const SMTP_PW = 'Smtp-Secret-2';
const BOX = `imaps://support%40desk.example:${BOX_PW}@mail.desk.example:993/INBOX`;
const SMTP = `smtp://support%40desk.example:${SMTP_PW}@smtp.desk.example:587`;
const FROM = 'Поддержка <support@desk.example>';
const ENV = {
  imapUrls: ['imap://env:Env-Secret-3@env.example/INBOX'],
  smtpUrl: 'smtp://env:Env-Secret-3@env.example',
  from: 'env@env.example',
};

/** The issues' paths of an InvalidInputError thrown by fn. */
async function issuePaths(fn: () => Promise<unknown>): Promise<string[]> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    expect(JSON.stringify(error.details)).not.toMatch(/Secret/);
    return [
      ...new Set((error.details.issues as { path: (string | number)[] }[]).map((i) => i.path.join('.'))),
    ];
  }
  throw new Error('no error');
}

describe('the desk mail settings (core)', () => {
  it('are checked as the environment is: URL kinds, a user for a mailbox, From an address, From with SMTP', async () => {
    const w = await makeWorld();
    const resolve = (input: unknown) => async () => await resolveMailSettings(w.ctx, w.as.admin, input);
    expect(await issuePaths(resolve({ mailboxes: ['http://a:b@mail.x.ru/INBOX'] }))).toEqual(['mailboxes.0']);
    expect(await issuePaths(resolve({ mailboxes: [`imap://mail.x.ru/INBOX`] }))).toEqual(['mailboxes.0']);
    expect(await issuePaths(resolve({ mailboxes: [BOX, 'imaps://'] }))).toEqual(['mailboxes.1']);
    expect(await issuePaths(resolve({ smtp: 'smtp://', from: FROM }))).toEqual(['smtp']);
    expect(await issuePaths(resolve({ smtp: SMTP, from: 'not an address' }))).toEqual(['from']);
    expect(await issuePaths(resolve({ smtp: SMTP }))).toEqual(['from']);
    expect(await issuePaths(resolve({ mailboxes: [BOX, BOX.replace('INBOX', '')] }))).toEqual([
      'mailboxes.1',
    ]);
    expect(await issuePaths(resolve({ mailboxes: 'imap://a:b@x' }))).toEqual(['mailboxes']);
    expect(
      await issuePaths(
        resolve({ mailboxes: Array.from({ length: 11 }, (_, i) => BOX.replace('INBOX', `F${i}`)) }),
      ),
    ).toEqual(['mailboxes']);
    // A mailbox new to the desk needs its password; an SMTP server without a login needs none.
    expect(await issuePaths(resolve({ mailboxes: ['imap://support@mail.x.ru/INBOX'] }))).toEqual([
      'mailboxes.0',
    ]);
    expect(await resolve({ smtp: 'smtp://relay.x.ru:25', from: 'desk@x.ru' })()).toEqual({
      mailboxes: [],
      smtpUrl: 'smtp://relay.x.ru:25',
      from: 'desk@x.ru',
    });
    expect(await resolve({ mailboxes: [BOX], smtp: SMTP, from: FROM })()).toEqual({
      mailboxes: [BOX],
      smtpUrl: SMTP,
      from: FROM,
    });
  });

  it('keep a stored password when it comes back as *** or empty, for the same user@host only', async () => {
    const w = await makeWorld();
    await saveMailSettings(w.ctx, w.as.admin, { mailboxes: [BOX], smtp: SMTP, from: FROM });
    const view = await mailSettingsView(w.ctx, w.as.admin);
    expect(view).toEqual({
      source: 'desk',
      mailboxes: ['imaps://support%40desk.example:***@mail.desk.example:993/INBOX'],
      smtp: 'smtp://support%40desk.example:***@smtp.desk.example:587',
      from: FROM,
    });
    // The screen sends back what it was shown, another folder and port, and a second mailbox.
    const second = 'imap://help:Help-Secret-4@mail.desk.example/Help';
    await saveMailSettings(w.ctx, w.as.admin, {
      mailboxes: ['imap://support%40desk.example@mail.desk.example:143/Support', second],
      smtp: view.smtp,
      from: FROM,
    });
    expect(await effectiveMailSettings(w.ctx, w.as.admin)).toEqual({
      source: 'desk',
      mailboxes: [`imap://support%40desk.example:${BOX_PW}@mail.desk.example:143/Support`, second],
      smtpUrl: SMTP,
      from: FROM,
    });
    // Another user, or another server, is another account: its password must be typed.
    expect(
      await issuePaths(
        async () =>
          await saveMailSettings(w.ctx, w.as.admin, {
            mailboxes: [
              'imaps://other:***@mail.desk.example/INBOX',
              'imaps://help@imap.elsewhere.example/INBOX',
            ],
          }),
      ),
    ).toEqual(['mailboxes.0', 'mailboxes.1']);
    // A new password replaces the old one.
    await saveMailSettings(w.ctx, w.as.admin, {
      mailboxes: ['imap://help:New-Secret-5@mail.desk.example/Help'],
    });
    expect((await effectiveMailSettings(w.ctx, w.as.admin)).mailboxes).toEqual([
      'imap://help:New-Secret-5@mail.desk.example/Help',
    ]);
    // Nothing left: no settings, and the source says so.
    await saveMailSettings(w.ctx, w.as.admin, { mailboxes: [], smtp: null, from: null });
    expect(await mailSettingsView(w.ctx, w.as.admin)).toEqual({
      source: 'none',
      mailboxes: [],
      smtp: null,
      from: null,
    });
  });

  it('give way to the environment, which they cannot change; admins only', async () => {
    const w = await makeWorld();
    await saveMailSettings(w.ctx, w.as.admin, { mailboxes: [BOX], smtp: SMTP, from: FROM });
    expect(await effectiveMailSettings(w.ctx, w.as.admin, ENV)).toEqual({
      source: 'environment',
      mailboxes: ENV.imapUrls,
      smtpUrl: ENV.smtpUrl,
      from: ENV.from,
    });
    expect(await mailSettingsView(w.ctx, w.as.admin, { imapUrls: [], smtpUrl: ENV.smtpUrl })).toMatchObject({
      source: 'environment',
      mailboxes: [],
      smtp: 'smtp://env:***@env.example',
    });
    // MAIL_FROM alone sets nothing: the desk's own settings are in force.
    expect((await effectiveMailSettings(w.ctx, w.as.admin, { imapUrls: [], from: 'x@y.ru' })).source).toBe(
      'desk',
    );
    await expect(saveMailSettings(w.ctx, w.as.admin, { mailboxes: [] }, ENV)).rejects.toThrow(ConflictError);
    for (const who of ['line1', 'supervisor', 'clientA'] as const) {
      await expect(mailSettingsView(w.ctx, w.as[who])).rejects.toThrow(ForbiddenError);
      await expect(saveMailSettings(w.ctx, w.as[who], { mailboxes: [] })).rejects.toThrow(ForbiddenError);
    }
    expect(maskMailUrl('imap://a:b@c/INBOX')).toBe('imap://a:***@c/INBOX');
    expect(maskMailUrl('not a url')).toBe('(not a URL)');
  });
});

describe('a password learnt while the desk runs', () => {
  it('is blanked by the logger from then on, in its children too', () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const child = logger.child({ part: 'mail' });
    child.info(`before: ${BOX_PW}`);
    hideInLogs(logger, [BOX_PW, 'short', undefined]);
    child.info(`after: ${BOX_PW} short`);
    logger.error({ err: new Error(`login as x:${BOX_PW}@y failed`) }, 'failed');
    expect(lines[0]).toContain(BOX_PW);
    expect(lines.slice(1).join('\n')).not.toContain(BOX_PW);
    expect(lines[1]).toContain('after: [redacted] short');
  });
});

describe('the mail settings routes', () => {
  it('are for admins only', async () => {
    const w = await apiWorld();
    for (const who of ['line1', 'supervisor', 'managerA'] as const) {
      expect((await call(w, who, 'GET', '/api/admin/mail/settings')).status).toBe(403);
      expect((await call(w, who, 'PUT', '/api/admin/mail/settings', { mailboxes: [] })).status).toBe(403);
      expect((await call(w, who, 'POST', '/api/admin/mail/settings/check', { mailboxes: [] })).status).toBe(
        403,
      );
    }
    expect((await call(w, null, 'GET', '/api/admin/mail/settings')).status).toBe(401);
  });

  it('save, start the channel again, and never answer a password', async () => {
    const reload = vi.fn(async () => {});
    const w = await apiWorld({}, { mail: { mailboxes: [], ownAddresses: [], reload } });
    expect((await call(w, 'admin', 'GET', '/api/admin/mail/settings')).json).toEqual({
      source: 'none',
      mailboxes: [],
      smtp: null,
      from: null,
    });
    const saved = await call(w, 'admin', 'PUT', '/api/admin/mail/settings', {
      mailboxes: [BOX],
      smtp: SMTP,
      from: FROM,
    });
    expect(saved.status).toBe(200);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(saved.json).toEqual({
      source: 'desk',
      mailboxes: ['imaps://support%40desk.example:***@mail.desk.example:993/INBOX'],
      smtp: 'smtp://support%40desk.example:***@smtp.desk.example:587',
      from: FROM,
    });
    const shown = await call(w, 'admin', 'GET', '/api/admin/mail/settings');
    expect(shown.json).toEqual(saved.json);
    for (const answer of [saved, shown]) {
      expect(answer.text).not.toContain(BOX_PW);
      expect(answer.text).not.toContain(SMTP_PW);
    }
    // What was shown, sent back: the passwords stay.
    expect((await call(w, 'admin', 'PUT', '/api/admin/mail/settings', saved.json)).status).toBe(200);
    expect(await effectiveMailSettings(w.ctx, w.as.admin)).toMatchObject({ mailboxes: [BOX], smtpUrl: SMTP });
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it('answer bad input with 400 and the fields, never echoing a password, and 409 while the environment sets mail', async () => {
    const reload = vi.fn(async () => {});
    const w = await apiWorld({}, { mail: { mailboxes: [], ownAddresses: [], reload } });
    for (const [body, path] of [
      [{ mailboxes: [`http://user:${BOX_PW}@x.ru/INBOX`] }, 'mailboxes.0'],
      [{ mailboxes: [`imap://user@x.ru/INBOX`] }, 'mailboxes.0'],
      [{ smtp: `smtp://user:${SMTP_PW}@x.ru`, from: '<nobody>' }, 'from'],
      [{ smtp: 42, from: FROM }, 'smtp'],
      [{ mailboxes: [null] }, 'mailboxes.0'],
    ] as const) {
      const res = await call(w, 'admin', 'PUT', '/api/admin/mail/settings', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('invalid_input');
      expect(res.json.error.issues.map((i: { path: string[] }) => i.path.join('.'))).toContain(path);
      expect(res.text).not.toContain(BOX_PW);
      expect(res.text).not.toContain(SMTP_PW);
    }
    expect((await call(w, 'admin', 'PUT', '/api/admin/mail/settings', '{not json')).status).toBe(400);
    expect((await call(w, 'admin', 'PUT', '/api/admin/mail/settings', '[1]')).status).toBe(400);
    expect(reload).not.toHaveBeenCalled();
    expect((await mailSettingsView(w.ctx, w.as.admin)).source).toBe('none');

    const env = await apiWorld({}, { mail: { mailboxes: [], ownAddresses: [], reload, environment: ENV } });
    const shown = await call(env, 'admin', 'GET', '/api/admin/mail/settings');
    expect(shown.json).toEqual({
      source: 'environment',
      mailboxes: ['imap://env:***@env.example/INBOX'],
      smtp: 'smtp://env:***@env.example',
      from: 'env@env.example',
    });
    expect(shown.text).not.toContain('Env-Secret-3');
    const refused = await call(env, 'admin', 'PUT', '/api/admin/mail/settings', { mailboxes: [BOX] });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('conflict');
    expect(reload).not.toHaveBeenCalled();
  });
});

describe.skipIf(!dovecotAvailable())(
  'checking the mail settings against real servers',
  { timeout: 60_000 },
  () => {
    let dovecot: DovecotServer;
    let smtp: SmtpSink;
    beforeAll(async () => {
      dovecot = await startDovecot({ users: [{ user: 'support', password: 'Imap-Secret-6' }] });
      smtp = await startSmtpSink({ password: 'Smtp-Secret-7' });
    }, 30_000);
    afterAll(async () => {
      await smtp?.close();
      await dovecot?.stop();
    });

    it('says ok for the right passwords, and why not for a wrong one, a closed port or a missing folder', async () => {
      const w = await apiWorld();
      const good = { mailboxes: [dovecot.url('support')], smtp: smtp.url, from: FROM };
      const ok = await call(w, 'admin', 'POST', '/api/admin/mail/settings/check', good);
      expect(ok.status).toBe(200);
      expect(ok.json).toEqual({
        mailboxes: [{ target: `imap://support:***@127.0.0.1:${dovecot.port}/INBOX`, ok: true }],
        smtp: { target: `smtp://desk:***@127.0.0.1:${smtp.port}`, ok: true },
      });

      // Saved, then checked as the form sends it back (*** for the passwords), or with no body at all.
      expect((await call(w, 'admin', 'PUT', '/api/admin/mail/settings', good)).status).toBe(200);
      const shown = (await call(w, 'admin', 'GET', '/api/admin/mail/settings')).json;
      const again = await call(w, 'admin', 'POST', '/api/admin/mail/settings/check', shown);
      expect(again.json).toEqual(ok.json);
      expect((await call(w, 'admin', 'POST', '/api/admin/mail/settings/check')).json).toEqual(ok.json);

      const wrong = await call(w, 'admin', 'POST', '/api/admin/mail/settings/check', {
        mailboxes: [
          dovecot.url('support').replace('Imap-Secret-6', 'Wrong-Secret-8'),
          dovecot.url('support', 'No such folder'),
        ],
        smtp: smtp.url.replace('Smtp-Secret-7', 'Wrong-Secret-9'),
        from: FROM,
      });
      expect(wrong.status).toBe(200);
      expect(wrong.json.mailboxes).toEqual([
        expect.objectContaining({ ok: false, reason: 'auth', detail: expect.any(String) }),
        expect.objectContaining({ ok: false, reason: 'folder' }),
      ]);
      expect(wrong.json.smtp).toEqual(expect.objectContaining({ ok: false, reason: 'auth' }));
      for (const secret of ['Wrong-Secret-8', 'Wrong-Secret-9', 'Imap-Secret-6', 'Smtp-Secret-7'])
        expect(wrong.text).not.toContain(secret);
      expect(wrong.text).not.toMatch(/\n\s+at /);

      const closed = await call(w, 'admin', 'POST', '/api/admin/mail/settings/check', {
        mailboxes: ['imap://support:x@127.0.0.1:1/INBOX'],
        smtp: 'smtp://127.0.0.1:1',
        from: FROM,
      });
      expect(closed.json.mailboxes[0]).toMatchObject({ ok: false, reason: 'connection' });
      expect(closed.json.smtp).toMatchObject({ ok: false, reason: 'connection' });
    });
  },
);

describe.skipIf(!dovecotAvailable())(
  'a desk whose admin sets mail up while it runs',
  { timeout: 90_000 },
  () => {
    let dovecot: DovecotServer;
    let smtp: SmtpSink;
    let app: RunningApp | undefined;
    const lines: string[] = [];
    beforeAll(async () => {
      dovecot = await startDovecot({ users: [{ user: 'support', password: 'Imap-Secret-10' }] });
      smtp = await startSmtpSink({ password: 'Smtp-Secret-11' });
    }, 30_000);
    afterAll(async () => {
      await app?.stop();
      await smtp?.close();
      await dovecot?.stop();
    });

    // Starts a desk of its own on SQLite; tests/postgres/desk.test.ts starts one on PostgreSQL.
    it.skipIf(onPostgres)(
      'reads the mailbox saved through the API, ticks the checklist and answers by mail',
      async () => {
        const emu = await startEmulator();
        try {
          const logger = createLogger({
            level: 'debug',
            destination: new Writable({
              write(chunk, _encoding, done) {
                lines.push(String(chunk));
                done();
              },
            }),
          });
          app = await startApp(
            loadConfig({
              BOT_TOKEN: emu.token,
              BOT_API_ROOT: emu.apiRoot,
              DATABASE_PATH: ':memory:',
              PORT: '0',
              HOST: '127.0.0.1',
              ADMIN_TELEGRAM_IDS: '880001',
            }),
            { logger, log: (line) => lines.push(line) },
          );
          const running = app;
          const request = async (method: string, path: string, body?: unknown) => {
            const init = signInitData(
              emu.token,
              { id: 880001, first_name: 'Admin' },
              {
                authDate: Math.floor(Date.now() / 1000),
              },
            );
            const res = await fetch(`${running.url}${path.slice(1)}`, {
              method,
              headers: {
                Authorization: `tma ${init}`,
                ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
              },
              ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            });
            return { status: res.status, text: await res.text() };
          };
          const emailLine = async () =>
            (
              JSON.parse((await request('GET', '/api/admin/setup')).text) as {
                checklist: { items: { key: string; state: string }[] };
              }
            ).checklist.items.find((i) => i.key === 'email')?.state;
          expect(await emailLine()).toBe('todo');

          const saved = await request('PUT', '/api/admin/mail/settings', {
            mailboxes: [dovecot.url('support')],
            smtp: smtp.url,
            from: 'Служба поддержки <support@desk.example>',
          });
          expect(saved.status).toBe(200);
          expect(saved.text).not.toContain('Imap-Secret-10');
          expect(await emailLine()).toBe('done');
          const overview = JSON.parse((await request('GET', '/api/admin/mail')).text) as {
            mailboxes: string[];
          };
          expect(overview.mailboxes).toEqual([`imap://support:***@127.0.0.1:${dovecot.port}/INBOX`]);

          await dovecot.append(
            'support',
            await buildMail({
              from: 'Ирина Петрова <irina@client.example>',
              subject: 'Не работает сканер',
              text: 'Сканер в бухгалтерии не сканирует с утра.',
            }),
          );
          const ticket = await vi.waitFor(
            async () => {
              const found = await queryOne(running.desk.db.select().from(tickets));
              if (!found) throw new Error('no ticket yet');
              return found;
            },
            { timeout: 30_000, interval: 50 },
          );
          expect(ticket).toMatchObject({ channel: 'email', subject: 'Не работает сканер' });
          // The acknowledgement leaves through the SMTP server saved with it.
          await vi.waitFor(() => expect(smtp.received.map((m) => m.to)).toEqual([['irina@client.example']]), {
            timeout: 30_000,
            interval: 50,
          });

          // Mail switched off again: the checklist says so at once.
          expect((await request('PUT', '/api/admin/mail/settings', { mailboxes: [] })).status).toBe(200);
          expect(await emailLine()).toBe('todo');
          expect(JSON.parse((await request('GET', '/api/admin/mail')).text).mailboxes).toEqual([]);
        } finally {
          await app?.stop();
          app = undefined;
          await emu.close();
        }
        const log = lines.join('\n');
        expect(log).toContain(`imap://support:***@127.0.0.1:${dovecot.port}/INBOX`);
        expect(log).not.toContain('Imap-Secret-10');
        expect(log).not.toContain('Smtp-Secret-11');
      },
    );
  },
);

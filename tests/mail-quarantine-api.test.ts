// The admin's Mail routes over HTTP: mail the intake quarantined is listed for admins only, downloads as it
// came, is taken again with the hourly limit lifted (a ticket, the row taken) or stays held when it still
// cannot be taken, is dismissed once; bad and unknown ids are 4xx JSON, never a 500.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../core/files/store.ts';
import { queryAll, queryOne } from '../db/access.ts';
import { mailQuarantine, tickets } from '../db/schema.ts';
import { takeMail } from '../email/ingest.ts';
import { quarantineMail } from '../email/quarantine.ts';
import { apiWorld, call } from './api-harness.ts';
import { storeSnapshot } from './fixtures.ts';
import { buildMail } from './support/mail-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-mail-quarantine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAILBOX = 'imaps://support%40desk.example:***@mail.desk.example/INBOX';
const GARBAGE = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x80, 0x81, 0x0a, 0x0d]);

/** A desk whose intake quarantined three mails: an empty one, garbage, one over its sender's hourly limit. */
async function desk() {
  const files = new FileStore(mkdtempSync(join(dir, 'files-')));
  const w = await apiWorld(
    {},
    { files, mail: { mailboxes: [MAILBOX], ownAddresses: ['support@desk.example'] } },
  );
  const take = async (raw: Buffer, newTicketsPerHour?: number) =>
    takeMail(
      {
        desk: w.ctx,
        files,
        ownAddresses: ['support@desk.example'],
        ...(newTicketsPerHour === undefined ? {} : { newTicketsPerHour }),
      },
      raw,
      MAILBOX,
    );
  const empty = await buildMail({ from: 'nobody@client.example', subject: '', text: '' });
  expect(await take(empty)).toMatchObject({
    kind: 'quarantined',
    reason: expect.stringMatching(/^refused: /),
  });
  w.clock.advance(60_000);
  expect(await take(GARBAGE)).toEqual({ kind: 'quarantined', reason: 'unreadable' });
  w.clock.advance(60_000);
  const limited = await buildMail({
    from: 'Пётр Сидоров <petr@client.example>',
    subject: 'Не печатает принтер',
    text: 'Третий этаж, HP.',
  });
  expect(await take(limited, 0)).toEqual({ kind: 'quarantined', reason: 'too_many_requests' });
  const rows = await queryAll(w.ctx.db.select().from(mailQuarantine));
  const idOf = (reason: string) => rows.find((r) => r.reason.startsWith(reason))?.id ?? 0;
  return {
    w,
    files,
    raw: { empty, garbage: GARBAGE, limited },
    ids: { empty: idOf('refused'), garbage: idOf('unreadable'), limited: idOf('too_many_requests') },
  };
}

const rowOf = async (w: Awaited<ReturnType<typeof desk>>['w'], id: number) =>
  await queryOne(w.ctx.db.select().from(mailQuarantine).where(eq(mailQuarantine.id, id)));

describe('the admin Mail routes', () => {
  it('lists the mailboxes and the held mail, newest first', async () => {
    const { w, ids, raw } = await desk();
    const res = await call(w, 'admin', 'GET', '/api/admin/mail');
    expect(res.status).toBe(200);
    expect(res.json.mailboxes).toEqual([MAILBOX]);
    expect(res.json.held).toEqual([
      {
        id: ids.limited,
        from: 'petr@client.example',
        subject: 'Не печатает принтер',
        reason: 'too_many_requests',
        size: raw.limited.length,
        receivedAt: w.clock.now(),
      },
      {
        id: ids.garbage,
        from: null,
        subject: null,
        reason: 'unreadable',
        size: raw.garbage.length,
        receivedAt: w.clock.now() - 60_000,
      },
      expect.objectContaining({ id: ids.empty, from: 'nobody@client.example', subject: null }),
    ]);
    // Without the e-mail channel configured the list of mailboxes is empty (held mail is still shown).
    const bare = await apiWorld();
    expect((await call(bare, 'admin', 'GET', '/api/admin/mail')).json).toEqual({ mailboxes: [], held: [] });
  });

  it('is refused to everyone but admins, and changes nothing', async () => {
    const { w, ids } = await desk();
    for (const who of ['clientA', 'managerA', 'line1', 'line2', 'field', 'supervisor', 'stranger'] as const) {
      await call(w, who, 'GET', '/api/me'); // signing in creates the person the first time
      const before = await storeSnapshot(w.ctx.db);
      for (const [method, path] of [
        ['GET', '/api/admin/mail'],
        ['GET', `/api/admin/mail/quarantine/${ids.limited}/original`],
        ['POST', `/api/admin/mail/quarantine/${ids.limited}/take`],
        ['POST', `/api/admin/mail/quarantine/${ids.limited}/dismiss`],
        ['POST', '/api/admin/mail/quarantine/abc/take'],
      ] as const) {
        const res = await call(w, who, method, path);
        expect(res.status, `${who} ${method} ${path}`).toBe(403);
        expect(res.json.error.code).toBe('forbidden');
      }
      expect(await storeSnapshot(w.ctx.db), who).toBe(before);
    }
    expect((await call(w, null, 'GET', '/api/admin/mail')).status).toBe(401);
  });

  it('downloads the original byte for byte as an .eml', async () => {
    const { w, ids, raw } = await desk();
    for (const [id, bytes] of [
      [ids.limited, raw.limited],
      [ids.garbage, raw.garbage],
    ] as const) {
      const res = await call(w, 'admin', 'GET', `/api/admin/mail/quarantine/${id}/original`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('message/rfc822');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="mail-${id}.eml"; filename*=UTF-8''mail-${id}.eml`,
      );
      expect(Buffer.from(res.bytes)).toEqual(bytes);
    }
  });

  it('takes a rate-limited mail again: a ticket is filed and the row is taken', async () => {
    const { w, ids } = await desk();
    const res = await call(w, 'admin', 'POST', `/api/admin/mail/quarantine/${ids.limited}/take`);
    expect(res.status).toBe(200);
    const ticket = await queryOne(
      w.ctx.db.select().from(tickets).where(eq(tickets.subject, 'Не печатает принтер')),
    );
    expect(ticket).toMatchObject({ channel: 'email', description: 'Третий этаж, HP.' });
    expect(res.json).toEqual({ state: 'taken', ticketId: ticket?.id, number: ticket?.number });
    expect(await rowOf(w, ids.limited)).toMatchObject({
      state: 'taken',
      ticketId: ticket?.id,
      decidedAt: w.clock.now(),
    });
    const list = await call(w, 'admin', 'GET', '/api/admin/mail');
    expect(list.json.held.map((h: { id: number }) => h.id)).toEqual([ids.garbage, ids.empty]);
    // Decided: neither taken nor dismissed a second time.
    for (const action of ['take', 'dismiss']) {
      const again = await call(w, 'admin', 'POST', `/api/admin/mail/quarantine/${ids.limited}/${action}`);
      expect(again.status, action).toBe(409);
      expect(again.json.error.code).toBe('conflict');
    }
    expect((await queryAll(w.ctx.db.select().from(tickets))).filter((t) => t.id === ticket?.id)).toHaveLength(
      1,
    );
  });

  it('leaves a mail held that still cannot be taken, and says why', async () => {
    const { w, ids } = await desk();
    const before = await storeSnapshot(w.ctx.db);
    for (const [id, reason] of [
      [ids.garbage, 'unreadable'],
      [ids.empty, expect.stringMatching(/^refused: /)],
    ] as const) {
      const res = await call(w, 'admin', 'POST', `/api/admin/mail/quarantine/${id}/take`);
      expect(res.status).toBe(409);
      expect(res.json.error).toMatchObject({ code: 'conflict', reason });
      expect(await rowOf(w, id)).toMatchObject({ state: 'held', ticketId: null, decidedAt: null });
    }
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('dismisses a held mail once', async () => {
    const { w, ids } = await desk();
    const res = await call(w, 'admin', 'POST', `/api/admin/mail/quarantine/${ids.garbage}/dismiss`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ state: 'dismissed' });
    expect(await rowOf(w, ids.garbage)).toMatchObject({ state: 'dismissed', decidedAt: w.clock.now() });
    const twice = await call(w, 'admin', 'POST', `/api/admin/mail/quarantine/${ids.garbage}/dismiss`);
    expect(twice.status).toBe(409);
    expect(twice.json.error.code).toBe('conflict');
    // A dismissed mail is still there to download.
    const original = await call(w, 'admin', 'GET', `/api/admin/mail/quarantine/${ids.garbage}/original`);
    expect(Buffer.from(original.bytes)).toEqual(GARBAGE);
  });

  it('dismisses a mail that turns out to be the desk’s own when taken again', async () => {
    const { w, files } = await desk();
    // Held before MAIL_FROM was configured, say: from the desk's own address.
    const raw = await buildMail({ from: 'support@desk.example', subject: 'Заявка #5 принята', text: 'ok' });
    await quarantineMail(
      w.ctx.db,
      {
        mailKey: 'own-mail',
        mailbox: MAILBOX,
        fromAddress: 'support@desk.example',
        subject: 'Заявка #5 принята',
        reason: 'too_many_requests',
        storagePath: await files.put(raw),
        size: raw.length,
      },
      w.clock.now(),
    );
    const id = (
      await queryOne(w.ctx.db.select().from(mailQuarantine).where(eq(mailQuarantine.mailKey, 'own-mail')))
    )?.id;
    const res = await call(w, 'admin', 'POST', `/api/admin/mail/quarantine/${id}/take`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ state: 'dismissed', reason: 'own_mail' });
    expect((await rowOf(w, id ?? 0))?.state).toBe('dismissed');
  });

  it('answers bad ids with 400 and unknown ones with 404, as JSON', async () => {
    const { w } = await desk();
    const before = await storeSnapshot(w.ctx.db);
    for (const [method, action] of [
      ['GET', 'original'],
      ['POST', 'take'],
      ['POST', 'dismiss'],
    ] as const) {
      for (const bad of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
        const res = await call(w, 'admin', method, `/api/admin/mail/quarantine/${bad}/${action}`);
        expect(res.status, `${action} ${bad}`).toBe(400);
        expect(res.json.error.code).toBe('invalid_input');
      }
      const unknown = await call(w, 'admin', method, `/api/admin/mail/quarantine/9999/${action}`);
      expect(unknown.status, action).toBe(404);
      expect(unknown.json.error.code).toBe('not_found');
    }
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });
});

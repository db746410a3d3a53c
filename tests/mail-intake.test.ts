// The e-mail intake's rules, on the real parser path (raw mails in, store rows out): who the sender is,
// which ticket a mail continues, what is dropped, kept or quarantined, and that a mail taken twice makes
// nothing twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../core/files/store.ts';
import { rememberRef } from '../core/intake/message-refs.ts';
import { ACKS_PER_HOUR } from '../core/notifications.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import {
  attachments,
  comments,
  companies,
  mailQuarantine,
  memberships,
  outbox,
  people,
  ticketEvents,
  tickets,
} from '../db/schema.ts';
import { cleanSubject, type MailIntakeResult, takeMail, ticketNumberIn } from '../email/ingest.ts';
import { REPLY_ABOVE_MARKER_RU } from '../email/quoted-text.ts';
import { makeWorld, type World } from './fixtures.ts';
import { buildMail, newMessageId, type TestMail } from './support/mail-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-mail-intake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function desk() {
  const w = await makeWorld();
  await execute(
    w.ctx.db.update(companies).set({ emailDomain: 'alpha.ru' }).where(eq(companies.id, w.companyA)),
  );
  await execute(
    w.ctx.db.update(people).set({ email: 'client.a@alpha.ru' }).where(eq(people.id, w.ids.clientA)),
  );
  await execute(
    w.ctx.db.update(people).set({ email: 'line1@outsourcer.ru' }).where(eq(people.id, w.ids.line1)),
  );
  const files = new FileStore(mkdtempSync(join(dir, 'files-')));
  const take = async (m: TestMail | Buffer, newTicketsPerHour?: number) =>
    takeMail(
      {
        desk: w.ctx,
        files,
        ownAddresses: ['support@desk.example'],
        ...(newTicketsPerHour === undefined ? {} : { newTicketsPerHour }),
      },
      Buffer.isBuffer(m) ? m : await buildMail(m),
      'imap://support@desk.example/INBOX',
    );
  return { w, files, take };
}

function filed(result: MailIntakeResult) {
  if (result.kind !== 'filed') throw new Error(`expected filed, got ${JSON.stringify(result)}`);
  return result.outcome;
}

const ticketCount = async (w: World) => (await queryAll(w.ctx.db.select().from(tickets))).length;

describe('a new mail', () => {
  it('from a stranger at a public mail service: a person is recorded, the request lands unverified with 1st line', async () => {
    const { w, take } = await desk();
    const outcome = filed(
      await take({
        from: 'Пётр Сидоров <petr.sidorov@gmail.com>',
        subject: 'Не работает VPN',
        text: 'Добрый день!\nС утра не подключается VPN, ошибка 809.',
      }),
    );
    expect(outcome.kind).toBe('created');
    if (outcome.kind !== 'created') return;
    expect(outcome.ticket).toMatchObject({
      channel: 'email',
      companyId: null,
      line: 'line1',
      status: 'new',
      subject: 'Не работает VPN',
      description: 'Добрый день!\nС утра не подключается VPN, ошибка 809.',
    });
    const person = await queryOne(w.ctx.db.select().from(people).where(eq(people.id, outcome.requesterId)));
    expect(person).toMatchObject({
      name: 'Пётр Сидоров',
      email: 'petr.sidorov@gmail.com',
      telegramUserId: null,
    });
    expect(
      await queryAll(
        w.ctx.db.select().from(memberships).where(eq(memberships.personId, outcome.requesterId)),
      ),
    ).toEqual([]);
    // The original mail is kept for staff only.
    const files = await queryAll(
      w.ctx.db.select().from(attachments).where(eq(attachments.ticketId, outcome.ticket.id)),
    );
    expect(files).toMatchObject([{ fileName: 'original.eml', mimeType: 'message/rfc822', internal: true }]);
    // The sender gets an acknowledgement by mail.
    const notices = await queryAll(
      w.ctx.db.select().from(outbox).where(eq(outbox.recipientId, outcome.requesterId)),
    );
    expect(notices).toMatchObject([{ channel: 'email', kind: 'requester.accepted' }]);
  });

  it('from an unknown address at a company’s own domain lands with that company', async () => {
    const { w, take } = await desk();
    const outcome = filed(
      await take({ from: 'new.person@alpha.ru', subject: 'Нет доступа к 1С', text: 'Помогите' }),
    );
    if (outcome.kind !== 'created') throw new Error(outcome.kind);
    expect(outcome.ticket.companyId).toBe(w.companyA);
    const event = await queryOne(
      w.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, outcome.ticket.id)),
    );
    expect(event?.data).toMatchObject({ channel: 'email', verified: true });
  });

  it('from a known person lands as theirs; their files survive byte for byte', async () => {
    const { w, files, take } = await desk();
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const outcome = filed(
      await take({
        from: 'Client A <Client.A@Alpha.ru>',
        subject: 'Скриншот ошибки',
        text: 'Смотрите вложение',
        attachments: [
          { filename: 'ошибка.png', content: png, contentType: 'image/png' },
          { filename: 'virus.exe', content: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]) },
        ],
      }),
    );
    if (outcome.kind !== 'created') throw new Error(outcome.kind);
    expect(outcome.requesterId).toBe(w.ids.clientA);
    const kept = await queryAll(
      w.ctx.db
        .select()
        .from(attachments)
        .where(and(eq(attachments.ticketId, outcome.ticket.id), eq(attachments.internal, false))),
    );
    // The picture is kept; the program is not (it stays readable in the original mail only).
    expect(kept).toMatchObject([{ kind: 'photo', fileName: 'ошибка.png', mimeType: 'image/png' }]);
    const bytes = await files.read(kept[0]?.storagePath ?? '');
    expect(Buffer.from(bytes ?? [])).toEqual(png);
  });

  it('delivered twice (two mailboxes, or read again after a crash) makes one ticket', async () => {
    const { w, take } = await desk();
    const mail = await buildMail({ from: 'client.a@alpha.ru', subject: 'Принтер', text: 'Не печатает' });
    const first = filed(await take(mail));
    const second = filed(await take(mail));
    expect(first.kind).toBe('created');
    expect(second).toEqual({ kind: 'duplicate', ticketId: first.kind === 'created' ? first.ticket.id : -1 });
    expect(await ticketCount(w)).toBe(1);
    expect(
      (await queryAll(w.ctx.db.select().from(outbox))).filter((o) => o.kind === 'requester.accepted'),
    ).toHaveLength(1);
  });

  it('that says nothing and carries nothing is quarantined, not lost', async () => {
    const { w, take } = await desk();
    const result = await take({ from: 'client.a@alpha.ru', subject: '', text: '' });
    expect(result).toMatchObject({ kind: 'quarantined' });
    expect(await ticketCount(w)).toBe(0);
    expect(await queryAll(w.ctx.db.select().from(mailQuarantine))).toMatchObject([
      { fromAddress: 'client.a@alpha.ru', state: 'held' },
    ]);
  });

  it('that cannot be read at all is quarantined whole', async () => {
    const { w, files, take } = await desk();
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x80, 0x81, 0x0a, 0x0d]);
    expect(await take(garbage)).toEqual({ kind: 'quarantined', reason: 'unreadable' });
    const row = await queryOne(w.ctx.db.select().from(mailQuarantine));
    expect(Buffer.from((await files.read(row?.storagePath ?? '')) ?? [])).toEqual(garbage);
  });
});

describe('a reply', () => {
  async function withTicket() {
    const d = await desk();
    const outcome = filed(
      await d.take({ from: 'client.a@alpha.ru', subject: 'Принтер не печатает', text: 'Замятие бумаги' }),
    );
    if (outcome.kind !== 'created') throw new Error(outcome.kind);
    return { ...d, ticket: outcome.ticket };
  }

  it('with [#N] in the subject lands on that ticket, quote stripped', async () => {
    const { w, take, ticket } = await withTicket();
    const reply = filed(
      await take({
        from: 'client.a@alpha.ru',
        subject: `Re: [#${ticket.number}] Принтер не печатает`,
        text: `Бумагу вынул, всё равно не печатает.\n\n${REPLY_ABOVE_MARKER_RU}\nЗаявка #${ticket.number} принята.`,
      }),
    );
    expect(reply).toMatchObject({ kind: 'commented', ticket: { id: ticket.id } });
    expect(
      await queryAll(w.ctx.db.select().from(comments).where(eq(comments.ticketId, ticket.id))),
    ).toMatchObject([
      { body: 'Бумагу вынул, всё равно не печатает.', authorId: w.ids.clientA, internal: false },
    ]);
  });

  it('by In-Reply-To to a mail we sent lands on its ticket, whatever the subject', async () => {
    const { w, take, ticket } = await withTicket();
    await rememberRef(w.ctx.db, 'email', 't1.n1@desk.example', { ticketId: ticket.id }, w.clock.now());
    const reply = filed(
      await take({
        from: 'client.a@alpha.ru',
        subject: 'Ответ: ваше письмо',
        text: 'Спасибо, заработало',
        inReplyTo: 't1.n1@desk.example',
      }),
    );
    expect(reply).toMatchObject({ kind: 'commented', ticket: { id: ticket.id } });
  });

  it('from someone who may not see the ticket opens a new request instead', async () => {
    const { w, take, ticket } = await withTicket();
    const outcome = filed(
      await take({ from: 'guess@evil.example', subject: `Re: [#${ticket.number}]`, text: 'Закройте заявку' }),
    );
    expect(outcome.kind).toBe('created');
    expect(await queryAll(w.ctx.db.select().from(comments).where(eq(comments.ticketId, ticket.id)))).toEqual(
      [],
    );
  });

  it('from staff at their own address is a public reply that stops the first-response clock', async () => {
    const { w, take, ticket } = await withTicket();
    const reply = filed(
      await take({
        from: 'line1@outsourcer.ru',
        subject: `RE: [#${ticket.number}] Принтер не печатает`,
        text: 'Выезжаем через час.',
      }),
    );
    expect(reply).toMatchObject({ kind: 'commented', authorId: w.ids.line1 });
    const after = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id)));
    expect(after?.firstRespondedAt).toBe(w.clock.now());
  });

  it('to a resolved ticket reopens it; to a closed one opens a new request that follows it', async () => {
    const { w, take, ticket } = await withTicket();
    await act(w.ctx, w.as.line1, ticket.id, { action: 'take' });
    await act(w.ctx, w.as.line1, ticket.id, { action: 'resolve', resolution: 'Заменили ролик' });
    const reopened = filed(
      await take({
        from: 'client.a@alpha.ru',
        subject: `Re: [#${ticket.number}]`,
        text: 'Опять мнёт бумагу',
      }),
    );
    expect(reopened).toMatchObject({ kind: 'commented', reopened: true, ticket: { status: 'open' } });

    await act(w.ctx, w.as.line1, ticket.id, { action: 'take' });
    await act(w.ctx, w.as.line1, ticket.id, { action: 'resolve', resolution: 'Заменили принтер' });
    await act(w.ctx, w.as.clientA, ticket.id, { action: 'confirm' });
    const next = filed(
      await take({ from: 'client.a@alpha.ru', subject: `Re: [#${ticket.number}]`, text: 'Новый тоже мнёт' }),
    );
    expect(next).toMatchObject({ kind: 'created', followsUp: { id: ticket.id } });
    if (next.kind !== 'created') return;
    const created = await queryOne(
      w.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, next.ticket.id)),
    );
    expect(created?.data).toMatchObject({ followsUp: ticket.number });
  });
});

describe('mail from machines', () => {
  it('an auto-reply changes nothing and sends nothing', async () => {
    const { w, take } = await desk();
    const ticket = await createTicket(w.ctx, w.as.clientA, { channel: 'email', description: 'Принтер' });
    const before = (await queryAll(w.ctx.db.select().from(outbox))).length;
    const result = await take({
      from: 'client.a@alpha.ru',
      subject: `Автоответ: [#${ticket.number}] Принтер`,
      text: 'Я в отпуске до 10 декабря.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(result).toEqual({ kind: 'dropped', reason: 'auto_reply' });
    expect(await queryAll(w.ctx.db.select().from(comments))).toEqual([]);
    expect(await queryAll(w.ctx.db.select().from(outbox))).toHaveLength(before);
  });

  it('a bounce of our mail becomes an internal note on its ticket, not a request', async () => {
    const { w, take } = await desk();
    const ticket = await createTicket(w.ctx, w.as.clientA, { channel: 'email', description: 'Принтер' });
    await rememberRef(
      w.ctx.db,
      'email',
      `t${ticket.id}.n7@desk.example`,
      { ticketId: ticket.id },
      w.clock.now(),
    );
    const result = await take({
      from: 'MAILER-DAEMON@mx.alpha.ru',
      subject: 'Undelivered Mail Returned to Sender',
      text: `This is the mail system.\n\nMessage-ID: <t${ticket.id}.n7@desk.example>\n550 5.1.1 User unknown`,
    });
    expect(result).toEqual({ kind: 'bounce', ticketId: ticket.id });
    expect(await ticketCount(w)).toBe(1);
    expect(await queryAll(w.ctx.db.select().from(comments))).toMatchObject([
      { ticketId: ticket.id, internal: true, authorId: null },
    ]);
  });

  it('our own mail come back is dropped', async () => {
    const { w, take } = await desk();
    const result = await take({ from: 'Desk <support@desk.example>', subject: '[#1001] Принята', text: 'x' });
    expect(result).toEqual({ kind: 'dropped', reason: 'own_mail' });
    const ticket = await createTicket(w.ctx, w.as.clientA, { channel: 'email', description: 'Принтер' });
    const ours = newMessageId('desk');
    await rememberRef(w.ctx.db, 'email', ours, { ticketId: ticket.id }, w.clock.now());
    const loop = await take({ from: 'someone@relay.example', subject: 'x', text: 'x', messageId: ours });
    expect(loop).toEqual({ kind: 'dropped', reason: 'own_mail' });
    expect(await ticketCount(w)).toBe(1);
  });

  it('a sender past the hourly limit of new requests is quarantined, and acknowledgements are capped', async () => {
    const { w, take } = await desk();
    const results: MailIntakeResult[] = [];
    for (let i = 0; i < ACKS_PER_HOUR + 2; i++) {
      results.push(
        await take(
          { from: 'loop@client.example', subject: `Письмо ${i}`, text: `Текст ${i}` },
          ACKS_PER_HOUR + 1,
        ),
      );
    }
    expect(results.filter((r) => r.kind === 'filed')).toHaveLength(ACKS_PER_HOUR + 1);
    expect(results.at(-1)).toEqual({ kind: 'quarantined', reason: 'too_many_requests' });
    const acks = (await queryAll(w.ctx.db.select().from(outbox))).filter(
      (o) => o.kind === 'requester.accepted',
    );
    expect(acks).toHaveLength(ACKS_PER_HOUR);
  });
});

describe('a mail that breaks something', () => {
  /** A file store whose next write fails with this error, once. */
  class FailingOnce extends FileStore {
    failure: Error | undefined;
    override async put(bytes: Uint8Array): Promise<string> {
      const failure = this.failure;
      this.failure = undefined;
      if (failure) throw failure;
      return super.put(bytes);
    }
  }
  const setUp = async () => {
    const w = await makeWorld();
    const files = new FailingOnce(mkdtempSync(join(dir, 'failing-')));
    const take = async (m: TestMail) =>
      takeMail(
        { desk: w.ctx, files, ownAddresses: [] },
        await buildMail(m),
        'imap://support@desk.example/INBOX',
      );
    return { w, files, take };
  };

  it('is quarantined with what went wrong, and the next mail is taken as usual', async () => {
    const { w, files, take } = await setUp();
    files.failure = new TypeError('something this mail trips over');
    const bad = await take({ from: 'a@client.example', subject: 'Первое', text: 'Текст' });
    expect(bad).toEqual({ kind: 'quarantined', reason: 'failed: TypeError: something this mail trips over' });
    expect(filed(await take({ from: 'b@client.example', subject: 'Второе', text: 'Текст' })).kind).toBe(
      'created',
    );
    expect(await queryAll(w.ctx.db.select().from(mailQuarantine))).toMatchObject([
      { fromAddress: 'a@client.example' },
    ]);
    expect(await ticketCount(w)).toBe(1);
  });

  it('leaves it unread when the store or the disk fails: nothing written, the mailbox tries again', async () => {
    const { w, files, take } = await setUp();
    files.failure = Object.assign(new Error('no space left on device'), { code: 'ENOSPC', syscall: 'write' });
    const mail: TestMail = { from: 'a@client.example', subject: 'Первое', text: 'Текст' };
    await expect(take(mail)).rejects.toThrow('no space left');
    expect(await queryAll(w.ctx.db.select().from(mailQuarantine))).toEqual([]);
    expect(await ticketCount(w)).toBe(0);
  });
});

describe('subjects', () => {
  it('find the ticket tag and drop reply prefixes', () => {
    expect(ticketNumberIn('Re: [#1042] Принтер')).toBe(1042);
    expect(ticketNumberIn('Принтер #1042')).toBeUndefined();
    expect(cleanSubject('RE: Fwd: [#1042] Принтер')).toBe('Принтер');
    expect(cleanSubject('Ответ: Отв: Не работает почта')).toBe('Не работает почта');
  });
});

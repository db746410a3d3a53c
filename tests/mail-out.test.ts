// E-mail out: the channel-neutral wording of every notice kind, the mail made of it, and the sender against
// a real SMTP server (smtp-server on 127.0.0.1): threading headers, the Message-ID kept for replies, the
// reply line on top, the reader's language, retries on 4xx and refused connections, dead letters on 5xx,
// "uncertain" on a connection lost after the message went out, the per-domain budget, no password in logs.
import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';
import { eq } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../core/actors.ts';
import { refOf, rememberRef } from '../core/intake/message-refs.ts';
import { ACTIONS } from '../core/lifecycle.ts';
import { noticeWording } from '../core/notice-wording.ts';
import { ACCEPTED_NOTICE } from '../core/notifications.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { memberships, type OutboxRow, outbox, people } from '../db/schema.ts';
import { renderMail } from '../email/outbound/render.ts';
import { MailSender, maskedSmtpUrl, smtpOptions } from '../email/outbound/sender.ts';
import { REPLY_ABOVE_MARKERS } from '../email/reply-marker.ts';
import { translator } from '../locales/index.ts';
import { makeWorld, type World } from './fixtures.ts';

const RU_MARKER = '##- Ответьте выше этой строки -##';
const EN_MARKER = '##- Please type your reply above this line -##';
const USER = 'desk@desk.example';
const PASSWORD = 'pa55-Secret-w0rd';
const FROM = 'Alpha Desk <support@desk.example>';

interface Received {
  to: string[];
  raw: string;
  mail: ParsedMail;
}

/** 'drop': the connection breaks after the whole message came; 'drop-early': at RCPT TO, before DATA. */
type Answer = 'accept' | 451 | 550 | 'drop' | 'drop-early';

interface Smtp {
  port: number;
  received: Received[];
  /** How to answer each next message's DATA, in turn; 'accept' once the list runs out. */
  answers: Answer[];
  close(): Promise<void>;
}

async function startSmtp(answers: Answer[] = []): Promise<Smtp> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const state = { answers };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(_address, _session, callback) {
      if (state.answers[0] !== 'drop-early') return callback();
      state.answers.shift();
      for (const socket of sockets) socket.destroy();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const answer = state.answers.shift() ?? 'accept';
        if (answer === 'drop') {
          // The whole message arrived and the connection breaks before the answer: did it go or not?
          for (const socket of sockets) socket.destroy();
          return;
        }
        if (answer !== 'accept') {
          callback(
            Object.assign(new Error(answer === 451 ? 'Try again later' : 'No such user here'), {
              responseCode: answer,
            }),
          );
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          mail: await simpleParser(raw),
        });
        callback();
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    get answers() {
      return state.answers;
    },
    set answers(a: Answer[]) {
      state.answers = a;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const cleanups: Array<() => Promise<void>> = [];
const errors: unknown[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  expect(errors.splice(0)).toEqual([]);
});

/** Everything the sender logged, as text. */
function captureLogger() {
  const lines: string[] = [];
  const line = (level: string) => (o: object, m?: string) =>
    lines.push(`${level} ${m ?? ''} ${JSON.stringify(o)}`);
  return { lines, logger: { info: line('info'), warn: line('warn'), error: line('error') } };
}

async function startSender(
  w: World,
  port: number,
  extra: Partial<ConstructorParameters<typeof MailSender>[0]> = {},
) {
  const log = captureLogger();
  const sender = new MailSender({
    desk: w.ctx,
    smtpUrl: `smtp://${encodeURIComponent(USER)}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`,
    from: FROM,
    idleMs: 20,
    random: () => 0,
    onError: (error) => errors.push(error),
    logger: log.logger,
    ticketUrl: (id) => `https://desk.example/app?ticket=${id}`,
    ...extra,
  });
  await sender.start();
  cleanups.push(() => sender.stop());
  return { sender, log };
}

/** A client of company A known only by e-mail (no Telegram). */
async function mailPerson(
  w: World,
  name: string,
  email: string | null,
  language: 'ru' | 'en' = 'ru',
): Promise<number> {
  const id = (
    await queryOne(w.ctx.db.insert(people).values({ name, email, language, createdAt: 0 }).returning())
  ).id;
  await execute(w.ctx.db.insert(memberships).values({ personId: id, role: 'client', companyId: w.companyA }));
  return id;
}

/** Staff file a request for the person (a phone call): the person hears of it by mail. */
async function fileFor(w: World, requesterId: number, description = 'The printer on floor 3 jams') {
  return await createTicket(w.ctx, w.as.line1, { channel: 'phone', requesterId, description });
}

const rows = async (w: World) =>
  await queryAll(w.ctx.db.select().from(outbox).where(eq(outbox.channel, 'email')));
const rowOf = async (w: World, id: number) =>
  await queryOne(w.ctx.db.select().from(outbox).where(eq(outbox.id, id)));

const POLL = { timeout: 10_000, interval: 20 };

describe('notice wording', () => {
  let w: World;
  let requester: number;
  let ticket: Awaited<ReturnType<typeof fileFor>>;
  beforeAll(async () => {
    w = await makeWorld();
    requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    ticket = await fileFor(w, requester, 'Wi-Fi is down in the meeting room\nSince this morning');
  });
  const row = (kind: string, payload: Record<string, unknown> = {}): OutboxRow => ({
    id: 1,
    createdAt: 0,
    ticketId: ticket.id,
    eventId: null,
    recipientId: requester,
    channel: 'email',
    kind,
    payload: { ticketId: ticket.id, number: ticket.number, event: kind.split('.')[1], ...payload },
    idempotencyKey: kind,
    state: 'sending',
    attempts: 1,
    nextAttemptAt: 0,
    lastError: null,
    sentAt: null,
    claimedBy: null,
  });
  const visit = {
    startsAt: Date.parse('2026-11-03T10:00:00+03:00'),
    endsAt: Date.parse('2026-11-03T12:00:00+03:00'),
  };
  const payloads: Record<string, Record<string, unknown>> = {
    ask_customer: { question: 'Which room?' },
    resolve: { resolution: 'Replaced the access point' },
    reopen: { reason: 'Down again' },
    comment: { body: 'We are on it' },
    schedule_visit: { ...visit, address: 'Room 12' },
    pick_visit: { ...visit, address: 'Room 12' },
    offer_visit: { slots: [{ id: 1, ...visit }] },
    escalate_line2: { reason: 'Needs the network team' },
    rate: { rating: 4 },
  };
  /** Events a requester hears of (the others are internal or the requester's own). */
  const requesterEvents = ['created', ...ACTIONS].filter((e) => !['categorize', 'rate'].includes(e));
  const staffEvents = ['created', ...ACTIONS, 'comment', 'internal_note', 'sla_warning', 'sla_breached'];

  it('words every notice a person can get, in both languages, with no key left unresolved', async () => {
    for (const language of ['ru', 'en'] as const) {
      const t = translator(language);
      const kinds = [
        ACCEPTED_NOTICE,
        ...requesterEvents.map((e) => `requester.${e}`),
        ...staffEvents.flatMap((e) => [`line.${e}`, `assignee.${e}`, `supervisor.${e}`]),
      ];
      for (const kind of kinds) {
        const wording = await noticeWording(
          w.ctx,
          t,
          row(kind, payloads[kind.split('.')[1] ?? ''] ?? {}),
          language,
        );
        const all = [wording.title, wording.body, ...wording.facts.flatMap((f) => [f.label, f.value])];
        for (const piece of all)
          expect(piece, `${language} ${kind}`).not.toMatch(/^(notice|mail|event|status|priority)-|\{ ?\$/);
        expect(wording.title, kind).not.toBe('');
        expect(wording.number).toBe(ticket.number);
        expect(wording.ticketId).toBe(ticket.id);
      }
    }
  });

  it('gives the facts a reader looks for, due times in the contract zone', async () => {
    const t = translator('en');
    const wording = await noticeWording(w.ctx, t, row('requester.created'), 'en');
    const facts = Object.fromEntries(wording.facts.map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({
      Request: `#${ticket.number}`,
      Subject: 'Wi-Fi is down in the meeting room',
      Status: 'New',
      Priority: t(`priority-${ticket.priority}`),
    });
    expect(facts['We will answer by']).toMatch(/^2026-11-02 \d\d:\d\d \(Europe\/Moscow\)$/);
    expect(facts['To be solved by']).toMatch(/\(Europe\/Moscow\)$/);
    const staff = await noticeWording(w.ctx, t, row('line.created'), 'en');
    expect(staff.title).toBe('New request: Wi-Fi is down in the meeting room');
    expect(staff.body).toContain('Since this morning'); // the description, for whoever takes it
    expect(Object.fromEntries(staff.facts.map((f) => [f.label, f.value]))).toMatchObject({
      Requester: 'Mail Client',
      Company: 'Alpha LLC',
      Line: expect.any(String),
      Assignee: expect.any(String),
    });
    // Chat buttons become a request to reply.
    const offer = await noticeWording(w.ctx, t, row('requester.offer_visit', payloads.offer_visit), 'en');
    expect(offer.body).toMatch(/• \w{3} 3 Nov, 10:00–12:00 \(Europe\/Moscow\)/);
    expect(offer.body).toContain('Reply to this message');
  });

  it('acknowledges a request with its number, priority and answer time, never with its words', async () => {
    for (const language of ['ru', 'en'] as const) {
      const wording = await noticeWording(w.ctx, translator(language), row(ACCEPTED_NOTICE), language);
      const all = JSON.stringify(wording);
      expect(all).not.toContain('Wi-Fi');
      expect(all).not.toContain('morning');
      expect(wording.body).toContain(`#${ticket.number}`);
      expect(wording.body).toContain(translator(language)(`priority-${ticket.priority}`));
      expect(wording.body).toMatch(/2026-11-02 \d\d:\d\d \(Europe\/Moscow\)\.$/);
    }
  });

  it('refuses kinds it cannot word, so the sender makes them dead letters', async () => {
    const t = translator('ru');
    for (const kind of [
      'staff.files',
      'group.created',
      'requester.rate',
      'requester.internal_note',
      'weird',
      'line.nothing',
    ])
      await expect(noticeWording(w.ctx, t, row(kind)), kind).rejects.toThrow(/no wording/);
  });
});

describe('the mail', () => {
  const wording = {
    title: 'Request resolved: <script>alert(1)</script> & "quotes"',
    body: 'Line one\nLine two\n\nSecond <b>paragraph</b>',
    facts: [{ label: 'Subject', value: '<img src=x onerror=alert(1)>' }],
    ticketId: 7,
    number: 1042,
  };

  it('tags the subject, opens both parts with the reply line and escapes the HTML', () => {
    const mail = renderMail(wording, {
      language: 'en',
      from: FROM,
      deskName: 'Alpha Desk',
      ticketUrl: 'https://desk.example/t/7',
    });
    expect(mail.subject).toBe('[#1042] Request resolved: <script>alert(1)</script> & "quotes"');
    expect(mail.text.split('\n')[0]).toBe(EN_MARKER);
    expect(mail.text).toContain('Subject: <img src=x onerror=alert(1)>');
    expect(mail.text).toContain('https://desk.example/t/7');
    expect(mail.text).toContain('support@desk.example');
    expect(mail.html).not.toMatch(/<script|<img|<b>/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(mail.html).toContain('Line one<br>Line two');
    expect(mail.html).toMatch(
      /<body[^>]*>\s*<div[^>]*>##- Please type your reply above this line -##<\/div>/,
    );
    expect(mail.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(mail.html).not.toMatch(/background/);
    const ru = renderMail(
      { ...wording, number: null, ticketId: null },
      { language: 'ru', from: FROM, deskName: 'Альфа', ticketUrl: 'javascript:alert(1)' },
    );
    expect(ru.subject.startsWith('[#')).toBe(false);
    expect(ru.text.split('\n')[0]).toBe(RU_MARKER);
    expect(ru.html).not.toContain('javascript:');
  });

  it('has the reply lines of the locale files, for the reply cutter', () => {
    expect(REPLY_ABOVE_MARKERS).toEqual([RU_MARKER, EN_MARKER]);
    expect(translator('ru')('mail-reply-above')).toBe(RU_MARKER);
    expect(translator('en')('mail-reply-above')).toBe(EN_MARKER);
  });

  it('reads SMTP_URL without ever showing its password', () => {
    expect(smtpOptions('smtps://u%40x.ru:p%3Ass@mail.x.ru')).toEqual({
      host: 'mail.x.ru',
      port: 465,
      secure: true,
      auth: { user: 'u@x.ru', pass: 'p:ss' },
    });
    expect(smtpOptions('smtp://mail.x.ru:2525')).toEqual({ host: 'mail.x.ru', port: 2525, secure: false });
    expect(maskedSmtpUrl('smtp://u:secret@mail.x.ru:587')).toBe('smtp://u:***@mail.x.ru:587');
    expect(() => smtpOptions('http://u:secret@x')).toThrow(/smtp:\/\//);
    expect(() => smtpOptions('smtp//u:secret@x')).toThrow(/not a URL/);
    try {
      smtpOptions('smtp//u:secret@x');
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });
});

describe('the mail sender', () => {
  it('mails a notice to the requester: threaded, tagged, auto-submitted, in both parts, its id kept', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    const ticket = await fileFor(w, requester);
    // The client wrote to us before about it: our mail answers that thread.
    await rememberRef(
      w.ctx.db,
      'email',
      'first.mail@alpha.example',
      { ticketId: ticket.id, direction: 'in' },
      1,
    );
    await rememberRef(
      w.ctx.db,
      'email',
      'second.mail@alpha.example',
      { ticketId: ticket.id, direction: 'in' },
      2,
    );
    const [row] = await rows(w);
    expect(row?.kind).toBe('requester.created');
    const { log } = await startSender(w, smtp.port);

    await expect.poll(() => smtp.received.length, POLL).toBe(1);
    const got = smtp.received[0];
    if (!got || !row) throw new Error('nothing received');
    const { mail } = got;
    expect(got.to).toEqual(['client@alpha.example']);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('client@alpha.example');
    expect(mail.from?.value).toEqual([{ name: 'Alpha Desk', address: 'support@desk.example' }]);
    expect(mail.subject).toBe(`[#${ticket.number}] Заявка зарегистрирована: The printer on floor 3 jams`);
    const messageId = `t${ticket.id}.n${row.id}@desk.example`;
    expect(mail.messageId).toBe(`<${messageId}>`);
    expect(mail.inReplyTo).toBe('<second.mail@alpha.example>');
    expect(mail.references).toEqual(['<first.mail@alpha.example>', '<second.mail@alpha.example>']);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail.headers.get('precedence')).toBeUndefined();
    expect(mail.text?.split('\n')[0]).toBe(RU_MARKER);
    expect(mail.text).toContain(`Заявка #${ticket.number} зарегистрирована`);
    expect(mail.text).toMatch(/\nОтветим до: 2026-11-02 \d\d:\d\d \(Europe\/Moscow\)\n/);
    expect(mail.html).toMatch(/<body[^>]*>\s*<div[^>]*>##- Ответьте выше этой строки -##/);
    expect(mail.html).toContain(`https://desk.example/app?ticket=${ticket.id}`);

    await expect.poll(async () => (await rowOf(w, row.id))?.state, POLL).toBe('sent');
    expect(await refOf(w.ctx.db, 'email', messageId)).toMatchObject({
      ticketId: ticket.id,
      direction: 'out',
    });

    // The next notice answers our own mail, the thread grown by one.
    await act(w.ctx, w.as.line1, ticket.id, { action: 'take' });
    await expect.poll(() => smtp.received.length, POLL).toBe(2);
    const next = smtp.received[1]?.mail;
    expect(next?.subject).toBe(`[#${ticket.number}] Инженер взял заявку: The printer on floor 3 jams`);
    expect(next?.inReplyTo).toBe(`<${messageId}>`);
    expect(next?.references).toEqual([
      '<first.mail@alpha.example>',
      '<second.mail@alpha.example>',
      `<${messageId}>`,
    ]);
    expect(log.lines.join('\n')).not.toContain(PASSWORD);
    expect(log.lines.join('\n')).toContain('***');
  });

  it('writes to an English reader in English, and to each reader in the order things happened', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const ann = await mailPerson(w, 'Ann', 'ann@alpha.example', 'en');
    const ticket = await fileFor(w, ann, 'Laptop does not boot');
    await act(w.ctx, w.as.line1, ticket.id, { action: 'take' });
    await act(w.ctx, w.as.line1, ticket.id, {
      action: 'ask_customer',
      question: 'Does the power LED light up?',
    });
    await startSender(w, smtp.port);

    await expect.poll(() => smtp.received.length, POLL).toBe(3);
    const subjects = smtp.received.map((r) => r.mail.subject);
    expect(subjects).toEqual([
      `[#${ticket.number}] Request registered: Laptop does not boot`,
      `[#${ticket.number}] An engineer took the request: Laptop does not boot`,
      `[#${ticket.number}] A question about your request: Laptop does not boot`,
    ]);
    const question = smtp.received[2]?.mail;
    expect(question?.text?.split('\n')[0]).toBe(EN_MARKER);
    expect(question?.text).toContain('Does the power LED light up?');
    expect(question?.html).toContain('lang="en"');
    // The facts are the ticket's as the mail goes: waiting for the client, the clock stands, so no due time.
    expect(question?.text).toContain('Status: Waiting for you');
    expect(question?.text).not.toContain('We will answer by');
  });

  it('acknowledges a request by mail without a word of what the client wrote', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    const ticket = await createTicket(w.ctx, await loadActor(w.ctx.db, requester), {
      channel: 'phone',
      description: 'Zanzibar pineapple protocol broken\nSecret details: hunter2',
    });
    // Whatever else filing queued, the acknowledgement is what this looks at.
    await execute(w.ctx.db.delete(outbox));
    await execute(
      w.ctx.db.insert(outbox).values({
        createdAt: 0,
        ticketId: ticket.id,
        recipientId: requester,
        channel: 'email',
        kind: ACCEPTED_NOTICE,
        payload: { ticketId: ticket.id, number: ticket.number, event: 'created', subject: ticket.subject },
        idempotencyKey: 'ack',
        nextAttemptAt: 0,
      }),
    );
    await startSender(w, smtp.port);
    await expect.poll(() => smtp.received.length, POLL).toBe(1);
    const got = smtp.received[0];
    expect(got?.mail.subject).toBe(`[#${ticket.number}] Заявка зарегистрирована`);
    const priority = translator('ru')(`priority-${ticket.priority}`);
    expect(got?.mail.text).toMatch(
      new RegExp(
        `Заявка #${ticket.number} принята. Приоритет: ${priority}. Ответим до 2026-11-02 \\d\\d:\\d\\d \\(Europe/Moscow\\)\\.`,
      ),
    );
    for (const word of ['Zanzibar', 'pineapple', 'hunter2', 'Secret'])
      expect(got?.raw, word).not.toContain(word);
  });

  it('tries again after a 451, and makes a 550 a dead letter with the reason', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp([451]);
    cleanups.push(() => smtp.close());
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    await fileFor(w, requester);
    const [row] = await rows(w);
    if (!row) throw new Error('no row');
    await startSender(w, smtp.port);
    await expect.poll(async () => (await rowOf(w, row.id))?.lastError ?? '', POLL).toContain('451');
    await expect.poll(async () => (await rowOf(w, row.id))?.state, POLL).toBe('sent');
    expect((await rowOf(w, row.id))?.attempts).toBe(2);
    expect(smtp.received).toHaveLength(1);

    smtp.answers = [550];
    const other = await mailPerson(w, 'Gone', 'gone@alpha.example');
    await fileFor(w, other);
    const gone = (await rows(w)).find((r) => r.recipientId === other);
    if (!gone) throw new Error('no row');
    await expect.poll(async () => (await rowOf(w, gone.id))?.state, POLL).toBe('dead');
    expect((await rowOf(w, gone.id))?.lastError).toMatch(/^smtp: 550 .*No such user here/);
    expect((await rowOf(w, gone.id))?.attempts).toBe(1);
    expect(smtp.received).toHaveLength(1);
  });

  it('never sends twice a mail whose connection broke after it went out: an uncertain dead letter', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp(['drop']);
    cleanups.push(() => smtp.close());
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    const ticket = await fileFor(w, requester);
    const [row] = await rows(w);
    if (!row) throw new Error('no row');
    await startSender(w, smtp.port);
    await expect.poll(async () => (await rowOf(w, row.id))?.state, POLL).toBe('dead');
    expect((await rowOf(w, row.id))?.lastError).toMatch(/^uncertain: /);
    expect(await refOf(w.ctx.db, 'email', `t${ticket.id}.n${row.id}@desk.example`)).toBeUndefined();
    // The next notice to the same person goes as usual.
    await act(w.ctx, w.as.line1, ticket.id, { action: 'take' });
    await expect.poll(() => smtp.received.length, POLL).toBe(1);
    expect(smtp.received[0]?.mail.subject).toContain('Инженер взял заявку');
  });

  it('tries again when the connection broke before the message went out', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp(['drop-early']);
    cleanups.push(() => smtp.close());
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    await fileFor(w, requester);
    const [row] = await rows(w);
    if (!row) throw new Error('no row');
    await startSender(w, smtp.port);
    await expect.poll(async () => (await rowOf(w, row.id))?.state, POLL).toBe('sent');
    expect((await rowOf(w, row.id))?.attempts).toBe(2);
    expect((await rowOf(w, row.id))?.lastError).toBeNull();
    expect(smtp.received).toHaveLength(1);
  });

  it('tries again when the server hangs up before its greeting', async () => {
    const w = await makeWorld();
    const rude = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => rude.close(() => resolve())));
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    await fileFor(w, requester);
    const [row] = await rows(w);
    if (!row) throw new Error('no row');
    await startSender(w, (rude.address() as AddressInfo).port);
    await expect.poll(async () => (await rowOf(w, row.id))?.attempts ?? 0, POLL).toBeGreaterThanOrEqual(2);
    expect((await rowOf(w, row.id))?.state).not.toBe('dead');
    expect((await rowOf(w, row.id))?.lastError).toMatch(/^network: ECONNECTION/);
  });

  it('retries while the SMTP server refuses connections, and keeps the password out of logs', async () => {
    const w = await makeWorld();
    const port = await closedPort();
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    await fileFor(w, requester);
    const [row] = await rows(w);
    if (!row) throw new Error('no row');
    const { log } = await startSender(w, port);
    await expect.poll(async () => (await rowOf(w, row.id))?.attempts ?? 0, POLL).toBeGreaterThanOrEqual(2);
    const now = await rowOf(w, row.id);
    expect(now?.state === 'pending' || now?.state === 'sending').toBe(true);
    expect(now?.lastError).toMatch(/^network: .*ECONNREFUSED/);
    const logged = log.lines.join('\n');
    expect(logged).toContain('will try again');
    expect(logged).not.toContain(PASSWORD);
    expect(logged).not.toContain(encodeURIComponent(PASSWORD));
    expect(JSON.stringify(await queryAll(w.ctx.db.select().from(outbox)))).not.toContain(PASSWORD);
  });

  it('makes a notice to someone without an address, or of a kind it cannot word, a dead letter', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const nobody = await mailPerson(w, 'No Address', null);
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    const insert = async (recipientId: number, kind: string) =>
      (
        await queryOne(
          w.ctx.db
            .insert(outbox)
            .values({
              createdAt: 0,
              recipientId,
              channel: 'email',
              kind,
              payload: { event: 'comment', body: 'x', number: 1 },
              idempotencyKey: `${recipientId}:${kind}`,
              nextAttemptAt: 0,
            })
            .returning(),
        )
      ).id;
    const noAddress = await insert(nobody, 'requester.comment');
    const two = await mailPerson(w, 'Two', 'a@alpha.example, b@beta.example');
    const twoAddresses = await insert(two, 'requester.comment');
    const unworded = await insert(requester, 'staff.files');
    const seen: unknown[] = [];
    await startSender(w, smtp.port, { onError: (e) => seen.push(e) });
    await expect
      .poll(
        async () =>
          await Promise.all(
            [noAddress, twoAddresses, unworded].map(async (id) => (await rowOf(w, id))?.state),
          ),
        POLL,
      )
      .toEqual(['dead', 'dead', 'dead']);
    expect((await rowOf(w, noAddress))?.lastError).toBe('the recipient has no e-mail address');
    expect((await rowOf(w, twoAddresses))?.lastError).toMatch(/not one valid address/);
    expect((await rowOf(w, unworded))?.lastError).toMatch(/^cannot be sent: Error: no wording/);
    expect(seen).toHaveLength(1);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends the files of a staff answer with its mail, Telegram-held ones fetched; one not to be had is left out', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const requester = await mailPerson(w, 'Mail Client', 'client@alpha.example');
    const ticket = await fileFor(w, requester);
    await addComment(w.ctx, w.as.line1, ticket.id, {
      body: 'Screens attached',
      attachments: [
        { kind: 'photo', fileName: 'step1.jpg', telegramFileId: 'AgAC-step1' },
        { kind: 'photo', fileName: 'step2.jpg', telegramFileId: 'AgAC-gone' },
      ],
    });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await startSender(w, smtp.port, {
      downloadFile: async (id) => {
        if (id === 'AgAC-gone') throw new Error('file is too old');
        return { bytes: jpeg, fileName: 'photos/file_1.jpg' };
      },
    });
    await expect
      .poll(() => smtp.received.find((r) => r.mail.text?.includes('Screens attached')), POLL)
      .toBeDefined();
    const answer = smtp.received.find((r) => r.mail.text?.includes('Screens attached'));
    expect(answer?.mail.attachments.map((a) => [a.filename, a.content.equals(jpeg)])).toEqual([
      ['step1.jpg', true],
    ]);
  });

  it('sends at most the budget to one domain in a minute; the rest waits its turn', async () => {
    const w = await makeWorld();
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const alpha: number[] = [];
    for (const i of [1, 2, 3]) alpha.push(await mailPerson(w, `A${i}`, `a${i}@alpha.example`));
    const beta = await mailPerson(w, 'B', 'b@beta.example');
    for (const id of [...alpha, beta]) await fileFor(w, id);
    const started = Date.now();
    await startSender(w, smtp.port, { limits: { perDomainPerMinute: 2 } });
    await expect.poll(() => smtp.received.length, POLL).toBe(3);
    const to = smtp.received.flatMap((r) => r.to).sort();
    expect(to).toEqual(['a1@alpha.example', 'a2@alpha.example', 'b@beta.example']);
    const held = (await rows(w)).find((r) => r.recipientId === alpha[2]);
    expect(held?.state).toBe('pending');
    expect(held?.attempts).toBe(0);
    expect(held?.nextAttemptAt).toBeGreaterThan(started + 50_000);
  });
});

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The sandbox's mail panel, server side, on a desk started as `npm start` starts it without a bot token:
// a mail written as a demo person goes through the real parser and intake and becomes a ticket by e-mail;
// the desk's acknowledgement, sent by its real MailSender into memory, is listed with its [#N]; a reply
// to it lands on the same ticket; the desk's own address is dropped; bad input is a 400, never a 500.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryAll, queryOne } from '../db/access.ts';
import { attachments, comments, people, tickets } from '../db/schema.ts';
import type { MailView, SessionView, WrittenMailView } from '../sandbox/types.ts';
import { sandboxDesk } from './support/sandbox-desk.ts';

const desk = sandboxDesk('sandbox-mail');
const send = (body: unknown) => desk.post('/mail', body);

async function write(body: unknown): Promise<WrittenMailView> {
  const response = await send(body);
  if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as WrittenMailView;
}

const mailView = async () => (await (await fetch(`${desk.origin()}/sandbox/api/mail`)).json()) as MailView;

/** The desk's mail to `to` whose subject matches, once the sender has sent it. */
async function deskMailTo(to: string, subject: RegExp) {
  let found: MailView['sent'][number] | undefined;
  await expect
    .poll(
      async () => {
        found = (await mailView()).sent.find((m) => m.to === to && subject.test(m.subject));
        return found !== undefined;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  if (!found) throw new Error('unreachable');
  return found;
}

async function annaId(): Promise<number> {
  const session = (await (await fetch(`${desk.origin()}/sandbox/api/session?lang=ru`)).json()) as SessionView;
  const anna = session.mailPeople.find((p) => p.email === 'a.smirnova@romashka.ru');
  if (!anna) throw new Error('no demo person a.smirnova@romashka.ru');
  expect(anna).toMatchObject({ name: 'Анна Смирнова', company: 'ООО «Ромашка»' });
  return anna.id;
}

describe('the sandbox mail panel', () => {
  it('files a mail from a demo person as a ticket by e-mail, acknowledged by mail; a reply comments on it', async () => {
    const personId = await annaId();
    expect((await mailView()).deskAddress).toBe('support@tgdesk.example');

    const pdf = Buffer.from('%PDF-1.4\n% sandbox\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const first = await write({
      from: { personId },
      subject: 'Не печатает принтер в бухгалтерии',
      text: 'Принтер HP в бухгалтерии печатает пустые листы с утра.',
      file: { name: 'счёт.pdf', data: pdf.toString('base64') },
    });
    expect(first.result.kind).toBe('created');
    const number = first.result.kind === 'created' ? first.result.number : 0;
    expect(first.from).toBe('a.smirnova@romashka.ru');

    const ticket = await queryOne(
      desk.app().desk.db.select().from(tickets).where(eq(tickets.number, number)),
    );
    expect(ticket?.channel).toBe('email');
    const requester = await queryOne(
      desk
        .app()
        .desk.db.select({ email: people.email })
        .from(people)
        .where(eq(people.id, ticket?.requesterId ?? 0)),
    );
    expect(requester?.email).toBe('a.smirnova@romashka.ru');
    const files = await queryAll(
      desk
        .app()
        .desk.db.select({ fileName: attachments.fileName, internal: attachments.internal })
        .from(attachments)
        .where(eq(attachments.ticketId, ticket?.id ?? 0)),
    );
    expect(files).toEqual(
      expect.arrayContaining([
        { fileName: 'счёт.pdf', internal: false },
        { fileName: 'original.eml', internal: true },
      ]),
    );

    // The acknowledgement, sent by the real sender and parsed back from its raw MIME.
    const ack = await deskMailTo('a.smirnova@romashka.ru', new RegExp(`\\[#${number}\\]`));
    expect(ack.text).toContain(`#${number}`);
    const view = await mailView();
    expect(view.capturing).toBe(true);
    expect(view.written[0]).toMatchObject({ id: first.id, result: { kind: 'created', number } });

    // Answered as a mail program does: "Re:", In-Reply-To and References, the desk's mail quoted below.
    const reply = await write({
      from: { personId },
      subject: ack.subject,
      text: 'Картридж поменяли, не помогло.',
      replyTo: ack.id,
    });
    expect(reply.subject).toBe(`Re: ${ack.subject}`);
    expect(reply.result).toEqual({ kind: 'commented', number, reopened: false });
    const said = (
      await queryAll(
        desk
          .app()
          .desk.db.select({ body: comments.body })
          .from(comments)
          .where(and(eq(comments.ticketId, ticket?.id ?? 0), eq(comments.internal, false))),
      )
    ).map((c) => c.body);
    // Only what is new: the quote of the desk's mail is cut off as the mailbox intake cuts it.
    expect(said).toContain('Картридж поменяли, не помогло.');
    expect(await mailView()).toMatchObject({ written: [{ id: reply.id }, { id: first.id }] });
  });

  it('takes any address: a new one at a client domain files a ticket, the desk’s own is dropped', async () => {
    const stranger = await write({
      from: { address: 'p.novikov@romashka.ru', name: 'Пётр Новиков' },
      subject: 'Нет доступа к общей папке',
      text: 'Не открывается \\\\fs01\\общая.',
    });
    expect(stranger.result.kind).toBe('created');
    const number = stranger.result.kind === 'created' ? stranger.result.number : 0;
    await deskMailTo('p.novikov@romashka.ru', new RegExp(`\\[#${number}\\]`));

    const own = await write({
      from: { address: 'support@tgdesk.example', name: 'tgdesk' },
      subject: 'Loop?',
      text: 'Our own mail come back.',
    });
    expect(own.result).toEqual({ kind: 'dropped', reason: 'own_mail' });
  });

  it('answers bad input with a 400 and what is wrong', async () => {
    const personId = await annaId();
    const cases: [unknown, RegExp][] = [
      ['{not json', /./],
      [{ from: { personId }, text: 'no subject' }, /subject/],
      [{ from: { address: 'not-an-address' }, subject: 's', text: 't' }, /from/],
      [{ from: { personId: 99_999_999 }, subject: 's', text: 't' }, /from\.personId/],
      [{ from: { personId }, subject: 's', text: 't', replyTo: 987_654 }, /replyTo/],
      [{ from: { personId }, subject: 's', text: 't', file: { name: 'a.pdf', data: '!!!' } }, /file\.data/],
      [
        { from: { personId }, subject: 's', text: 't', file: { name: '../a.pdf', data: 'JVBERg==' } },
        /file\.name/,
      ],
      [{ from: { personId }, subject: 's', text: 'x'.repeat(20_001) }, /text/],
    ];
    for (const [body, message] of cases) {
      const response = await send(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('invalid_input');
      expect(answer.error.message).toMatch(message);
    }
    const tooBig = await send({
      from: { personId },
      subject: 's',
      text: 't',
      file: { name: 'big.pdf', data: Buffer.alloc(6 * 1024 * 1024).toString('base64') },
    });
    expect(tooBig.status).toBe(400);
  });

  it('pushes the lists over server-sent events, as the page reads them', async () => {
    const controller = new AbortController();
    try {
      const response = await fetch(`${desk.origin()}/sandbox/api/mail/events`, { signal: controller.signal });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = response.body?.getReader();
      if (!reader) throw new Error('no event stream');
      let buffer = '';
      while (!buffer.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
      }
      expect(buffer).toMatch(/^event: mail\ndata: \{"deskAddress":"support@tgdesk\.example"/);
    } finally {
      controller.abort();
    }
  });
});

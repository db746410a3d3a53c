// The whole e-mail loop on a desk started as in production (`startApp` with IMAP_URL, SMTP_URL, MAIL_FROM)
// and no demo data: a mail to the support address becomes a ticket, the sender gets an acknowledgement
// with the number by mail, a reply to that acknowledgement from their mail program lands on the same
// ticket, and a staff answer reaches them by mail in the same thread, with its file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { startApp } from '../app/run.ts';
import { loadActor } from '../core/actors.ts';
import { FileStore } from '../core/files/store.ts';
import { addComment } from '../core/tickets/comment.ts';
import { comments, memberships, people, tickets } from '../db/schema.ts';
import { type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.ts';
import { buildMail } from './support/mail-builder.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-mail-loop-'));
const until = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 50 });

describe.skipIf(!dovecotAvailable())('the e-mail loop', { timeout: 90_000 }, () => {
  let dovecot: DovecotServer;
  let smtp: SmtpSink;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [{ user: 'support', password: 'imap-pw' }] });
    smtp = await startSmtpSink();
  }, 30_000);
  afterAll(async () => {
    await smtp?.close();
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('request by mail, acknowledgement, reply threaded back, staff answer by mail', async () => {
    const config = loadConfig({
      PORT: '0',
      DATABASE_PATH: join(dir, 'desk.sqlite'),
      FILES_DIR: join(dir, 'files'),
      DEMO: '0',
      IMAP_URL: dovecot.url('support'),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Служба поддержки <support@desk.example>',
    });
    const app = await startApp(config, { logger: createLogger({ level: 'silent' }), log: () => {} });
    try {
      const db = app.desk.db;
      await dovecot.append(
        'support',
        await buildMail({
          from: 'Ирина Петрова <irina@client.example>',
          subject: 'Не работает сканер',
          text: 'Сканер в бухгалтерии не сканирует с утра.',
          messageId: 'first.mail@client.example',
        }),
      );
      const ticket = await until(() => {
        const found = db.select().from(tickets).get();
        if (!found) throw new Error('no ticket yet');
        return found;
      });
      expect(ticket).toMatchObject({ channel: 'email', subject: 'Не работает сканер', companyId: null });

      const ack = await until(async () => {
        const first = smtp.received[0];
        if (!first) throw new Error('no mail out yet');
        return { to: first.to, mail: await simpleParser(first.raw) };
      });
      expect(ack.to).toEqual(['irina@client.example']);
      expect(ack.mail.subject).toContain(`[#${ticket.number}]`);
      expect(ack.mail.text).not.toContain('бухгалтерии');
      expect(ack.mail.headers.get('auto-submitted')).toBe('auto-generated');
      const ackId = (ack.mail.messageId ?? '').replace(/[<>]/g, '');

      // Her mail program's reply: answers our acknowledgement, quotes it, no tag kept in the subject.
      await dovecot.append(
        'support',
        await buildMail({
          from: 'irina@client.example',
          subject: 'Re: Не работает сканер',
          text: `Модель: Canon DR-C225.\n\n${ack.mail.text
            ?.split('\n')
            .map((l) => `> ${l}`)
            .join('\n')}`,
          inReplyTo: ackId,
          references: ['first.mail@client.example', ackId],
        }),
      );
      await until(() =>
        expect(
          db.select({ body: comments.body }).from(comments).where(eq(comments.ticketId, ticket.id)).all(),
        ).toEqual([{ body: 'Модель: Canon DR-C225.' }]),
      );
      expect(db.select().from(tickets).all()).toHaveLength(1);

      // An engineer answers (in the Mini App or the bot): she hears it by mail, in the same thread.
      const engineer = db.insert(people).values({ name: 'Инженер', createdAt: 0 }).returning().get();
      db.insert(memberships).values({ personId: engineer.id, role: 'line1', companyId: null }).run();
      const pdf = Buffer.from('%PDF-1.4\n% инструкция по сканеру\n%%EOF\n');
      const storagePath = await new FileStore(config.filesDir).put(pdf);
      await addComment(app.desk, await loadActor(db, engineer.id), ticket.id, {
        body: 'Переустановили драйвер, проверьте.',
        attachments: [
          {
            kind: 'document',
            fileName: 'инструкция.pdf',
            mimeType: 'application/pdf',
            size: pdf.length,
            storagePath,
          },
        ],
      });
      const answer = await until(async () => {
        const second = smtp.received[1];
        if (!second) throw new Error('no answer by mail yet');
        return simpleParser(second.raw);
      });
      expect(answer.subject).toContain(`[#${ticket.number}]`);
      expect(answer.text).toContain('Переустановили драйвер, проверьте.');
      // The engineer's file goes with the mail.
      expect(answer.attachments.map((a) => [a.filename, a.content.equals(pdf)])).toEqual([
        ['инструкция.pdf', true],
      ]);
      const references = String(answer.headers.get('references') ?? '');
      expect(references).toContain(ackId);
    } finally {
      await app.stop();
    }
  });
});

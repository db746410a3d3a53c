// The shared channel suite for e-mail, end to end: mails put into a real IMAP server (Dovecot), read by
// the desk's mailbox watcher, taken through the intake seam.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, vi } from 'vitest';
import { FileStore } from '../core/files/store.ts';
import { execute, queryAll } from '../db/access.ts';
import { people, tickets } from '../db/schema.ts';
import { startMailIntake } from '../email/intake-service.ts';
import { type ChannelDriver, channelSuite } from './channel-suite.ts';
import { makeWorld } from './fixtures.ts';
import { type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.ts';
import { buildMail, newMessageId } from './support/mail-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'tgdesk-channel-email-'));
let dovecot: DovecotServer;
let mailboxes = 0;

describe.skipIf(!dovecotAvailable())('e-mail', () => {
  beforeAll(async () => {
    dovecot = await startDovecot({
      users: Array.from({ length: 6 }, (_, i) => ({ user: `box${i}`, password: `pw${i}` })),
    });
  }, 30_000);
  afterAll(async () => {
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  channelSuite('email', async (): Promise<ChannelDriver> => {
    const world = await makeWorld();
    await execute(
      world.ctx.db.update(people).set({ email: 'client.a@alpha.ru' }).where(eq(people.id, world.ids.clientA)),
    );
    const files = new FileStore(mkdtempSync(join(dir, 'files-')));
    const box = `box${mailboxes++}`;
    const intake = startMailIntake({
      desk: world.ctx,
      files,
      imapUrls: [dovecot.url(box)],
      ownAddresses: ['support@desk.example'],
      logger: pino({ level: 'silent' }),
    });
    const [watcher] = intake.watchers;
    const delivered = new Map<number, { raw: Buffer; messageId: string; subject: string }>();
    const count = async () => (await queryAll(world.ctx.db.select().from(tickets))).length;
    /** Puts a mail in the mailbox and waits until the watcher has read everything. */
    const deliver = async (raw: Buffer) => {
      await dovecot.append(box, raw);
      await watcher?.idle();
    };
    const files_ = async (from: string, text: string, file?: Buffer) => {
      const messageId = newMessageId();
      const subject = text.slice(0, 40);
      const raw = await buildMail({
        from,
        subject,
        text,
        messageId,
        ...(file
          ? { attachments: [{ filename: 'screen.png', content: file, contentType: 'image/png' }] }
          : {}),
      });
      const before = await count();
      await deliver(raw);
      await vi.waitFor(async () => {
        if ((await count()) !== before + 1) throw new Error('not filed yet');
      });
      const ticketId = (await queryAll(world.ctx.db.select().from(tickets))).at(-1)?.id ?? -1;
      delivered.set(ticketId, { raw, messageId, subject });
      return { ticketId };
    };
    return {
      world,
      strangerFiles: async (text) => files_('Незнакомец <stranger.person@gmail.com>', text),
      clientFiles: async (text, file) => files_('Client A <client.a@alpha.ru>', text, file),
      deliverAgain: async ({ ticketId }) => {
        const mail = delivered.get(ticketId);
        if (mail) await deliver(mail.raw);
      },
      clientReplies: async ({ ticketId }, text) => {
        // A mail program's reply: In-Reply-To the client's own first mail, no ticket tag in the subject.
        const mail = delivered.get(ticketId);
        await deliver(
          await buildMail({
            from: 'client.a@alpha.ru',
            subject: `Re: ${mail?.subject ?? ''}`,
            text: `${text}\n\nпн, 2 нояб. 2026 г. в 10:00, Client A <client.a@alpha.ru>:\n> ${mail?.subject ?? ''}`,
            ...(mail ? { inReplyTo: mail.messageId, references: [mail.messageId] } : {}),
          }),
        );
      },
      bytesOf: async (file) => Buffer.from((await files.read(file.storagePath ?? '')) ?? []),
      close: () => intake.stop(),
    };
  });
});

// E-mail intake speed, end to end: BENCH_MAILS mails (default 400, new requests and replies, plain, HTML,
// windows-1251, with pictures) put into a real IMAP server (Dovecot, started here as in the tests), read by
// the desk's mailbox watcher and taken into a fresh store as tickets and comments (parse, quote stripping,
// files kept, one transaction each, \Seen after the commit). Baseline in the same run: mailparser alone
// parsing the same mails in memory. `npm run bench:mail`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { createContext } from '../core/context.ts';
import { FileStore } from '../core/files/store.ts';
import { systemClock } from '../core/model.ts';
import { openDatabase } from '../db/connection.ts';
import { comments, tickets } from '../db/schema.ts';
import { startMailIntake } from '../email/intake-service.ts';
import { startDovecot } from '../tests/support/dovecot.ts';
import { buildMail } from '../tests/support/mail-builder.ts';
import { envInt, printTable } from './output.ts';

const MAILS = envInt('BENCH_MAILS', 400);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A mix like a desk's inbox: mostly new requests, a third replies to earlier ones, some real-world mails. */
async function inbox(): Promise<Buffer[]> {
  const corpusDir = join(import.meta.dirname, '..', 'tests', 'fixtures', 'mail');
  const corpus = readdirSync(corpusDir)
    .filter((f) => f.endsWith('.eml') && !f.startsWith('garbage') && !/bounce|autoreply|bulk|receipt/.test(f))
    .map((f) => readFileSync(join(corpusDir, f)));
  const mails: Buffer[] = [];
  const ids: { messageId: string; sender: string }[] = [];
  for (let i = 0; mails.length < MAILS; i++) {
    const sender = `user${i % 50}@client${i % 7}.example`;
    if (i % 10 === 9) {
      mails.push(corpus[i % corpus.length] as Buffer);
    } else if (i % 3 === 2 && ids.length > 0) {
      const { messageId: to, sender: requester } = ids[(i * 7) % ids.length] as (typeof ids)[number];
      mails.push(
        await buildMail({
          from: requester,
          subject: 'Re: заявка',
          text: `Спасибо, уточняю: ошибка повторяется после перезагрузки.\n\nпн, 30 нояб. 2026 г. в 10:00, Support <support@desk.example>:\n> Заявка принята`,
          inReplyTo: to,
          references: [to],
        }),
      );
    } else {
      const messageId = `bench${i}@client.example`;
      ids.push({ messageId, sender });
      mails.push(
        await buildMail({
          from: `Сотрудник ${i} <${sender}>`,
          subject: `Не работает ${['принтер', 'VPN', '1С', 'почта', 'сканер'][i % 5]} (${i})`,
          text: 'Добрый день!\nС утра не работает, пробовал перезагрузить — не помогло.\nС уважением, сотрудник',
          ...(i % 4 === 0 ? { html: '<p>Добрый день!</p><p>С утра <b>не работает</b>.</p>' } : {}),
          messageId,
          ...(i % 5 === 0 ? { attachments: [{ filename: `скрин${i}.png`, content: PNG }] } : {}),
        }),
      );
    }
  }
  return mails;
}

async function main() {
  const mails = await inbox();
  const bytes = mails.reduce((n, m) => n + m.length, 0);

  // Baseline: mailparser alone, in memory.
  for (const m of mails.slice(0, 20)) await simpleParser(m);
  const p0 = performance.now();
  for (const m of mails) await simpleParser(m);
  const parseSeconds = (performance.now() - p0) / 1000;

  const dir = mkdtempSync(join(tmpdir(), 'tgdesk-bench-mail-'));
  const dovecot = await startDovecot({ users: [{ user: 'support', password: 'bench' }] });
  try {
    for (const m of mails) await dovecot.append('support', m);
    const db = openDatabase(join(dir, 'desk.sqlite'));
    const desk = createContext(db, systemClock);
    const t0 = performance.now();
    const intake = startMailIntake({
      desk,
      files: new FileStore(join(dir, 'files')),
      imapUrls: [dovecot.url('support')],
      ownAddresses: ['support@desk.example'],
      newTicketsPerHour: MAILS,
      logger: pino({ level: 'silent' }),
    });
    await intake.watchers[0]?.idle();
    const intakeSeconds = (performance.now() - t0) / 1000;
    await intake.stop();
    const made = db.select().from(tickets).all().length;
    const replies = db.select().from(comments).all().length;
    db.$client.close();

    console.log(
      `\nE-mail intake: ${MAILS} mails (${(bytes / 1024).toFixed(0)} KB), ${made} tickets and ${replies} comments made\n`,
    );
    printTable([
      ['figure', 'tgdesk', 'baseline in the same run'],
      [
        'mails taken per second, end to end (IMAP fetch → ticket or comment, \\Seen)',
        `${Math.round(MAILS / intakeSeconds)} /s`,
        `${Math.round(MAILS / parseSeconds)} /s: mailparser alone parsing the same mails in memory`,
      ],
      ['share of the parser-alone rate', `${Math.round((parseSeconds / intakeSeconds) * 100)} %`, ''],
    ]);
  } finally {
    await dovecot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

// People or machines: every corpus mail classified, then each header rule on a small mail of its own.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AutomaticMail, bouncedMessageIds, classifyAutomatic, isListMail } from '../email/automatic.ts';
import { emptyMail, parseMail } from '../email/parse.ts';

const load = (name: string) => parseMail(readFileSync(new URL(`./fixtures/mail/${name}`, import.meta.url)));
const raw = (headers: string, body = 'Текст письма.') =>
  parseMail(Buffer.from(`${headers.trim()}\n\n${body}\n`.replace(/\r?\n/g, '\r\n')));
const HUMAN: AutomaticMail = { kind: 'human' };

const EXPECTED: Record<string, AutomaticMail> = {
  'gmail-ru-reply.eml': HUMAN,
  'gmail-en-reply.eml': HUMAN,
  'outlook-ru-reply-html.eml': HUMAN,
  'outlook-ru-reply-text.eml': HUMAN,
  'outlook-en-reply-text.eml': HUMAN,
  'outlook-en-reply-html.eml': HUMAN,
  'yandex-reply.eml': HUMAN,
  'mailru-reply.eml': HUMAN,
  'mailru-mobile-reply.eml': HUMAN,
  'apple-mail-en-reply.eml': HUMAN,
  'apple-mail-ru-reply.eml': HUMAN,
  'thunderbird-ru-reply.eml': HUMAN,
  'separator-reply.eml': HUMAN,
  'new-request.eml': HUMAN,
  'signature-reply.eml': HUMAN,
  'cp1251-plain.eml': HUMAN,
  'koi8r-plain.eml': HUMAN,
  'qp-utf8.eml': HUMAN,
  'base64-utf8.eml': HUMAN,
  'html-related-cid.eml': HUMAN,
  'attachment-ru-name.eml': HUMAN,
  'no-message-id.eml': HUMAN,
  'garbage.eml': HUMAN,
  'autoreply-exchange-ru.eml': { kind: 'auto_reply', reason: 'Auto-Submitted: auto-replied' },
  'newsletter-bulk.eml': { kind: 'auto_reply', reason: 'Precedence: bulk' },
  'read-receipt.eml': { kind: 'auto_reply', reason: 'read receipt' },
  'bounce-postfix-yandex.eml': {
    kind: 'bounce',
    reason: 'delivery status report',
    bouncedMessageIds: ['t1042.abc@desk.example'],
  },
  'bounce-exchange-ndr.eml': {
    kind: 'bounce',
    reason: 'delivery status report',
    bouncedMessageIds: ['t1050.n2@desk.example'],
  },
  'bounce-qmail-text.eml': {
    kind: 'bounce',
    reason: 'sent by mailer-daemon@mx1.hoster.example',
    bouncedMessageIds: ['t1051.x9@desk.example'],
  },
};

describe('the corpus', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name, async () => {
      expect(classifyAutomatic(await load(name))).toEqual(expected);
    });
  }
});

const FROM = 'From: Ivan <ivan@corp.example>\nTo: support@desk.example\nSubject: Re: [#1042] Принтер';

describe('auto-reply headers', () => {
  const cases: [string, string, AutomaticMail][] = [
    [
      'Auto-Submitted: auto-generated',
      'Auto-Submitted: auto-generated',
      autoReply('Auto-Submitted: auto-generated'),
    ],
    [
      'Auto-Submitted with a parameter',
      'Auto-Submitted: Auto-Replied; owner-email="a@b.c"',
      autoReply('Auto-Submitted: auto-replied'),
    ],
    ['Auto-Submitted: no', 'Auto-Submitted: no', HUMAN],
    ['Precedence: junk', 'Precedence: junk', autoReply('Precedence: junk')],
    ['Precedence: list', 'Precedence: list', autoReply('Precedence: list')],
    ['Precedence: auto_reply', 'Precedence: auto_reply', autoReply('Precedence: auto_reply')],
    ['Precedence: first-class', 'Precedence: first-class', HUMAN],
    ['X-Autoreply', 'X-Autoreply: yes', autoReply('X-Autoreply present')],
    ['X-Autorespond', 'X-Autorespond: Vacation', autoReply('X-Autorespond present')],
    [
      'X-Auto-Response-Suppress: All',
      'X-Auto-Response-Suppress: All',
      autoReply('X-Auto-Response-Suppress: All'),
    ],
    [
      'X-Auto-Response-Suppress: OOF, AutoReply',
      'X-Auto-Response-Suppress: DR, OOF, AutoReply',
      autoReply('X-Auto-Response-Suppress: DR, OOF, AutoReply'),
    ],
    // asks only not to get delivery/read receipts: a person's Outlook may send that
    ['X-Auto-Response-Suppress: DR, RN', 'X-Auto-Response-Suppress: DR, RN', HUMAN],
    [
      'Return-Path <> with Auto-Submitted is a vacation reply',
      'Return-Path: <>\nAuto-Submitted: auto-replied',
      autoReply('Auto-Submitted: auto-replied'),
    ],
    ['ordinary mail', 'Return-Path: <ivan@corp.example>', HUMAN],
  ];
  for (const [title, headers, expected] of cases) {
    it(title, async () => {
      expect(classifyAutomatic(await raw(`${FROM}\n${headers}`))).toEqual(expected);
    });
  }
});

function autoReply(reason: string): AutomaticMail {
  return { kind: 'auto_reply', reason };
}

describe('bounce signs', () => {
  it('an empty Return-Path without other signs', async () => {
    for (const value of ['<>', '', '< >']) {
      const mail = await raw(`Return-Path: ${value}\n${FROM}`);
      expect(classifyAutomatic(mail)).toEqual({
        kind: 'bounce',
        reason: 'empty Return-Path',
        bouncedMessageIds: [],
      });
    }
  });

  it('a report from postmaster@', async () => {
    const mail = await raw(
      'From: Postmaster <Postmaster@corp.example>\nTo: support@desk.example\nSubject: Undeliverable',
    );
    expect(classifyAutomatic(mail)).toEqual({
      kind: 'bounce',
      reason: 'sent by postmaster@corp.example',
      bouncedMessageIds: [],
    });
  });

  it('Exim X-Failed-Recipients, with the original id quoted in the body', async () => {
    const mail = await raw(
      'From: Mail Delivery System <Mailer-Daemon@exim.example>\nX-Failed-Recipients: gone@corp.example',
      'A message that you sent could not be delivered.\n\n------ This is a copy of the message, including all the headers. ------\n' +
        'Message-Id: <t77.q1@desk.example>\nSubject: x',
    );
    // the sender rule comes first; the header alone is enough too
    expect(classifyAutomatic(mail)).toMatchObject({
      kind: 'bounce',
      bouncedMessageIds: ['t77.q1@desk.example'],
    });
    const alone = await raw(`${FROM}\nX-Failed-Recipients: gone@corp.example`);
    expect(classifyAutomatic(alone)).toEqual({
      kind: 'bounce',
      reason: 'X-Failed-Recipients',
      bouncedMessageIds: [],
    });
  });

  it('a read receipt (multipart/report of disposition-notification) is not a bounce', async () => {
    const mail = await load('read-receipt.eml');
    expect(classifyAutomatic(mail).kind).toBe('auto_reply');
  });
});

describe('ids of the mail that bounced', () => {
  const file = (mimeType: string, text: string, fileName = 'attachment-1.eml') => ({
    fileName,
    mimeType,
    bytes: Buffer.from(text.replace(/\n/g, '\r\n')),
    inline: false,
  });

  it('reads the attached original message, folded headers included, not its body', () => {
    const mail = emptyMail();
    mail.files = [
      file(
        'message/rfc822',
        'From: support@desk.example\nMessage-ID:\n <t1.a@desk.example>\nSubject: x\n\nMessage-ID: <in-body@x>\n',
      ),
    ];
    expect(bouncedMessageIds(mail)).toEqual(['t1.a@desk.example']);
  });

  it('reads text/rfc822-headers and an .eml sent as octet-stream', () => {
    const mail = emptyMail();
    mail.files = [
      file('text/rfc822-headers', 'Subject: x\nMessage-Id: <t2.b@desk.example>\n', 'attachment-1.txt'),
      file('application/octet-stream', 'Message-ID: <t3.c@desk.example>\n\nbody', 'original.eml'),
      file('application/pdf', 'Message-ID: <not-a-mail@x>\n', 'report.pdf'),
    ];
    expect(bouncedMessageIds(mail)).toEqual(['t2.b@desk.example', 't3.c@desk.example']);
  });

  it('reads Message-ID lines in the report text, then In-Reply-To, once each, never its own id', () => {
    const mail = emptyMail();
    mail.messageId = 'own@mx.example';
    mail.text =
      'Report\n   Message-ID: <t4.d@desk.example>\n> Message-Id: <t5.e@desk.example>\nMessage-ID: <own@mx.example>';
    mail.inReplyTo = ['t4.d@desk.example', 't6.f@desk.example'];
    expect(bouncedMessageIds(mail)).toEqual(['t4.d@desk.example', 't5.e@desk.example', 't6.f@desk.example']);
  });
});

describe('isListMail', () => {
  it('is true for a newsletter and for a list post, false for a person', async () => {
    expect(isListMail(await load('newsletter-bulk.eml'))).toBe(true);
    expect(isListMail(await raw(`${FROM}\nList-Id: <it.corp.example>`))).toBe(true);
    expect(isListMail(await load('gmail-ru-reply.eml'))).toBe(false);
  });

  it('does not by itself make a list post automatic', async () => {
    expect(classifyAutomatic(await raw(`${FROM}\nList-Id: <it.corp.example>`))).toEqual(HUMAN);
  });
});

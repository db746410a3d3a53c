// Reading raw e-mails (tests/fixtures/mail/*.eml, written byte-exact in their real charsets and encodings)
// into the help desk's ParsedMail.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessLanguage, htmlToPlainText, messageIdsIn, type ParsedMail, parseMail } from '../email/parse.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/mail/${name}`, import.meta.url));
const load = (name: string) => parseMail(fixture(name));
const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

describe('headers and addresses', () => {
  it('reads a Gmail reply: ids without brackets in order, decoded names, lower-cased addresses, epoch date', async () => {
    const mail = await load('gmail-ru-reply.eml');
    expect(mail.messageId).toBe('CAF7u3Zx1xQ0mLkq9wE+pB3=ZtK4d@mail.gmail.com');
    expect(mail.inReplyTo).toEqual(['t1042.n2@desk.example']);
    // folded over two lines in the file
    expect(mail.references).toEqual(['t1042.n1@desk.example', 't1042.n2@desk.example']);
    expect(mail.from).toEqual({ address: 'ivan.petrov.corp@gmail.com', name: 'Иван Петров' });
    expect(mail.to).toEqual(['support@desk.example']);
    expect(mail.cc).toEqual([]);
    expect(mail.replyTo).toBeNull();
    expect(mail.subject).toBe('Re: [#1042] Не печатает принтер на 3 этаже');
    expect(mail.date).toBe(Date.parse('2026-12-01T11:12:30+03:00'));
    expect(mail.language).toBe('ru');
  });

  it('keeps raw header values by lower-cased name, first occurrence, unfolded and undecoded', async () => {
    const mail = await load('gmail-ru-reply.eml');
    expect(mail.headers.get('return-path')).toBe('<ivan.petrov.corp@gmail.com>');
    expect(mail.headers.get('references')).toBe('<t1042.n1@desk.example> <t1042.n2@desk.example>');
    expect(mail.headers.get('subject')).toMatch(/^Re: =\?utf-8\?B\?/);
    expect(mail.headers.get('received')).toContain('for <support@desk.example>; Mon, 01 Dec 2026');
    expect(mail.headers.has('Subject')).toBe(false);
  });

  it('lists every To and Cc address once, lower-cased, and the Reply-To', async () => {
    const mail = await load('base64-utf8.eml');
    expect(mail.from).toEqual({ address: 'anna.sidorova@corp.example', name: 'Анна Сидорова' });
    expect(mail.to).toEqual(['support@desk.example', 'a.orlov@corp.example']);
    expect(mail.cc).toEqual(['boss@corp.example', 'hr@corp.example']);
    expect(mail.replyTo).toBe('anna.private@mail.example');
  });

  it('takes only the id from an In-Reply-To that carries a comment (mutt)', async () => {
    const mail = await load('koi8r-plain.eml');
    expect(mail.inReplyTo).toEqual(['t1057.n1@desk.example']);
    expect(mail.from).toEqual({ address: 'd.zaitsev@dev.corp.example', name: 'Dmitry Zaitsev' });
  });

  it('gives null for a missing Message-ID and a missing Date', async () => {
    const mail = await load('no-message-id.eml');
    expect(mail.messageId).toBeNull();
    expect(mail.date).toBeNull();
    expect(mail.inReplyTo).toEqual([]);
    expect(mail.references).toEqual([]);
    expect(mail.from).toEqual({ address: 'scanner@corp.example', name: 'MFP-3F' });
    expect(mail.subject).toBe('Scan from MFP-3F');
    expect(mail.language).toBe('en');
  });

  it('finds ids with and without angle brackets', () => {
    expect(messageIdsIn('<a@b> <c@d>\r\n\t<e@f>')).toEqual(['a@b', 'c@d', 'e@f']);
    expect(messageIdsIn('<t1.x@desk.example> (Ivan\'s message of "Mon, 1 Dec 2026")')).toEqual([
      't1.x@desk.example',
    ]);
    expect(messageIdsIn('bare-id@host.example')).toEqual(['bare-id@host.example']);
    expect(messageIdsIn('no id here')).toEqual([]);
    expect(messageIdsIn(undefined)).toEqual([]);
  });

  it('keeps a Message-ID sent without brackets', async () => {
    const mail = await parseMail(
      crlf('From: a@corp.example\nMessage-ID: no-brackets.1@corp.example\nSubject: x\n\nbody\n'),
    );
    expect(mail.messageId).toBe('no-brackets.1@corp.example');
  });
});

describe('charsets and transfer encodings', () => {
  it('decodes a windows-1251 body, a windows-1251 Q-encoded name and B-encoded subject', async () => {
    const mail = await load('cp1251-plain.eml');
    expect(mail.subject).toBe('Не запускается КонсультантПлюс');
    expect(mail.from).toEqual({ address: 'buh7@corp.example', name: 'Галина Ивановна' });
    expect(mail.replyTo).toBe('buh@corp.example');
    expect(mail.text).toBe(
      'Здравствуйте.\n\nПосле обновления Windows не запускается «КонсультантПлюс», ошибка 0x80070005.\n' +
        'Компьютер: BUH-PC-07, кабинет 210.\n\n--\nС уважением, Галина Ивановна',
    );
    expect(mail.html).toBeNull();
  });

  it('decodes a KOI8-R body and a KOI8-R Q-encoded subject', async () => {
    const mail = await load('koi8r-plain.eml');
    expect(mail.subject).toBe('Re: [#1057] Недоступен build-02');
    expect(mail.text).toBe(
      'Добрый день!\n\nСервер сборки build-02 снова недоступен по SSH с 9 утра, и ещё не отвечает веб-интерфейс.\n' +
        'Пинг проходит, порт 22 закрыт.\n\n' +
        'On Mon, Dec 01, 2026 at 10:00:00AM +0300, Служба ИТ-поддержки wrote:\n' +
        '> Перезагрузили build-02, проверьте доступ.',
    );
  });

  it('joins quoted-printable soft line breaks and decodes =3D', async () => {
    const mail = await load('qp-utf8.eml');
    expect(mail.subject).toBe('Excel: #ЗНАЧ! и только чтение');
    expect(mail.from?.name).toBe('Татьяна Морозова');
    expect(mail.text).toBe(
      'Добрый день! В отчёте Excel формула =СУММ(A1:A10) возвращает #ЗНАЧ! после переезда в новый офис. ' +
        'Файл лежит в \\\\fs01\\Финансы\\Отчёт_декабрь.xlsx, открывается только на чтение — прошу проверить права.',
    );
  });

  it('decodes a base64 body with CRLF line ends into \\n lines', async () => {
    const mail = await load('base64-utf8.eml');
    expect(mail.subject).toBe('Учётная запись для нового сотрудника');
    expect(mail.text).toBe(
      'Коллеги, прошу создать учётную запись для нового сотрудника:\nФамилия Имя: Соколов Артём\n' +
        'Должность: менеджер\nДата выхода: 8 декабря 2026',
    );
  });

  it('joins format=flowed lines (Thunderbird)', async () => {
    const mail = await load('thunderbird-ru-reply.eml');
    expect(mail.text.split('\n')[2]).toBe(
      'Проверил, почта на телефоне синхронизируется. Заявку можно закрывать.',
    );
  });

  it('drops the byte-order mark Apple Mail leaves in a quote', async () => {
    const mail = await load('apple-mail-en-reply.eml');
    expect(mail.text).not.toContain('\uFEFF');
    expect(mail.text).toContain('> Hello Sarah,');
  });
});

describe('HTML bodies', () => {
  it('prefers the text/plain part when there is one, and still keeps the sanitised HTML', async () => {
    const mail = await load('gmail-en-reply.eml');
    expect(mail.text.startsWith('Hi,\n\nYes, the VPN works again from home.')).toBe(true);
    // the plain part wraps the attribution; the HTML part does not
    expect(mail.text).toContain('<support@desk.example>\nwrote:');
    expect(mail.html).toContain('<blockquote>Hello John,');
    expect(mail.html).not.toContain('style=');
    expect(mail.html).not.toContain('class=');
  });

  it('converts an HTML-only Outlook mail in KOI8-R: one line per Outlook paragraph, no styles', async () => {
    const mail = await load('outlook-ru-reply-html.eml');
    expect(mail.subject).toBe('RE: [#1043] Нет доступа к 1С');
    expect(mail.text).toBe(
      'Коллеги, добрый день.\n\nОшибка 1С «Нет доступа к базе» осталась, после перезапуска то же самое.\n\n' +
        'С уважением,\nОльга Смирнова\nБухгалтерия, доб. 214\n\n' +
        'От: Служба ИТ-поддержки <support@desk.example>\n' +
        'Отправлено: понедельник, 1 декабря 2026 г. 10:00\n' +
        'Кому: Смирнова Ольга <o.smirnova@corp.example>\n' +
        'Тема: [#1043] Нет доступа к 1С\n\n' +
        'Здравствуйте, Ольга! Права в 1С выданы, проверьте, пожалуйста.',
    );
    expect(mail.html).not.toMatch(/<style|<head|<o:p|xmlns|font-family/i);
    expect(mail.html).toContain('<p class="MsoNormal">Коллеги, добрый день.</p>');
  });

  it('turns an HTML-only multipart/related mail into text, strips scripts and trackers, keeps the cid image', async () => {
    const mail = await load('html-related-cid.eml');
    expect(mail.text).toBe(
      'Здравствуйте! На экране ошибка, скриншот ниже:\n\n' +
        'Инструкция была по ссылке VPN для удалённой работы <https://wiki.corp.example/vpn>, но не помогла.\n\n' +
        'Подробнее',
    );
    const html = mail.html ?? '';
    for (const banned of ['<script', 'alert(', 'document.location', 'onclick', 'onerror', 'onmouseover']) {
      expect(html).not.toContain(banned);
    }
    expect(html).not.toContain('tracker.example');
    expect(html).not.toContain('<style');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<img src="cid:screenshot-1@corp.example" alt="Скриншот ошибки" width="320" />');
    expect(html).toContain(
      '<a href="https://wiki.corp.example/vpn" rel="noopener noreferrer nofollow" target="_blank">',
    );
    expect(mail.files).toHaveLength(1);
    const [image] = mail.files;
    expect(image?.fileName).toBe('screenshot.png');
    expect(image?.mimeType).toBe('image/png');
    expect(image?.inline).toBe(true);
    expect(image?.contentId).toBe('screenshot-1@corp.example');
    expect(image?.bytes.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(image?.bytes.length).toBe(70);
  });

  it('drops remote images and leaves links readable in the text', () => {
    const text = htmlToPlainText(
      '<h2>Заголовок</h2><p>См. <a href="https://a.example/x">инструкцию</a> и ' +
        '<a href="https://a.example/y">https://a.example/y</a>.</p><img src="https://t.example/p.gif"><p>Конец</p>',
    );
    expect(text).toBe('Заголовок\n\nСм. инструкцию <https://a.example/x> и https://a.example/y.\n\nКонец');
  });

  it('does not wrap long HTML lines at 80 columns', () => {
    const long = 'слово '.repeat(40).trim();
    expect(htmlToPlainText(`<div>${long}</div>`)).toBe(long);
  });
});

describe('files', () => {
  it('decodes Russian file names (RFC 2231 continuations, encoded words) and keeps the bytes', async () => {
    const mail = await load('attachment-ru-name.eml');
    expect(mail.text).toBe(
      'Добрый день! Во вложении акт сверки и счёт, прошу загрузить в 1С — у меня нет прав на папку обмена.\n' +
        'И фото ошибки.',
    );
    expect(mail.files.map((f) => [f.fileName, f.mimeType, f.inline, f.contentId])).toEqual([
      ['Акт сверки за ноябрь 2026.pdf', 'application/pdf', false, undefined],
      [
        'Счёт №123.xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        false,
        undefined,
      ],
      // an inline-disposed photo no HTML shows is an attachment the person sent, not decoration
      ['Фото ошибки.jpg', 'image/jpeg', false, '5B1C0D2E-photo@corp.example'],
    ]);
    expect(mail.files[0]?.bytes.toString('utf8')).toBe(
      '%PDF-1.4\n% акт сверки\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    expect(mail.files[1]?.bytes.toString('latin1')).toBe('PK\x03\x04fake xlsx body for the test');
    expect([...(mail.files[2]?.bytes ?? [])]).toEqual([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9,
    ]);
  });

  it('keeps an attached message whole and names unnamed files by their type', async () => {
    const mail = await load('bounce-postfix-yandex.eml');
    expect(mail.files.map((f) => [f.fileName, f.mimeType])).toEqual([['attachment-1.eml', 'message/rfc822']]);
    expect(mail.files[0]?.bytes.toString('utf8')).toContain('Message-ID: <t1042.abc@desk.example>');
    // the original's text is not mixed into the report's text
    expect(mail.text).not.toContain('Мастер придёт завтра');
  });

  it('takes only the last segment of a file name that tries to climb folders', async () => {
    const mail = await parseMail(
      crlf(
        'From: a@corp.example\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n' +
          '--b\nContent-Type: text/plain\n\nsee file\n' +
          '--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="../../etc/passwd"\n\nx\n' +
          '--b--\n',
      ),
    );
    expect(mail.files.map((f) => f.fileName)).toEqual(['passwd']);
  });
});

describe('language guess', () => {
  it('is ru with any Cyrillic, en with Latin only, null without letters', () => {
    expect(guessLanguage('Re: [#1] Printer\nПринтер')).toBe('ru');
    expect(guessLanguage('Re: [#1] Printer\nDone')).toBe('en');
    expect(guessLanguage('[#1]\n+7 (495) 123-45-67')).toBeNull();
    expect(guessLanguage('')).toBeNull();
  });

  it('uses the subject as well as the text', async () => {
    const mail = await parseMail(
      crlf(`From: a@corp.example\nSubject: ${'=?utf-8?B?0J/RgNC40L3RgtC10YA=?='}\n\n12345\n`),
    );
    expect(mail.subject).toBe('Принтер');
    expect(mail.language).toBe('ru');
  });
});

describe('bad input never throws', () => {
  const expectEmpty = (mail: ParsedMail) => {
    expect(mail.messageId).toBeNull();
    expect(mail.from).toBeNull();
    expect(mail.text).toBe('');
    expect(mail.files).toEqual([]);
  };

  it('reads random bytes (garbage.eml) as an empty mail', async () => {
    const mail = await load('garbage.eml');
    expectEmpty(mail);
    expect(mail.subject).toBe('');
    expect(mail.date).toBeNull();
    expect(mail.language).toBeNull();
  });

  it('reads an empty buffer as an empty mail', async () => {
    expectEmpty(await parseMail(Buffer.alloc(0)));
  });

  it('reads mail that mailparser rejects (a 1 MB header, over 1000 parts) as an empty mail', async () => {
    expectEmpty(await parseMail(crlf(`From: a@corp.example\nX-Long: ${'a'.repeat(1_100_000)}\n\nbody\n`)));
    const parts = '--b\nContent-Type: text/plain\n\nx\n'.repeat(1100);
    expectEmpty(
      await parseMail(
        crlf(`From: a@corp.example\nContent-Type: multipart/mixed; boundary=b\n\n${parts}--b--\n`),
      ),
    );
  });

  it('survives many random buffers and every fixture cut short', async () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed;
    };
    const inputs: Buffer[] = [];
    for (let i = 0; i < 150; i++) {
      const bytes = Buffer.alloc(next() % 3000);
      for (let j = 0; j < bytes.length; j++) bytes[j] = next() >>> 24;
      inputs.push(bytes);
    }
    for (const name of [
      'gmail-ru-reply.eml',
      'html-related-cid.eml',
      'attachment-ru-name.eml',
      'bounce-exchange-ndr.eml',
    ]) {
      const whole = fixture(name);
      for (const end of [1, 17, 200, Math.floor(whole.length / 2), whole.length - 3])
        inputs.push(whole.subarray(0, end));
    }
    inputs.push(
      crlf(
        'Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: multipart/mixed; boundary=x\n\n--x\n',
      ),
    );
    inputs.push(crlf(`Subject: ${'=?koi8-r?B?'.repeat(500)}\n\n${'\u0000'.repeat(100)}`));
    inputs.push(Buffer.from(`From: ${'<'.repeat(5000)}\r\n\r\n`));
    for (const input of inputs) {
      const mail = await parseMail(input);
      expect(Array.isArray(mail.files)).toBe(true);
      expect(typeof mail.text).toBe('string');
      expect(mail.headers).toBeInstanceOf(Map);
    }
  });
});

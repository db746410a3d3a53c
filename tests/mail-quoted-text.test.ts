// What is new in a reply: the fixtures through parseMail + stripQuoted, then each client's attribution
// line on its own, and text that only looks like a quote.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlToPlainText, parseMail } from '../email/parse.ts';
import { REPLY_ABOVE_MARKER_EN, REPLY_ABOVE_MARKER_RU, stripQuoted } from '../email/quoted-text.ts';

const load = (name: string) => parseMail(readFileSync(new URL(`./fixtures/mail/${name}`, import.meta.url)));

const NEW_TEXT: Record<string, string> = {
  'gmail-ru-reply.eml':
    'Добрый день!\n\nПринтер снова печатает, но лоток 2 всё ещё застревает.\nМожно посмотреть завтра после 14:00?',
  'gmail-en-reply.eml':
    'Hi,\n\nYes, the VPN works again from home. Thanks for the quick fix!\n\nBest regards,\nJohn Smith\nFinance',
  'outlook-ru-reply-html.eml':
    'Коллеги, добрый день.\n\nОшибка 1С «Нет доступа к базе» осталась, после перезапуска то же самое.\n\n' +
    'С уважением,\nОльга Смирнова\nБухгалтерия, доб. 214',
  'outlook-ru-reply-text.eml':
    'Добрый день!\n\nСканер на 2 этаже опять сохраняет файлы в старую папку. Можно поправить сегодня?\n\n' +
    'Никита Белов\nСклад, доб. 305',
  'outlook-en-reply-text.eml':
    'Hello,\n\nThe new monitor is installed, but the docking station still does not charge the laptop.\n' +
    'Could someone come by room 305 today?\n\nThanks,\nPeter',
  'outlook-en-reply-html.eml':
    'Hi team,\n\nTeams keeps asking me to sign in every morning. It started after the password change on Friday.\n\n' +
    'Regards,\nLaura',
  'yandex-reply.eml': 'Здравствуйте!\n\nПароль от Wi-Fi для гостей не подходит, пишет «неверный ключ».',
  'mailru-reply.eml': 'Добрый день, ноутбук забрала, всё работает.\nСпасибо!',
  'mailru-mobile-reply.eml': 'Завтра буду в офисе с 9, приходите.',
  'apple-mail-en-reply.eml': 'Thanks, the printer is fine now.',
  'apple-mail-ru-reply.eml': 'Добрый вечер!\nКлюч доступа в серверную вернул на пост охраны.',
  'thunderbird-ru-reply.eml':
    'Добрый день.\n\nПроверил, почта на телефоне синхронизируется. Заявку можно закрывать.',
  'separator-reply.eml': 'Спасибо, получил доступ к папке \\\\fs01\\Общие\\Проекты.',
  'signature-reply.eml':
    'Добрый день!\n\nОтпуск с 15 декабря, прошу настроить автоответ в почте на этот период.',
  'koi8r-plain.eml':
    'Добрый день!\n\nСервер сборки build-02 снова недоступен по SSH с 9 утра, и ещё не отвечает веб-интерфейс.\n' +
    'Пинг проходит, порт 22 закрыт.',
  'cp1251-plain.eml':
    'Здравствуйте.\n\nПосле обновления Windows не запускается «КонсультантПлюс», ошибка 0x80070005.\n' +
    'Компьютер: BUH-PC-07, кабинет 210.',
  // a new request: the ">" line in the middle and the closing words are the person's own
  'new-request.eml':
    'Здравствуйте!\n\nВ переговорной 4.12 не работает проектор: при подключении ноутбука пишет «Нет сигнала».\n' +
    'Встреча с клиентом сегодня в 15:00.\n\n> Пробовали другой кабель — не помогло.\n\n' +
    'С уважением,\nИван Петров\nотдел продаж, тел. 1234',
  'qp-utf8.eml':
    'Добрый день! В отчёте Excel формула =СУММ(A1:A10) возвращает #ЗНАЧ! после переезда в новый офис. ' +
    'Файл лежит в \\\\fs01\\Финансы\\Отчёт_декабрь.xlsx, открывается только на чтение — прошу проверить права.',
  'html-related-cid.eml':
    'Здравствуйте! На экране ошибка, скриншот ниже:\n\n' +
    'Инструкция была по ссылке VPN для удалённой работы <https://wiki.corp.example/vpn>, но не помогла.\n\nПодробнее',
};

describe('new text of the corpus replies', () => {
  for (const [name, expected] of Object.entries(NEW_TEXT)) {
    it(name, async () => {
      const mail = await load(name);
      expect(stripQuoted(mail.text)).toBe(expected);
    });
  }

  // the same replies read from their HTML part give the same new text
  for (const name of [
    'gmail-ru-reply.eml',
    'gmail-en-reply.eml',
    'outlook-en-reply-html.eml',
    'yandex-reply.eml',
    'mailru-reply.eml',
  ]) {
    it(`${name} from its HTML part`, async () => {
      const mail = await load(name);
      expect(mail.html).not.toBeNull();
      expect(stripQuoted(htmlToPlainText(mail.html ?? ''))).toBe(NEW_TEXT[name]);
    });
  }
});

// the old text ends unquoted, so only the attribution itself can mark where the quote starts
const reply = (attribution: string) =>
  `Принтер заработал, спасибо.\n\n${attribution}\n> Старый текст заявки.\n\nПодпись службы без кавычек.`;

describe('attribution lines of mail clients', () => {
  const lines: [string, string][] = [
    ['Gmail EN', 'On Mon, 1 Dec 2026 at 10:00, Ivan <a@b.c> wrote:'],
    ['Gmail RU', 'пн, 1 дек. 2026 г. в 10:00, Иван <a@b.c>:'],
    [
      'Gmail RU wrapped over two lines',
      'пн, 1 дек. 2026 г. в 10:00, Служба ИТ-поддержки <\nsupport@desk.example>:',
    ],
    ['Yandex', '01.12.2026, 10:00, "Иван" <a@b.c>:'],
    ['Mail.ru', 'Понедельник, 1 декабря 2026, 10:00 +03:00 от Иван <a@b.c>:'],
    ['Mail.ru, bare address', 'Вторник, 2 декабря 2026, 9:15 +03:00 от a@b.c:'],
    ['Mail.ru, spaced address', 'Понедельник, 1 декабря 2026, 10:00 +03:00 от Иван < a@b.c >:'],
    ['Apple Mail EN, quoted', '> On 1 Dec 2026, at 10:00, Ivan <a@b.c> wrote:'],
    ['Apple Mail RU', '1 дек. 2026 г., в 10:00, Иван <a@b.c> написал(а):'],
    ['Thunderbird RU', '01.12.2026 10:00, Иван пишет:'],
    ['Thunderbird EN', 'On 01.12.2026 10:00, Ivan wrote:'],
    ['Outlook EN', '-----Original Message-----\nFrom: Ivan <a@b.c>\nSent: Monday, December 1, 2026 10:00 AM'],
    ['Outlook RU', '-----Исходное сообщение-----\nОт: Иван <a@b.c>\nОтправлено: 1 декабря 2026 г. 10:00'],
    [
      'Outlook EN header block',
      'From: Ivan <a@b.c>\nSent: Monday, December 1, 2026 10:00 AM\nTo: Desk <d@e.f>\nSubject: Printer',
    ],
    [
      'Outlook RU header block',
      'От: Иван <a@b.c>\nОтправлено: 1 декабря 2026 г. 10:00\nКому: Служба <d@e.f>\nКопия: Пётр <p@e.f>\nТема: Принтер',
    ],
    [
      'Outlook RU header block, new Outlook',
      'От: Иван <a@b.c>\nДата: 1 декабря 2026 г., 10:00\nТема: Принтер',
    ],
    [
      'OWA rule above the header block',
      '________________________________\nFrom: Ivan <a@b.c>\nSent: 1 Dec 2026\nTo: Desk',
    ],
    ['Zimbra', '----- Original Message -----\nFrom: "Ivan" <a@b.c>'],
  ];
  for (const [client, attribution] of lines) {
    it(client, () => {
      expect(stripQuoted(reply(attribution))).toBe('Принтер заработал, спасибо.');
    });
  }

  it('cuts an Outlook quote even when its lines are not prefixed with ">"', () => {
    const text =
      'Готово.\n\nFrom: Desk <d@e.f>\nSent: Monday, December 1, 2026 10:00 AM\nTo: Ivan <a@b.c>\nSubject: x\n\nOld text';
    expect(stripQuoted(text)).toBe('Готово.');
  });

  it('keeps a bottom-posted reply: the text under the attribution and its quote', () => {
    const text =
      '01.12.2026 10:00, Служба ИТ-поддержки пишет:\n> Проверьте, пожалуйста.\n\nПроверил, всё работает.';
    expect(stripQuoted(text)).toBe('Проверил, всё работает.');
  });
});

describe('our separator line', () => {
  it('cuts at the Russian and at the English marker, quoted or not, wherever it is', () => {
    expect(stripQuoted(`Да, можно.\n\n${REPLY_ABOVE_MARKER_RU}\n\nЗаявка #7 выполнена.`)).toBe('Да, можно.');
    expect(stripQuoted(`Yes.\n\n> ${REPLY_ABOVE_MARKER_EN}\n> Request #7 is resolved.`)).toBe('Yes.');
    expect(stripQuoted(`Да.\nЕщё строка.\n>>   ##-  Ответьте выше   этой строки  -##  \nстарое`)).toBe(
      'Да.\nЕщё строка.',
    );
  });

  it('cuts at the marker and then at the attribution the client put above it', () => {
    const text = `Спасибо!\n\nвт, 2 дек. 2026 г. в 09:30, Служба <support@desk.example>:\n\n> ${REPLY_ABOVE_MARKER_RU}\n> Заявка выполнена.`;
    expect(stripQuoted(text)).toBe('Спасибо!');
  });

  it('cuts at a custom separator and still at the defaults', () => {
    expect(stripQuoted('Ответ.\n=== reply above ===\nстарое', { separator: '=== reply above ===' })).toBe(
      'Ответ.',
    );
    expect(stripQuoted(`Ответ.\n${REPLY_ABOVE_MARKER_EN}\nold`, { separator: '=== reply above ===' })).toBe(
      'Ответ.',
    );
  });
});

describe('trailing quotes, signatures and footers', () => {
  it('drops a trailing ">" block and an unfamiliar attribution right above it', () => {
    expect(stripQuoted('Готово.\n\nIvan Petrov <a@b.c> schrieb:\n> alt\n>\n> alt')).toBe('Готово.');
    expect(stripQuoted('Готово.\n\nСлужба писал 2026-12-02 09:30:\n> старое')).toBe('Готово.');
  });

  it('keeps a line ending in a colon above a quote when it names no sender', () => {
    expect(stripQuoted('Ошибка такая:\n> Access denied\n\nЧто делать?')).toBe(
      'Ошибка такая:\n> Access denied\n\nЧто делать?',
    );
    expect(stripQuoted('Ошибка такая:\n\n> Access denied')).toBe('Ошибка такая:');
  });

  it('keeps quotes answered in between (inline replies) up to the last answer', () => {
    expect(stripQuoted('> Когда удобно?\nЗавтра в 10.\n> Какой кабинет?\n305.\n\n> Спасибо')).toBe(
      '> Когда удобно?\nЗавтра в 10.\n> Какой кабинет?\n305.',
    );
  });

  it('cuts the signature after "-- ", and after a bare "--" only when a short block follows', () => {
    expect(stripQuoted('Текст.\n\n-- \nИван\nтел. 1234')).toBe('Текст.');
    expect(stripQuoted('Текст.\n--\nИван')).toBe('Текст.');
    const long = Array.from({ length: 9 }, (_, i) => `строка ${i + 1}`).join('\n');
    expect(stripQuoted(`Текст.\n--\n${long}`)).toBe(`Текст.\n--\n${long}`);
  });

  const footers = [
    'Sent from my iPhone',
    'Sent from my Galaxy',
    'Отправлено с iPhone',
    'Отправлено из мобильной Почты Mail.ru',
    'Отправлено из Яндекс Почты для мобильных',
    'Отправлено из мобильной Яндекс.Почты',
    'Get Outlook for Android',
    'Получить Outlook для iOS',
    'Sent from Mail for Windows',
  ];
  for (const footer of footers) {
    it(`drops the footer "${footer}"`, () => {
      expect(stripQuoted(`Ок, жду.\n\n${footer}`)).toBe('Ок, жду.');
    });
  }

  it('drops a footer that sits above the quote', () => {
    expect(
      stripQuoted('Ok.\n\nSent from my iPhone\n\n> On 1 Dec 2026, at 10:00, Desk <d@e.f> wrote:\n> old'),
    ).toBe('Ok.');
  });
});

describe('text that only looks like a quote is kept', () => {
  const kept = [
    'On Monday the printer broke again.\nPlease help.',
    'On the other hand, Ivan wrote:\nthe order is ready.',
    '01.12.2026 в 10:00 сломался принтер, ошибка:\nPaper jam',
    'От бухгалтерии: просьба проверить сканер.\nТема: срочно',
    'From: the third floor.\nTo: whoever reads this.',
    'Пароль не подходит, пишет «неверный ключ».',
    'Итог -- принтер работает.',
  ];
  for (const text of kept) {
    it(JSON.stringify(text.split('\n')[0]), () => {
      expect(stripQuoted(text)).toBe(text);
    });
  }
});

describe('never empty', () => {
  it('returns the whole text, trimmed, when all of it is a quote without attribution', () => {
    expect(stripQuoted('\n\n> только цитата\n> и больше ничего\n\n')).toBe(
      '> только цитата\n> и больше ничего',
    );
  });

  it('returns the whole text when it starts with an Outlook header block', () => {
    const text = 'From: Desk <d@e.f>\nSent: Monday\nTo: Ivan\nSubject: x\n\nForwarded text';
    expect(stripQuoted(text)).toBe(text);
  });

  it('returns an empty string only for empty input', () => {
    expect(stripQuoted('')).toBe('');
    expect(stripQuoted(' \n\t\n')).toBe('');
  });

  it('reads CRLF line ends', () => {
    expect(stripQuoted('Да.\r\n\r\nOn Mon, 1 Dec 2026 at 10:00, D <d@e.f> wrote:\r\n> old\r\n')).toBe('Да.');
  });
});

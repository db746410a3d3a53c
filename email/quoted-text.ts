// The new part of an e-mail reply: what the person wrote above the quote of our earlier message.
// Written here rather than taken from npm because the reply parsers there miss Russian mail clients.
// Meant for replies to a ticket: a forwarded mail would lose its forwarded part.

/** The line our notifications carry; everything from it down is the old conversation. */
export const REPLY_ABOVE_MARKER_RU = '##- Ответьте выше этой строки -##';
export const REPLY_ABOVE_MARKER_EN = '##- Please type your reply above this line -##';

/**
 * Returns only what is new in a reply, trimmed. Cuts, in order: at our separator line (the given one and
 * both defaults, so replies to notifications sent before a change of wording still cut), at the first
 * attribution line or Outlook header block of a known mail client, then trailing `>` quotes, a signature
 * after `-- `, and mobile "Sent from" footers. When nothing would be left, the whole text comes back.
 */
export function stripQuoted(text: string, opts: { separator?: string } = {}): string {
  const original = text.replace(/\r\n?/g, '\n').trim();
  const separators = [opts.separator, REPLY_ABOVE_MARKER_RU, REPLY_ABOVE_MARKER_EN].filter(
    (s): s is string => typeof s === 'string' && s.trim() !== '',
  );

  let lines = original.split('\n');
  lines = cutAtSeparator(lines, separators);
  lines = cutAtQuoteStart(lines);
  // a footer can sit above a signature and a signature above a quote: peel until nothing changes
  for (let before = -1; before !== lines.length; ) {
    before = lines.length;
    lines = dropTrailingQuote(lines);
    lines = dropSignature(lines);
    lines = dropMobileFooters(lines);
  }

  const result = lines.join('\n').trim();
  return result === '' ? original : result;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const isBlank = (line: string) => line.trim() === '';
/** The line without leading `>` quote marks, so quoted attributions (Apple Mail, Mail.ru) are seen too. */
const unquoted = (line: string) => line.replace(/^(\s*>)+/, '').trim();
const isQuoted = (line: string) => /^\s*>/.test(line);

function cutAtSeparator(lines: string[], separators: string[]): string[] {
  const wanted = separators.map(squash);
  const at = lines.findIndex((line) => wanted.some((s) => squash(line).includes(s)));
  return at < 0 ? lines : lines.slice(0, at);
}

// ---- attribution lines of mail clients -------------------------------------------------------------

const WEEKDAY_RU = '(?:пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)';
// "1 дек. 2026 г.", "1 декабря 2026", "01.12.2026", "2026-12-01"
const DATE =
  '(?:\\d{1,2}\\s+[а-яёa-z]+\\.?\\s+\\d{4}(?:\\s*г\\.)?|\\d{1,2}[./]\\d{1,2}[./]\\d{2,4}|\\d{4}-\\d{2}-\\d{2})';
const TIME = '\\d{1,2}:\\d{2}(?::\\d{2})?';

/** Gmail RU, Yandex, Mail.ru, Apple Mail RU, Thunderbird RU: a date and time first, a colon last. */
const DATED_ATTRIBUTION = new RegExp(
  `^(?:${WEEKDAY_RU},?\\s+)?${DATE},?\\s+(?:в\\s+)?${TIME}(?:\\D.*)?$`,
  'iu',
);
/** …and the end must name the sender by address or say "wrote", so a dated sentence of the person is kept. */
const ENDS_LIKE_ATTRIBUTION =
  /(?:<\s*[^<>\s]+@[^<>\s]+\s*>|[^\s<>]+@[^\s<>]+|\bwrote|написала?|написал\(а\)|пишет|писала?)\s*:$/iu;
/** Gmail, Apple Mail, Thunderbird, mutt in English: "On <date with digits>, <who> wrote:". */
const ON_WROTE = /^On\s.*\d.*\swrote:$/i;
/** Outlook (text), Zimbra, The Bat!: a dashed "original message" line. */
const ORIGINAL_MESSAGE = /^-{2,}\s*(?:Original Message|Исходное сообщение|Оригинальное сообщение)\s*-{2,}$/i;

function isAttribution(candidate: string): boolean {
  if (candidate.length > 400) return false;
  if (ON_WROTE.test(candidate) || ORIGINAL_MESSAGE.test(candidate)) return true;
  return DATED_ATTRIBUTION.test(candidate) && ENDS_LIKE_ATTRIBUTION.test(candidate);
}

/** How many lines from `i` form an attribution (clients wrap long ones over two or three lines), or 0. */
function attributionLength(lines: string[], i: number): number {
  let joined = '';
  for (let n = 1; n <= 3 && i + n - 1 < lines.length; n++) {
    const line = unquoted(lines[i + n - 1] ?? '');
    if (line === '') break;
    joined = squash(`${joined} ${line}`);
    if (isAttribution(joined)) return n;
  }
  return 0;
}

// Outlook's quoted header block: "From: … / Sent: … / To: … / Subject: …", in English or Russian
const HEADER_FROM = /^\*?(?:From|От|Отправитель)\s*:\*?\s*\S/i;
const HEADER_FIELDS: [string, RegExp][] = [
  ['sent', /^\*?(?:Sent|Date|Отправлено|Дата)\s*:/i],
  ['to', /^\*?(?:To|Кому)\s*:/i],
  ['subject', /^\*?(?:Subject|Тема)\s*:/i],
];

function startsHeaderBlock(lines: string[], i: number): boolean {
  if (!HEADER_FROM.test(unquoted(lines[i] ?? ''))) return false;
  const seen = new Set<string>();
  for (let j = i + 1; j < Math.min(lines.length, i + 9); j++) {
    const line = unquoted(lines[j] ?? '');
    if (line === '') break;
    for (const [field, pattern] of HEADER_FIELDS) if (pattern.test(line)) seen.add(field);
  }
  return seen.size >= 2;
}

/** A rule Outlook and webmails draw above the quote ("______", "-----"). */
const isRule = (line: string) => /^\s*[_\-=]{8,}\s*$/.test(line);

function cutAtQuoteStart(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const length = attributionLength(lines, i);
    const headerBlock = length === 0 && startsHeaderBlock(lines, i);
    if (length === 0 && !headerBlock) continue;

    let cut = i;
    for (let k = i - 1; k >= 0 && (isBlank(lines[k] ?? '') || isRule(lines[k] ?? '')); k--) {
      if (isRule(lines[k] ?? '')) cut = k;
    }
    if (lines.slice(0, cut).some((line) => !isBlank(line))) return lines.slice(0, cut);

    // Nothing above: a bottom-posted reply. Skip the attribution and its `>` quote, keep what follows.
    if (length > 0) {
      let after = i + length;
      while (after < lines.length && (isQuoted(lines[after] ?? '') || isBlank(lines[after] ?? ''))) after++;
      return lines.slice(after);
    }
    return lines.slice(0, cut);
  }
  return lines;
}

// ---- trailing parts -----------------------------------------------------------------------------------

function lastFilled(lines: string[]): number {
  let last = lines.length - 1;
  while (last >= 0 && isBlank(lines[last] ?? '')) last--;
  return last;
}

/** An unknown client's "Ivan <ivan@corp> wrote:" or "Служба писал 2026-12-02 09:30:" right above a quote. */
const looksLikeAttribution = (line: string) =>
  line.endsWith(':') && /@|\bwrote\b|написала?|написал\(а\)|пишет|писала?/iu.test(line);

function dropTrailingQuote(lines: string[]): string[] {
  let last = lastFilled(lines);
  if (last < 0 || !isQuoted(lines[last] ?? '')) return lines;
  while (last >= 0 && (isQuoted(lines[last] ?? '') || isBlank(lines[last] ?? ''))) last--;
  return lines.slice(0, looksLikeAttribution((lines[last] ?? '').trim()) ? last : last + 1);
}

/** Cut at the signature delimiter: "-- " by the standard; a bare "--" only when a short block follows. */
function dropSignature(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trimEnd() !== '--') continue;
    const following = lines.slice(i + 1).filter((l) => !isBlank(l)).length;
    if (line === '-- ' || following <= 8) return lines.slice(0, i);
  }
  return lines;
}

const MOBILE_FOOTERS = [
  /^Sent from my [\w .-]{1,40}$/i,
  /^Sent from (?:Mail|Outlook) for [\w .-]{1,30}$/i,
  /^Sent from Yandex ?Mail(?: for mobile)?$/i,
  /^Get Outlook for (?:iOS|Android)$/i,
  /^Получить Outlook для (?:iOS|Android)$/i,
  /^Отправлено с (?:iPhone|iPad|моего [\wа-яё .-]{1,40})$/iu,
  /^Отправлено из (?:мобильной )?(?:Почты Mail\.ru|Яндекс[ .]Почты)(?: для [\wа-яё ]{1,20})?$/iu,
  /^Отправлено из приложения [\wа-яё .-]{1,40}$/iu,
];

function dropMobileFooters(lines: string[]): string[] {
  let last = lastFilled(lines);
  while (last >= 0 && MOBILE_FOOTERS.some((footer) => footer.test((lines[last] ?? '').trim()))) {
    lines = lines.slice(0, last);
    last = lastFilled(lines);
  }
  return lines;
}

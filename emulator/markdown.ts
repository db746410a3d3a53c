// parse_mode MarkdownV2 and legacy Markdown, after TDLib's parsers: reserved characters must be escaped
// in MarkdownV2, and the error texts name the entity and the byte offset where it began.
import type { MessageEntity } from 'grammy/types';
import { byteOffset, cantParse, type FormattedText, isSpace, sortEntities, textLink } from './entities.ts';

type V2Kind =
  | 'Bold'
  | 'Italic'
  | 'Underline'
  | 'Strikethrough'
  | 'Spoiler'
  | 'Code'
  | 'Pre'
  | 'PreCode'
  | 'TextUrl'
  | 'CustomEmoji'
  | 'BlockQuote';

/** Entities that end on their closing mark alone, and how many characters that mark has beyond the first. */
const SIMPLE_ENDS: Partial<
  Record<
    V2Kind,
    { type: 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler' | 'code'; extra: number }
  >
> = {
  Bold: { type: 'bold', extra: 0 },
  Italic: { type: 'italic', extra: 0 },
  Underline: { type: 'underline', extra: 1 },
  Strikethrough: { type: 'strikethrough', extra: 0 },
  Spoiler: { type: 'spoiler', extra: 1 },
  Code: { type: 'code', extra: 0 },
};

const reservedError = (c: string) =>
  cantParse(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);

/**
 * After an opening ``` at `at`: the language (a word directly after the backticks, when more follows on
 * the line) and where the content starts (one line break is skipped), as both Markdown flavours read it.
 */
function openPre(source: string, at: number): { language: string; contentStart: number } {
  let i = at + 3;
  let languageEnd = i;
  while (languageEnd < source.length && !isSpace(source[languageEnd]) && source[languageEnd] !== '`')
    languageEnd++;
  let language = '';
  if (i !== languageEnd && languageEnd < source.length && source[languageEnd] !== '`') {
    language = source.slice(i, languageEnd);
    i = languageEnd;
  }
  if (source[i] === '\n' || source[i] === '\r') {
    const pair = (source[i + 1] === '\n' || source[i + 1] === '\r') && source[i] !== source[i + 1];
    i += pair ? 2 : 1;
  }
  return { language, contentStart: i };
}

export function parseMarkdownV2(source: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: { kind: V2Kind; argument: string; offset: number; sourceAt: number }[] = [];
  const at = (index: number) => byteOffset(source, index);
  const unclosed = (entity: { kind: V2Kind; sourceAt: number }) =>
    cantParse(`Can't find end of ${entity.kind} entity at byte offset ${at(entity.sourceAt)}`);
  let quoted = false;
  let lineStart = true;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    const nextCode = source.charCodeAt(i + 1);
    if (c === '\\' && nextCode > 0 && nextCode <= 126) {
      i++;
      text += source[i];
      if (source[i] !== '\r') lineStart = source[i] === '\n';
      continue;
    }
    const top = open.at(-1);
    const inCode = top?.kind === 'Code' || top?.kind === 'Pre' || top?.kind === 'PreCode';
    if (!(inCode ? '`' : '_*[]()~`>#+-=|{}.!\n').includes(c)) {
      text += c;
      if (c !== '\r') lineStart = false;
      continue;
    }

    const closes =
      top !== undefined &&
      ((quoted && c === '\n' && source[i + 1] !== '>') ||
        (top.kind === 'Bold' && c === '*') ||
        (top.kind === 'Italic' && c === '_' && source[i + 1] !== '_') ||
        (top.kind === 'Underline' && c === '_' && source[i + 1] === '_') ||
        (top.kind === 'Code' && c === '`') ||
        ((top.kind === 'Pre' || top.kind === 'PreCode') && source.startsWith('```', i)) ||
        ((top.kind === 'TextUrl' || top.kind === 'CustomEmoji') && c === ']') ||
        (top.kind === 'Strikethrough' && c === '~') ||
        (top.kind === 'Spoiler' && c === '|' && source[i + 1] === '|'));

    if (!closes || !top) {
      const sourceAt = i;
      let kind: V2Kind;
      let argument = '';
      if (c === '\n') {
        text += '\n';
        lineStart = true;
        continue;
      } else if (c === '>') {
        if (!lineStart) throw reservedError(c);
        if (quoted) continue; // the marker of a quote's next line
        quoted = true;
        kind = 'BlockQuote';
      } else if (c === '`' && source.startsWith('```', i)) {
        const pre = openPre(source, i);
        kind = pre.language ? 'PreCode' : 'Pre';
        argument = pre.language;
        i = pre.contentStart - 1;
      } else if (c === '|' || c === '!') {
        if (source[i + 1] !== (c === '|' ? '|' : '[')) throw reservedError(c);
        i++;
        kind = c === '|' ? 'Spoiler' : 'CustomEmoji';
      } else if (c === '_' && source[i + 1] === '_') {
        i++;
        kind = 'Underline';
      } else {
        const opening: Record<string, V2Kind> = {
          _: 'Italic',
          '*': 'Bold',
          '~': 'Strikethrough',
          '[': 'TextUrl',
          '`': 'Code',
        };
        const found = opening[c];
        if (!found) throw reservedError(c);
        kind = found;
      }
      open.push({ kind, argument, offset: text.length, sourceAt });
      continue;
    }

    // The end of the innermost entity.
    if (c === '\n' && top.kind !== 'BlockQuote') throw unclosed(top);
    open.pop();
    const { offset } = top;
    const simple = SIMPLE_ENDS[top.kind];
    let entity: MessageEntity | undefined;
    if (simple) {
      i += simple.extra;
      entity = { type: simple.type, offset, length: 0 };
    } else if (top.kind === 'Pre' || top.kind === 'PreCode') {
      i += 2;
      entity = { type: 'pre', offset, length: 0, ...(top.argument ? { language: top.argument } : {}) };
    } else if (top.kind === 'TextUrl') {
      let url = text.slice(offset);
      if (source[i + 1] === '(') {
        const read = readUrl(i + 2);
        url = read.url;
        i = read.end;
      }
      entity = textLink(offset, 0, url);
    } else if (top.kind === 'CustomEmoji') {
      if (source[i + 1] !== '(') throw cantParse('The entity must contain a tg://emoji or tg://time URL');
      const read = readUrl(i + 2);
      i = read.end;
      const id = /^tg:\/\/emoji\?id=([1-9]\d*)$/.exec(read.url)?.[1];
      if (!id) throw cantParse('Invalid tg://emoji or tg://time URL specified');
      entity = { type: 'custom_emoji', offset, length: 0, custom_emoji_id: id };
    } else {
      // A quote ends at a line break not followed by '>'; the break belongs to the quote.
      quoted = false;
      text += '\n';
      lineStart = true;
      entity = { type: 'blockquote', offset, length: 0 };
    }
    if (entity && text.length > offset) entities.push({ ...entity, length: text.length - offset });
  }
  const quote = open.at(-1);
  if (quoted && quote?.kind === 'BlockQuote') {
    open.pop();
    if (text.length > quote.offset) {
      entities.push({ type: 'blockquote', offset: quote.offset, length: text.length - quote.offset });
    }
  }
  const left = open.at(-1);
  if (left) throw unclosed(left);
  return { text, entities: sortEntities(entities) };

  /** The URL in `(…)` starting at `start`, with backslash escapes; `end` is the index of ')'. */
  function readUrl(start: number): { url: string; end: number } {
    let url = '';
    let j = start;
    while (j < source.length && source[j] !== ')') {
      const code = source.charCodeAt(j + 1);
      if (source[j] === '\\' && code > 0 && code <= 126) {
        url += source[j + 1];
        j += 2;
        continue;
      }
      url += source[j++];
    }
    if (source[j] !== ')') throw cantParse(`Can't find end of a URL at byte offset ${at(start)}`);
    return { url, end: j };
  }
}

/** Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting, few escapes. */
export function parseMarkdown(source: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    if (c === '\\' && '_*`['.includes(source[i + 1] ?? ' ')) {
      text += source[++i];
      continue;
    }
    if (!'_*`['.includes(c)) {
      text += c;
      continue;
    }
    const begin = i;
    const isPre = c === '`' && source.startsWith('```', i);
    const pre = isPre ? openPre(source, i) : undefined;
    i = pre ? pre.contentStart : i + 1;
    const endMark = c === '[' ? ']' : c;
    const offset = text.length;
    while (i < source.length && (isPre ? !source.startsWith('```', i) : source[i] !== endMark))
      text += source[i++];
    if (i >= source.length) {
      throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(source, begin)}`);
    }
    const length = text.length - offset;
    let entity: MessageEntity | undefined;
    if (c === '_') entity = { type: 'italic', offset, length };
    else if (c === '*') entity = { type: 'bold', offset, length };
    else if (pre)
      entity = { type: 'pre', offset, length, ...(pre.language ? { language: pre.language } : {}) };
    else if (c === '`') entity = { type: 'code', offset, length };
    else {
      let url = text.slice(offset);
      if (source[i + 1] === '(') {
        const close = source.indexOf(')', i + 2);
        const end = close === -1 ? source.length : close;
        url = source.slice(i + 2, end);
        i = end;
      }
      entity = textLink(offset, length, url);
    }
    if (isPre) i += 2;
    if (entity && length > 0) entities.push(entity);
  }
  return { text, entities: sortEntities(entities) };
}

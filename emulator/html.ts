// parse_mode HTML, after TDLib's parse_html: the same tags, entities (&lt; &gt; &amp; &quot; and numeric
// only) and error texts, with byte offsets into the UTF-8 source.
import type { MessageEntity } from 'grammy/types';
import { byteOffset, cantParse, type FormattedText, isSpace, sortEntities, textLink } from './entities.ts';

const HTML_TAGS = new Set(
  'a b strong i em s strike del u ins tg-spoiler tg-emoji tg-time span pre code blockquote'.split(' '),
);

/** `&lt;` `&gt;` `&amp;` `&quot;` and numeric references; anything else stays literal, as in TDLib. */
function decodeHtmlEntity(source: string, at: number): { char: string; end: number } | undefined {
  let end = at + 1;
  let code = 0;
  if (source[end] === '#') {
    end++;
    const hex = source[end] === 'x';
    if (hex) end++;
    const digits = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    const from = end;
    while (end < source.length && digits.test(source[end] ?? '')) end++;
    code = Number.parseInt(source.slice(from, end), hex ? 16 : 10) || 0;
    if (code === 0 || code >= 0x10ffff || end - at >= 10) return undefined;
  } else {
    while (end < source.length && /[a-zA-Z]/.test(source[end] ?? '')) end++;
    const named: Record<string, number> = { lt: 60, gt: 62, amp: 38, quot: 34 };
    code = named[source.slice(at + 1, end)] ?? 0;
    if (code === 0) return undefined;
  }
  if (source[end] === ';') end++;
  return { char: String.fromCodePoint(code), end };
}

export function parseHtml(source: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: { tag: string; argument: string; offset: number }[] = [];
  const at = (index: number) => byteOffset(source, index);
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '&') {
      const decoded = decodeHtmlEntity(source, i);
      if (decoded) {
        text += decoded.char;
        i = decoded.end;
        continue;
      }
    }
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    const begin = i++;
    if (source[i] !== '/') {
      while (i < source.length && !isSpace(source[i]) && source[i] !== '>') i++;
      if (i >= source.length) throw cantParse(`Unclosed start tag at byte offset ${at(begin)}`);
      const tag = source.slice(begin + 1, i).toLowerCase();
      if (!HTML_TAGS.has(tag)) throw cantParse(`Unsupported start tag "${tag}" at byte offset ${at(begin)}`);
      let argument = '';
      while (source[i] !== '>') {
        while (i < source.length && isSpace(source[i])) i++;
        if (source[i] === '>') break;
        const nameBegin = i;
        while (i < source.length && !isSpace(source[i]) && !'=>/"\''.includes(source[i] ?? '')) i++;
        const name = source.slice(nameBegin, i);
        if (!name) throw cantParse(`Empty attribute name in the tag "${tag}" at byte offset ${at(begin)}`);
        while (i < source.length && isSpace(source[i])) i++;
        if (source[i] !== '=') {
          if (i >= source.length) throw cantParse(`Unclosed start tag "${tag}" at byte offset ${at(begin)}`);
          if (tag === 'blockquote' && name === 'expandable') argument = '1';
          continue;
        }
        i++;
        while (i < source.length && isSpace(source[i])) i++;
        if (i >= source.length) throw cantParse(`Unclosed start tag "${tag}" at byte offset ${at(begin)}`);
        let value = '';
        const quote = source[i];
        if (quote !== '"' && quote !== "'") {
          const tokenBegin = i;
          while (i < source.length && /[a-zA-Z0-9.-]/.test(source[i] ?? '')) i++;
          value = source.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(source[i]) && source[i] !== '>') {
            throw cantParse(`Unexpected end of name token at byte offset ${at(tokenBegin)}`);
          }
        } else {
          i++;
          while (i < source.length && source[i] !== quote) {
            const decoded = source[i] === '&' ? decodeHtmlEntity(source, i) : undefined;
            value += decoded ? decoded.char : source[i];
            i = decoded ? decoded.end : i + 1;
          }
          if (source[i] === quote) i++;
        }
        if (i >= source.length) throw cantParse(`Unclosed start tag at byte offset ${at(begin)}`);
        if (tag === 'a' && name === 'href') argument = value;
        else if (tag === 'code' && name === 'class' && value.startsWith('language-'))
          argument = value.slice(9);
        else if (tag === 'span' && name === 'class' && value.startsWith('tg-')) argument = value.slice(3);
        else if (tag === 'tg-emoji' && name === 'emoji-id') argument = value;
        else if (tag === 'blockquote' && name === 'expandable') argument = '1';
      }
      if (tag === 'span' && argument !== 'spoiler') {
        throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${at(begin)}`);
      }
      open.push({ tag, argument, offset: text.length });
      i++;
      continue;
    }

    const top = open.pop();
    if (!top) throw cantParse(`Unexpected end tag at byte offset ${at(begin)}`);
    let j = i + 1;
    while (j < source.length && !isSpace(source[j]) && source[j] !== '>') j++;
    const endTag = source.slice(i + 1, j).toLowerCase();
    while (j < source.length && isSpace(source[j])) j++;
    if (source[j] !== '>') throw cantParse(`Unclosed end tag at byte offset ${at(begin)}`);
    if (endTag && endTag !== top.tag) {
      throw cantParse(
        `Unmatched end tag at byte offset ${at(begin)}, expected "</${top.tag}>", found "</${endTag}>"`,
      );
    }
    i = j + 1;
    const length = text.length - top.offset;
    if (length > 0) addHtmlEntity(entities, top, length, text);
  }
  const unclosed = open.at(-1);
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities: sortEntities(entities) };
}

/** The language of each `code` entity, consulted when a `pre` closes around it. */
const codeLanguages = new WeakMap<MessageEntity, string>();

function addHtmlEntity(
  entities: MessageEntity[],
  open: { tag: string; argument: string; offset: number },
  length: number,
  text: string,
): void {
  const { tag, argument, offset } = open;
  const previous = entities.at(-1);
  // <pre><code class="language-x">…</code></pre> (either nesting) is one `pre` entity with a language.
  const samePrevious = previous?.offset === offset && previous.length === length;
  let entity: MessageEntity | undefined;
  switch (tag) {
    case 'b':
    case 'strong':
      entity = { type: 'bold', offset, length };
      break;
    case 'i':
    case 'em':
      entity = { type: 'italic', offset, length };
      break;
    case 'u':
    case 'ins':
      entity = { type: 'underline', offset, length };
      break;
    case 's':
    case 'strike':
    case 'del':
      entity = { type: 'strikethrough', offset, length };
      break;
    case 'tg-spoiler':
    case 'span':
      entity = { type: 'spoiler', offset, length };
      break;
    case 'blockquote':
      entity = { type: argument ? 'expandable_blockquote' : 'blockquote', offset, length };
      break;
    case 'tg-emoji':
      if (!/^[1-9]\d*$/.test(argument)) throw cantParse('Invalid custom emoji identifier specified');
      entity = { type: 'custom_emoji', offset, length, custom_emoji_id: argument };
      break;
    case 'a':
      entity = textLink(offset, length, argument || text.slice(offset));
      break;
    case 'code':
      if (previous?.type === 'pre' && samePrevious && argument) {
        previous.language = argument;
        return;
      }
      entity = { type: 'code', offset, length };
      if (argument) codeLanguages.set(entity, argument);
      break;
    case 'pre': {
      const language = previous && samePrevious ? codeLanguages.get(previous) : undefined;
      if (previous?.type === 'code' && language) {
        entities[entities.length - 1] = { type: 'pre', offset, length, language };
        return;
      }
      entity = { type: 'pre', offset, length };
      break;
    }
    // tg-time makes a date entity this emulator does not model.
  }
  if (entity) entities.push(entity);
}

// Message text as Telegram stores it: parse_mode markup turned into plain text plus entities, and the
// entities Telegram finds by itself (commands, mentions, hashtags, links). The parsers follow TDLib's
// rules and error texts, so a bot that sends unescaped user input fails here as it would in production.
import type { MessageEntity } from 'grammy/types';
import { type FormattedText, sortEntities } from './entities.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown, parseMarkdownV2 } from './markdown.ts';
import { badRequest } from './protocol.ts';

export type { FormattedText } from './entities.ts';

/** The text and entities of an outgoing message or caption; throws Telegram's 400s on bad markup. */
export function formatText(raw: string, parseMode?: string, given?: MessageEntity[]): FormattedText {
  let parsed: FormattedText;
  switch (parseMode?.toLowerCase()) {
    case undefined:
    case '':
      parsed = { text: raw, entities: given ?? [] };
      break;
    case 'html':
      parsed = parseHtml(raw);
      break;
    case 'markdownv2':
      parsed = parseMarkdownV2(raw);
      break;
    case 'markdown':
      parsed = parseMarkdown(raw);
      break;
    default:
      throw badRequest('unsupported parse_mode');
  }
  return { text: parsed.text, entities: withDetectedEntities(parsed.text, parsed.entities) };
}

/** Text typed by a person: no markup, only the entities Telegram detects. */
export function plainText(text: string): FormattedText {
  return { text, entities: withDetectedEntities(text, []) };
}

/** Characters as Telegram counts them for the 4096 and 1024 limits (code points). */
export const characterCount = (text: string) => [...text].length;

/** What Telegram detects in any text, in the order they claim their span. */
const DETECTED: [MessageEntity.CommonMessageEntity['type'], RegExp][] = [
  ['url', /\bhttps?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'"]/giu],
  ['bot_command', /(?<![\p{L}\p{N}_/<>])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_/<>])/gu],
  ['mention', /(?<![\p{L}\p{N}_@/])@[A-Za-z0-9_]{3,32}(?![A-Za-z0-9_])/gu],
  ['hashtag', /(?<![\p{L}\p{N}_#])#[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*/gu],
];

/** Adds what Telegram detects on its own, except inside code, pre and links. */
function withDetectedEntities(text: string, entities: MessageEntity[]): MessageEntity[] {
  const result = [...entities];
  const taken = (offset: number, length: number) =>
    result.some(
      (e) =>
        ['code', 'pre', 'text_link', 'url', 'bot_command', 'mention', 'hashtag'].includes(e.type) &&
        offset < e.offset + e.length &&
        e.offset < offset + length,
    );
  for (const [type, pattern] of DETECTED) {
    for (const match of text.matchAll(pattern)) {
      const offset = match.index;
      const length = match[0].length;
      if (!taken(offset, length)) result.push({ type, offset, length });
    }
  }
  return sortEntities(result);
}

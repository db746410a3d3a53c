// Shared by the parse_mode parsers: how TDLib reports a parse error, byte offsets, entity order, links.
import type { MessageEntity } from 'grammy/types';
import { badRequest } from './protocol.ts';

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

export const cantParse = (what: string) => badRequest(`can't parse entities: ${what}`);
export const byteOffset = (source: string, index: number) => Buffer.byteLength(source.slice(0, index));
export const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

export const textLink = (offset: number, length: number, url: string): MessageEntity | undefined => {
  const checked = checkedLink(url);
  return checked ? { type: 'text_link', offset, length, url: checked } : undefined;
};

/** TDLib drops links it cannot make sense of instead of failing the message. */
function checkedLink(url: string): string | undefined {
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(trimmed) || /^tg:\S+$/i.test(trimmed)) return trimmed;
  if (/^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(trimmed)) return `http://${trimmed}`;
  return undefined;
}

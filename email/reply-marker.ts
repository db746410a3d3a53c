// The line at the top of every mail we send: what a person writes above it is their reply, everything
// from it down is our old mail quoted back. Read from the locale files (`mail-reply-above`), where the
// mail renderer takes it too, so the line we send and the lines we cut at cannot drift apart.
import { LANGUAGES } from '../core/model.ts';
import { translator } from '../locales/index.ts';

/** Every language's line, for cutting replies whatever language the mail they answer was in. */
export const REPLY_ABOVE_MARKERS: string[] = LANGUAGES.map((language) =>
  translator(language)('mail-reply-above'),
);

// Texts in the person's language: the one stored for them, else their Telegram app's, else Russian.
// Read from the store, not a session, so it also works inside conversations.
import { I18n } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import { languageFrom } from '../core/onboarding.ts';
import { statements } from '../core/statements.ts';
import type { Db } from '../db/connection.ts';
import { DEFAULT_LANGUAGE, LOCALES_DIR } from '../locales/index.ts';

export function createI18n<C extends Context>(db: Db): I18n<C> {
  return new I18n<C>({
    defaultLocale: DEFAULT_LANGUAGE,
    directory: LOCALES_DIR,
    useSession: false,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => {
      if (!ctx.from) return DEFAULT_LANGUAGE;
      const stored = statements(db).languageByTelegram.get({ telegramUserId: ctx.from.id });
      return stored?.language ?? languageFrom(ctx.from.language_code);
    },
  });
}

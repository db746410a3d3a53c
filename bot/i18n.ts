// Texts in the person's language: the one stored for them, else their Telegram app's, else Russian.
// Read from the store, not a session, so it also works inside conversations.
//
// Negotiated once per update and person: the plugin asks on every context it makes, and a conversation
// makes one for each update it replays, so without the cache one update asked the store a dozen times. The
// matching of a locale to its bundles (the plugin does it on every translation) is kept per locale too.
import { I18n, type I18nFlavor } from '@grammyjs/i18n';
import type { Context, MiddlewareFn } from 'grammy';
import { languageFrom } from '../core/onboarding.ts';
import { statements } from '../core/statements.ts';
import { queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { DEFAULT_LANGUAGE, LOCALES_DIR } from '../locales/index.ts';

export interface BotI18n<C extends Context> {
  /** Installs ctx.t and ctx.i18n; on the bot, it also keeps the sender's locale while the update lasts. */
  middleware: MiddlewareFn<C>;
  /** The same for the contexts a conversation makes (which find the locale kept by the update). */
  plugin: MiddlewareFn<C>;
}

/** The plugin's bundle matching, private in its types. */
interface Matching {
  matchBundles(locales: readonly string[]): Set<unknown>;
  bundles: Set<unknown>;
}

export function createI18n<C extends Context & I18nFlavor>(db: Db): BotI18n<C> {
  /**
   * The people whose updates are being handled, with the locale negotiated for them (once asked). Counted,
   * not scoped by AsyncLocalStorage: on Node 20 that puts a hook on every promise the bot makes.
   */
  const handling = new Map<number, { updates: number; locale?: string }>();
  const i18n = new I18n<C>({
    defaultLocale: DEFAULT_LANGUAGE,
    directory: LOCALES_DIR,
    useSession: false,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: async (ctx) => {
      if (!ctx.from) return DEFAULT_LANGUAGE;
      const id = ctx.from.id;
      const entry = handling.get(id);
      if (entry?.locale !== undefined) return entry.locale;
      const stored = await queryOne(statements(db).languageByTelegram, { telegramUserId: id });
      const locale = stored?.language ?? languageFrom(ctx.from.language_code);
      if (entry) entry.locale = locale;
      return locale;
    },
  });
  memoizeMatching(i18n.fluent as unknown as Matching);
  const install = i18n.middleware();
  const plugin: MiddlewareFn<C> = (ctx, next) =>
    install(ctx, () => {
      // A handler that changed the person's language asks again: the kept answer is out of date.
      const renegotiate = ctx.i18n.renegotiateLocale;
      ctx.i18n.renegotiateLocale = () => {
        const entry = ctx.from && handling.get(ctx.from.id);
        if (entry) entry.locale = undefined;
        return renegotiate();
      };
      return next();
    });
  return {
    async middleware(ctx, next) {
      const id = ctx.from?.id;
      if (id === undefined) return plugin(ctx, next);
      const entry = handling.get(id) ?? { updates: 0 };
      entry.updates++;
      handling.set(id, entry);
      try {
        await plugin(ctx, next);
      } finally {
        if (--entry.updates === 0) handling.delete(id);
      }
    },
    plugin,
  };
}

function memoizeMatching(fluent: Matching): void {
  const match = fluent.matchBundles.bind(fluent);
  const matched = new Map<string, Set<unknown>>();
  let size = fluent.bundles.size;
  fluent.matchBundles = (locales) => {
    if (fluent.bundles.size !== size) {
      matched.clear();
      size = fluent.bundles.size;
    }
    const key = locales.join('\n');
    let bundles = matched.get(key);
    if (!bundles) {
      bundles = match(locales);
      matched.set(key, bundles);
    }
    return bundles;
  };
}

// Texts in the person's language: the one stored for them, else their Telegram app's, else Russian.
// Read from the store, not a session, so it also works inside conversations.
//
// Negotiated once per update and person: the plugin asks on every context it makes, and a conversation
// makes one for each update it replays, so without the cache one update asked the store a dozen times. The
// matching of a locale to its bundles (the plugin does it on every translation) is kept per locale too.
import { AsyncLocalStorage } from 'node:async_hooks';
import { I18n, type I18nFlavor } from '@grammyjs/i18n';
import type { Context, MiddlewareFn } from 'grammy';
import { languageFrom } from '../core/onboarding.ts';
import { statements } from '../core/statements.ts';
import type { Db } from '../db/connection.ts';
import { DEFAULT_LANGUAGE, LOCALES_DIR } from '../locales/index.ts';

export interface BotI18n<C extends Context> {
  /** Installs ctx.t and ctx.i18n; on the bot, it also opens the update's cache of negotiated locales. */
  middleware: MiddlewareFn<C>;
  /** The same for the contexts a conversation makes (inside the update's cache). */
  plugin: MiddlewareFn<C>;
}

/** The plugin's bundle matching, private in its types. */
interface Matching {
  matchBundles(locales: readonly string[]): Set<unknown>;
  bundles: Set<unknown>;
}

export function createI18n<C extends Context & I18nFlavor>(db: Db): BotI18n<C> {
  /** Telegram user id → locale, for the update being handled. */
  const negotiated = new AsyncLocalStorage<Map<number, string>>();
  const i18n = new I18n<C>({
    defaultLocale: DEFAULT_LANGUAGE,
    directory: LOCALES_DIR,
    useSession: false,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => {
      if (!ctx.from) return DEFAULT_LANGUAGE;
      const id = ctx.from.id;
      const cache = negotiated.getStore();
      const known = cache?.get(id);
      if (known !== undefined) return known;
      const stored = statements(db).languageByTelegram.get({ telegramUserId: id });
      const locale = stored?.language ?? languageFrom(ctx.from.language_code);
      cache?.set(id, locale);
      return locale;
    },
  });
  memoizeMatching(i18n.fluent as unknown as Matching);
  const install = i18n.middleware();
  const plugin: MiddlewareFn<C> = (ctx, next) =>
    install(ctx, () => {
      // A handler that changed the person's language asks again: the cached answer is out of date.
      const renegotiate = ctx.i18n.renegotiateLocale;
      ctx.i18n.renegotiateLocale = () => {
        if (ctx.from) negotiated.getStore()?.delete(ctx.from.id);
        return renegotiate();
      };
      return next();
    });
  return {
    middleware: (ctx, next) => negotiated.run(new Map(), () => plugin(ctx, next)),
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

// Loads the Fluent files beside this module and hands out a translate function per language.
// The bot (via @grammyjs/i18n), the API and exports all read the same files.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import type { Language } from '../core/model.ts';

export const LOCALES_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_LANGUAGE: Language = 'ru';

export type Translate = (key: string, args?: Record<string, FluentVariable>) => string;

const bundles = new Map<Language, FluentBundle>();

function bundle(language: Language): FluentBundle {
  let b = bundles.get(language);
  if (!b) {
    b = new FluentBundle(language, { useIsolating: false });
    const errors = b.addResource(
      new FluentResource(readFileSync(join(LOCALES_DIR, `${language}.ftl`), 'utf8')),
    );
    if (errors.length > 0) throw new Error(`locales/${language}.ftl: ${errors.map(String).join('; ')}`);
    bundles.set(language, b);
  }
  return b;
}

/** A missing key shows as the key itself, so a gap is visible rather than blank. */
export function translator(language: Language = DEFAULT_LANGUAGE): Translate {
  const b = bundle(language);
  return (key, args) => {
    const message = b.getMessage(key);
    if (!message?.value) return key;
    return b.formatPattern(message.value, args);
  };
}

export function messageKeys(language: Language): string[] {
  return [...readFileSync(join(LOCALES_DIR, `${language}.ftl`), 'utf8').matchAll(/^([a-z][\w-]*)\s*=/gm)].map(
    (m) => m[1] as string,
  );
}

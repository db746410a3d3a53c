// Texts from the project's Fluent files (locales/*.ftl), the same ones the bot speaks. The file of the
// chosen language is loaded once at start, as its own small chunk.
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import type { Language } from './types.ts';

let bundle: FluentBundle | null = null;
let current: Language = 'ru';

const sources: Record<Language, () => Promise<{ default: string }>> = {
  ru: () => import('../../locales/ru.ftl?raw'),
  en: () => import('../../locales/en.ftl?raw'),
};

export function preloadLanguage(language: Language): Promise<{ default: string }> {
  return sources[language]();
}

export async function setLanguage(language: Language): Promise<void> {
  const { default: text } = await sources[language]();
  const b = new FluentBundle(language, { useIsolating: false });
  b.addResource(new FluentResource(text));
  bundle = b;
  current = language;
  document.documentElement.lang = language;
}

export function language(): Language {
  return current;
}

export type Args = Record<string, FluentVariable>;

/** The text of `key`; a missing key shows as itself, so a gap is visible rather than blank. */
export function t(key: string, args?: Args): string {
  const message = bundle?.getMessage(key);
  if (!message?.value || !bundle) return key;
  return bundle.formatPattern(message.value, args);
}

export function has(key: string): boolean {
  return !!bundle?.getMessage(key)?.value;
}

const locale = () => (current === 'en' ? 'en-GB' : 'ru-RU');

const formats = new Map<string, Intl.DateTimeFormat>();
function format(options: Intl.DateTimeFormatOptions, timeZone?: string): Intl.DateTimeFormat {
  const key = `${current}|${timeZone ?? ''}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(), timeZone ? { ...options, timeZone } : options);
    formats.set(key, f);
  }
  return f;
}

export function dateTime(at: number, timeZone?: string): string {
  return format({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }, timeZone).format(at);
}

/**
 * A ticket's time as its company keeps it: in the zone of the ticket's calendar, the zone named when the
 * device keeps another ("14:00 (Asia/Novosibirsk)"), so a manager in Moscow reads Novosibirsk's hours right.
 */
export function ticketTime(at: number, ticketZone: string): string {
  return `${dateTime(at, ticketZone)}${zoneNote(ticketZone)}`;
}

/** " (Asia/Novosibirsk)" when the device keeps another zone than `zone`, else nothing. */
export function zoneNote(zone: string): string {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return zone === local ? '' : ` (${zone})`;
}

export function date(at: number, timeZone?: string): string {
  return format({ day: 'numeric', month: 'short', year: 'numeric' }, timeZone).format(at);
}

export function time(at: number, timeZone?: string): string {
  return format({ hour: '2-digit', minute: '2-digit' }, timeZone).format(at);
}

/** "2 d 3 h", "1 h 5 min", "25 min" from the project's duration texts (whole units alone: "2 h"). */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  if (minutes < 60) return t('duration-m', { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest === 0 ? t('app-duration-h', { hours }) : t('duration-hm', { hours, minutes: rest });
  }
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? t('app-duration-d', { days }) : t('duration-dh', { days, hours: hours % 24 });
}

/** Business minutes as a duration. */
export function minutesText(minutes: number | null): string {
  if (minutes === null) return t('none');
  return duration(Math.round(minutes) * 60_000);
}

export function percent(value: number | null): string {
  if (value === null) return t('none');
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(value)} %`;
}

export function number(value: number | null, digits = 1): string {
  if (value === null) return t('none');
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

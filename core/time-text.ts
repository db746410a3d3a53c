// Times as people read them in a chat: a visit slot with its weekday ("ср, 2 дек., 09:00–11:00", never
// "12-02" that a Russian reader takes for 12 February), and the zone named where it is not the reader's.
import { formatLocal } from './exports.ts';
import type { Language } from './model.ts';

const LOCALES: Record<Language, string> = { ru: 'ru-RU', en: 'en-GB' };
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayOf(at: number, zone: string, language: Language): string {
  const key = `${language}|${zone}`;
  let f = dayFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[language], {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
    });
    dayFormats.set(key, f);
  }
  return f.format(at);
}

/** "ср, 2 дек., 09:00–11:00" / "Wed 2 Dec, 09:00–11:00" in the ticket's zone. */
export function slotText(startsAt: number, endsAt: number, zone: string, language: Language): string {
  return `${dayOf(startsAt, zone, language)}, ${formatLocal(startsAt, zone).slice(-5)}–${formatLocal(endsAt, zone).slice(-5)}`;
}

/** " (Asia/Novosibirsk)" after a time when the ticket's zone is not the reader's, else nothing. */
export function zoneNote(zone: string, readerZone: string): string {
  return zone === readerZone ? '' : ` (${zone})`;
}

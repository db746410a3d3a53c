// Times an engineer can offer for an on-site visit, worked out from the contract's business calendar:
// two-hour windows inside working hours on the next three working days. The list is computed from an
// "anchor" hour carried in the buttons, so the same buttons mean the same slots however late they are
// pressed (core refuses slots that have meanwhile passed).
import type { BusinessTime } from '../../core/calendar/business-calendar.ts';
import { localDateOf } from '../../core/calendar/time-zone.ts';

const HOUR = 3_600_000;
export const SLOT_LENGTH = 2 * HOUR;
const DAYS = 3;
const PER_DAY = 4;
const HORIZON = 21 * 24 * HOUR;

export interface Slot {
  startsAt: number;
  endsAt: number;
}

/** The anchor for slots offered now: the current hour, as a short string for callback data. */
export function anchorOf(now: number): string {
  return Math.floor(now / HOUR).toString(36);
}

export function candidateSlots(time: BusinessTime, zone: string, anchor: string): Slot[] {
  const from = Number.parseInt(anchor, 36) * HOUR;
  if (!Number.isFinite(from)) return [];
  const slots: Slot[] = [];
  const perDay = new Map<string, number>();
  // At least an hour's notice; then every whole hour that starts a fully working two-hour window.
  for (let at = from + 2 * HOUR; at < from + HORIZON; ) {
    if (time.between(at, at + SLOT_LENGTH) === SLOT_LENGTH) {
      const d = localDateOf(at, zone);
      const day = `${d.year}-${d.month}-${d.day}`;
      const count = perDay.get(day) ?? 0;
      if (count === 0 && perDay.size === DAYS) break;
      if (count < PER_DAY) {
        slots.push({ startsAt: at, endsAt: at + SLOT_LENGTH });
        perDay.set(day, count + 1);
      }
      at += SLOT_LENGTH;
    } else {
      at += HOUR;
    }
  }
  return slots;
}

/** Chosen slots as a bit mask in base 36 (bit i = slot i). */
export function toggle(mask: string, index: number): string {
  return (Number.parseInt(mask || '0', 36) ^ (1 << index)).toString(36);
}

export function chosen(mask: string, slots: Slot[]): Slot[] {
  const bits = Number.parseInt(mask || '0', 36) || 0;
  return slots.filter((_, i) => (bits >> i) & 1);
}

// Moved to core, where the channel-neutral notice wording (core/notice-wording.ts) needs it too.
export { slotText, zoneNote } from '../core/time-text.ts';

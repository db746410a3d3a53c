// Callback data of staff buttons: "s:<verb>:<ticket id>:<version>[:<arg>…]" (up to three), well under Telegram's
// 64 bytes. It is never trusted: the handler re-reads the ticket and core re-checks every move.

export const VERBS = [
  'op', // open the card (from a queue list or a notice)
  'rf', // refresh
  'bk', // back to the main buttons
  'tk', // take / accept
  'dq', // decline / unassign / back to the queue
  'as', // assign: list people — arg: a person id to assign
  'pr', // priority: impact and urgency buttons — args: 'i'|'u', value
  'ct', // category: list — arg: a category id
  'es', // escalate to the 2nd line (asks for a reason)
  'ak', // ask the client (asks for the question)
  'rs', // resolve (asks for the resolution)
  'rp', // public reply (asks for the text)
  'nt', // internal note (asks for the text)
  'cn', // canned replies: list — arg: a reply id to send
  'rm', // resume work without waiting for the client
  'vi', // visit: slot picker — args: anchor, chosen-slots mask
  'vs', // send the chosen slots to the client — args: anchor, mask
  'ci', // check in on site
  'co', // check out
  'nr', // a group message taken for a request that is none: cancel it
  'mg', // join into another ticket — arg: the kept ticket's id
] as const;
export type Verb = (typeof VERBS)[number];

export interface StaffPress {
  verb: Verb;
  ticketId: number;
  version: number;
  args: string[];
}

export const STAFF_CALLBACK = /^s:([a-z]{2}):(\d+):(\d+)((?::[\w-]+){0,3})$/;

export function callback(
  verb: Verb,
  ticket: { id: number; version: number },
  ...args: (string | number)[]
): string {
  return ['s', verb, ticket.id, ticket.version, ...args].join(':');
}

/** Null for data that is not a well-formed staff press (forged, or from an older bot). */
export function parseStaffPress(data: string): StaffPress | null {
  const m = STAFF_CALLBACK.exec(data);
  if (!m) return null;
  const verb = m[1] as Verb;
  if (!VERBS.includes(verb)) return null;
  const args = (m[4] ?? '').split(':').filter(Boolean);
  return { verb, ticketId: Number(m[2]), version: Number(m[3]), args };
}

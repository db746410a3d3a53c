// What the sandbox's server sends its page: plain JSON shapes, shared by both sides (types only).

export interface SessionView {
  language: 'ru' | 'en';
  /** Every `sandbox-…` text of the page, in `language`. */
  texts: Record<string, string>;
  bot: { name: string; username: string };
  people: PersonView[];
  /** False until miniapp/dist is built: the page then says how to build it. */
  miniAppBuilt: boolean;
  /** The people of the store with an e-mail address: who the mail panel can write as. */
  mailPeople: MailPersonView[];
  /** The people of the store with a phone: who the call box can ring the desk as. */
  callPeople: CallPersonView[];
  /** The 1st line: who answers a call on the page; `chatId` is their chat with the bot, if any. */
  line1: { id: number; name: string; chatId: number | null }[];
  /** Client companies' Telegram groups the bot is in (bound to the company): chats anyone of them speaks in. */
  groups: GroupView[];
}

export interface GroupView {
  /** The group's chat id (negative, as Telegram's supergroups). */
  id: number;
  title: string;
  company: string;
  /** Who the page may post as, in this order: the company's people, then staff. */
  members: { id: number; name: string; roleName: string }[];
}

export interface MailPersonView {
  /** The person's id in the store. */
  id: number;
  name: string;
  email: string;
  roleName: string;
  company: string | null;
}

export interface PersonView {
  /** The Telegram user id, also the id of their chat with the bot. */
  id: number;
  name: string;
  /** A role, or 'stranger' for someone the desk does not know (made up in the page). */
  role: string;
  /** The role's name in the page's language. */
  roleName: string;
  company: string | null;
  language: 'ru' | 'en';
}

export interface EntityView {
  type: string;
  offset: number;
  length: number;
  url?: string;
}

export type ButtonView =
  | { kind: 'callback'; text: string; data: string }
  | { kind: 'url'; text: string; url: string }
  | { kind: 'web_app'; text: string; url: string }
  | { kind: 'other'; text: string };

export interface MessageView {
  id: number;
  /** Sent by the person (right side), else by the bot. */
  mine: boolean;
  /** Unix seconds. */
  date: number;
  edited: boolean;
  text?: string;
  entities?: EntityView[];
  caption?: string;
  captionEntities?: EntityView[];
  photo?: { fileId: string; width: number; height: number };
  document?: { fileId: string; fileName: string; size?: number };
  voice?: { duration: number };
  sticker?: { emoji?: string };
  contact?: { phone: string; name: string };
  /** In a group, the replied message's sender's name. */
  replyTo?: { id: number; mine: boolean; text: string; name?: string };
  buttons?: ButtonView[][];
  /** In a group: who sent it (`mine` is then false: the page knows who it speaks as). */
  sender?: { id: number; name: string; bot: boolean };
  /** The bot asked for a reply to this message (force_reply): the page starts one. */
  forceReply?: { placeholder?: string };
}

export type KeyButtonView =
  | { kind: 'text'; text: string }
  | { kind: 'contact'; text: string }
  | { kind: 'web_app'; text: string; url: string };

export interface ChatView {
  messages: MessageView[];
  /** The reply keyboard under the input field. */
  keyboard: { rows: KeyButtonView[][]; placeholder?: string; oneTime: boolean } | null;
  /** The menu button beside the input field, when it opens a Mini App. */
  menuButton: { text: string; url: string } | null;
  /** The bot's answers to this person's button presses (toasts and alerts), oldest first. */
  answers: { queryId: string; text?: string; alert?: boolean }[];
  /**
   * The sandbox restarted since this person last chatted: the store remembers their chat, the local
   * Telegram (in memory) does not, so earlier messages are not shown. The page says so at the top.
   */
  restarted?: true;
}

export interface MiniAppView {
  /** Where the iframe goes: the Mini App's page with signed init data in its hash, as Telegram opens it. */
  src: string;
}

/** What the desk made of a mail written on the page. */
export type MailResultView =
  | { kind: 'created'; number: number }
  | { kind: 'commented'; number: number; reopened: boolean }
  /** The same mail again (its Message-ID was seen): nothing written. */
  | { kind: 'duplicate'; number: number | null }
  | { kind: 'bounce'; number: number | null }
  | { kind: 'dropped'; reason: 'own_mail' | 'auto_reply' }
  /** Held for an admin (the Mini App's Mail section): 'unreadable', 'too_many_requests', 'refused: …'. */
  | { kind: 'quarantined'; reason: string };

/** A mail the desk sent, parsed back from its raw MIME. */
export interface SentMailView {
  id: number;
  to: string;
  subject: string;
  text: string;
  /** Unix milliseconds. */
  date: number;
}

export interface WrittenMailView {
  id: number;
  from: string;
  subject: string;
  result: MailResultView;
  /** Unix milliseconds. */
  date: number;
}

export interface MailView {
  /** Where the page's mails go: the desk's address. */
  deskAddress: string;
  /** False when SMTP_URL is set: the desk's mails then leave by it and are not listed here. */
  capturing: boolean;
  /** Newest first. */
  sent: SentMailView[];
  written: WrittenMailView[];
}

/** Someone of the store with a phone number: who the page can call the desk as. */
export interface CallPersonView {
  /** The person's id in the store. */
  id: number;
  name: string;
  phone: string;
  roleName: string;
  company: string | null;
}

/** A call made on the page, as the desk recorded it from the CTI events. */
export interface CallView {
  callId: string;
  state: 'ringing' | 'answered' | 'missed' | 'ended';
  from: string | null;
  answeredBy: string | null;
  /** Unix milliseconds; set once it was missed (the callback queue's due time). */
  callbackDueAt: number | null;
}

/** The desk's website form as the form panel shows it (made, switched on, the first time it is asked for). */
export interface WebformView {
  /** False once an admin switched the form off (Mini App → Settings): the page is then a 404. */
  enabled: boolean;
  /** `/form/<key>`: the form's public page on this server. */
  formPath: string;
  /** `/form/<key>/embed.js`: the script an outside site puts where the form goes. */
  embedPath: string;
}

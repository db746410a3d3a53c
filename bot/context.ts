// The context types of the bot: outside conversations (with conversation controls) and inside them.
import type { ConversationFlavor } from '@grammyjs/conversations';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { DeskContext } from '../core/context.ts';

/** Inside a conversation: translations, no conversation controls. */
export type TalkContext = Context & I18nFlavor;
/** Outside: what every handler gets. */
export type BotContext = ConversationFlavor<TalkContext>;

/** What the bot's features are built with. */
export interface BotDeps {
  desk: DeskContext;
  /** The bot's @username, for invite links. */
  username: string;
  /** Where the Mini App opens (https), for "Open in the app" buttons; none without it. */
  miniAppUrl?: string;
  /** Mail is read and sent: the set-up checklist ticks e-mail. Asked each time (an admin may set it up). */
  emailConfigured?: boolean | (() => boolean);
}

// Builds the bot: the same factory runs in production and in tests, which point it at their own store
// and at a local Bot API. Every decision is a call into core; this only wires Telegram to it.
import { autoRetry } from '@grammyjs/auto-retry';
import { conversations, createConversation } from '@grammyjs/conversations';
import { Bot, type MiddlewareFn, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { DeskContext } from '../core/context.ts';
import type { BotContext, BotDeps, TalkContext } from './context.ts';
import { conversationStorage } from './conversation-storage.ts';
import { RATE, REOPEN, rateConversation, reopenConversation } from './conversations/resolution.ts';
import { clientGroups } from './features/client-group.ts';
import { fallback } from './features/fallback.ts';
import { groupNoticePreference } from './features/group-notice-preference.ts';
import { intake } from './features/intake.ts';
import { invites } from './features/invites.ts';
import { looseMessages } from './features/loose-messages.ts';
import { myRequests } from './features/my-requests.ts';
import { onboarding } from './features/onboarding.ts';
import { replies } from './features/replies.ts';
import { resolution } from './features/resolution.ts';
import { setup } from './features/setup.ts';
import { visitChoice } from './features/visit-choice.ts';
import { handledOnce } from './handled-updates.ts';
import { createI18n } from './i18n.ts';
import { SplitPastes } from './split-pastes.ts';
import { cardActions } from './staff/card-actions.ts';
import { promptAnswers } from './staff/prompt-answers.ts';
import { queueCommands } from './staff/queue-commands.ts';
import { staffGroupSetup } from './staff/staff-group.ts';
import { topicRelay } from './staff/topic-relay.ts';

export interface BotOptions {
  desk: DeskContext;
  token: string;
  /** The Bot API base URL: Telegram's, or a local emulator's. */
  apiRoot: string;
  /** Known bot info lets the bot handle updates without calling getMe first. */
  botInfo?: UserFromGetMe;
  /** Where the Mini App opens, for buttons that open a ticket in it. */
  miniAppUrl?: string;
  /** Mail is read and sent: the set-up checklist ticks it. Asked each time (an admin may set it up). */
  emailConfigured?: boolean | (() => boolean);
  /** Where errors of handlers go (with the update's id); the person gets no answer for it, the bot goes on. */
  onError?: (error: unknown, updateId: number) => void;
}

/**
 * Retries 429s (after retry_after), server and network errors, a bounded number of times: a chat is
 * handled one update at a time, so an endless retry would leave it silent.
 */
const retrying = (attempts: number) =>
  autoRetry({ maxRetryAttempts: attempts, maxDelaySeconds: 30, rethrowHttpErrors: attempts === 0 });

/**
 * A press is answered once, and only for a while: Telegram refuses an answer to a query answered already or
 * too old (400). That happens when an update comes again — a webhook post made again after the instance
 * handling it died past its answer, an update the bot fetches after a restart — and the step must still be
 * taken then: the answer only stops the button's spinner, so a refused one counts as given.
 */
export const staleAnswersGiven: Transformer = async (prev, method, payload, signal) => {
  const response = await prev(method, payload, signal);
  if (
    method === 'answerCallbackQuery' &&
    !response.ok &&
    response.error_code === 400 &&
    /query is too old|query ID is invalid/.test(response.description)
  ) {
    return { ok: true, result: true } as Awaited<ReturnType<typeof prev>>;
  }
  return response;
};

/**
 * `before` installs middleware that must run ahead of everything (the runner's sequentializing, the
 * notifier's wake-up); tests that feed updates by hand leave it out.
 */
export function createBot(options: BotOptions, before?: (bot: Bot<BotContext>) => void): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { apiRoot: options.apiRoot },
  });
  bot.api.config.use(retrying(3));
  bot.api.config.use(staleAnswersGiven);
  const deps: BotDeps = {
    desk: options.desk,
    ...(options.miniAppUrl ? { miniAppUrl: options.miniAppUrl } : {}),
    ...(options.emailConfigured === undefined ? {} : { emailConfigured: options.emailConfigured }),
    get username() {
      return bot.botInfo.username;
    },
  };

  const i18n = createI18n<TalkContext>(options.desk.db);
  // Transformers of bot.api are not inherited inside conversations: install auto-retry there too.
  const retryInside: MiddlewareFn<TalkContext> = (ctx, next) => {
    // Someone is waiting for this answer: one retry (3 s), then the conversation gives way.
    ctx.api.config.use(retrying(1));
    ctx.api.config.use(staleAnswersGiven);
    return next();
  };
  before?.(bot);
  // handleUpdate (webhooks, tests) does not call bot.catch: a boundary catches for every way of running.
  const app = bot.errorBoundary((error) => {
    if (options.onError) options.onError(error.error, error.ctx.update.update_id);
    else console.error(error.error);
  });
  // An update Telegram delivers again (a webhook retried, polling resumed after a crash) is dropped.
  app.use(handledOnce<BotContext>(options.desk.db, () => options.desk.clock.now()));
  app.use(i18n.middleware);
  app.use(
    conversations<BotContext, TalkContext>({
      storage: conversationStorage(options.desk.db),
      plugins: [i18n.plugin, retryInside],
    }),
  );
  app.use(createConversation(rateConversation(deps), RATE));
  app.use(createConversation(reopenConversation(deps), REOPEN));
  // A guided intake under way takes every message and press of its chat (commands included), as a
  // conversation does.
  app.use(intake(deps));
  // Before onboarding's /start, which would take its payload for an invitation code.
  app.use(groupNoticePreference(deps));
  app.use(onboarding(deps));
  app.use(invites(deps));
  app.use(setup(deps));
  app.use(myRequests(deps));
  app.use(resolution(deps));
  app.use(visitChoice(deps));
  // Staff: the group set-up, answers to the bot's questions (before any other reply handling), the
  // ticket topics, card buttons and queues.
  app.use(staffGroupSetup(deps));
  // Client companies' own groups: their messages become tickets (the staff group is left to its topics).
  app.use(clientGroups(deps));
  app.use(promptAnswers(deps));
  app.use(topicRelay(deps));
  app.use(cardActions(deps));
  app.use(queueCommands(deps));
  // A long paste arrives split: the reply feature and the loose messages share where its head went.
  const pastes = new SplitPastes();
  app.use(replies(deps, pastes));
  app.use(looseMessages(deps, pastes));
  app.use(fallback(deps));
  return bot;
}

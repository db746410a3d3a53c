// Asking inside a conversation: a question with buttons, or free text. Each waits until it gets a fitting
// answer; anything else (a sticker, an old button, someone else's button, another command) gets a short
// polite word and the question stands. /cancel leaves the conversation; /new (or the menu's New request)
// ends it and starts the intake afresh.
//
// After a crash the conversation can be a step behind what the person sees: the plugin saves its state
// only after the whole update, so an update that sent the next question and was then cut off is replayed
// as never having happened. A press on a bot message newer than the question the conversation waits on
// is such a lost question: the person is told and the current question is asked again, at the bottom.
import type { Conversation } from '@grammyjs/conversations';
import type { InlineKeyboard } from 'grammy';
import { LANGUAGES } from '../../core/model.ts';
import { translator } from '../../locales/index.ts';
import type { BotContext, TalkContext } from '../context.ts';

export type Talk = Conversation<BotContext, TalkContext>;

/** Thrown to leave the conversation after telling the person why. */
export class Leave extends Error {}

const menuNew = LANGUAGES.map((l) => translator(l)('menu-new'));

export interface PromptOptions {
  /** Runs before /new ends the conversation (the intake says whether its draft was already filed). */
  beforeRestart?: (next: TalkContext) => Promise<void>;
}

export function prompts(conversation: Talk, ctx: TalkContext, options: PromptOptions = {}) {
  const t = ctx.t.bind(ctx);
  const owner = ctx.from?.id;

  /**
   * True when the update was a command and has been dealt with; throws Leave on /cancel. /new ends the
   * conversation and hands the update on, so the intake starts afresh whatever step this one was at.
   */
  async function handledCommand(next: TalkContext): Promise<boolean> {
    const text = next.message?.text;
    if (text !== undefined && (/^\/new(@\w+)?$/.test(text.trim()) || menuNew.includes(text))) {
      await options.beforeRestart?.(next);
      return conversation.halt({ next: true });
    }
    if (!text?.startsWith('/')) return false;
    if (/^\/cancel(@\w+)?$/.test(text.trim())) {
      await next.reply(t('intake-cancelled'), { reply_markup: { remove_keyboard: true } });
      throw new Leave();
    }
    // Another command (/my, /help…) while a request is being filled in: finish or cancel it first.
    await next.reply(t('intake-finish-first'));
    return true;
  }

  /** True when the press is someone else's (answered politely); a chat's buttons are its owner's. */
  async function notOwners(next: TalkContext): Promise<boolean> {
    if (!next.callbackQuery || next.callbackQuery.from.id === owner) return false;
    await next.answerCallbackQuery({ text: t('intake-not-yours') });
    return true;
  }

  /** True when the press is on a bot message newer than all of `messages`: a question lost in a crash. */
  function aheadOf(messages: readonly number[], next: TalkContext): boolean {
    const on = next.callbackQuery?.message?.message_id;
    return on !== undefined && on > Math.max(...messages);
  }

  /**
   * A press of one of `allowed` under one of the `messages`. With `question`, it is asked again (and its
   * message accepted too) after text instead of a press, and after a press on a question lost in a crash.
   */
  async function choice(
    messages: readonly number[],
    allowed: readonly string[],
    question?: { text: string; keyboard: InlineKeyboard },
  ): Promise<string> {
    const known = [...messages];
    const askAgain = async (next: TalkContext, text: string) => {
      if (question) known.push((await next.reply(text, { reply_markup: question.keyboard })).message_id);
      else await next.reply(t('intake-use-buttons'));
    };
    for (;;) {
      const next = await conversation.wait();
      if (await handledCommand(next)) continue;
      const query = next.callbackQuery;
      if (!query) {
        await askAgain(next, `${t('intake-use-buttons')}\n\n${question?.text ?? ''}`);
        continue;
      }
      if (await notOwners(next)) continue;
      const data = query.data ?? '';
      if (known.includes(query.message?.message_id ?? -1) && allowed.includes(data)) {
        await next.answerCallbackQuery();
        // The question keeps the answer and loses its buttons: the chat reads as what was chosen, and an
        // old step's buttons are not there to press.
        if (question) {
          const label = question.keyboard.inline_keyboard
            .flat()
            .find((b) => 'callback_data' in b && b.callback_data === data)?.text;
          if (label) await next.editMessageText(`${question.text}\n\n✓ ${label}`).catch(() => undefined);
        }
        return data;
      }
      if (question && aheadOf(known, next)) {
        await next.answerCallbackQuery({ text: t('intake-answer-again') });
        await askAgain(next, question.text);
        continue;
      }
      await next.answerCallbackQuery({ text: t('intake-stale-button') });
    }
  }

  async function ask(text: string, keyboard: InlineKeyboard, allowed: readonly string[]): Promise<string> {
    const prompt = await ctx.reply(text, { reply_markup: keyboard });
    return choice([prompt.message_id], allowed, { text, keyboard });
  }

  /**
   * Free text up to `max` characters, or the `skip` button under the question (returns null).
   */
  async function askText(text: string, max: number, skip?: InlineKeyboard): Promise<string | null> {
    const asked = [(await ctx.reply(text, skip ? { reply_markup: skip } : {})).message_id];
    for (;;) {
      const next = await conversation.wait();
      if (await handledCommand(next)) continue;
      if (await notOwners(next)) continue;
      const query = next.callbackQuery;
      if (query) {
        if (skip && query.data === 'skip' && asked.includes(query.message?.message_id ?? -1)) {
          await next.answerCallbackQuery();
          return null;
        }
        if (aheadOf(asked, next)) {
          await next.answerCallbackQuery({ text: t('intake-answer-again') });
          asked.push((await next.reply(text, skip ? { reply_markup: skip } : {})).message_id);
          continue;
        }
        await next.answerCallbackQuery({ text: t('intake-stale-button') });
        continue;
      }
      const answer = next.message?.text?.trim();
      if (!answer) {
        await next.reply(t('intake-text-expected'));
        continue;
      }
      if (answer.length > max) {
        await next.reply(t('intake-too-long', { max }));
        continue;
      }
      return answer;
    }
  }

  return { t, handledCommand, notOwners, aheadOf, choice, ask, askText };
}

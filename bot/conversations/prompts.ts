// Asking inside a conversation: a question with buttons, or free text. Each waits until it gets a fitting
// answer; anything else (a sticker, an old button, someone else's button, another command) gets a short
// polite word and the question stands. /cancel leaves the conversation.
import type { Conversation } from '@grammyjs/conversations';
import type { InlineKeyboard } from 'grammy';
import type { BotContext, TalkContext } from '../context.ts';

export type Talk = Conversation<BotContext, TalkContext>;

/** Thrown to leave the conversation after telling the person why. */
export class Leave extends Error {}

export function prompts(conversation: Talk, ctx: TalkContext) {
  const t = ctx.t.bind(ctx);
  const owner = ctx.from?.id;

  /** True when the update was a command and has been dealt with; throws Leave on /cancel. */
  async function handledCommand(next: TalkContext): Promise<boolean> {
    const text = next.message?.text;
    if (!text?.startsWith('/')) return false;
    if (/^\/cancel(@\w+)?$/.test(text.trim())) {
      await next.reply(t('intake-cancelled'), { reply_markup: { remove_keyboard: true } });
      throw new Leave();
    }
    await next.reply(t('intake-use-buttons'));
    return true;
  }

  /** True when the press is someone else's (answered politely); a chat's buttons are its owner's. */
  async function notOwners(next: TalkContext): Promise<boolean> {
    if (!next.callbackQuery || next.callbackQuery.from.id === owner) return false;
    await next.answerCallbackQuery({ text: t('intake-not-yours') });
    return true;
  }

  /** A press of one of `allowed` under one of the `messages`. */
  async function choice(messages: readonly number[], allowed: readonly string[]): Promise<string> {
    for (;;) {
      const next = await conversation.wait();
      if (await handledCommand(next)) continue;
      const query = next.callbackQuery;
      if (!query) {
        await next.reply(t('intake-use-buttons'));
        continue;
      }
      if (await notOwners(next)) continue;
      const data = query.data ?? '';
      if (!messages.includes(query.message?.message_id ?? -1) || !allowed.includes(data)) {
        await next.answerCallbackQuery({ text: t('intake-stale-button') });
        continue;
      }
      await next.answerCallbackQuery();
      return data;
    }
  }

  async function ask(text: string, keyboard: InlineKeyboard, allowed: readonly string[]): Promise<string> {
    const prompt = await ctx.reply(text, { reply_markup: keyboard });
    return choice([prompt.message_id], allowed);
  }

  /**
   * Free text up to `max` characters, or the `skip` button under the question (returns null).
   */
  async function askText(text: string, max: number, skip?: InlineKeyboard): Promise<string | null> {
    const prompt = await ctx.reply(text, skip ? { reply_markup: skip } : {});
    for (;;) {
      const next = await conversation.wait();
      if (await handledCommand(next)) continue;
      if (await notOwners(next)) continue;
      const query = next.callbackQuery;
      if (query) {
        if (skip && query.data === 'skip' && query.message?.message_id === prompt.message_id) {
          await next.answerCallbackQuery();
          return null;
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

  return { t, handledCommand, notOwners, choice, ask, askText };
}

// The guided intake as a plain step machine: category → description with files → how many people → how
// urgent → where → summary with Send / Edit / Cancel. Each update of the chat is one step: the draft is
// read, the answer checked, the next question sent, and the draft written after the update's answers went
// out — the moment the conversations plugin used to save its state, so a crash leaves what it left before:
//
// - killed before the draft was written, the person's last answer is as if never given, and they may be
//   looking at a question the draft does not know yet. A press under a bot message newer than every
//   question of the draft's step is such a lost question: they are told and the step's question is asked
//   again, at the bottom (text where a button is expected asks it again too);
// - killed between the ticket's commit and "accepted", Send again finds the ticket by the draft's key and
//   answers "already accepted #N" (filing.ts).
//
// Anything else (a sticker, an old button, someone else's button, another command) gets a short polite
// word and the question stands; /cancel ends the intake and /new starts it afresh (features/intake.ts).
import { randomUUID } from 'node:crypto';
import { InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import type { DeskContext } from '../../core/context.ts';
import type { Impact, Urgency } from '../../core/model.ts';
import { COMMENT_MAX } from '../../core/tickets/comment.ts';
import { DESCRIPTION_MAX } from '../../core/tickets/create.ts';
import { attachmentOf } from '../attachments.ts';
import type { BotContext } from '../context.ts';
import { rememberMessage } from '../message-links.ts';
import type { IntakeDraft, IntakeDrafts, IntakeStep } from './drafts.ts';
import { fileDraft } from './filing.ts';
import {
  buttonLabel,
  type CategoryOption,
  categoryQuestion,
  editQuestion,
  impactQuestion,
  type Question,
  SUMMARY_FIELDS,
  type SummaryField,
  summaryQuestion,
  urgencyQuestion,
} from './questions.ts';

export interface IntakeDeps {
  desk: DeskContext;
  drafts: IntakeDrafts;
  categories: (language: 'ru' | 'en') => Promise<CategoryOption[]>;
}

/** The order of the questions; a field changed from the summary leads back to it instead. */
const ORDER: readonly IntakeStep[] = ['category', 'description', 'impact', 'urgency', 'location', 'summary'];
const LOCATION_MAX = 500;

/** What a step did to the draft: written again, deleted (the intake is over), or left as it was. */
type Outcome = 'changed' | 'ended' | 'unchanged';

const languageOf = async (ctx: BotContext) => ((await ctx.i18n.getLocale()) === 'en' ? 'en' : 'ru');

/** /new: a fresh draft (with its own key) and its first question. */
export async function startIntake(ctx: BotContext, deps: IntakeDeps): Promise<void> {
  const from = ctx.from;
  const chatId = ctx.chatId;
  if (!from || chatId === undefined) return;
  // Rating or reopening under way is given up, as any conversation is for a new request.
  await ctx.conversation.exitAll();
  const old = await deps.drafts.load(chatId);
  const filed = old ? await deps.drafts.filedAs(old.intakeKey) : undefined;
  // Sent, then cut off before the person saw "accepted": say so before starting the next one.
  if (filed !== undefined) await ctx.reply(ctx.t('intake-already-accepted', { number: String(filed) }));
  const draft: IntakeDraft = {
    chatId,
    ownerId: from.id,
    intakeKey: `tg:${chatId}:${randomUUID()}`,
    step: 'category',
    prompts: [],
    editing: false,
    categoryId: null,
    categoryName: '',
    parts: [],
    files: [],
    impact: null,
    urgency: null,
    location: null,
  };
  await ask(ctx, deps, draft, 'category');
  await deps.drafts.save(draft, deps.desk.clock.now(), ctx.update.update_id);
}

/** A message or a press in a chat whose intake is under way. */
export async function continueIntake(ctx: BotContext, deps: IntakeDeps, draft: IntakeDraft): Promise<void> {
  const outcome = await step(ctx, deps, draft);
  const now = deps.desk.clock.now();
  if (outcome === 'ended') await deps.drafts.remove(draft.chatId, now, ctx.update.update_id);
  else if (outcome === 'changed') await deps.drafts.save(draft, now, ctx.update.update_id);
}

async function step(ctx: BotContext, deps: IntakeDeps, draft: IntakeDraft): Promise<Outcome> {
  const command = ctx.message?.text?.trim();
  if (command?.startsWith('/')) {
    if (/^\/cancel(@\w+)?$/.test(command)) {
      await ctx.reply(ctx.t('intake-cancelled'), { reply_markup: { remove_keyboard: true } });
      return 'ended';
    }
    // Another command (/my, /help…) while a request is being filled in: finish or cancel it first.
    await ctx.reply(ctx.t('intake-finish-first'));
    return 'unchanged';
  }
  // A chat's buttons are its owner's.
  if (ctx.callbackQuery && ctx.callbackQuery.from.id !== draft.ownerId) {
    await ctx.answerCallbackQuery({ text: ctx.t('intake-not-yours') });
    return 'unchanged';
  }
  switch (draft.step) {
    case 'description':
      return describe(ctx, deps, draft);
    case 'location':
      return locate(ctx, deps, draft);
    default:
      return choose(ctx, deps, draft);
  }
}

/** Sends `step`'s question and makes it the draft's step. */
async function ask(ctx: BotContext, deps: IntakeDeps, draft: IntakeDraft, next: IntakeStep): Promise<void> {
  draft.step = next;
  if (next === 'description') {
    // A description changed from the summary is written anew.
    draft.parts = [];
    draft.files = [];
    draft.prompts = [await send(ctx, ctx.t('intake-description'), doneButton(ctx))];
    return;
  }
  if (next === 'location') {
    draft.prompts = [await send(ctx, ctx.t('intake-location'), skipButton(ctx))];
    return;
  }
  const question = await questionOf(ctx, deps, draft);
  // A desk with no active category (an admin turned them all off) asks none: the 1st line sorts it.
  if (!question) {
    draft.categoryId = null;
    draft.categoryName = '';
    return advance(ctx, deps, draft);
  }
  draft.prompts = [await send(ctx, question.text, question.keyboard)];
}

/** After an answer: the next question, or the summary again when a field was being changed. */
function advance(ctx: BotContext, deps: IntakeDeps, draft: IntakeDraft): Promise<void> {
  const next = draft.editing ? 'summary' : (ORDER[ORDER.indexOf(draft.step) + 1] ?? 'summary');
  if (next === 'summary') draft.editing = false;
  return ask(ctx, deps, draft, next);
}

/** The question of a step answered by a button; undefined for the category on a desk without any. */
async function questionOf(
  ctx: BotContext,
  deps: IntakeDeps,
  draft: IntakeDraft,
): Promise<Question | undefined> {
  switch (draft.step) {
    case 'category': {
      const options = await deps.categories(await languageOf(ctx));
      return options.length === 0 ? undefined : categoryQuestion(ctx, options);
    }
    case 'impact':
      return impactQuestion(ctx);
    case 'urgency':
      return urgencyQuestion(ctx);
    case 'summary':
      return summaryQuestion(ctx, draft);
    case 'edit':
      return editQuestion(ctx, draft);
    default:
      throw new Error(`the intake's ${draft.step} step has no buttons to choose from`);
  }
}

/** A step answered by one of its question's buttons. */
async function choose(ctx: BotContext, deps: IntakeDeps, draft: IntakeDraft): Promise<Outcome> {
  const question = await questionOf(ctx, deps, draft);
  if (!question) {
    // The categories were all turned off while the person was choosing: go on without one.
    await ask(ctx, deps, draft, 'category');
    return 'changed';
  }
  const query = ctx.callbackQuery;
  if (!query) {
    draft.prompts.push(
      await send(ctx, `${ctx.t('intake-use-buttons')}\n\n${question.text}`, question.keyboard),
    );
    return 'changed';
  }
  const data = query.data ?? '';
  const on = query.message?.message_id ?? -1;
  if (!draft.prompts.includes(on) || !question.allowed.includes(data)) {
    if (lostQuestion(draft, on)) {
      await ctx.answerCallbackQuery({ text: ctx.t('intake-answer-again') });
      draft.prompts.push(await send(ctx, question.text, question.keyboard));
      return 'changed';
    }
    await ctx.answerCallbackQuery({ text: ctx.t('intake-stale-button') });
    return 'unchanged';
  }
  await ctx.answerCallbackQuery();
  // The question keeps the answer and loses its buttons: the chat reads as what was chosen, and an old
  // step's buttons are not there to press.
  const label = buttonLabel(question, data);
  if (label) await ctx.editMessageText(`${question.text}\n\n✓ ${label}`).catch(() => undefined);
  return chosen(ctx, deps, draft, data, label ?? '');
}

/** `label`: the pressed button's words (a category's name in the person's language). */
async function chosen(
  ctx: BotContext,
  deps: IntakeDeps,
  draft: IntakeDraft,
  data: string,
  label: string,
): Promise<Outcome> {
  switch (draft.step) {
    case 'category':
      draft.categoryId = Number(data.slice(2));
      draft.categoryName = label;
      break;
    case 'impact':
      draft.impact = data.slice(2) as Impact;
      break;
    case 'urgency':
      draft.urgency = data.slice(2) as Urgency;
      break;
    case 'edit': {
      const field = data.slice(2) as SummaryField;
      if (!SUMMARY_FIELDS.includes(field)) return 'unchanged';
      draft.editing = true;
      await ask(ctx, deps, draft, field);
      return 'changed';
    }
    case 'summary':
      if (data === 'edit') {
        await ask(ctx, deps, draft, 'edit');
        return 'changed';
      }
      if (data === 'cancel') {
        await ctx.reply(ctx.t('intake-cancelled'));
        return 'ended';
      }
      await fileAndAnswer(ctx, deps, draft);
      return 'ended';
    default:
      return 'unchanged';
  }
  await advance(ctx, deps, draft);
  return 'changed';
}

/** The description: text in one or more messages, files, then Done. */
async function describe(ctx: BotContext, deps: IntakeDeps, draft: IntakeDraft): Promise<Outcome> {
  const query = ctx.callbackQuery;
  if (query) {
    const on = query.message?.message_id ?? -1;
    if (query.data === 'done' && draft.prompts.includes(on)) {
      await ctx.answerCallbackQuery();
      if (draft.parts.length === 0) {
        await ctx.reply(ctx.t('intake-description-needed'));
        return 'unchanged';
      }
      await advance(ctx, deps, draft);
      return 'changed';
    }
    if (lostQuestion(draft, on)) {
      // Say what is kept and ask for the rest again.
      await ctx.answerCallbackQuery({ text: ctx.t('intake-answer-again') });
      const again =
        draft.parts.length === 0
          ? ctx.t('intake-description')
          : ctx.t('intake-description-resumed', { count: draft.parts.length });
      draft.prompts.push(await send(ctx, again, doneButton(ctx)));
      return 'changed';
    }
    await ctx.answerCallbackQuery({ text: ctx.t('intake-stale-button') });
    return 'unchanged';
  }
  const message: Message | undefined = ctx.message;
  const text = message?.text ?? message?.caption;
  const file = message ? attachmentOf(message) : null;
  if (!file && message?.text === undefined) {
    await ctx.reply(ctx.t('intake-text-expected'));
    return 'unchanged';
  }
  // Telegram delivers at most COMMENT_MAX (4096) characters a message; a longer paste comes in parts.
  if (text && (text.length > COMMENT_MAX || [...draft.parts, text].join('\n').length > DESCRIPTION_MAX)) {
    await ctx.reply(ctx.t('intake-too-long', { max: DESCRIPTION_MAX }));
    return 'unchanged';
  }
  if (text) draft.parts.push(text);
  if (file) draft.files.push(file);
  draft.prompts.push(await send(ctx, ctx.t('intake-description-more'), doneButton(ctx)));
  return 'changed';
}

/** Where: free text up to LOCATION_MAX characters, or Skip. */
async function locate(ctx: BotContext, deps: IntakeDeps, draft: IntakeDraft): Promise<Outcome> {
  const query = ctx.callbackQuery;
  if (query) {
    const on = query.message?.message_id ?? -1;
    if (query.data === 'skip' && draft.prompts.includes(on)) {
      await ctx.answerCallbackQuery();
      draft.location = null;
      await advance(ctx, deps, draft);
      return 'changed';
    }
    if (lostQuestion(draft, on)) {
      await ctx.answerCallbackQuery({ text: ctx.t('intake-answer-again') });
      draft.prompts.push(await send(ctx, ctx.t('intake-location'), skipButton(ctx)));
      return 'changed';
    }
    await ctx.answerCallbackQuery({ text: ctx.t('intake-stale-button') });
    return 'unchanged';
  }
  const answer = ctx.message?.text?.trim();
  if (!answer) {
    await ctx.reply(ctx.t('intake-text-expected'));
    return 'unchanged';
  }
  if (answer.length > LOCATION_MAX) {
    await ctx.reply(ctx.t('intake-too-long', { max: LOCATION_MAX }));
    return 'unchanged';
  }
  draft.location = answer;
  await advance(ctx, deps, draft);
  return 'changed';
}

/** Send: the ticket is filed (once, by the draft's key) and the person told its number and due time. */
async function fileAndAnswer(ctx: BotContext, deps: IntakeDeps, draft: IntakeDraft): Promise<void> {
  const from = ctx.from;
  if (!from) return;
  const outcome = await fileDraft(deps.desk, from, draft);
  if (!outcome.ok) {
    await ctx.reply(ctx.t('intake-failed', { reason: ctx.t(`error-${outcome.code}`) }));
    return;
  }
  if (!outcome.created) {
    await ctx.reply(ctx.t('intake-already-accepted', { number: outcome.number }));
    return;
  }
  const accepted = await ctx.reply(
    ctx.t('intake-accepted', {
      number: outcome.number,
      priority: ctx.t(`priority-${outcome.priority}`),
      due: outcome.due,
      zone: outcome.zone,
    }),
  );
  // A reply to "accepted" is a comment on the request, as a reply to any notice about it is.
  await rememberMessage(
    deps.desk.db,
    accepted.chat.id,
    accepted.message_id,
    outcome.ticketId,
    deps.desk.clock.now(),
  );
}

/** A press under a bot message newer than every question of the step: one lost in a crash. */
function lostQuestion(draft: IntakeDraft, messageId: number): boolean {
  return draft.prompts.length > 0 && messageId > Math.max(...draft.prompts);
}

async function send(ctx: BotContext, text: string, keyboard: InlineKeyboard): Promise<number> {
  return (await ctx.reply(text, { reply_markup: keyboard })).message_id;
}

const doneButton = (ctx: BotContext) => new InlineKeyboard().text(ctx.t('intake-done'), 'done');
const skipButton = (ctx: BotContext) => new InlineKeyboard().text(ctx.t('intake-skip'), 'skip');

// The intake's questions answered by a button: their words and buttons, made again from the draft whenever
// they are asked or answered, so a restart asks exactly what was asked before.
import { asc, eq } from 'drizzle-orm';
import { InlineKeyboard } from 'grammy';
import { IMPACTS, URGENCIES } from '../../core/model.ts';
import { queryAll } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { preparedFor } from '../../db/prepared.ts';
import { categories } from '../../db/schema.ts';
import type { BotContext } from '../context.ts';
import type { IntakeDraft } from './drafts.ts';

export interface Question {
  text: string;
  keyboard: InlineKeyboard;
  /** The callback data of its buttons. */
  allowed: string[];
}

export interface CategoryOption {
  id: number;
  name: string;
}

export const SUMMARY_FIELDS = ['category', 'description', 'impact', 'urgency', 'location'] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number];

function prepare(db: Db) {
  return {
    list: db
      .select({ id: categories.id, ru: categories.nameRu, en: categories.nameEn })
      .from(categories)
      .where(eq(categories.active, true))
      .orderBy(asc(categories.sort), asc(categories.id))
      .prepare(),
  };
}

const statements = new WeakMap<object, ReturnType<typeof prepare>>();
const byConnection = new WeakMap<Db, (language: 'ru' | 'en') => Promise<CategoryOption[]>>();

/** The active categories in the person's language, in the desk's order. */
export function categoryOptions(db: Db): (language: 'ru' | 'en') => Promise<CategoryOption[]> {
  const known = byConnection.get(db);
  if (known) return known;
  const q = preparedFor(statements, db, prepare);
  const options = async (language: 'ru' | 'en') =>
    (await queryAll(q.list)).map((c) => ({ id: c.id, name: language === 'en' ? c.en : c.ru }));
  byConnection.set(db, options);
  return options;
}

export function categoryQuestion(ctx: BotContext, options: readonly CategoryOption[]): Question {
  const keyboard = new InlineKeyboard();
  options.forEach((c, i) => {
    keyboard.text(c.name, `c:${c.id}`);
    if (i % 2 === 1) keyboard.row();
  });
  return { text: ctx.t('intake-category'), keyboard, allowed: options.map((c) => `c:${c.id}`) };
}

export function impactQuestion(ctx: BotContext): Question {
  const keyboard = new InlineKeyboard();
  for (const impact of IMPACTS) keyboard.text(ctx.t(`impact-${impact}`), `i:${impact}`).row();
  return { text: ctx.t('intake-impact'), keyboard, allowed: IMPACTS.map((i) => `i:${i}`) };
}

export function urgencyQuestion(ctx: BotContext): Question {
  const keyboard = new InlineKeyboard();
  for (const urgency of URGENCIES) keyboard.text(ctx.t(`urgency-${urgency}`), `u:${urgency}`).row();
  return { text: ctx.t('intake-urgency'), keyboard, allowed: URGENCIES.map((u) => `u:${u}`) };
}

export function summaryQuestion(ctx: BotContext, draft: IntakeDraft): Question {
  const text = ctx.t('intake-summary', {
    description: draft.parts.join('\n'),
    files: draft.files.length,
    impact: draft.impact ? ctx.t(`impact-${draft.impact}`) : '—',
    urgency: draft.urgency ? ctx.t(`urgency-${draft.urgency}`) : '—',
    location: draft.location ?? '—',
    category: draft.categoryName || '—',
  });
  const keyboard = new InlineKeyboard()
    .text(ctx.t('intake-confirm'), 'send')
    .row()
    .text(ctx.t('intake-edit'), 'edit')
    .text(ctx.t('intake-cancel'), 'cancel');
  return { text, keyboard, allowed: ['send', 'edit', 'cancel'] };
}

/** The fields Edit offers: the category only where one was chosen (a desk may have none active). */
export function editableFields(draft: IntakeDraft): SummaryField[] {
  return SUMMARY_FIELDS.filter((f) => f !== 'category' || draft.categoryId !== null);
}

export function editQuestion(ctx: BotContext, draft: IntakeDraft): Question {
  const offered = editableFields(draft);
  const keyboard = new InlineKeyboard();
  for (const f of offered) keyboard.text(ctx.t(`intake-field-${f}`), `f:${f}`).row();
  return { text: ctx.t('intake-edit-what'), keyboard, allowed: offered.map((f) => `f:${f}`) };
}

/** The label of the button with this data, for marking the question answered. */
export function buttonLabel(question: Question, data: string): string | undefined {
  return question.keyboard.inline_keyboard
    .flat()
    .find((b) => 'callback_data' in b && b.callback_data === data)?.text;
}

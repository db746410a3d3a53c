// The guided intake in a private chat: /new or the menu button (in either language) starts it, and while
// a draft is under way every message and press of the chat is its next step (bot/intake/steps.ts).
import { Composer } from 'grammy';
import { LANGUAGES } from '../../core/model.ts';
import { translator } from '../../locales/index.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { intakeDrafts } from '../intake/drafts.ts';
import { categoryOptions } from '../intake/questions.ts';
import { continueIntake, type IntakeDeps, startIntake } from '../intake/steps.ts';

const menuNew = LANGUAGES.map((l) => translator(l)('menu-new'));

export function intake(deps: BotDeps): Composer<BotContext> {
  const steps: IntakeDeps = {
    desk: deps.desk,
    drafts: intakeDrafts(deps.desk.db),
    categories: categoryOptions(deps.desk.db),
  };
  const bot = new Composer<BotContext>();
  const privateChats = bot.chatType('private');
  const start = (ctx: BotContext) => startIntake(ctx, steps);
  privateChats.command('new', start);
  privateChats.hears(menuNew, start);
  privateChats.on(['message', 'callback_query'], async (ctx, next) => {
    const draft = await steps.drafts.load(ctx.chat.id);
    return draft ? continueIntake(ctx, steps, draft) : next();
  });
  return bot;
}

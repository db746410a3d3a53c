// /start (with an invite code or without), sharing the phone number, /language and /help.
import { eq } from 'drizzle-orm';
import { Composer, InlineKeyboard } from 'grammy';
import { loadActor } from '../../core/actors.ts';
import { LANGUAGES, type Language, STAFF_ROLES } from '../../core/model.ts';
import {
  bindByPhone,
  ensureTelegramPerson,
  InviteError,
  personByTelegram,
  redeemInvite,
  setLanguage,
} from '../../core/onboarding.ts';
import { clientCompanies } from '../../core/permissions.ts';
import { companies } from '../../db/schema.ts';
import { profileOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { mainMenu } from '../keyboards.ts';

export function onboarding(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>().chatType('private');

  const companyName = (companyId: number | null) =>
    companyId === null
      ? ''
      : (desk.db.select({ name: companies.name }).from(companies).where(eq(companies.id, companyId)).get()
          ?.name ?? '');

  /** The company the person is known in, if any. */
  const knownCompany = (telegramUserId: number) => {
    const person = personByTelegram(desk.db, telegramUserId);
    if (!person) return null;
    const ids = clientCompanies(loadActor(desk.db, person.id));
    return ids.length > 0 ? companyName(ids[0] ?? null) : null;
  };

  bot.command('start', async (ctx) => {
    const code = ctx.match.trim();
    if (code) {
      try {
        const joined = redeemInvite(desk, profileOf(ctx.from), code);
        await ctx.i18n.renegotiateLocale();
        const role = ctx.t(`role-${joined.role}`);
        const text = joined.already
          ? ctx.t('start-already', { company: companyName(joined.companyId) })
          : (STAFF_ROLES as readonly string[]).includes(joined.role)
            ? ctx.t('start-joined-staff', { role })
            : ctx.t('start-joined', { company: companyName(joined.companyId), role });
        await ctx.reply(text, { reply_markup: mainMenu(ctx, false) });
        return;
      } catch (error) {
        if (!(error instanceof InviteError)) throw error;
        await ctx.reply(ctx.t(`invite-${error.reason}`));
      }
    }
    const company = knownCompany(ctx.from.id);
    await ctx.reply(
      `${ctx.t('start-hello', { name: ctx.from.first_name })}\n\n${
        company ? ctx.t('start-known', { company }) : ctx.t('start-unknown')
      }`,
      { reply_markup: mainMenu(ctx, company === null) },
    );
  });

  bot.on('message:contact', async (ctx) => {
    if (ctx.message.contact.user_id !== ctx.from.id) {
      await ctx.reply(ctx.t('contact-not-yours'));
      return;
    }
    const { matched } = bindByPhone(desk, profileOf(ctx.from), ctx.message.contact.phone_number);
    await ctx.i18n.renegotiateLocale();
    const company = knownCompany(ctx.from.id);
    await ctx.reply(matched && company ? ctx.t('contact-matched', { company }) : ctx.t('contact-unmatched'), {
      reply_markup: mainMenu(ctx, false),
    });
  });

  bot.command('language', async (ctx) => {
    const keyboard = new InlineKeyboard().text('Русский', 'lang:ru').text('English', 'lang:en');
    await ctx.reply(ctx.t('language-choose'), { reply_markup: keyboard });
  });

  bot.callbackQuery(/^lang:(\w+)$/, async (ctx) => {
    const language = ctx.match[1] as Language;
    if (!LANGUAGES.includes(language)) {
      await ctx.answerCallbackQuery();
      return;
    }
    const person = ensureTelegramPerson(desk, profileOf(ctx.from));
    setLanguage(desk, person.id, language);
    await ctx.i18n.renegotiateLocale();
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('language-set'), {
      reply_markup: mainMenu(ctx, knownCompany(ctx.from.id) === null),
    });
  });

  bot.command('help', (ctx) => ctx.reply(ctx.t('help')));

  return bot as unknown as Composer<BotContext>;
}

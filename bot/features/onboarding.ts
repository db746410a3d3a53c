// /start (with a set-up code, an invite code or neither), sharing the phone number, /language and /help.
// Everyone is greeted as who they are: staff and managers with their roles and commands.
import { eq } from 'drizzle-orm';
import { Composer, InlineKeyboard } from 'grammy';
import type { User } from 'grammy/types';
import { loadActor } from '../../core/actors.ts';
import { LANGUAGES, type Language, type Role, STAFF_ROLES } from '../../core/model.ts';
import {
  bindByPhone,
  ensureTelegramPerson,
  InviteError,
  personByTelegram,
  redeemInvite,
  setLanguage,
} from '../../core/onboarding.ts';
import { clientCompanies } from '../../core/permissions.ts';
import { setupComplete } from '../../core/setup/checklist.ts';
import { redeemSetupCode, SETUP_PREFIX, SetupCodeError } from '../../core/setup/first-admin.ts';
import { queryOne } from '../../db/access.ts';
import { companies } from '../../db/schema.ts';
import { profileOf, rolesOf } from '../actor.ts';
import { helpText, roleNames, type Say, setChatCommands } from '../commands.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { mainMenu } from '../keyboards.ts';

export function onboarding(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>().chatType('private');

  const companyName = async (companyId: number | null) =>
    companyId === null
      ? ''
      : ((
          await queryOne(
            desk.db.select({ name: companies.name }).from(companies).where(eq(companies.id, companyId)),
          )
        )?.name ?? '');

  /** The company the person is known in, if any. */
  const knownCompany = async (telegramUserId: number) => {
    const person = await personByTelegram(desk.db, telegramUserId);
    if (!person) return null;
    const ids = clientCompanies(await loadActor(desk.db, person.id));
    return ids.length > 0 ? await companyName(ids[0] ?? null) : null;
  };

  /**
   * The chat's button that opens the Mini App, named in the person's language: Telegram's default one is
   * in one language for everybody.
   */
  const appButtonInLanguage = async (ctx: BotContext, chatId: number) => {
    if (!deps.miniAppUrl) return;
    await ctx.api.setChatMenuButton({
      chat_id: chatId,
      menu_button: { type: 'web_app', text: ctx.t('channel-miniapp'), web_app: { url: deps.miniAppUrl } },
    });
  };

  /** The roles of whoever wrote, and their chat's menus brought in line with them (roles change). */
  const rolesWithMenu = async (ctx: BotContext & { from: User; chat: { id: number } }): Promise<Role[]> => {
    const roles = await rolesOf(desk, ctx.from);
    if (roles.some((r) => r !== 'client')) {
      await setChatCommands(ctx.api, ctx.chat.id, roles, (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'ru');
    }
    if ((await ctx.i18n.getLocale()) === 'en') await appButtonInLanguage(ctx, ctx.chat.id);
    return roles;
  };

  /** The greeting: staff and managers hear their roles and commands; clients how to file a request. */
  const greet = async (ctx: BotContext & { from: User; chat: { id: number } }) => {
    // A known person (an admin listed by id has only a number for a name) is brought up to date.
    if (await personByTelegram(desk.db, ctx.from.id)) await ensureTelegramPerson(desk, profileOf(ctx.from));
    const roles = await rolesWithMenu(ctx);
    const t: Say = (key, args) => ctx.t(key, args);
    const hello = ctx.t('start-hello', { name: ctx.from.first_name });
    if (roles.some((r) => r !== 'client')) {
      const lines = [
        ctx.t('start-roles', { name: ctx.from.first_name, roles: roleNames(t, roles) }),
        '',
        helpText(t, roles),
      ];
      if (roles.includes('admin') && !(await setupComplete(desk))) lines.push('', ctx.t('start-admin-setup'));
      await ctx.reply(lines.join('\n'), { reply_markup: mainMenu(ctx, false) });
      return;
    }
    const company = await knownCompany(ctx.from.id);
    await ctx.reply(`${hello}\n\n${company ? ctx.t('start-known', { company }) : ctx.t('start-unknown')}`, {
      reply_markup: mainMenu(ctx, company === null),
    });
  };

  bot.command('start', async (ctx) => {
    const code = ctx.match.trim();
    if (code.startsWith(SETUP_PREFIX)) {
      try {
        await redeemSetupCode(desk, profileOf(ctx.from), code);
        await ctx.i18n.renegotiateLocale();
        await ctx.reply(ctx.t('setup-welcome'));
        await rolesWithMenu(ctx);
      } catch (error) {
        if (!(error instanceof SetupCodeError)) throw error;
        await ctx.reply(ctx.t(`setup-code-${error.reason}`));
      }
      return;
    }
    if (code) {
      try {
        const joined = await redeemInvite(desk, profileOf(ctx.from), code);
        await ctx.i18n.renegotiateLocale();
        const role = ctx.t(`role-${joined.role}`);
        const text = joined.already
          ? ctx.t('start-already', { company: (await companyName(joined.companyId)) || role })
          : (STAFF_ROLES as readonly string[]).includes(joined.role)
            ? ctx.t('start-joined-staff', { role })
            : ctx.t('start-joined', { company: await companyName(joined.companyId), role });
        await ctx.reply(text, { reply_markup: mainMenu(ctx, false) });
        const roles = await rolesWithMenu(ctx);
        if (roles.some((r) => r !== 'client')) {
          await ctx.reply(helpText((key, args) => ctx.t(key, args), roles));
        }
        return;
      } catch (error) {
        if (!(error instanceof InviteError)) throw error;
        await ctx.reply(ctx.t(`invite-${error.reason}`));
      }
    }
    await greet(ctx);
  });

  bot.on('message:contact', async (ctx) => {
    if (ctx.message.contact.user_id !== ctx.from.id) {
      await ctx.reply(ctx.t('contact-not-yours'));
      return;
    }
    const { matched } = await bindByPhone(desk, profileOf(ctx.from), ctx.message.contact.phone_number);
    await ctx.i18n.renegotiateLocale();
    const company = await knownCompany(ctx.from.id);
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
    const person = await ensureTelegramPerson(desk, profileOf(ctx.from));
    await setLanguage(desk, person.id, language);
    await ctx.i18n.renegotiateLocale();
    if (ctx.chat) await appButtonInLanguage(ctx, ctx.chat.id);
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('language-set'), {
      reply_markup: mainMenu(ctx, (await knownCompany(ctx.from.id)) === null),
    });
  });

  bot.command('help', async (ctx) => {
    const roles = await rolesWithMenu(ctx);
    await ctx.reply(helpText((key, args) => ctx.t(key, args), roles.length > 0 ? roles : ['client']));
  });

  return bot as unknown as Composer<BotContext>;
}

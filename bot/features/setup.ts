// /setup: the admin's checklist of what the desk still lacks, each line a button that opens where it is
// done: the desk's name and time zone are set right here (/setup name …, /setup zone …), staff invite
// links are made on the spot, the rest points at the staff group's /staffgroup or the Mini App's admin.
import { asc } from 'drizzle-orm';
import { Composer, InlineKeyboard } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { createInvite } from '../../core/onboarding.ts';
import { assertAdmin } from '../../core/permissions.ts';
import {
  CHECKLIST_ITEMS,
  type Checklist,
  type ChecklistItem,
  type ChecklistItemKey,
  setupChecklist,
} from '../../core/setup/checklist.ts';
import { deskProfile, updateDeskProfile } from '../../core/setup/desk-profile.ts';
import { queryAll } from '../../db/access.ts';
import { companies } from '../../db/schema.ts';
import { actorOf } from '../actor.ts';
import type { Say } from '../commands.ts';
import type { BotContext, BotDeps } from '../context.ts';

const MARK = { done: '✅', todo: '⬜', later: '⏳' } as const;
/** Staff invite links from the checklist: a week, for a whole team. */
const INVITE_DAYS = 7;
const INVITE_USES = 20;

function factsOf(t: Say, item: ChecklistItem): string {
  const f = item.facts;
  switch (item.key) {
    case 'desk':
      return f.name ? t('setup-fact-desk', f) : t('setup-fact-desk-unnamed', f);
    case 'staff_group':
      return String(f.title ?? '');
    case 'line1':
    case 'line2':
    case 'field_engineer':
      return t('setup-fact-people', f);
    case 'company':
      return t('setup-fact-company', f);
    case 'clients':
      return t('setup-fact-clients', f);
    case 'miniapp':
      return String(f.url ?? '');
    case 'email':
      return '';
  }
}

export function checklistText(t: Say, checklist: Checklist, deskName: string | null): string {
  const lines = checklist.items.map((item) => {
    const facts = factsOf(t, item);
    return `${MARK[item.state]} ${t(`setup-item-${item.key}`)}${facts ? ` — ${facts}` : ''}`;
  });
  return [
    deskName ? t('setup-title', { name: deskName }) : t('setup-title-unnamed'),
    t('setup-progress', { done: checklist.done, total: checklist.total }),
    '',
    ...lines,
    '',
    t('setup-tap'),
  ].join('\n');
}

export function setup(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  const privateChats = bot.chatType('private');
  const env = () => ({
    miniAppUrl: deps.miniAppUrl,
    emailConfigured:
      typeof deps.emailConfigured === 'function' ? deps.emailConfigured() : (deps.emailConfigured ?? false),
  });

  const keyboard = (t: Say, checklist: Checklist) => {
    const k = new InlineKeyboard();
    for (const item of checklist.items) {
      k.text(`${MARK[item.state]} ${t(`setup-item-${item.key}`)}`, `setup:${item.key}`).row();
    }
    if (deps.miniAppUrl) k.webApp(t('setup-open-admin'), deps.miniAppUrl);
    return k;
  };

  const show = async (ctx: BotContext) => {
    if (!ctx.from) return;
    const t: Say = (key, args) => ctx.t(key, args);
    const checklist = await setupChecklist(desk, await actorOf(desk, ctx.from), env());
    await ctx.reply(checklistText(t, checklist, (await deskProfile(desk)).name), {
      reply_markup: keyboard(t, checklist),
    });
  };

  privateChats.command('setup', async (ctx) => {
    const [verb = '', ...rest] = ctx.match.trim().split(/\s+/);
    const value = rest.join(' ').trim();
    try {
      const actor = await actorOf(desk, ctx.from);
      assertAdmin(actor);
      if (verb === 'name' || verb === 'zone') {
        if (!value) {
          await ctx.reply(ctx.t('setup-how-desk', { timeZone: (await deskProfile(desk)).timeZone }));
          return;
        }
        try {
          const profile = await updateDeskProfile(
            desk,
            actor,
            verb === 'name' ? { name: value } : { timeZone: value },
          );
          await ctx.reply(
            ctx.t('setup-desk-saved', { name: profile.name ?? '—', timeZone: profile.timeZone }),
          );
        } catch (error) {
          if (!(error instanceof DeskError && error.code === 'invalid_input')) throw error;
          await ctx.reply(
            verb === 'name' ? ctx.t('setup-name-bad') : ctx.t('setup-zone-bad', { zone: value.slice(0, 64) }),
          );
          return;
        }
      }
      await show(ctx);
    } catch (error) {
      if (!(error instanceof DeskError && error.code === 'forbidden')) throw error;
      await ctx.reply(ctx.t('setup-not-allowed'));
    }
  });

  bot.callbackQuery(/^setup:(\w+)$/, async (ctx) => {
    const key = ctx.match[1] as ChecklistItemKey;
    const actor = await actorOf(desk, ctx.from);
    if (!CHECKLIST_ITEMS.includes(key)) {
      await ctx.answerCallbackQuery({ text: ctx.t('intake-stale-button') });
      return;
    }
    try {
      assertAdmin(actor);
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.answerCallbackQuery({ text: ctx.t('setup-not-allowed') });
      return;
    }
    await ctx.answerCallbackQuery();
    const openAdmin = deps.miniAppUrl
      ? new InlineKeyboard().webApp(ctx.t('setup-open-admin'), deps.miniAppUrl)
      : undefined;
    switch (key) {
      case 'line1':
      case 'line2':
      case 'field_engineer': {
        const invite = await createInvite(desk, actor, {
          role: key,
          maxUses: INVITE_USES,
          validDays: INVITE_DAYS,
        });
        await ctx.reply(
          ctx.t('setup-staff-invite', {
            role: ctx.t(`role-${key}`),
            days: INVITE_DAYS,
            uses: INVITE_USES,
            link: `https://t.me/${deps.username}?start=${invite.code}`,
          }),
        );
        return;
      }
      case 'desk':
        await ctx.reply(ctx.t('setup-how-desk', { timeZone: (await deskProfile(desk)).timeZone }));
        return;
      case 'clients': {
        const list = (
          await queryAll(
            desk.db
              .select({ id: companies.id, name: companies.name })
              .from(companies)
              .orderBy(asc(companies.name))
              .limit(20),
          )
        )
          .map((c) => `${c.id} — ${c.name}`)
          .join('\n');
        await ctx.reply(
          `${ctx.t('setup-how-clients')}\n\n${list || ctx.t('setup-no-companies')}${
            deps.miniAppUrl ? '' : `\n\n${ctx.t('setup-needs-miniapp')}`
          }`,
          openAdmin ? { reply_markup: openAdmin } : {},
        );
        return;
      }
      case 'company':
        await ctx.reply(
          `${ctx.t('setup-how-company')}${deps.miniAppUrl ? '' : `\n\n${ctx.t('setup-needs-miniapp')}`}`,
          openAdmin ? { reply_markup: openAdmin } : {},
        );
        return;
      default:
        await ctx.reply(ctx.t(`setup-how-${key}`));
    }
  });
  return bot;
}

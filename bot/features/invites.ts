// /invite: a client manager gets a link that binds colleagues to their company (admins: /invite <role>
// <company id>). The rules are core's; this only makes the t.me link.

import { eq } from 'drizzle-orm';
import { Composer } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { ROLES, type Role } from '../../core/model.ts';
import { createInvite } from '../../core/onboarding.ts';
import { managedCompanies } from '../../core/permissions.ts';
import { queryOne } from '../../db/access.ts';
import { companies } from '../../db/schema.ts';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';

const MAX_USES = 20;
const VALID_DAYS = 7;

export function invites(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  bot.chatType('private').command('invite', async (ctx) => {
    const actor = await actorOf(desk, ctx.from);
    const [roleArg, companyArg] = ctx.match.trim().split(/\s+/);
    const role: Role = ROLES.includes(roleArg as Role) ? (roleArg as Role) : 'client';
    const companyId = companyArg ? Number(companyArg) : (managedCompanies(actor)[0] ?? null);
    try {
      const invite = await createInvite(desk, actor, {
        role,
        companyId: ['client', 'client_manager'].includes(role) ? companyId : null,
        maxUses: MAX_USES,
        validDays: VALID_DAYS,
      });
      const company =
        invite.companyId === null
          ? ctx.t(`role-${role}`)
          : ((
              await queryOne(
                desk.db
                  .select({ name: companies.name })
                  .from(companies)
                  .where(eq(companies.id, invite.companyId)),
              )
            )?.name ?? '');
      await ctx.reply(
        ctx.t('invite-link', {
          company,
          days: VALID_DAYS,
          uses: MAX_USES,
          link: `https://t.me/${deps.username}?start=${invite.code}`,
        }),
      );
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.reply(ctx.t('invite-not-allowed'));
    }
  });
  return bot;
}

// /queue (unassigned tickets of my lines) and /mine (my open tickets), most urgent first, each with the
// SLA time left and a button that opens its card.
import { Composer, InlineKeyboard } from 'grammy';
import { isStaff } from '../../core/permissions.ts';
import { deskProfile } from '../../core/setup/desk-profile.ts';
import { myTickets, type QueueEntry, staffQueue } from '../../core/tickets/queues.ts';
import { translator } from '../../locales/index.ts';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { callback } from './callback-data.ts';
import { clockPhrase } from './card.ts';

export function queueCommands(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();

  async function list(ctx: BotContext, which: 'queue' | 'mine') {
    if (!ctx.from) return;
    const actor = await actorOf(desk, ctx.from);
    if (!isStaff(actor)) {
      await ctx.reply(ctx.t('staff-not-allowed'));
      return;
    }
    const entries = which === 'queue' ? await staffQueue(desk, actor) : await myTickets(desk, actor);
    if (entries.length === 0) {
      await ctx.reply(ctx.t(`staff-${which}-empty`));
      return;
    }
    const t = translator((await ctx.i18n.getLocale()) === 'en' ? 'en' : 'ru');
    const keyboard = new InlineKeyboard();
    // Deadlines in another zone than the desk's are named; the desk's zone is read once for the list.
    const deskZone = (await deskProfile(desk)).timeZone;
    const lines: string[] = [];
    for (const [i, entry] of entries.entries()) {
      keyboard.text(`#${entry.ticket.number}`, callback('op', entry.ticket));
      if (i % 4 === 3) keyboard.row();
      lines.push(await queueLine(desk, t, entry, deskZone));
    }
    await ctx.reply([ctx.t(`staff-${which}-title`, { count: entries.length }), ...lines].join('\n'), {
      reply_markup: keyboard,
      ...(ctx.msg?.is_topic_message ? { message_thread_id: ctx.msg.message_thread_id } : {}),
    });
  }

  bot.command('queue', async (ctx) => list(ctx, 'queue'));
  bot.command('mine', async (ctx) => list(ctx, 'mine'));
  return bot;
}

async function queueLine(
  desk: BotDeps['desk'],
  t: ReturnType<typeof translator>,
  entry: QueueEntry,
  deskZone: string,
): Promise<string> {
  const { ticket, reading, clock } = entry;
  const zone = (await desk.policies.forContract(ticket.contractId)).timeZone;
  const flag = reading.state === 'breached' ? '🔥' : reading.state === 'warning' ? '⚠️' : '▫️';
  return t('staff-queue-line', {
    flag,
    number: String(ticket.number),
    priority: ticket.priority,
    status: t(`status-${ticket.status}`),
    subject: ticket.subject.length > 60 ? `${ticket.subject.slice(0, 59)}…` : ticket.subject,
    clock: t(`staff-clock-${clock}`),
    sla: clockPhrase(t, reading, zone, deskZone),
  });
}

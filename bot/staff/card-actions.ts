// Presses on a ticket card. Callback data is only a hint of what was pressed: the ticket is read again,
// an outdated card is refreshed instead of acted on, and every move goes through core, which checks the
// person's rights. Sub-menus (assign, priority, category, canned replies, visit slots) replace the card's
// buttons until a choice or "Back".
import { asc, eq } from 'drizzle-orm';
import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import { cannedReplyIn, getCannedReply, listCannedReplies } from '../../core/canned-replies.ts';
import type { DeskContext } from '../../core/context.ts';
import { DeskError, StaleTicketError } from '../../core/errors.ts';
import { IMPACTS, type Language, LINES, PRIORITIES, URGENCIES } from '../../core/model.ts';
import { isStaff } from '../../core/permissions.ts';
import { act, type Command } from '../../core/tickets/act.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { mergeTickets } from '../../core/tickets/merge.ts';
import { assignableStaff } from '../../core/tickets/queues.ts';
import { getTicket } from '../../core/tickets/read.ts';
import { queryAll, queryOne } from '../../db/access.ts';
import { categories, people, type TicketRow } from '../../db/schema.ts';
import { translator } from '../../locales/index.ts';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { rememberMessage } from '../message-links.ts';
import { ticketInApp } from '../notices.ts';
import { refusalReason } from '../refusals.ts';
import { slotText } from '../time-text.ts';
import { callback, parseStaffPress, STAFF_CALLBACK, type StaffPress } from './callback-data.ts';
import { type Card, renderCard } from './card.ts';
import { askStaff } from './prompts.ts';
import { anchorOf, candidateSlots, chosen, toggle } from './visit-slots.ts';

const PROMPTS = { ak: 'ask', rs: 'resolve', rp: 'reply', nt: 'note', es: 'escalate' } as const;

/** Words the ticket's requester reads (a cancellation's reason), in their language. */
async function clientWords(desk: DeskContext, ticket: TicketRow) {
  const requester = await queryOne(
    desk.db.select({ language: people.language }).from(people).where(eq(people.id, ticket.requesterId)),
  );
  return translator(requester?.language ?? 'ru');
}

export function cardActions(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();

  bot.callbackQuery(STAFF_CALLBACK, async (ctx) => {
    const press = parseStaffPress(ctx.callbackQuery.data);
    const actor = await actorOf(desk, ctx.from);
    if (!press || !isStaff(actor) || actor.kind !== 'person') {
      await ctx.answerCallbackQuery({ text: ctx.t('staff-not-allowed'), show_alert: true });
      return;
    }
    const person = await queryOne(desk.db.select().from(people).where(eq(people.id, actor.personId)));
    if (!person) return;
    const language: Language = person.language;
    const t = translator(language);
    const isFieldEngineer = actor.memberships.some((m) => m.role === 'field_engineer');
    let ticket: TicketRow;
    try {
      ticket = (await getTicket(desk, actor, press.ticketId)).ticket;
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.answerCallbackQuery({ text: ctx.t('staff-ticket-not-found'), show_alert: true });
      return;
    }
    const viewer = { personId: actor.personId };
    // In a private chat the card keeps its "Open in the app" button (Telegram allows web apps only there).
    const withApp = (card: Card, ticketId: number): Card =>
      deps.miniAppUrl && ctx.chat?.type === 'private'
        ? {
            ...card,
            keyboard: card.keyboard.row().webApp(t('open-in-app'), ticketInApp(deps.miniAppUrl, ticketId)),
          }
        : card;
    const showCard = async (row: TicketRow, keyboard?: InlineKeyboard) => {
      const card = withApp(await renderCard(desk, t, language, row, viewer), row.id);
      await editQuietly(ctx, card.text, keyboard ?? card.keyboard);
    };

    if (press.verb === 'op') {
      const card = withApp(await renderCard(desk, t, language, ticket, viewer), ticket.id);
      const sent = await ctx.reply(card.text, { reply_markup: card.keyboard });
      await rememberMessage(desk.db, sent.chat.id, sent.message_id, ticket.id, desk.clock.now());
      await ctx.answerCallbackQuery();
      return;
    }
    if (press.verb === 'rf') {
      await showCard(ticket);
      await ctx.answerCallbackQuery({ text: ctx.t('staff-refreshed') });
      return;
    }
    // Someone changed the ticket since this card was drawn: show what is true now, do nothing.
    const outdated = async (now: TicketRow) => {
      const takenBy = press.verb === 'tk' && now.assigneeId !== null && now.assigneeId !== actor.personId;
      await showCard(now);
      await ctx.answerCallbackQuery({
        text: takenBy
          ? ctx.t('staff-already-taken', { name: await personName(desk, now.assigneeId) })
          : ctx.t('staff-card-outdated'),
        show_alert: takenBy,
      });
    };
    if (press.version !== ticket.version) {
      await outdated(ticket);
      return;
    }

    /** A move through core; the card then shows the new state. Refusals are explained, nothing changes. */
    const move = async (command: Command, done: string) => {
      try {
        const { ticket: after } = await act(desk, actor, ticket.id, {
          ...command,
          expectedVersion: ticket.version,
        });
        await showCard(after);
        await ctx.answerCallbackQuery({ text: ctx.t(done, { number: String(after.number) }) });
      } catch (error) {
        await refuse(error);
      }
    };
    const refuse = async (error: unknown) => {
      if (!(error instanceof DeskError)) throw error;
      const now = (await getTicket(desk, actor, ticket.id)).ticket;
      // Changed by someone else between this press's read and its change (two presses at once).
      if (error instanceof StaleTicketError) return outdated(now);
      await showCard(now);
      await ctx.answerCallbackQuery({
        text: ctx.t('action-refused', { reason: refusalReason((key, args) => ctx.t(key, args), error) }),
        show_alert: true,
      });
    };
    const submenu = async (keyboard: InlineKeyboard) => {
      await showCard(ticket, keyboard.row().text(ctx.t('staff-btn-back'), callback('bk', ticket)));
      await ctx.answerCallbackQuery();
    };
    const triageOr = (fields: Record<string, unknown>, otherwise: Command): Command =>
      ticket.status === 'new' ? ({ action: 'triage', ...fields } as Command) : otherwise;

    switch (press.verb) {
      case 'bk':
        await showCard(ticket);
        await ctx.answerCallbackQuery();
        return;
      case 'tk':
        await move({ action: 'take' }, 'staff-done-take');
        return;
      case 'dq':
        await move({ action: 'return_to_queue' }, 'staff-done-return_to_queue');
        return;
      case 'rm':
        await move({ action: 'resume' }, 'staff-done-resume');
        return;
      case 'ci':
        await move({ action: 'check_in' }, 'staff-done-check_in');
        return;
      case 'nr':
        // The reason is the client's to read (in their group): worded in their language.
        await move(
          { action: 'cancel', reason: (await clientWords(desk, ticket))('group-not-a-request') },
          'staff-done-not-request',
        );
        return;
      case 'mg': {
        const keptId = Number(press.args[0]);
        try {
          const words = await clientWords(desk, ticket);
          const merged = await mergeTickets(desk, actor, ticket.id, keptId, (number) =>
            words('group-merged-reason', { number: String(number) }),
          );
          await showCard((await getTicket(desk, actor, ticket.id)).ticket);
          await ctx.answerCallbackQuery({
            text: ctx.t('staff-done-merge', {
              joined: String(merged.joined.number),
              kept: String(merged.kept.number),
            }),
          });
        } catch (error) {
          await refuse(error);
        }
        return;
      }
      case 'co':
        await move({ action: 'check_out' }, 'staff-done-check_out');
        return;
      case 'as': {
        // A new ticket can be queued on any line at triage; a ticket in work is assigned within its line
        // (moving it to the 2nd line is an escalation, with a reason).
        const [lineArg, personArg] = press.args;
        const line = LINES.find((l) => l === lineArg) ?? ticket.line;
        if (line !== ticket.line && ticket.status !== 'new') {
          await refuse(new DeskError('invalid_input', 'assign within the ticket line'));
          return;
        }
        if (personArg === undefined) {
          const k = new InlineKeyboard();
          if (ticket.status === 'new') {
            for (const l of LINES) k.text(mark(l === line, ctx.t(`line-${l}`)), callback('as', ticket, l));
            k.row();
          }
          (await assignableStaff(desk, actor, line)).forEach((p, i) => {
            k.text(mark(p.id === ticket.assigneeId, p.name), callback('as', ticket, line, p.id));
            if (i % 2 === 1) k.row();
          });
          await submenu(k);
          return;
        }
        const assigneeId = Number(personArg);
        await move(triageOr({ line, assigneeId }, { action: 'assign', assigneeId }), 'staff-done-assign');
        return;
      }
      case 'pr': {
        const [axis, value] = press.args;
        if (axis === undefined || value === undefined) {
          const k = new InlineKeyboard();
          for (const impact of IMPACTS)
            k.text(
              mark(ticket.impact === impact, ctx.t(`impact-${impact}`)),
              callback('pr', ticket, 'i', impact),
            );
          k.row();
          for (const urgency of URGENCIES)
            k.text(
              mark(ticket.urgency === urgency, ctx.t(`urgency-${urgency}`)),
              callback('pr', ticket, 'u', urgency),
            );
          // Or the priority itself, overriding the contract's matrix.
          k.row();
          for (const priority of PRIORITIES)
            k.text(mark(ticket.priority === priority, priority), callback('pr', ticket, 'p', priority));
          await submenu(k);
          return;
        }
        const field =
          axis === 'i' ? { impact: value } : axis === 'u' ? { urgency: value } : { priority: value };
        await move(triageOr(field, { action: 'reprioritize', ...field } as Command), 'staff-done-priority');
        return;
      }
      case 'ct': {
        const [categoryArg] = press.args;
        if (categoryArg === undefined) {
          const k = new InlineKeyboard();
          (
            await queryAll(
              desk.db
                .select()
                .from(categories)
                .where(eq(categories.active, true))
                .orderBy(asc(categories.sort)),
            )
          ).forEach((c, i) => {
            k.text(
              mark(ticket.categoryId === c.id, language === 'en' ? c.nameEn : c.nameRu),
              callback('ct', ticket, c.id),
            );
            if (i % 2 === 1) k.row();
          });
          await submenu(k);
          return;
        }
        const categoryId = Number(categoryArg);
        await move(triageOr({ categoryId }, { action: 'categorize', categoryId }), 'staff-done-category');
        return;
      }
      case 'cn': {
        const [replyArg, confirmed] = press.args;
        try {
          if (replyArg === undefined) {
            const k = new InlineKeyboard();
            for (const r of await listCannedReplies(desk, actor))
              k.text(cannedReplyIn(r, language).title, callback('cn', ticket, r.id)).row();
            await submenu(k);
            return;
          }
          // Sent in the client's language, and shown before it goes: one more tap sends it.
          const clientLanguage =
            (
              await queryOne(
                desk.db
                  .select({ language: people.language })
                  .from(people)
                  .where(eq(people.id, ticket.requesterId)),
              )
            )?.language ?? 'ru';
          const { body } = cannedReplyIn(await getCannedReply(desk, actor, Number(replyArg)), clientLanguage);
          if (confirmed !== 'y') {
            const preview = t('staff-canned-preview', { language: t(`language-${clientLanguage}`), body });
            const k = new InlineKeyboard()
              .text(t('staff-btn-send'), callback('cn', ticket, replyArg, 'y'))
              .row()
              .text(t('staff-btn-back'), callback('cn', ticket));
            await editQuietly(ctx, preview, k);
            await ctx.answerCallbackQuery();
            return;
          }
          const { ticket: after } = await addComment(desk, actor, ticket.id, {
            body,
            expectedVersion: ticket.version,
          });
          await showCard(after);
          await ctx.answerCallbackQuery({ text: ctx.t('staff-done-reply') });
        } catch (error) {
          await refuse(error);
        }
        return;
      }
      case 'vi':
      case 'vs':
        await visitSlots(press);
        return;
      case 'ak':
      case 'rs':
      case 'rp':
      case 'nt':
      case 'es': {
        if (person.telegramUserId === null) return;
        // Asking the client about a ticket assigned to me but not yet accepted accepts it first.
        if (press.verb === 'ak' && ticket.status === 'open' && ticket.assigneeId === person.id) {
          try {
            ticket = (await act(desk, actor, ticket.id, { action: 'take', expectedVersion: ticket.version }))
              .ticket;
            await showCard(ticket);
          } catch (error) {
            await refuse(error);
            return;
          }
        }
        await askStaff(
          desk.db,
          ctx,
          t,
          ticket,
          PROMPTS[press.verb],
          { id: person.id, telegramUserId: person.telegramUserId, name: person.name },
          desk.clock.now(),
        );
        await ctx.answerCallbackQuery();
        return;
      }
    }

    async function visitSlots(p: StaffPress) {
      const policy = await desk.policies.forContract(ticket.contractId);
      const [anchor = anchorOf(desk.clock.now()), mask = '0', pick] = p.args;
      const slots = candidateSlots(policy.time, policy.timeZone, anchor);
      if (p.verb === 'vs') {
        const picked = chosen(mask, slots);
        if (picked.length === 0) {
          await ctx.answerCallbackQuery({ text: ctx.t('staff-visit-choose'), show_alert: true });
          return;
        }
        const engineerId = isFieldEngineer ? person?.id : undefined;
        await move(
          {
            action: 'offer_visit',
            slots: picked,
            ...(engineerId !== undefined ? { engineerId } : {}),
            ...(ticket.location ? { address: ticket.location } : {}),
          } as Command,
          'staff-done-offer_visit',
        );
        return;
      }
      const current = pick === undefined ? mask : toggle(mask, Number(pick));
      const selected = new Set(chosen(current, slots).map((s) => s.startsAt));
      const k = new InlineKeyboard();
      slots.forEach((s, i) => {
        const label = slotText(s.startsAt, s.endsAt, policy.timeZone, language);
        k.text(mark(selected.has(s.startsAt), label), callback('vi', ticket, anchor, current, i));
        if (i % 2 === 1) k.row();
      });
      k.row().text(
        ctx.t('staff-visit-send', { count: selected.size }),
        callback('vs', ticket, anchor, current),
      );
      await submenu(k);
    }
  });
  return bot;
}

const mark = (on: boolean, label: string) => (on ? `✓ ${label}` : label);

async function personName(desk: DeskContext, id: number | null): Promise<string> {
  if (id === null) return '';
  return (
    (await queryOne(desk.db.select({ name: people.name }).from(people).where(eq(people.id, id))))?.name ?? ''
  );
}

/** Edits the card in place; "message is not modified" (a double press) is not an error. */
async function editQuietly(ctx: BotContext, text: string, keyboard: InlineKeyboard): Promise<void> {
  try {
    await ctx.editMessageText(text, { reply_markup: keyboard });
  } catch (error) {
    if (error instanceof GrammyError && error.description.includes('message is not modified')) return;
    throw error;
  }
}

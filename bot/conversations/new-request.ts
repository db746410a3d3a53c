// The guided intake: category → description with files → how many people → how urgent → where → summary
// with Send / Edit / Cancel. Replayed from the start on every update (conversations v2), so the store is
// touched only inside `conversation.external`, and every answer is checked before it is kept.
//
// Filing is idempotent: each draft gets a key once (replay-safe, from `external`) that the ticket remembers,
// so a Send replayed after a crash between the ticket's commit and the saving of this conversation's state
// (the plugin saves after the whole update) answers "already accepted #N" instead of filing it again.
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { DeskError } from '../../core/errors.ts';
import { formatLocal } from '../../core/exports.ts';
import { receiveInbound } from '../../core/intake/receive.ts';
import { IMPACTS, type Impact, URGENCIES, type Urgency } from '../../core/model.ts';
import { SYSTEM } from '../../core/permissions.ts';
import { COMMENT_MAX } from '../../core/tickets/comment.ts';
import { DESCRIPTION_MAX } from '../../core/tickets/create.ts';
import { getTicket } from '../../core/tickets/read.ts';
import { categories, tickets } from '../../db/schema.ts';
import { telegramSender } from '../actor.ts';
import { attachmentOf } from '../attachments.ts';
import type { BotDeps, TalkContext } from '../context.ts';
import { rememberMessage } from '../message-links.ts';
import { Leave, prompts, type Talk } from './prompts.ts';

export const NEW_REQUEST = 'new-request';

type AttachmentDraft = NonNullable<ReturnType<typeof attachmentOf>>;

interface Draft {
  categoryId: number | null;
  categoryName: string;
  parts: string[];
  files: AttachmentDraft[];
  impact: Impact;
  urgency: Urgency;
  location: string | null;
}

export function newRequest(deps: BotDeps) {
  return async function newRequestConversation(conversation: Talk, ctx: TalkContext): Promise<void> {
    const from = ctx.from;
    if (!from) return;
    const t = ctx.t.bind(ctx);
    const language = (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'ru';

    // The draft's key, made once: `tg:<chat>:<random>`.
    const intakeKey = await conversation.external(() => `tg:${ctx.chatId ?? from.id}:${randomUUID()}`);
    /** The number of the ticket this draft was already filed as, if a crash hid that from the person. */
    const filedAs = () =>
      conversation.external(
        () =>
          deps.desk.db
            .select({ number: tickets.number })
            .from(tickets)
            .where(eq(tickets.intakeKey, intakeKey))
            .get()?.number ?? null,
      );

    const { handledCommand, notOwners, aheadOf, ask, askText } = prompts(conversation, ctx, {
      async beforeRestart(next) {
        const number = await filedAs();
        if (number !== null) await next.reply(t('intake-already-accepted', { number: String(number) }));
      },
    });

    async function askCategory(): Promise<Pick<Draft, 'categoryId' | 'categoryName'>> {
      const list = await conversation.external(() =>
        deps.desk.db
          .select({ id: categories.id, ru: categories.nameRu, en: categories.nameEn })
          .from(categories)
          .where(eq(categories.active, true))
          .orderBy(asc(categories.sort), asc(categories.id))
          .all(),
      );
      // A desk with no active category (an admin turned them all off) asks nothing: 1st line sorts it.
      if (list.length === 0) return { categoryId: null, categoryName: '' };
      const keyboard = new InlineKeyboard();
      list.forEach((c, i) => {
        keyboard.text(language === 'en' ? c.en : c.ru, `c:${c.id}`);
        if (i % 2 === 1) keyboard.row();
      });
      const data = await ask(
        t('intake-category'),
        keyboard,
        list.map((c) => `c:${c.id}`),
      );
      const picked = list.find((c) => `c:${c.id}` === data);
      return {
        categoryId: picked?.id ?? null,
        categoryName: (language === 'en' ? picked?.en : picked?.ru) ?? '',
      };
    }

    async function askDescription(): Promise<Pick<Draft, 'parts' | 'files'>> {
      const parts: string[] = [];
      const files: AttachmentDraft[] = [];
      const done = new InlineKeyboard().text(t('intake-done'), 'done');
      const prompts = [(await ctx.reply(t('intake-description'), { reply_markup: done })).message_id];
      for (;;) {
        const next = await conversation.wait();
        if ((await handledCommand(next)) || (await notOwners(next))) continue;
        if (next.callbackQuery) {
          const query = next.callbackQuery;
          if (query.data === 'done' && prompts.includes(query.message?.message_id ?? -1)) {
            if (parts.length === 0) {
              await next.answerCallbackQuery();
              await next.reply(t('intake-description-needed'));
              continue;
            }
            await next.answerCallbackQuery();
            return { parts, files };
          }
          if (aheadOf(prompts, next)) {
            // A question lost in a crash: say what is kept and ask for the rest again.
            await next.answerCallbackQuery({ text: t('intake-answer-again') });
            const again =
              parts.length === 0
                ? t('intake-description')
                : t('intake-description-resumed', { count: parts.length });
            prompts.push((await next.reply(again, { reply_markup: done })).message_id);
            continue;
          }
          await next.answerCallbackQuery({ text: t('intake-stale-button') });
          continue;
        }
        const message: Message | undefined = next.message;
        const text = message?.text ?? message?.caption;
        const file = message ? attachmentOf(message) : null;
        if (!file && message?.text === undefined) {
          await next.reply(t('intake-text-expected'));
          continue;
        }
        // Telegram delivers at most COMMENT_MAX (4096) characters a message; a longer paste comes in parts.
        if (text && (text.length > COMMENT_MAX || [...parts, text].join('\n').length > DESCRIPTION_MAX)) {
          await next.reply(t('intake-too-long', { max: DESCRIPTION_MAX }));
          continue;
        }
        if (text) parts.push(text);
        if (file) files.push(file);
        prompts.push((await next.reply(t('intake-description-more'), { reply_markup: done })).message_id);
      }
    }

    async function askImpact(): Promise<Impact> {
      const keyboard = new InlineKeyboard();
      for (const impact of IMPACTS) keyboard.text(t(`impact-${impact}`), `i:${impact}`).row();
      const data = await ask(
        t('intake-impact'),
        keyboard,
        IMPACTS.map((i) => `i:${i}`),
      );
      return data.slice(2) as Impact;
    }

    async function askUrgency(): Promise<Urgency> {
      const keyboard = new InlineKeyboard();
      for (const urgency of URGENCIES) keyboard.text(t(`urgency-${urgency}`), `u:${urgency}`).row();
      const data = await ask(
        t('intake-urgency'),
        keyboard,
        URGENCIES.map((u) => `u:${u}`),
      );
      return data.slice(2) as Urgency;
    }

    const askLocation = () =>
      askText(t('intake-location'), 500, new InlineKeyboard().text(t('intake-skip'), 'skip'));

    try {
      const draft: Draft = {
        ...(await askCategory()),
        ...(await askDescription()),
        impact: await askImpact(),
        urgency: await askUrgency(),
        location: await askLocation(),
      };
      for (;;) {
        const summary = t('intake-summary', {
          description: draft.parts.join('\n'),
          files: draft.files.length,
          impact: t(`impact-${draft.impact}`),
          urgency: t(`urgency-${draft.urgency}`),
          location: draft.location ?? '—',
          category: draft.categoryName || '—',
        });
        const decision = await ask(
          summary,
          new InlineKeyboard()
            .text(t('intake-confirm'), 'send')
            .row()
            .text(t('intake-edit'), 'edit')
            .text(t('intake-cancel'), 'cancel'),
          ['send', 'edit', 'cancel'],
        );
        if (decision === 'cancel') {
          await ctx.reply(t('intake-cancelled'));
          return;
        }
        if (decision === 'send') break;
        const fields = ['category', 'description', 'impact', 'urgency', 'location'] as const;
        const offered = fields.filter((f) => f !== 'category' || draft.categoryId !== null);
        const keyboard = new InlineKeyboard();
        for (const f of offered) keyboard.text(t(`intake-field-${f}`), `f:${f}`).row();
        const field = (await ask(
          t('intake-edit-what'),
          keyboard,
          offered.map((f) => `f:${f}`),
        )) as `f:${(typeof fields)[number]}`;
        if (field === 'f:category') Object.assign(draft, await askCategory());
        if (field === 'f:description') Object.assign(draft, await askDescription());
        if (field === 'f:impact') draft.impact = await askImpact();
        if (field === 'f:urgency') draft.urgency = await askUrgency();
        if (field === 'f:location') draft.location = await askLocation();
      }

      const outcome = await conversation.external(() => {
        try {
          // The guided intake ends where every channel's does: core/intake.
          const filed = receiveInbound(deps.desk, {
            channel: 'telegram',
            sender: telegramSender(from),
            intakeKey,
            body: draft.parts.join('\n'),
            files: draft.files,
            fields: {
              categoryId: draft.categoryId,
              impact: draft.impact,
              urgency: draft.urgency,
              location: draft.location,
            },
          });
          if (filed.kind !== 'created' && filed.kind !== 'duplicate')
            throw new Error(`intake said ${filed.kind}`);
          const created = filed.kind === 'created';
          const ticket = created ? filed.ticket : getTicket(deps.desk, SYSTEM, filed.ticketId).ticket;
          const zone = deps.desk.policies.forContract(ticket.contractId).timeZone;
          return {
            ok: true as const,
            created,
            ticketId: ticket.id,
            number: String(ticket.number),
            priority: ticket.priority,
            due: formatLocal(ticket.firstResponseDueAt, zone),
            zone,
          };
        } catch (error) {
          if (error instanceof DeskError) return { ok: false as const, code: error.code };
          throw error;
        }
      });
      if (outcome.ok && !outcome.created) {
        await ctx.reply(t('intake-already-accepted', { number: outcome.number }));
      } else if (outcome.ok) {
        const accepted = await ctx.reply(
          t('intake-accepted', {
            number: String(outcome.number),
            priority: t(`priority-${outcome.priority}`),
            due: outcome.due,
            zone: outcome.zone,
          }),
        );
        // A reply to "accepted" is a comment on the request, as a reply to any notice about it is.
        await conversation.external(() =>
          rememberMessage(
            deps.desk.db,
            accepted.chat.id,
            accepted.message_id,
            outcome.ticketId,
            deps.desk.clock.now(),
          ),
        );
      } else {
        await ctx.reply(t('intake-failed', { reason: t(`error-${outcome.code}`) }));
      }
    } catch (error) {
      if (error instanceof Leave) return;
      throw error;
    }
  };
}

// A message typed outside any guided step, not a reply, not a command: decided from context, as a person
// at a service desk would. The rest of a split paste goes where its first part went; a ticket waiting for
// this person's answer takes it (and resumes); otherwise the bot offers "Create a request with this
// text?" in one tap, keeping the photos and files sent with it. Staff get their help, as before.
import { Composer, type Filter, InlineKeyboard } from 'grammy';
import { DeskError } from '../../core/errors.ts';
import { formatLocal } from '../../core/exports.ts';
import { ensureTelegramPerson, personByTelegram } from '../../core/onboarding.ts';
import { isStaff } from '../../core/permissions.ts';
import { awaitingAnswerFrom } from '../../core/tickets/awaiting.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { inTransaction } from '../../core/transaction.ts';
import { actorOf, profileOf } from '../actor.ts';
import { attachmentOf } from '../attachments.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { rememberMessage } from '../message-links.ts';
import { refusalReason } from '../refusals.ts';
import {
  dropOffer,
  fileOffer,
  fits,
  openOffer,
  type RequestOffer,
  readOffer,
  showsOffer,
  UNSHOWN,
  withPart,
  writeOffer,
} from '../request-offers.ts';
import type { SplitPastes } from '../split-pastes.ts';
import { commentFromMessage } from './comment-from-message.ts';

type MessageContext = Filter<BotContext, 'message'>;
type Say = BotContext['t'];

/** How much of the text the offer shows back. */
const PREVIEW = 300;

function offerText(t: Say, offer: RequestOffer): string {
  const text = offer.parts.join('\n');
  const preview = text.length > PREVIEW ? `${text.slice(0, PREVIEW - 1)}…` : text;
  const question =
    offer.follows !== null
      ? t('offer-ask-follows', { number: String(offer.follows) })
      : offer.candidates.length > 0
        ? t('offer-ask-answer')
        : t('offer-ask');
  return [question, '', preview ? `«${preview}»` : '', t('offer-files', { files: offer.files.length })]
    .filter((line, i) => i < 2 || line)
    .join('\n');
}

function offerKeyboard(t: Say, offer: RequestOffer): InlineKeyboard {
  const k = new InlineKeyboard();
  for (const c of offer.candidates) {
    k.text(t('offer-answer', { number: String(c.number) }), `of:to:${c.id}`).row();
  }
  return k.text(t('offer-create'), 'of:new').text(t('offer-drop'), 'of:drop');
}

/**
 * Keeps the message as an offer to file a request: a new offer, or one more part of the chat's open one
 * (an album's next photo, the rest of a paste, a second thought), re-shown with its buttons.
 */
export async function offerRequest(
  { desk }: BotDeps,
  ctx: MessageContext,
  options: { follows: number | null; candidates?: RequestOffer['candidates'] },
): Promise<void> {
  const file = attachmentOf(ctx.message);
  const text = ctx.message.text ?? ctx.message.caption ?? '';
  const now = desk.clock.now();
  const open = options.follows === null ? await openOffer(desk, ctx.chat.id) : undefined;
  const base: RequestOffer =
    open && fits(open, text)
      ? open
      : {
          messageId: UNSHOWN,
          parts: [],
          files: [],
          candidates: options.candidates ?? [],
          follows: options.follows,
          at: now,
        };
  const offer = withPart(base, text, file, now);
  // Kept before it is shown: a process that dies between the two loses no word of it (a press on the
  // showing whose id was never written still acts, see showsOffer).
  await writeOffer(desk, ctx.chat.id, { ...offer, messageId: UNSHOWN });
  const sent = await ctx.reply(offerText(ctx.t, offer), { reply_markup: offerKeyboard(ctx.t, offer) });
  // Only the newest showing of the offer acts: a press is checked against the message it was on.
  await writeOffer(desk, ctx.chat.id, { ...offer, messageId: sent.message_id });
  // The previous showing of the same offer loses its buttons: only the newest one acts.
  if (open && base === open && open.messageId) {
    await ctx.api
      .editMessageReplyMarkup(ctx.chat.id, open.messageId, { reply_markup: new InlineKeyboard() })
      .catch(() => undefined);
  }
}

export function looseMessages(deps: BotDeps, pastes: SplitPastes): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  const privateChats = bot.chatType('private');

  privateChats.on('message', async (ctx, next) => {
    const message = ctx.message;
    const hasText = message.text !== undefined && !message.text.startsWith('/');
    if (!hasText && !attachmentOf(message)) return next();
    const continued = pastes.continues(ctx.chat.id, message);
    if (continued !== undefined) {
      await commentFromMessage(deps, ctx, continued, pastes);
      return;
    }
    const person = await personByTelegram(desk.db, ctx.from.id);
    if (person && isStaff(await actorOf(desk, ctx.from))) return next();
    const waiting = person ? await awaitingAnswerFrom(desk.db, person.id) : [];
    const only = waiting.length === 1 ? waiting[0] : undefined;
    if (only && !(await openOffer(desk, ctx.chat.id))) {
      const closed = await commentFromMessage(deps, ctx, only.id, pastes);
      if (closed) await offerRequest(deps, ctx, { follows: closed });
      return;
    }
    await offerRequest(deps, ctx, {
      follows: null,
      candidates: waiting.map((t) => ({ id: t.id, number: t.number })),
    });
  });

  const done = async (ctx: BotContext, text: string) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() }).catch(() => undefined);
    return ctx.reply(text);
  };

  /** The chat and the message the button was on. */
  const pressed = (ctx: BotContext) => ({
    chatId: ctx.chat?.id ?? 0,
    messageId: ctx.callbackQuery?.message?.message_id ?? -1,
  });

  bot.callbackQuery('of:new', async (ctx) => {
    const { chatId, messageId } = pressed(ctx);
    const person = await ensureTelegramPerson(desk, profileOf(ctx.from));
    const filed = await fileOffer(desk, chatId, messageId, person.id, {
      filesOnly: ctx.t('offer-files-only'),
      follows: (number) => ctx.t('offer-follows', { number: String(number) }),
    });
    if (filed.outcome === 'stale') return ctx.answerCallbackQuery({ text: ctx.t('intake-stale-button') });
    if (filed.outcome === 'already') {
      return done(ctx, ctx.t('offer-already', { number: String(filed.number) }));
    }
    const { ticket } = filed;
    const zone = (await desk.policies.forContract(ticket.contractId)).timeZone;
    const accepted = await done(
      ctx,
      ctx.t('intake-accepted', {
        number: String(ticket.number),
        priority: ctx.t(`priority-${ticket.priority}`),
        due: formatLocal(ticket.firstResponseDueAt, zone),
        zone,
      }),
    );
    // A reply to "accepted" is a comment on the request.
    await rememberMessage(desk.db, accepted.chat.id, accepted.message_id, ticket.id, desk.clock.now());
  });

  bot.callbackQuery('of:drop', async (ctx) => {
    const { chatId, messageId } = pressed(ctx);
    const offer = await readOffer(desk, chatId);
    if (!offer || !showsOffer(offer, messageId)) {
      return ctx.answerCallbackQuery({ text: ctx.t('intake-stale-button') });
    }
    if (offer.ticketNumber !== undefined) {
      return done(ctx, ctx.t('offer-already', { number: String(offer.ticketNumber) }));
    }
    await dropOffer(desk, chatId);
    await done(ctx, ctx.t('offer-dropped'));
  });

  bot.callbackQuery(/^of:to:(\d+)$/, async (ctx) => {
    const { chatId, messageId } = pressed(ctx);
    const offer = await readOffer(desk, chatId);
    const candidate = offer?.candidates.find((c) => c.id === Number(ctx.match[1]));
    if (!offer || !showsOffer(offer, messageId) || !candidate) {
      return ctx.answerCallbackQuery({ text: ctx.t('intake-stale-button') });
    }
    if (offer.ticketNumber !== undefined) {
      return done(ctx, ctx.t('offer-already', { number: String(offer.ticketNumber) }));
    }
    try {
      const actor = await actorOf(desk, ctx.from);
      // Each part a comment (a part is at most one Telegram message), the files with the first; and the
      // offer gone in the same transaction, so a repeated press adds nothing twice.
      await inTransaction(desk.db, async () => {
        const parts = offer.parts.length > 0 ? offer.parts : [''];
        for (const [i, body] of parts.entries()) {
          await addComment(desk, actor, candidate.id, { body, attachments: i === 0 ? offer.files : [] });
        }
        await dropOffer(desk, chatId);
      });
      await done(ctx, ctx.t('comment-added', { number: String(candidate.number) }));
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.answerCallbackQuery({
        text: ctx.t('comment-refused', { reason: refusalReason((key, args) => ctx.t(key, args), error) }),
      });
    }
  });
  return bot;
}

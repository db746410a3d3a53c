// A client company's own Telegram group: /bind ties it to the company (an admin, or the company's client
// manager), /unbind lets go, /status lists its open requests, /new sends the person to the private chat for
// the guided intake. Every other message goes to core/groups/intake.ts, which decides what it is; the bot's
// answer to a new request ("#1042 accepted, answer by …") comes through the outbox like every notice.
import { Composer, type Filter, InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { DeskError } from '../../core/errors.ts';
import { formatLocal } from '../../core/exports.ts';
import {
  bindableCompanies,
  bindGroup,
  boundGroup,
  companyName,
  forgetGroup,
  moveGroupChat,
  unbindGroup,
} from '../../core/groups/binding.ts';
import type { GroupMessageShape } from '../../core/groups/chatter.ts';
import { takeGroupMessage } from '../../core/groups/intake.ts';
import { openGroupTickets } from '../../core/groups/status.ts';
import type { Language } from '../../core/model.ts';
import { staffGroup } from '../../core/settings.ts';
import { translator } from '../../locales/index.ts';
import { actorOf, profileOf } from '../actor.ts';
import { attachmentOf } from '../attachments.ts';
import type { BotContext, BotDeps } from '../context.ts';

type GroupContext = Filter<BotContext, 'message'>;

function mediaOf(message: Message): GroupMessageShape['media'] {
  if (message.sticker) return 'sticker';
  if (message.animation) return 'animation';
  if (message.photo) return 'photo';
  if (message.voice) return 'voice';
  if (message.video || message.video_note) return 'video';
  if (message.document) return 'document';
  if (message.text !== undefined) return 'none';
  return 'other';
}

export function clientGroups(deps: BotDeps): Composer<BotContext> {
  const { desk } = deps;
  const bot = new Composer<BotContext>();
  // The staff group has its own handlers (topics); private chats theirs.
  const groups = bot
    .chatType(['group', 'supergroup'])
    .filter(async (ctx) => (await staffGroup(desk.db))?.chatId !== ctx.chat.id);
  const languageOf = async (ctx: BotContext): Promise<Language> =>
    (await ctx.i18n.getLocale()) === 'en' ? 'en' : 'ru';

  groups.command('bind', async (ctx) => {
    if (!ctx.from) return;
    const actor = await actorOf(desk, ctx.from);
    const choices = await bindableCompanies(desk, actor);
    if (choices.length === 0) {
      await ctx.reply(ctx.t('group-bind-not-allowed'));
      return;
    }
    const asked = ctx.match.trim().toLowerCase();
    const matching =
      asked === ''
        ? choices
        : choices.filter((c) => c.name.toLowerCase() === asked || String(c.id) === asked).length > 0
          ? choices.filter((c) => c.name.toLowerCase() === asked || String(c.id) === asked)
          : choices.filter((c) => c.name.toLowerCase().includes(asked));
    if (matching.length !== 1) {
      const list = (matching.length === 0 ? choices : matching)
        .slice(0, 20)
        .map((c) => `• ${c.name}`)
        .join('\n');
      await ctx.reply(ctx.t('group-bind-which', { companies: list }));
      return;
    }
    const [company] = matching;
    if (!company) return;
    // What the bot must be able to do here: read every message (an administrator, or privacy mode off).
    const me = await ctx.api.getChatMember(ctx.chat.id, ctx.me.id);
    const readsAll =
      me.status === 'administrator' || me.status === 'creator' || ctx.me.can_read_all_group_messages;
    if (!readsAll) {
      await ctx.reply(ctx.t('group-bind-cannot-read'));
      return;
    }
    try {
      const group = await bindGroup(desk, actor, {
        chatId: ctx.chat.id,
        title: ctx.chat.title,
        language: await languageOf(ctx),
        companyId: company.id,
      });
      const t = translator(group.language);
      await ctx.reply(t('group-bound', { company: company.name }));
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.reply(ctx.t('group-bind-not-allowed'));
    }
  });

  groups.command('unbind', async (ctx) => {
    if (!ctx.from) return;
    try {
      const done = await unbindGroup(desk, await actorOf(desk, ctx.from), ctx.chat.id);
      await ctx.reply(ctx.t(done ? 'group-unbound' : 'group-not-bound'));
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      await ctx.reply(ctx.t('group-bind-not-allowed'));
    }
  });

  groups.command('status', async (ctx) => {
    const group = await boundGroup(desk, ctx.chat.id);
    if (!group) return;
    const t = translator(group.language);
    const open = await openGroupTickets(desk, ctx.chat.id);
    if (open.length === 0) {
      await ctx.reply(t('group-status-none', { company: await companyName(desk, group.companyId) }), {
        disable_notification: true,
      });
      return;
    }
    const lines = open.map((o) =>
      t('group-status-line', {
        number: String(o.number),
        subject: o.subject,
        status: t(`status-${o.status}`),
        due: o.dueAt === null ? '—' : formatLocal(o.dueAt, o.timeZone),
      }),
    );
    await ctx.reply([t('group-status-title', { count: String(open.length) }), ...lines].join('\n'), {
      disable_notification: true,
    });
  });

  groups.command('new', async (ctx) => {
    const group = await boundGroup(desk, ctx.chat.id);
    if (!group) return;
    const t = translator(group.language);
    await ctx.reply(t('group-new-in-private'), {
      reply_markup: new InlineKeyboard().url(
        t('group-new-button'),
        `https://t.me/${deps.username}?start=new`,
      ),
      reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true },
    });
  });

  // Telegram turned the group into a supergroup: a new chat id for the same group.
  groups.on('message:migrate_to_chat_id', async (ctx) => {
    await moveGroupChat(desk, ctx.chat.id, ctx.message.migrate_to_chat_id);
  });
  // The bot was removed: nothing more can be read or said there.
  groups.on('my_chat_member', async (ctx, next) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'left' || status === 'kicked') await forgetGroup(desk, ctx.chat.id);
    return next();
  });

  groups.on('message', async (ctx: GroupContext, next) => {
    const message = ctx.message;
    // Service messages (someone joined, the title changed), other bots and the group's own posts are no one's request.
    if (!ctx.from || ctx.from.is_bot || message.sender_chat) return next();
    if (!(await boundGroup(desk, ctx.chat.id))) return next();
    const file = attachmentOf(message);
    const replyTo = message.reply_to_message;
    await takeGroupMessage(desk, {
      chatId: ctx.chat.id,
      messageId: message.message_id,
      from: profileOf(ctx.from),
      ...(replyTo && replyTo.chat.id === ctx.chat.id ? { replyTo: replyTo.message_id } : {}),
      text: message.text ?? message.caption ?? '',
      media: mediaOf(message),
      files: file ? [file] : [],
    });
  });
  return bot;
}

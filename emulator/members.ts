// Who is in a group and as what. The bot's own membership decides what it may do there, as Telegram
// checks it: write at all (not when it left or was kicked), create and manage topics, pin, delete other
// people's messages. People join as plain members when they first post or press in a group.
import type { ChatMember, ChatMemberAdministrator, User } from 'grammy/types';
import type { Handler } from './methods.ts';
import { badRequest } from './protocol.ts';
import type { ChatRecord, World } from './state.ts';

/** The administrator rights Telegram grants one by one (the channel-only ones left out). */
export type AdminRights = Partial<
  Pick<
    ChatMemberAdministrator,
    | 'can_manage_chat'
    | 'can_delete_messages'
    | 'can_manage_video_chats'
    | 'can_restrict_members'
    | 'can_promote_members'
    | 'can_change_info'
    | 'can_invite_users'
    | 'can_post_stories'
    | 'can_edit_stories'
    | 'can_delete_stories'
    | 'can_pin_messages'
    | 'can_manage_topics'
    | 'can_send_welcome_messages'
  >
>;

/**
 * The bot's place in a group: an administrator (the default) with the rights given on top of
 * `ADMIN_DEFAULTS`, a plain member, or not there at all ('left', 'kicked': every call about the group
 * is then 403, and the bot gets no updates from it).
 */
export type BotRights =
  | ({ status?: 'administrator' } & AdminRights)
  | { status: 'member' | 'left' | 'kicked' };

/** A person's place in a group; an administrator gets `ADMIN_DEFAULTS` plus the rights given. */
export type Membership = ({ status: 'administrator' } & AdminRights) | { status: 'creator' | 'member' };

/** What an administrator may do unless told otherwise: enough to run a forum of tickets. */
export const ADMIN_DEFAULTS: Required<AdminRights> = {
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: false,
  can_restrict_members: false,
  can_promote_members: false,
  can_change_info: false,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
  can_manage_topics: true,
  can_send_welcome_messages: false,
};

export function chatMember(user: User, membership: BotRights | Membership): ChatMember {
  switch (membership.status) {
    case 'creator':
      return { status: 'creator', user, is_anonymous: false };
    case 'member':
      return { status: 'member', user };
    case 'left':
      return { status: 'left', user };
    case 'kicked':
      return { status: 'kicked', user, until_date: 0 };
    default: {
      const { status: _status, ...rights } = membership;
      return {
        status: 'administrator',
        user,
        can_be_edited: false,
        is_anonymous: false,
        ...ADMIN_DEFAULTS,
        ...rights,
      };
    }
  }
}

/**
 * Someone's standing in a chat as the bot sees it. In a private chat the person and the bot are
 * members (the bot 'kicked' while blocked); people the bot never met are "user not found", and known
 * people who are not in a group have left it, as Telegram answers.
 */
export function memberOf(world: World, record: ChatRecord, userId: number): ChatMember {
  const user = userId === world.bot.id ? world.bot : world.users.get(userId)?.user;
  if (!user) throw badRequest('user not found');
  if (record.chat.type === 'private') {
    if (userId === world.bot.id && world.isBlocked(record.chat.id))
      return chatMember(user, { status: 'kicked' });
    return chatMember(user, {
      status: userId === record.chat.id || userId === world.bot.id ? 'member' : 'left',
    });
  }
  return record.members.get(userId) ?? chatMember(user, { status: 'left' });
}

export const isPresent = (member: ChatMember | undefined): boolean =>
  member !== undefined && member.status !== 'left' && member.status !== 'kicked';

/** True when the bot holds this administrator right in the chat (always in private chats). */
export function botCan(world: World, record: ChatRecord, right: keyof AdminRights): boolean {
  if (record.chat.type === 'private') return true;
  const bot = record.members.get(world.bot.id);
  return bot?.status === 'creator' || (bot?.status === 'administrator' && bot[right] === true);
}

/** Throws Telegram's "not enough rights to …" unless the bot holds `right`. */
export function requireBotRight(
  world: World,
  record: ChatRecord,
  right: keyof AdminRights,
  what: string,
): void {
  if (!botCan(world, record, right)) throw badRequest(`not enough rights to ${what}`);
}

/** A person who posts or presses in a group is in it: as a member unless they hold a higher status. */
export function joinGroup(record: ChatRecord, user: User): void {
  const status = record.members.get(user.id)?.status;
  if (status === 'kicked') throw new Error(`${user.first_name} is banned from ${record.chat.id}`);
  if (status === undefined || status === 'left')
    record.members.set(user.id, chatMember(user, { status: 'member' }));
}

/**
 * Gives the bot a new status in a group. With `by`, the bot gets the my_chat_member update Telegram sends
 * when someone adds, promotes, demotes or removes it (none when nothing changed).
 */
export function setBotMembership(world: World, record: ChatRecord, rights: BotRights, by?: User): void {
  const old = memberOf(world, record, world.bot.id);
  const next = chatMember(world.bot, rights);
  record.members.set(world.bot.id, next);
  if (!by || JSON.stringify(old) === JSON.stringify(next)) return;
  world.deliver({
    my_chat_member: {
      chat: record.chat,
      from: by,
      date: world.now(),
      old_chat_member: old,
      new_chat_member: next,
    },
  });
}

// ------------------------------------------------------------------------------------------- methods

const getChatMember: Handler = ({ world, params }) => {
  const record = world.chat(params.chatId());
  const userId = params.integer('user_id');
  if (!userId) throw badRequest('invalid user_id specified');
  return memberOf(world, record, userId);
};

/** The creator first, then administrators; other bots only with return_bots, as Telegram answers. */
const getChatAdministrators: Handler = ({ world, params }) => {
  const record = world.chat(params.chatId());
  if (record.chat.type === 'private') throw badRequest('there are no administrators in the private chat');
  const withBots = params.boolean('return_bots');
  const admins = [...record.members.values()].filter(
    (m) =>
      (m.status === 'creator' || m.status === 'administrator') &&
      (withBots || !m.user.is_bot || m.user.id === world.bot.id),
  );
  return [...admins.filter((m) => m.status === 'creator'), ...admins.filter((m) => m.status !== 'creator')];
};

const getChatMemberCount: Handler = ({ world, params }) => {
  const record = world.chat(params.chatId());
  if (record.chat.type === 'private') return 2;
  return [...record.members.values()].filter(isPresent).length;
};

export const memberMethods = {
  getChatMember,
  getChatAdministrators,
  getChatMemberCount,
} satisfies Record<string, Handler>;

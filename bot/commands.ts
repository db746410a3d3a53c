// The commands each role has: the menu Telegram shows beside the message field (the default one for
// everybody, a chat-scoped one for managers and staff) and the /help and /start texts built from it.

import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { type Api, GrammyError } from 'grammy';
import { LANGUAGES, type Language, type Role } from '../core/model.ts';
import { queryAll } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { memberships, people } from '../db/schema.ts';
import { DEFAULT_LANGUAGE, translator } from '../locales/index.ts';

/** A translate function: the locales' own, or a context's `ctx.t`. */
export type Say = (key: string, args?: Record<string, string | number>) => string;

/** Every command of the menu, in the order the menu shows them. */
const ALL = ['setup', 'queue', 'mine', 'new', 'my', 'invite', 'language', 'help', 'cancel'] as const;
export type MenuCommand = (typeof ALL)[number];

const EVERYONE: readonly MenuCommand[] = ['new', 'my', 'language', 'help', 'cancel'];
const BY_ROLE: Record<Role, readonly MenuCommand[]> = {
  client: [],
  client_manager: ['invite'],
  line1: ['queue', 'mine'],
  line2: ['queue', 'mine'],
  field_engineer: ['queue', 'mine'],
  supervisor: ['queue', 'mine'],
  admin: ['setup', 'invite', 'queue', 'mine'],
};
/** Roles that get a menu of their own (a client has the default one). */
const WITH_OWN_MENU = (Object.keys(BY_ROLE) as Role[]).filter((role) => BY_ROLE[role].length > 0);

export function commandsFor(roles: readonly Role[]): MenuCommand[] {
  const allowed = new Set([...EVERYONE, ...roles.flatMap((role) => BY_ROLE[role])]);
  return ALL.filter((command) => allowed.has(command));
}

const menu = (t: Say, commands: readonly MenuCommand[]) =>
  commands.map((command) => ({ command, description: t(`command-${command}`) }));

/** The order in which a person's roles are named and their hints given: the widest first. */
const ROLE_ORDER: readonly Role[] = [
  'admin',
  'supervisor',
  'line2',
  'line1',
  'field_engineer',
  'client_manager',
  'client',
];

/** /help: the person's commands, then what else their roles can do. */
export function helpText(t: Say, roles: readonly Role[]): string {
  const commands = commandsFor(roles).map((command) => `/${command} — ${t(`command-${command}`)}`);
  const staff = roles.some((r) => r !== 'client' && r !== 'client_manager');
  const hints = [
    staff ? t('help-hint-staff') : t('help-hint-client'),
    ...(roles.includes('client_manager') ? [t('help-hint-manager')] : []),
    ...(roles.includes('admin') ? [t('help-hint-admin')] : []),
  ];
  return [t('help-commands'), ...commands, '', ...hints].join('\n');
}

/** The names of a person's roles, widest first, e.g. "Администратор, 1-я линия". */
export function roleNames(t: Say, roles: readonly Role[]): string {
  return ROLE_ORDER.filter((role) => roles.includes(role))
    .map((role) => t(`role-${role}`))
    .join(', ');
}

/** What a client company's group offers (bot/features/client-group.ts). */
const IN_GROUPS = ['status', 'new', 'bind', 'unbind'] as const;

/** The default menu (clients and anyone not known yet) and the groups' menu, in Russian (default) and English. */
export async function registerCommands(api: Api): Promise<void> {
  for (const language of LANGUAGES) {
    const t = translator(language);
    const commands = menu(t, EVERYONE);
    await api.setMyCommands(commands, { language_code: language });
    if (language === DEFAULT_LANGUAGE) await api.setMyCommands(commands);
    const inGroups = IN_GROUPS.map((command) => ({ command, description: t(`command-group-${command}`) }));
    const scope = { type: 'all_group_chats' } as const;
    await api.setMyCommands(inGroups, { scope, language_code: language });
    if (language === DEFAULT_LANGUAGE) await api.setMyCommands(inGroups, { scope });
  }
}

/**
 * One person's private chat gets the menu of their roles (Telegram keeps it per chat). A person who has
 * not opened the bot yet has no chat with it ("chat not found"): their menu is set when they do.
 */
export async function setChatCommands(
  api: Api,
  chatId: number,
  roles: readonly Role[],
  language: Language,
): Promise<void> {
  await api
    .setMyCommands(menu(translator(language), commandsFor(roles)), {
      scope: { type: 'chat', chat_id: chatId },
    })
    .catch((error: unknown) => {
      if (!(error instanceof GrammyError && error.error_code === 400)) throw error;
    });
}

/** At start: every manager's and staff member's chat gets the menu of their roles. */
export async function registerRoleCommands(api: Api, db: Db): Promise<void> {
  const rows = await queryAll(
    db
      .select({ chatId: people.telegramUserId, language: people.language, role: memberships.role })
      .from(people)
      .innerJoin(memberships, eq(memberships.personId, people.id))
      .where(and(inArray(memberships.role, WITH_OWN_MENU), isNotNull(people.telegramUserId))),
  );
  const byChat = new Map<number, { language: Language; roles: Role[] }>();
  for (const { chatId, language, role } of rows) {
    if (chatId === null) continue;
    const entry = byChat.get(chatId) ?? { language, roles: [] };
    entry.roles.push(role);
    byChat.set(chatId, entry);
  }
  for (const [chatId, { language, roles }] of byChat) await setChatCommands(api, chatId, roles, language);
}

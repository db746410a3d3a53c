// Where a person hears about the requests they opened in their company's group: in the group (the default,
// everyone there follows along) or in their private chat with the bot, when they ask for it.
import { eq } from 'drizzle-orm';
import { execute } from '../../db/access.ts';
import { people } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';

export async function setGroupNoticesPrivate(
  ctx: DeskContext,
  personId: number,
  inPrivate: boolean,
): Promise<void> {
  await execute(ctx.db.update(people).set({ groupNoticesPrivate: inPrivate }).where(eq(people.id, personId)));
}

/** The /start payload of the group's "tell me in private" link. */
export const GROUP_PRIVATE_START = 'group_private';

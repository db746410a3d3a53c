// Settings an admin changes while the desk runs. Read on hot paths (every notice asks whether there is a
// staff group), so each connection keeps them in memory and a write refreshes that copy.
import { eq } from 'drizzle-orm';
import { execute, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { deskSettings } from '../db/schema.ts';
import type { DeskContext } from './context.ts';
import type { Language } from './model.ts';
import { type Actor, assertAdmin } from './permissions.ts';

export interface StaffGroup {
  chatId: number;
  title: string;
  /** What the bot writes in the group (topic titles, cards) is in this language. */
  language: Language;
}

const STAFF_GROUP = 'staff_group';
const cache = new WeakMap<Db, Map<string, string | null>>();

/** A setting's value (null when unset), from this connection's copy. */
export async function readSetting(db: Db, key: string): Promise<string | null> {
  let values = cache.get(db);
  if (!values) {
    values = new Map();
    cache.set(db, values);
  }
  if (!values.has(key)) {
    const row = await queryOne(db.select().from(deskSettings).where(eq(deskSettings.key, key)));
    // A write that came in while this read was awaited has set the copy already, and is newer.
    if (!values.has(key)) values.set(key, row?.value ?? null);
  }
  return values.get(key) ?? null;
}

/** Sets (or with null, removes) a setting; call inside the change's transaction. */
export async function writeSetting(db: Db, key: string, value: string | null, at: number): Promise<void> {
  if (value === null) await execute(db.delete(deskSettings).where(eq(deskSettings.key, key)));
  else
    await execute(
      db
        .insert(deskSettings)
        .values({ key, value, updatedAt: at })
        .onConflictDoUpdate({ target: deskSettings.key, set: { value, updatedAt: at } }),
    );
  cache.get(db)?.set(key, value);
}

/** The staff supergroup with a topic per ticket, if one is set up. */
export async function staffGroup(db: Db): Promise<StaffGroup | null> {
  const value = await readSetting(db, STAFF_GROUP);
  return value === null ? null : (JSON.parse(value) as StaffGroup);
}

/** Only an admin binds (or, with null, unbinds) the staff group. */
export async function setStaffGroup(ctx: DeskContext, actor: Actor, group: StaffGroup | null): Promise<void> {
  assertAdmin(actor);
  await writeSetting(ctx.db, STAFF_GROUP, group === null ? null : JSON.stringify(group), ctx.clock.now());
}

// The secret in the CTI webhook's URL (/api/telephony/cti/<token>): the PBX's only credential, as in
// Zammad. Made once when an admin first asks for it, kept in desk_settings, changed only by rotating.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import type { DeskContext } from '../context.ts';
import { type Actor, assertAdmin } from '../permissions.ts';
import { readSetting, writeSetting } from '../settings.ts';
import { inTransaction } from '../transaction.ts';

const KEY = 'telephony_cti_token';

const newToken = () => randomBytes(24).toString('base64url');

/** The desk's CTI token, made now if there is none yet. Admins only. */
export async function ctiToken(ctx: DeskContext, actor: Actor): Promise<string> {
  assertAdmin(actor);
  return await inTransaction(ctx.db, async () => {
    const known = await readSetting(ctx.db, KEY);
    if (known !== null) return known;
    const token = newToken();
    await writeSetting(ctx.db, KEY, token, ctx.clock.now());
    return token;
  });
}

/** A new token; the old one stops working at once. Admins only. */
export async function rotateCtiToken(ctx: DeskContext, actor: Actor): Promise<string> {
  assertAdmin(actor);
  const token = newToken();
  await writeSetting(ctx.db, KEY, token, ctx.clock.now());
  return token;
}

/** Whether a webhook call carries the token, compared in constant time (digests, so lengths do not tell). */
export async function ctiTokenMatches(db: Db, given: string): Promise<boolean> {
  const known = await readSetting(db, KEY);
  if (known === null) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(known), digest(given));
}

// How a new desk gets its first admin, when nobody can invite anybody yet: a one-time set-up link
// (t.me/<bot>?start=setup_<code>) printed by the operator's console, or the Telegram ids listed in
// ADMIN_TELEGRAM_IDS. Codes are stored as hashes, expire after a day, and all of them die the moment an
// admin exists. No other path makes an admin without an existing admin.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { execute, queryOne } from '../../db/access.ts';
import { deskSettings, memberships, people } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { DeskError } from '../errors.ts';
import { ensureTelegramPerson, holdsRole, type TelegramProfile } from '../onboarding.ts';
import { writeSetting } from '../settings.ts';
import { inTransaction } from '../transaction.ts';

/** The /start payload of a set-up link begins with this; invite codes never do (they have no "_" prefix). */
export const SETUP_PREFIX = 'setup_';
export const SETUP_CODE_TTL_MS = 24 * 60 * 60 * 1000;
const SETUP_CODES = 'setup_codes';
/** Codes printed and not yet expired; older ones drop off. */
const MAX_LIVE_CODES = 10;

interface StoredCode {
  hash: string;
  expiresAt: number;
}

const sha256 = (code: string) => createHash('sha256').update(code).digest('hex');

export async function hasAdmin(ctx: DeskContext): Promise<boolean> {
  return (
    ((await queryOne(ctx.db.select({ n: count() }).from(memberships).where(eq(memberships.role, 'admin'))))
      ?.n ?? 0) > 0
  );
}

// Read straight from the store, not the settings cache: `npm run setup -- admin` writes from another
// process while the desk runs.
async function storedCodes(ctx: DeskContext): Promise<StoredCode[]> {
  const row = await queryOne(ctx.db.select().from(deskSettings).where(eq(deskSettings.key, SETUP_CODES)));
  return row ? (JSON.parse(row.value) as StoredCode[]) : [];
}

async function storeCodes(ctx: DeskContext, codes: StoredCode[]): Promise<void> {
  const now = ctx.clock.now();
  if (codes.length === 0) {
    await execute(ctx.db.delete(deskSettings).where(eq(deskSettings.key, SETUP_CODES)));
    return;
  }
  const value = JSON.stringify(codes);
  await execute(
    ctx.db
      .insert(deskSettings)
      .values({ key: SETUP_CODES, value, updatedAt: now })
      .onConflictDoUpdate({ target: deskSettings.key, set: { value, updatedAt: now } }),
  );
}

export interface SetupCode {
  /** The start payload: setup_<code>. Shown once; only its hash is kept. */
  payload: string;
  expiresAt: number;
}

/**
 * A new set-up code while the desk has no admin (null once it has one). Codes printed earlier stay valid
 * until they expire, so a restart does not break a link already sent to the right person.
 */
export async function issueSetupCode(ctx: DeskContext): Promise<SetupCode | null> {
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    if (await hasAdmin(ctx)) {
      await storeCodes(ctx, []);
      return null;
    }
    const code = randomBytes(18).toString('base64url');
    const expiresAt = now + SETUP_CODE_TTL_MS;
    const live = (await storedCodes(ctx)).filter((c) => c.expiresAt > now);
    await storeCodes(ctx, [...live, { hash: sha256(code), expiresAt }].slice(-MAX_LIVE_CODES));
    return { payload: `${SETUP_PREFIX}${code}`, expiresAt };
  });
}

export type SetupRefusal = 'unknown' | 'expired' | 'admin_exists';

export class SetupCodeError extends DeskError {
  constructor(readonly reason: SetupRefusal) {
    super('forbidden', `set-up code refused: ${reason}`, { reason });
  }
}

function matches(stored: string, candidate: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(candidate, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Makes whoever opened a valid set-up link the desk's first admin; every code dies with it. */
export async function redeemSetupCode(ctx: DeskContext, profile: TelegramProfile, payload: string) {
  const now = ctx.clock.now();
  const code = payload.startsWith(SETUP_PREFIX) ? payload.slice(SETUP_PREFIX.length) : payload;
  const hash = sha256(code);
  return await inTransaction(ctx.db, async () => {
    if (await hasAdmin(ctx)) {
      // The same person again (a repeated update, or a retry after a crash before the answer) is told
      // they are the admin; anybody else is refused.
      const person = await queryOne(
        ctx.db.select().from(people).where(eq(people.telegramUserId, profile.telegramUserId)),
      );
      if (person && (await holdsRole(ctx.db, person.id, 'admin', null))) return person;
      throw new SetupCodeError('admin_exists');
    }
    const found = (await storedCodes(ctx)).find((c) => matches(c.hash, hash));
    if (!found) throw new SetupCodeError('unknown');
    if (found.expiresAt <= now) throw new SetupCodeError('expired');
    const person = await ensureTelegramPerson(ctx, profile);
    await execute(ctx.db.insert(memberships).values({ personId: person.id, role: 'admin', companyId: null }));
    await storeCodes(ctx, []);
    return person;
  });
}

/**
 * Scripted installs: these Telegram accounts are admins. Idempotent; a person not yet known is created
 * with their id as a name, which their first /start replaces with their Telegram name.
 */
export async function ensureAdmins(ctx: DeskContext, telegramUserIds: readonly number[]): Promise<number> {
  if (telegramUserIds.length === 0) return 0;
  const now = ctx.clock.now();
  return await inTransaction(ctx.db, async () => {
    let added = 0;
    for (const telegramUserId of telegramUserIds) {
      const person =
        (await queryOne(ctx.db.select().from(people).where(eq(people.telegramUserId, telegramUserId)))) ??
        (await queryOne(
          ctx.db
            .insert(people)
            .values({ telegramUserId, name: String(telegramUserId), createdAt: now })
            .returning(),
        ));
      if (!(await holdsRole(ctx.db, person.id, 'admin', null))) {
        await execute(
          ctx.db.insert(memberships).values({ personId: person.id, role: 'admin', companyId: null }),
        );
        added++;
      }
    }
    if (added > 0) await storeCodes(ctx, []);
    return added;
  });
}

const BOT_USERNAME = 'bot_username';

/** The running bot's @username, kept so that the set-up command prints whole links while the desk runs. */
export async function rememberBotUsername(ctx: DeskContext, username: string): Promise<void> {
  await writeSetting(ctx.db, BOT_USERNAME, username, ctx.clock.now());
}

/** The t.me link of a set-up code, or null when no bot has run on this store yet (then the code alone). */
export async function setupLink(ctx: DeskContext, code: SetupCode): Promise<string | null> {
  const username = (
    await queryOne(ctx.db.select().from(deskSettings).where(eq(deskSettings.key, BOT_USERNAME)))
  )?.value;
  return username ? `https://t.me/${username}?start=${code.payload}` : null;
}

// Who is asking: the Mini App's init data from `Authorization: tma <raw>`, verified, then the person with
// that Telegram id (created with no roles the first time, as the bot does). Sets c.var.actor and
// c.var.person; anything missing, malformed, forged, expired or signed for another bot is a 401.
//
// The Mini App sends the same init data with every request, so what the check found (the person and
// their memberships) is kept per Authorization value for a short while: used again only while the init
// data is still within its age, and only while nothing at all has been written to the store since it was
// read (core/store-stamp.ts) — a membership added or removed is seen on the very next request.
import type { Context, MiddlewareHandler, Next } from 'hono';
import { loadActor } from '../core/actors.ts';
import { ensureTelegramPerson } from '../core/onboarding.ts';
import type { Actor } from '../core/permissions.ts';
import { type StoreStamp, sameStamp, storeStamp } from '../core/store-stamp.ts';
import type { PersonRow } from '../db/schema.ts';
import type { ApiDeps, ApiEnv } from './env.ts';
import { errorJson } from './errors.ts';
import { FUTURE_SLACK_SECONDS, verifyInitData } from './init-data.ts';

export const DEFAULT_INIT_DATA_MAX_AGE = 3600;
/** How long a verified caller is kept at most (ms), however quiet the store. */
const KEEP_MS = 30_000;
/** Callers kept at once; past that the cache starts over. */
const KEEP_MAX = 10_000;

interface Known {
  authDate: number;
  person: PersonRow;
  actor: Actor;
  stamp: StoreStamp;
  until: number;
}

export function authenticate(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  const maxAgeSeconds = deps.initDataMaxAgeSeconds ?? DEFAULT_INIT_DATA_MAX_AGE;
  const db = deps.desk.db;
  const known = new Map<string, Known>();
  /** Whether init data signed at `authDate` (seconds) is still accepted at `now` (ms): verifyInitData's age rule. */
  const inAge = (authDate: number, now: number) => {
    const nowSeconds = Math.floor(now / 1000);
    return authDate <= nowSeconds + FUTURE_SLACK_SECONDS && nowSeconds - authDate <= maxAgeSeconds;
  };
  /** The check itself, and the person looked up (or created), when no caller kept can be used. */
  const verify = async (c: Context<ApiEnv>, next: Next, header: string | undefined, now: number) => {
    const match = header === undefined ? null : /^tma\s+(\S+)\s*$/i.exec(header);
    const check = verifyInitData(match?.[1], deps.botToken, { now, maxAgeSeconds });
    if (!check.ok) {
      c.header('WWW-Authenticate', 'tma');
      return errorJson(c, 401, {
        code: 'unauthorized',
        message: match ? `init data refused: ${check.reason}` : 'send Authorization: tma <init data>',
      });
    }
    const { user } = check.data;
    // Taken before the person and the memberships are read: a change another process commits while they
    // are read moves the stamp on, so what was read is never kept past it.
    const stamp = await storeStamp(db);
    const person = Object.freeze(
      await ensureTelegramPerson(deps.desk, {
        telegramUserId: user.id,
        name: [user.first_name, user.last_name].filter(Boolean).join(' ').trim() || (user.username ?? ''),
        languageCode: user.language_code,
      }),
    );
    const actor = frozen(await loadActor(db, person.id));
    if (header !== undefined) {
      if (known.size >= KEEP_MAX) known.clear();
      known.set(header, {
        authDate: check.data.authDate,
        person,
        actor,
        stamp,
        until: performance.now() + KEEP_MS,
      });
    }
    c.set('person', person);
    c.set('actor', actor);
    await next();
  };
  // Not async itself: a caller kept goes on with no promise of this middleware's own.
  return async (c, next) => {
    const header = c.req.header('authorization');
    const now = deps.desk.clock.now();
    if (header !== undefined) {
      const hit = known.get(header);
      if (hit) {
        if (
          performance.now() < hit.until &&
          inAge(hit.authDate, now) &&
          sameStamp(hit.stamp, await storeStamp(db))
        ) {
          c.set('person', hit.person);
          c.set('actor', hit.actor);
          return next();
        }
        known.delete(header);
      }
    }
    return verify(c, next, header, now);
  };
}

/** The actor shared by the requests that reuse it: nobody may change it under another request. */
function frozen(actor: Actor): Actor {
  if (actor.kind === 'person') {
    for (const m of actor.memberships) Object.freeze(m);
    Object.freeze(actor.memberships);
  }
  return Object.freeze(actor);
}

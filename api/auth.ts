// Who is asking: the Mini App's init data from `Authorization: tma <raw>`, verified, then the person with
// that Telegram id (created with no roles the first time, as the bot does). Sets c.var.actor and
// c.var.person; anything missing, malformed, forged, expired or signed for another bot is a 401.
import type { MiddlewareHandler } from 'hono';
import { loadActor } from '../core/actors.ts';
import { ensureTelegramPerson } from '../core/onboarding.ts';
import type { ApiDeps, ApiEnv } from './env.ts';
import { errorJson } from './errors.ts';
import { verifyInitData } from './init-data.ts';

export const DEFAULT_INIT_DATA_MAX_AGE = 3600;

export function authenticate(deps: ApiDeps): MiddlewareHandler<ApiEnv> {
  const maxAgeSeconds = deps.initDataMaxAgeSeconds ?? DEFAULT_INIT_DATA_MAX_AGE;
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^tma\s+(\S+)\s*$/i.exec(header);
    const check = verifyInitData(match?.[1], deps.botToken, { now: deps.desk.clock.now(), maxAgeSeconds });
    if (!check.ok) {
      c.header('WWW-Authenticate', 'tma');
      return errorJson(c, 401, {
        code: 'unauthorized',
        message: match ? `init data refused: ${check.reason}` : 'send Authorization: tma <init data>',
      });
    }
    const { user } = check.data;
    const person = ensureTelegramPerson(deps.desk, {
      telegramUserId: user.id,
      name: [user.first_name, user.last_name].filter(Boolean).join(' ').trim() || (user.username ?? ''),
      languageCode: user.language_code,
    });
    c.set('person', person);
    c.set('actor', loadActor(deps.desk.db, person.id));
    await next();
  };
}

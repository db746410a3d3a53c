// Telephony. The CTI webhook (POST /api/telephony/cti/:token) takes Zammad's generic CTI events from the
// desk's PBX, form-encoded or JSON, with the desk's token in the path instead of init data. Staff read the
// callback queue and mark calls returned; admins see the webhook's path and rotate its token.
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import { callbackDone, callbackQueue, linkCallToTicket, recordCallEvent } from '../../core/phone/calls.ts';
import { ctiToken, ctiTokenMatches, rotateCtiToken } from '../../core/phone/cti-token.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { errorJson } from '../errors.ts';
import { readJson } from '../input.ts';

export const CTI_PATH_PREFIX = '/api/telephony/cti/';
/** A CTI event is a handful of short fields. */
const CTI_BODY_LIMIT = 16 * 1024;

const callIdParam = z.string().min(1).max(250);
const linkBody = z.object({ ticketId: z.number().int().positive() });

function callIdOf(c: Context): string {
  const parsed = callIdParam.safeParse(c.req.param('callId'));
  if (!parsed.success) throw new InvalidInputError('callId: not a call id');
  return parsed.data;
}

/** The event's fields: JSON, or a form (`user[]` may repeat; so may `user`). */
async function ctiFields(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  const type = c.req.header('content-type') ?? '';
  if (/^application\/json\s*(;|$)/i.test(type)) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new InvalidInputError('the body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new InvalidInputError('the body is not a JSON object');
    const fields = { ...(body as Record<string, unknown>) };
    if ('user[]' in fields && !('user' in fields)) fields.user = fields['user[]'];
    return fields;
  }
  const fields: Record<string, unknown> = {};
  const users: string[] = [];
  for (const [key, value] of new URLSearchParams(text)) {
    if (key === 'user[]' || key === 'user') users.push(value);
    else if (!(key in fields)) fields[key] = value;
  }
  if (users.length > 0) fields.user = users;
  return fields;
}

/**
 * The webhook, answered outside /api's init-data check (mounted before it). A wrong or unknown token is a
 * bare 401, the same for every token, so the answer tells nothing; `beforeAuth` counts those per address.
 */
export function ctiWebhookRoutes(deps: ApiDeps, beforeAuth?: MiddlewareHandler<ApiEnv>) {
  const { desk } = deps;
  const limit = bodyLimit({
    maxSize: CTI_BODY_LIMIT,
    onError: (c) =>
      errorJson(c, 413, { code: 'too_large', message: `the body is over ${CTI_BODY_LIMIT} bytes` }),
  });
  const path = `${CTI_PATH_PREFIX}:token`;
  const app = new Hono<ApiEnv>();
  if (beforeAuth) app.use(path, beforeAuth);
  return app.use(path, limit).post(path, async (c) => {
    if (!(await ctiTokenMatches(desk.db, c.req.param('token') ?? '')))
      return errorJson(c, 401, { code: 'unauthorized', message: 'unauthorized' });
    const result = await recordCallEvent(desk, (await ctiFields(c)) as Parameters<typeof recordCallEvent>[1]);
    return c.json({ ok: true, changed: result.changed });
  });
}

export function telephonyRoutes(deps: ApiDeps) {
  const { desk } = deps;
  const webhook = (token: string) => ({ token, path: `${CTI_PATH_PREFIX}${token}` });
  return new Hono<ApiEnv>()
    .get('/admin/telephony', async (c) => c.json(webhook(await ctiToken(desk, c.var.actor))))
    .post('/admin/telephony/rotate', async (c) => c.json(webhook(await rotateCtiToken(desk, c.var.actor))))
    .get('/calls/callbacks', async (c) => c.json({ callbacks: await callbackQueue(desk, c.var.actor) }))
    .post('/calls/:callId/callback-done', async (c) => {
      const call = await callbackDone(desk, c.var.actor, callIdOf(c));
      return c.json({ callId: call.callId, doneAt: call.callbackDoneAt });
    })
    .post('/calls/:callId/ticket', async (c) => {
      const callId = callIdOf(c);
      const { ticketId } = await readJson(c, linkBody);
      const call = await linkCallToTicket(desk, c.var.actor, callId, ticketId);
      return c.json({ callId: call.callId, ticketId: call.ticketId });
    });
}

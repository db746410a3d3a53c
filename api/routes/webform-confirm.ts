// The known person's confirmation of a web request filed with their address (core/webform/confirm.ts):
// GET /form/confirm/:token shows the question and changes nothing, POST /form/confirm/:token moves the
// request to them. A forged or expired link is a 404 page. The token is blanked in the access log.

import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import type { Language } from '../../core/model.ts';
import {
  confirmWebRequest,
  issueLinkToken,
  readLinkToken,
  STATUS_LINK_MS,
} from '../../core/webform/confirm.ts';
import { SubmissionCounter } from '../../core/webform/protect.ts';
import { queryOne } from '../../db/access.ts';
import { tickets } from '../../db/schema.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { errorJson } from '../errors.ts';
import { clientAddress } from '../rate-limit.ts';
import { confirmPage } from '../webform-confirm-page.ts';
import { formLanguage, STATUS_PATH_PREFIX } from './webform.ts';
import { LINK_POST_LIMITS } from './webform-status.ts';

/** A forged or expired link: the page for a browser, the API's JSON error for anything else. */
function invalid(c: Context, language: Language) {
  if ((c.req.header('accept') ?? '').includes('text/html'))
    return c.html(confirmPage(language, 'invalid', null), 404, NO_STORE);
  return errorJson(c, 404, { code: 'not_found', message: 'no such link' });
}

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };

export function webformConfirmRoutes(deps: ApiDeps) {
  const { desk } = deps;
  const headers = NO_STORE;
  const counter = new SubmissionCounter(desk, 'link', LINK_POST_LIMITS);
  const trustProxy = deps.rateLimit?.trustProxy ?? false;
  return new Hono<ApiEnv>()
    .get('/form/confirm/:token', async (c) => {
      const language = formLanguage(c);
      const link = await readLinkToken(desk, 'confirm', c.req.param('token'));
      if (!link) return invalid(c, language);
      const ticket = await queryOne(desk.db.select().from(tickets).where(eq(tickets.id, link.ticketId)));
      return c.html(confirmPage(language, 'ask', ticket?.number ?? null), 200, headers);
    })
    .post('/form/confirm/:token', async (c) => {
      const ip = clientAddress(c, trustProxy);
      if (!(await counter.allows(ip, 'confirm')))
        return errorJson(c, 429, {
          code: 'too_many_requests',
          message: 'too many requests from this address',
        });
      await counter.attempt(ip);
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const language = formLanguage(c, (body as Record<string, unknown>).lang);
      const link = await readLinkToken(desk, 'confirm', c.req.param('token'));
      if (!link) return invalid(c, language);
      const outcome = await confirmWebRequest(desk, link.ticketId, link.personId);
      // The request is theirs now: the page they are on leads to it, by a status link in their name.
      const follow =
        outcome.kind === 'refused'
          ? null
          : `${STATUS_PATH_PREFIX}${await issueLinkToken(desk, 'status', outcome.ticket.id, link.personId, outcome.ticket.createdAt + STATUS_LINK_MS)}`;
      return c.html(
        confirmPage(language, outcome.kind, outcome.ticket?.number ?? null, follow),
        200,
        headers,
      );
    });
}

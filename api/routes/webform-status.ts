// The web submitter's status page, by the signed link in the acknowledgement mail (core/webform/confirm.ts,
// purpose 'status'): GET /form/status/:token shows the request as its requester may see it (core reads with
// the requester as the actor); POST adds a comment (through the intake seam, channel 'web', keyed by the
// page's one-time send key so a resent form adds it once), or confirms the solution or reopens it, as the
// requester. A link stops working once the request belongs to someone else (confirmed by a known person).
// POSTs are counted per address. The token is blanked in the access log.
import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { loadActor } from '../../core/actors.ts';
import { DeskError } from '../../core/errors.ts';
import { receiveInbound } from '../../core/intake/receive.ts';
import { isFinalStatus } from '../../core/lifecycle.ts';
import type { Language } from '../../core/model.ts';
import type { Actor } from '../../core/permissions.ts';
import { statements } from '../../core/statements.ts';
import { act } from '../../core/tickets/act.ts';
import { getTicket, ticketComments, timeline } from '../../core/tickets/read.ts';
import { readLinkToken } from '../../core/webform/confirm.ts';
import { SubmissionCounter } from '../../core/webform/protect.ts';
import { queryOne } from '../../db/access.ts';
import { translator } from '../../locales/index.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { errorJson } from '../errors.ts';
import { clientAddress } from '../rate-limit.ts';
import { type StatusEntry, type StatusView, statusPage } from '../webform-status-page.ts';
import { formLanguage } from './webform.ts';

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
/** POSTs by a mailed link (status, confirm) from one address: enough for a person, little for a script. */
export const LINK_POST_LIMITS = { perIpHour: 30, perIpDay: 100, perFormDay: Number.MAX_SAFE_INTEGER };

/** The page's one-time send key, as it makes them. */
const SEND_KEY = /^[A-Za-z0-9_-]{16,64}$/;

function notFound(c: Context) {
  return errorJson(c, 404, { code: 'not_found', message: 'no such link' });
}

export function webformStatusRoutes(deps: ApiDeps) {
  const { desk } = deps;
  const counter = new SubmissionCounter(desk, 'link', LINK_POST_LIMITS);
  const trustProxy = deps.rateLimit?.trustProxy ?? false;

  /** The requester and their request, when the link is genuine and the request is still theirs. */
  const open = async (token: string): Promise<{ actor: Actor; ticketId: number } | null> => {
    const link = await readLinkToken(desk, 'status', token);
    if (!link) return null;
    try {
      const actor = await loadActor(desk.db, link.personId);
      const { ticket } = await getTicket(desk, actor, link.ticketId);
      return ticket.requesterId === link.personId ? { actor, ticketId: ticket.id } : null;
    } catch (error) {
      if (error instanceof DeskError) return null;
      throw error;
    }
  };

  const view = async (actor: Actor, ticketId: number, language: Language): Promise<StatusView> => {
    const t = translator(language);
    const { ticket, timeZone } = await getTicket(desk, actor, ticketId);
    const { personById } = statements(desk.db);
    const nameOf = async (id: number | null) =>
      id === null ? '' : ((await queryOne(personById, { id }))?.name ?? '');
    const history: StatusEntry[] = [
      // A comment is shown with its text below: its event would say the same twice.
      ...(await timeline(desk, actor, ticketId))
        .filter((e) => e.type !== 'comment')
        .flatMap((e) => {
          const label = t(`event-${e.type}`);
          // What came with it that the client may read (eventForClient dropped the staff's own words).
          const said = [e.data?.resolution, e.data?.question, e.data?.reason].find(
            (v) => typeof v === 'string',
          );
          return label === `event-${e.type}`
            ? []
            : [{ at: e.at, title: label, body: (said as string) ?? null }];
        }),
    ];
    for (const c of await ticketComments(desk, actor, ticketId)) {
      history.push({ at: c.createdAt, title: await nameOf(c.authorId), body: c.body });
    }
    history.sort((a, b) => a.at - b.at);
    return {
      number: ticket.number,
      subject: ticket.subject,
      status: t(`status-${ticket.status}`),
      resolved: ticket.status === 'resolved',
      open: !isFinalStatus(ticket.status),
      timeZone,
      history,
      sendKey: randomBytes(16).toString('base64url'),
    };
  };

  return new Hono<ApiEnv>()
    .get('/form/status/:token', async (c) => {
      const found = await open(c.req.param('token'));
      if (!found) return notFound(c);
      const language = formLanguage(c);
      return c.html(
        statusPage(language, await view(found.actor, found.ticketId, language), null),
        200,
        NO_STORE,
      );
    })
    .post('/form/status/:token', async (c) => {
      const ip = clientAddress(c, trustProxy);
      if (!(await counter.allows(ip, 'status')))
        return errorJson(c, 429, {
          code: 'too_many_requests',
          message: 'too many requests from this address',
        });
      await counter.attempt(ip);
      const found = await open(c.req.param('token'));
      if (!found) return notFound(c);
      const form = await c.req.parseBody();
      const language = formLanguage(c, form.lang);
      const body = typeof form.body === 'string' ? form.body.trim().slice(0, 4000) : '';
      const what = form.do;
      let message: { ok: boolean; key: string };
      try {
        if (what === 'confirm') {
          await act(desk, found.actor, found.ticketId, { action: 'confirm' });
          message = { ok: true, key: 'webform-status-confirmed' };
        } else if (what === 'reopen') {
          if (body === '') message = { ok: false, key: 'webform-status-reason-needed' };
          else {
            await act(desk, found.actor, found.ticketId, { action: 'reopen', reason: body });
            message = { ok: true, key: 'webform-status-reopened' };
          }
        } else if (body === '') message = { ok: false, key: 'webform-status-empty' };
        else {
          // A closed request takes no more words here (the intake would file a new one from them).
          const { ticket } = await getTicket(desk, found.actor, found.ticketId);
          if (isFinalStatus(ticket.status)) message = { ok: false, key: 'webform-status-failed' };
          else {
            const key = typeof form.key === 'string' && SEND_KEY.test(form.key) ? form.key : null;
            await receiveInbound(desk, {
              channel: 'web',
              sender: { kind: 'person', personId: ticket.requesterId },
              language,
              thread: { ticketId: ticket.id },
              body,
              ...(key === null ? {} : { deliveryKey: `status:${ticket.id}:${key}` }),
            });
            message = { ok: true, key: 'webform-status-sent' };
          }
        }
      } catch (error) {
        if (!(error instanceof DeskError)) throw error;
        message = { ok: false, key: 'webform-status-failed' };
      }
      return c.html(
        statusPage(language, await view(found.actor, found.ticketId, language), message),
        200,
        NO_STORE,
      );
    });
}

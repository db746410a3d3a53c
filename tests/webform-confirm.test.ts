// A web request filed with a known person's address stays unverified until that person confirms it by the
// signed link mailed to them: the mail, the page (GET changes nothing), the move in one transaction, a
// second confirmation a no-op, forged and expired links refused, and the token kept out of the access log.

import { Writable } from 'node:stream';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { noticeWording } from '../core/notice-wording.ts';
import { ACCEPTED_NOTICE } from '../core/notifications.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { CONFIRM_LINK_MS, CONFIRM_WEB_NOTICE, CONFIRMED_EVENT } from '../core/webform/confirm.ts';
import { webformForAdmin } from '../core/webform/settings.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { comments, outbox, people, ticketEvents, tickets } from '../db/schema.ts';
import { translator } from '../locales/index.ts';
import { type ApiWorld, apiWorld, call } from './api-harness.ts';

const ORIGIN = 'https://desk.example';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination: stream }), text: () => lines.join('\n') };
}

async function world(withUrl = true) {
  const log = capture();
  const w = await apiWorld(
    {},
    {
      webformLimits: { perIpHour: 10, perIpDay: 50, perFormDay: 100 },
      logger: log.logger,
      ...(withUrl ? { miniAppUrl: `${ORIGIN}/app/` } : {}),
    },
  );
  await execute(
    w.ctx.db.update(people).set({ email: 'client.a@alpha.example' }).where(eq(people.id, w.ids.clientA)),
  );
  return { w, key: (await webformForAdmin(w.ctx, w.as.admin)).key, log };
}

/** Files a request with client A's address, as a stranger would. */
async function fileAsStranger(w: ApiWorld, key: string, email = 'client.a@alpha.example') {
  const res = await call(w, null, 'GET', `/form/${key}/challenge`);
  const { token, challenge } = res.json;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('no solution');
  const altcha = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
  w.clock.advance(4_000);
  const filed = await call(w, null, 'POST', `/form/${key}`, {
    name: 'Not Client A',
    email,
    description: 'Please reset my password',
    token,
    altcha,
  });
  expect(filed.status).toBe(201);
  const ticket = await queryOne(
    w.ctx.db.select().from(tickets).where(eq(tickets.number, filed.json.ticket.number)),
  );
  if (!ticket) throw new Error('not filed');
  return ticket;
}

async function confirmMail(w: ApiWorld, ticketId: number) {
  return await queryAll(
    w.ctx.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.ticketId, ticketId), eq(outbox.kind, CONFIRM_WEB_NOTICE))),
  );
}

const pathOf = (link: string) => link.slice(ORIGIN.length);

describe('confirming a web request by the known person', () => {
  it('mails the known person a link that names no word of the submission', async () => {
    const { w, key } = await world();
    const ticket = await fileAsStranger(w, key);
    expect(ticket.requesterId).not.toBe(w.ids.clientA);
    const rows = await confirmMail(w, ticket.id);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    if (!row) throw new Error('no mail');
    expect(row).toMatchObject({ recipientId: w.ids.clientA, channel: 'email' });
    const link = String(row.payload.link);
    expect(link.startsWith(`${ORIGIN}/form/confirm/`)).toBe(true);
    for (const language of ['ru', 'en'] as const) {
      const wording = await noticeWording(w.ctx, translator(language), row, language);
      expect(wording.body).toContain(link);
      expect(wording.body).toContain(String(ticket.number));
      expect(`${wording.title}\n${wording.body}`).not.toContain('password');
    }
  });

  it('makes no link without the desk public address: the request stays unverified', async () => {
    const { w, key } = await world(false);
    const ticket = await fileAsStranger(w, key);
    expect(await confirmMail(w, ticket.id)).toEqual([]);
    expect(ticket.companyId).toBeNull();
  });

  it('shows the page on GET and changes nothing; POST moves the ticket with its company and an event', async () => {
    const { w, key, log } = await world();
    const ticket = await fileAsStranger(w, key);
    const link = pathOf(String((await confirmMail(w, ticket.id))[0]?.payload.link));

    const page = await call(w, null, 'GET', `${link}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`#${ticket.number}`);
    expect(page.text).toContain('<form method="post"');
    expect(await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id)))).toEqual(ticket);

    const ru = await call(w, null, 'GET', link, undefined, { 'Accept-Language': 'ru' });
    expect(ru.text).toContain('Подтвердите заявку');

    const done = await call(w, null, 'POST', link, 'lang=en', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(done.status).toBe(200);
    expect(done.text).toContain('is confirmed');
    // The page leads the person who confirmed to the request, now in their name.
    const follow = /id="follow" href="([^"]+)"/.exec(done.text)?.[1] ?? '';
    expect(follow).toMatch(/^\/form\/status\//);
    const status = await call(w, null, 'GET', `${follow}?lang=en`);
    expect(status.status).toBe(200);
    expect(status.text).toContain(`Request #${ticket.number}`);
    const moved = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id)));
    expect(moved).toMatchObject({
      requesterId: w.ids.clientA,
      companyId: w.companyA,
      version: ticket.version + 1,
    });
    const events = await queryAll(
      w.ctx.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.type, CONFIRMED_EVENT))),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: w.ids.clientA, internal: false });
    const told = await queryAll(
      w.ctx.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.ticketId, ticket.id), eq(outbox.eventId, events[0]?.id ?? 0))),
    );
    expect(told.map((r) => r.kind)).toContain('line.requester_confirmed');
    for (const row of told.filter((r) => r.kind === 'line.requester_confirmed'))
      expect((await noticeWording(w.ctx, translator('ru'), row, 'ru')).title).toContain(
        'Подтверждена заявителем',
      );

    const again = await call(w, null, 'POST', link, 'lang=en', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(again.status).toBe(200);
    expect(again.text).toContain('already confirmed');
    expect(await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id)))).toEqual(moved);
    expect(
      await queryAll(
        w.ctx.db
          .select()
          .from(ticketEvents)
          .where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.type, CONFIRMED_EVENT))),
      ),
    ).toHaveLength(1);

    // The token never reaches the access log.
    const token = link.slice('/form/confirm/'.length);
    expect(log.text()).toContain('/form/confirm/***');
    expect(log.text()).not.toContain(token);
  });

  it('refuses a forged or expired link, and a ticket the 1st line already sorted out', async () => {
    const { w, key } = await world();
    const ticket = await fileAsStranger(w, key);
    const link = pathOf(String((await confirmMail(w, ticket.id))[0]?.payload.link));
    const [ticketId, , expiresAt, mac] = link.slice('/form/confirm/'.length).split('.');
    const forged = `/form/confirm/${ticketId}.${w.ids.clientB}.${expiresAt}.${mac}`;
    expect((await call(w, null, 'GET', forged)).status).toBe(404);
    expect((await call(w, null, 'POST', forged)).status).toBe(404);
    expect((await call(w, null, 'GET', '/form/confirm/garbage')).status).toBe(404);
    const inBrowser = await call(w, null, 'GET', `${forged}?lang=en`, undefined, { Accept: 'text/html' });
    expect(inBrowser.status).toBe(404);
    expect(inBrowser.text).toContain('not valid or has expired');

    // Staff gave the ticket a company meanwhile: the link no longer moves it.
    await execute(w.ctx.db.update(tickets).set({ companyId: w.companyB }).where(eq(tickets.id, ticket.id)));
    const refused = await call(w, null, 'POST', `${link}?lang=en`);
    expect(refused.text).toContain('can no longer be confirmed');
    expect(
      (await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id))))?.requesterId,
    ).toBe(ticket.requesterId);

    w.clock.advance(CONFIRM_LINK_MS + 1);
    expect((await call(w, null, 'GET', link)).status).toBe(404);
  });
});

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('the status page of a web request', () => {
  async function filed() {
    const { w, key, log } = await world();
    const ticket = await fileAsStranger(w, key, 'new.visitor@example.org');
    const ack = await queryOne(
      w.ctx.db
        .select()
        .from(outbox)
        .where(
          and(eq(outbox.ticketId, ticket.id), eq(outbox.kind, ACCEPTED_NOTICE), eq(outbox.channel, 'email')),
        ),
    );
    if (!ack) throw new Error('no acknowledgement');
    const link = String(ack.payload.statusLink);
    expect(link.startsWith(`${ORIGIN}/form/status/`)).toBe(true);
    expect((await noticeWording(w.ctx, translator('en'), ack, 'en')).body).toContain(link);
    return { w, ticket, log, path: pathOf(link) };
  }

  it('shows the status and the public history only; a forged link is 404; the token stays out of the log', async () => {
    const { w, ticket, log, path } = await filed();
    await addComment(w.ctx, w.as.line1, ticket.id, { body: 'Staff only: check his licence', internal: true });
    await addComment(w.ctx, w.as.line1, ticket.id, { body: 'We are looking into it' });
    const page = await call(w, null, 'GET', `${path}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Request #${ticket.number}`);
    expect(page.text).toContain('We are looking into it');
    expect(page.text).toContain('New request');
    expect(page.text).not.toContain('Staff only');
    expect(log.text()).toContain('/form/status/***');
    expect(log.text()).not.toContain(path.slice('/form/status/'.length));

    const [id, , expiresAt, mac] = path.slice('/form/status/'.length).split('.');
    expect(
      (await call(w, null, 'GET', `/form/status/${id}.${w.ids.clientA}.${expiresAt}.${mac}`)).status,
    ).toBe(404);
    // A confirm link is no status link.
    const confirmLike = await call(w, null, 'GET', path.replace('/form/status/', '/form/confirm/'));
    expect(confirmLike.status).toBe(404);
  });

  it('takes a comment as the requester, then confirms or reopens a resolved request', async () => {
    const { w, ticket, path } = await filed();
    const page = await call(w, null, 'GET', path);
    const key = /name="key" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect(key).not.toBe('');
    const comment = `lang=en&do=comment&body=It+also+beeps&key=${key}`;
    const sent = await call(w, null, 'POST', path, comment, FORM);
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('Your comment was added.');
    // A reload resends the form: the comment is added once.
    const resent = await call(w, null, 'POST', path, comment, FORM);
    expect(resent.text).toContain('Your comment was added.');
    const added = await queryAll(w.ctx.db.select().from(comments).where(eq(comments.ticketId, ticket.id)));
    expect(added.map((c) => [c.authorId, c.body, c.internal])).toEqual([
      [ticket.requesterId, 'It also beeps', false],
    ]);
    expect((await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id))))?.channel).toBe(
      'web',
    );

    await act(w.ctx, w.as.line1, ticket.id, { action: 'take' });
    await act(w.ctx, w.as.line1, ticket.id, { action: 'resolve', resolution: 'Cleaned the rollers' });
    const resolvedPage = await call(w, null, 'GET', `${path}?lang=en`);
    expect(resolvedPage.text).toContain('Yes, it is solved');
    const noReason = await call(w, null, 'POST', path, 'lang=en&do=reopen&body=', FORM);
    expect(noReason.text).toContain('Say what is still wrong');
    const reopened = await call(w, null, 'POST', path, 'lang=en&do=reopen&body=Still+jams', FORM);
    expect(reopened.text).toContain('The request is open again.');
    expect(
      (await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id))))?.status,
    ).not.toBe('resolved');

    await act(w.ctx, w.as.line1, ticket.id, { action: 'resolve', resolution: 'Replaced the rollers' });
    const confirmed = await call(w, null, 'POST', path, 'lang=en&do=confirm', FORM);
    expect(confirmed.text).toContain('The request is closed.');
    expect((await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id))))?.status).toBe(
      'closed',
    );
    // Closed: nothing more to send.
    expect(confirmed.text).not.toContain('<textarea');
  });

  it('counts the POSTs by a link per address', async () => {
    const { w, path } = await filed();
    for (let i = 0; i < 30; i++)
      expect((await call(w, null, 'POST', path, 'do=comment&body=', FORM)).status).toBe(200);
    expect((await call(w, null, 'POST', path, 'do=comment&body=', FORM)).status).toBe(429);
  });
});

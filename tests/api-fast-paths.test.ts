// The API's fast paths answer exactly what the general ones do: the list's prepared id reads and joined
// summary read against listTickets + ticketSummaries, a ticket's page read in one statement against
// getTicket, timeline, ticketComments and ticketAttachments, the verified caller kept between requests
// (api/auth.ts) never outliving a change of memberships, of the person, or the init data's age, and the
// request id set straight on Node's response when served by @hono/node-server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApi } from '../api/app.ts';
import {
  attachmentView,
  commentViews,
  eventViews,
  Names,
  summariesOfRows,
  ticketDetail,
  ticketPageView,
  ticketSummaries,
} from '../api/views.ts';
import { addRole, removeRole } from '../core/admin/people.ts';
import { NotFoundError } from '../core/errors.ts';
import type { Language } from '../core/model.ts';
import { storeStamp } from '../core/store-stamp.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import {
  getTicket,
  listTicketIds,
  listTicketSummaries,
  listTickets,
  readTicketPage,
  type TicketFilter,
  ticketAttachments,
  ticketComments,
  timeline,
} from '../core/tickets/read.ts';
import { execute, queryOne } from '../db/access.ts';
import { openDatabase } from '../db/connection.ts';
import { memberships, people, ticketEvents, tickets } from '../db/schema.ts';
import { apiWorld, BOT_TOKEN, call, initData } from './api-harness.ts';
import type { PersonKey, World } from './fixtures.ts';
import { onPostgres } from './support/test-store.ts';

const MINUTE = 60_000;

/** A dozen tickets of both companies, some on site with the field engineer, one from a client group. */
async function fileSome(w: World): Promise<number[]> {
  const who: PersonKey[] = ['clientA', 'clientA2', 'managerA', 'clientB', 'managerB', 'stranger'];
  const ids: number[] = [];
  for (let i = 0; i < 14; i++) {
    const t = await createTicket(w.ctx, w.as[who[i % who.length] as PersonKey], {
      channel: 'telegram',
      description: `printer ${i} does not print`,
      impact: i % 2 === 0 ? 'person' : 'company',
      urgency: i % 3 === 0 ? 'high' : 'low',
    });
    ids.push(t.id);
    w.clock.advance(7 * MINUTE);
  }
  const [a, b, c] = ids;
  await execute(
    w.ctx.db
      .update(tickets)
      .set({ line: 'field' })
      .where(eq(tickets.id, a as number)),
  );
  await execute(
    w.ctx.db
      .update(tickets)
      .set({ assigneeId: w.ids.field })
      .where(eq(tickets.id, b as number)),
  );
  await execute(
    w.ctx.db
      .update(tickets)
      .set({ channel: 'telegram_group' })
      .where(eq(tickets.id, c as number)),
  );
  return ids;
}

describe('the list read as summaries', () => {
  it('is listTickets page for page, for every kind of person and filter', async () => {
    const w = await apiWorld();
    // Some with a category, an assignee, a visit, no company: every name a summary shows.
    await fileVaried(w);
    const ids = await fileSome(w);
    const filters: TicketFilter[] = [
      {},
      { limit: 3 },
      { limit: 4, before: ids[9] },
      { before: ids[5] },
      { mine: true },
      { mine: false, limit: 5 },
      { status: ['new'] },
      { q: 'printer 1' },
      { companyId: w.companyA, limit: 2 },
    ];
    for (const who of Object.keys(w.as) as PersonKey[]) {
      for (const filter of filters) {
        const rows = await listTickets(w.ctx.db, w.as[who], filter);
        const summaries = await listTicketSummaries(w.ctx.db, w.as[who], filter);
        expect(await listTicketIds(w.ctx.db, w.as[who], filter), `${who} ${JSON.stringify(filter)}`).toEqual(
          rows.map((t) => t.id),
        );
        for (const language of ['ru', 'en'] as const) {
          expect(JSON.stringify(await summariesOfRows(w.ctx, summaries, language))).toBe(
            JSON.stringify(await ticketSummaries(w.ctx, rows, language)),
          );
        }
      }
    }
  });
});

const DAY = 86_400_000;

/** Tickets of every shape a page shows: visits, offered times, staff-only details, notes, files, odd data. */
async function fileVaried(w: World): Promise<number[]> {
  const as = w.as;
  const file = async (who: PersonKey, extra: Partial<Parameters<typeof createTicket>[2]> = {}) =>
    (await createTicket(w.ctx, as[who], { channel: 'telegram', description: 'Something broke', ...extra }))
      .id;
  const go = async (id: number, who: PersonKey, command: Parameters<typeof act>[3]) => {
    await act(w.ctx, as[who], id, command);
    w.clock.advance(3 * MINUTE);
    return id;
  };
  const ids: number[] = [];
  const withFiles = await file('clientA', {
    subject: 'Принтер "HP"  <b>',
    description: 'line\nbreak \u2028 tab\t emoji 😀 "quotes"',
    location: 'Room 5',
    attachments: [
      {
        kind: 'document',
        fileName: 'Счёт №5.pdf',
        mimeType: 'application/pdf',
        size: 1234,
        telegramFileId: 'd1',
      },
      { kind: 'photo', storagePath: 'mail/1.jpg' },
    ],
  });
  await go(withFiles, 'line1', { action: 'take' });
  await addComment(w.ctx, as.line1, withFiles, {
    body: 'Here is the fix',
    attachments: [{ kind: 'photo', telegramFileId: 'p1' }],
  });
  await addComment(w.ctx, as.line1, withFiles, { body: 'Between us', internal: true });
  await addComment(w.ctx, as.clientA, withFiles, {
    body: 'Thanks',
    attachments: [{ kind: 'voice', telegramFileId: 'v' }],
  });
  await go(withFiles, 'line1', { action: 'escalate_line2', reason: 'needs the network team' });
  await go(withFiles, 'line1', { action: 'reprioritize', priority: 'P1', reason: 'the whole floor' });
  ids.push(withFiles);
  const now = () => w.clock.now();
  const visit = await go(await file('managerA'), 'line1', { action: 'take' });
  await go(visit, 'line1', {
    action: 'schedule_visit',
    startsAt: now() + DAY,
    endsAt: now() + DAY + 7_200_000,
    engineerId: w.ids.field,
  });
  await go(visit, 'field', { action: 'check_in' });
  await go(visit, 'field', { action: 'check_out', note: 'replaced the cable' });
  ids.push(visit);
  const offered = await go(await file('clientA2'), 'line1', { action: 'take' });
  await go(offered, 'line1', {
    action: 'offer_visit',
    slots: [
      { startsAt: now() + 3 * DAY, endsAt: now() + 3 * DAY + 3_600_000 },
      { startsAt: now() + 2 * DAY, endsAt: now() + 2 * DAY + 3_600_000 },
    ],
  });
  ids.push(offered);
  const done = await go(await file('clientB'), 'line1', { action: 'take' });
  await go(done, 'line1', { action: 'categorize', categoryId: w.category.network });
  await go(done, 'line1', { action: 'resolve', resolution: 'Done' });
  await go(done, 'clientB', { action: 'reopen', reason: 'Still broken' });
  await go(done, 'line1', { action: 'resolve', resolution: 'Done again' });
  await go(done, 'clientB', { action: 'confirm' });
  await go(done, 'clientB', { action: 'rate', rating: 4, comment: 'ok' } as Parameters<typeof act>[3]);
  ids.push(done);
  const cancelled = await go(await file('clientA'), 'clientA', {
    action: 'cancel',
    reason: 'found it myself',
  });
  ids.push(cancelled);
  ids.push(await file('stranger'));
  const group = await file('clientA2');
  await execute(
    w.ctx.db
      .update(tickets)
      .set({ channel: 'telegram_group', slaPausedMinutes: 0.1 + 0.2 })
      .where(eq(tickets.id, group)),
  );
  // Details of every JSON kind, written past core: numbers that must come back as they went.
  await execute(
    w.ctx.db.insert(ticketEvents).values({
      ticketId: group,
      at: now(),
      actorId: w.ids.line2,
      type: 'note',
      data: {
        ratio: 0.1 + 0.2,
        tiny: 5e-324,
        big: 2 ** 60,
        list: [1, 2.5e-7, null, true],
        // PostgreSQL's JSON holds no NUL (core strips it from input): a tab stands in there.
        text: onPostgres ? 'a\tb "c" \u2028' : 'a\u0000b "c" \u2028',
        note: 'staff only',
        reason: 'x',
      },
    }),
  );
  ids.push(group);
  return ids;
}

/** The page as the route read it before it had one statement of its own. */
async function pageApart(w: World, who: PersonKey, id: number, language: Language) {
  const actor = w.as[who];
  const view = await getTicket(w.ctx, actor, id);
  const files = await ticketAttachments(w.ctx, actor, view);
  const events = await timeline(w.ctx, actor, view);
  const notes = await ticketComments(w.ctx, actor, view);
  const t = view.ticket;
  const names = await new Names(w.ctx, language).load({
    people: [t.requesterId, t.assigneeId, ...events.map((e) => e.actorId), ...notes.map((n) => n.authorId)],
    companies: [t.companyId],
  });
  return {
    ticket: await ticketDetail(w.ctx, actor, view, language, names),
    timeline: await eventViews(events, names),
    comments: await commentViews(notes, files, names),
    attachments: files.filter((a) => a.commentId === null).map(attachmentView),
  };
}

/** The answer of `read`, or "not found". */
async function orNotFound(read: () => Promise<unknown>): Promise<string> {
  try {
    return JSON.stringify(await read());
  } catch (error) {
    if (error instanceof NotFoundError) return 'not found';
    throw error;
  }
}

describe('a ticket’s page read in one statement', () => {
  it('is the page read apart, byte for byte, for every person, ticket and language', async () => {
    const w = await apiWorld();
    const ids = [...(await fileVaried(w)), ...(await fileSome(w)), 999_999];
    let seen = 0;
    for (const who of Object.keys(w.as) as PersonKey[]) {
      for (const id of ids) {
        for (const language of ['ru', 'en'] as const) {
          const apart = await orNotFound(async () => await pageApart(w, who, id, language));
          const together = await orNotFound(async () =>
            ticketPageView(w.as[who], await readTicketPage(w.ctx, w.as[who], id), language),
          );
          expect(together, `${who} #${id} ${language}`).toBe(apart);
          if (apart !== 'not found') seen++;
        }
      }
    }
    // Not every answer was a refusal.
    expect(seen).toBeGreaterThan(100);
  });
});

describe('the caller kept between requests', () => {
  it('loses a company the moment its membership is removed, and gains one the moment it is added', async () => {
    const w = await apiWorld();
    const ids = await fileSome(w);
    const header = { Authorization: `tma ${await initData(w, 'managerA')}` };
    const theirs = ids[1] as number; // filed by Client A2, of company A
    const seen = async () =>
      (
        (await call(w, 'managerA', 'GET', '/api/tickets?limit=50', undefined, header)).json.tickets as {
          id: number;
        }[]
      ).map((t) => t.id);
    expect(await seen()).toContain(theirs);
    expect(await seen()).toContain(theirs);
    expect((await call(w, 'managerA', 'GET', `/api/tickets/${theirs}`, undefined, header)).status).toBe(200);

    const held = await queryOne(
      w.ctx.db
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.personId, w.ids.managerA), eq(memberships.role, 'client_manager'))),
    );
    await removeRole(w.ctx, w.as.admin, w.ids.managerA, held?.id as number);
    expect(await seen()).not.toContain(theirs);
    expect((await call(w, 'managerA', 'GET', `/api/tickets/${theirs}`, undefined, header)).status).toBe(404);

    await addRole(w.ctx, w.as.admin, w.ids.managerA, { role: 'client_manager', companyId: w.companyA });
    expect(await seen()).toContain(theirs);
    // A write that bypasses core is seen too.
    await execute(w.ctx.db.delete(memberships).where(eq(memberships.personId, w.ids.managerA)));
    expect(await seen()).not.toContain(theirs);
  });

  it('never answers one person with another’s caller, and follows a change of the person', async () => {
    const w = await apiWorld();
    await fileSome(w);
    for (let round = 0; round < 3; round++) {
      for (const who of ['managerA', 'managerB', 'clientA', 'stranger'] as const) {
        const me = await call(w, who, 'GET', '/api/me');
        expect(me.status).toBe(200);
        expect(me.json.id).toBe(w.ids[who]);
      }
    }
    const before = (await call(w, 'clientA', 'GET', '/api/me')).json.language;
    const other = before === 'ru' ? 'en' : 'ru';
    await execute(w.ctx.db.update(people).set({ language: other }).where(eq(people.id, w.ids.clientA)));
    expect((await call(w, 'clientA', 'GET', '/api/me')).json.language).toBe(other);
  });

  it('still refuses init data that has grown too old since it was first accepted', async () => {
    const w = await apiWorld({}, { initDataMaxAgeSeconds: 60 });
    const header = { Authorization: `tma ${await initData(w, 'clientA')}` };
    expect((await call(w, 'clientA', 'GET', '/api/tickets', undefined, header)).status).toBe(200);
    w.clock.advance(30_000);
    expect((await call(w, 'clientA', 'GET', '/api/tickets', undefined, header)).status).toBe(200);
    w.clock.advance(31_000);
    const late = await call(w, 'clientA', 'GET', '/api/tickets', undefined, header);
    expect(late.status).toBe(401);
    expect(late.json.error.message).toContain('expired');
  });
});

describe('the store stamp', () => {
  // SQLite: two connections to one file; PostgreSQL's stamp is tested in tests/postgres/api-reads.test.ts.
  it.skipIf(onPostgres)(
    'moves on a write through this connection and on a commit from another process’s connection',
    async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'tgdesk-stamp-')), 'stamp.sqlite');
      const one = openDatabase(path);
      const other = openDatabase(path);
      const first = await storeStamp(one);
      expect(await storeStamp(one)).toEqual(first);
      await execute(other.insert(people).values({ name: 'Elsewhere', createdAt: 0 }));
      const second = await storeStamp(one);
      expect(second).not.toEqual(first);
      await execute(one.insert(people).values({ name: 'Here', createdAt: 0 }));
      expect(await storeStamp(one)).not.toEqual(second);
      one.$client.close();
      other.$client.close();
    },
  );
});

describe('the request id over a real server', () => {
  it('is echoed when plain, made when not, and logged with the request', async () => {
    const w = await apiWorld();
    const lines: { reqId: string; path: string; status: number }[] = [];
    const logger = {
      isLevelEnabled: () => true,
      info: (line: (typeof lines)[number]) => lines.push(line),
      warn: (line: (typeof lines)[number]) => lines.push(line),
      debug: (line: (typeof lines)[number]) => lines.push(line),
      error: () => {},
    } as unknown as Parameters<typeof createApi>[0]['logger'];
    const app = createApi({ desk: w.ctx, botToken: BOT_TOKEN, logger });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const { port } = server.address() as { port: number };
      const get = (path: string, headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${port}${path}`, { headers });
      const auth = { Authorization: `tma ${await initData(w, 'clientA')}` };
      const mine = await get('/api/me', { ...auth, 'X-Request-Id': 'req-42_ok' });
      expect(mine.status).toBe(200);
      expect(mine.headers.get('x-request-id')).toBe('req-42_ok');
      const odd = await get('/api/me', { ...auth, 'X-Request-Id': 'no spaces <please>' });
      expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const refused = await get('/api/me', {});
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(refused.headers.get('www-authenticate')).toBe('tma');
      expect(lines.map((l) => [l.reqId, l.path, l.status])).toEqual([
        ['req-42_ok', '/api/me', 200],
        [odd.headers.get('x-request-id'), '/api/me', 200],
        [refused.headers.get('x-request-id'), '/api/me', 401],
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

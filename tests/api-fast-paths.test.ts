// The API's fast paths answer exactly what the general ones do: the list's prepared id reads and joined
// summary read against listTickets + ticketSummaries, and the verified caller kept between requests
// (api/auth.ts) never outliving a change of memberships, of the person, or the init data's age.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { summariesOfRows, ticketSummaries } from '../api/views.ts';
import { addRole, removeRole } from '../core/admin/people.ts';
import { storeStamp } from '../core/store-stamp.ts';
import { createTicket } from '../core/tickets/create.ts';
import { listTicketIds, listTicketSummaries, listTickets, type TicketFilter } from '../core/tickets/read.ts';
import { openDatabase } from '../db/connection.ts';
import { memberships, people, tickets } from '../db/schema.ts';
import { apiWorld, call, initData } from './api-harness.ts';
import type { PersonKey, World } from './fixtures.ts';

const MINUTE = 60_000;

/** A dozen tickets of both companies, some on site with the field engineer, one from a client group. */
function fileSome(w: World): number[] {
  const who: PersonKey[] = ['clientA', 'clientA2', 'managerA', 'clientB', 'managerB', 'stranger'];
  const ids: number[] = [];
  for (let i = 0; i < 14; i++) {
    const t = createTicket(w.ctx, w.as[who[i % who.length] as PersonKey], {
      channel: 'telegram',
      description: `printer ${i} does not print`,
      impact: i % 2 === 0 ? 'person' : 'company',
      urgency: i % 3 === 0 ? 'high' : 'low',
    });
    ids.push(t.id);
    w.clock.advance(7 * MINUTE);
  }
  const [a, b, c] = ids;
  w.ctx.db
    .update(tickets)
    .set({ line: 'field' })
    .where(eq(tickets.id, a as number))
    .run();
  w.ctx.db
    .update(tickets)
    .set({ assigneeId: w.ids.field })
    .where(eq(tickets.id, b as number))
    .run();
  w.ctx.db
    .update(tickets)
    .set({ channel: 'telegram_group' })
    .where(eq(tickets.id, c as number))
    .run();
  return ids;
}

describe('the list read as summaries', () => {
  it('is listTickets page for page, for every kind of person and filter', () => {
    const w = apiWorld();
    const ids = fileSome(w);
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
        const rows = listTickets(w.ctx.db, w.as[who], filter);
        const summaries = listTicketSummaries(w.ctx.db, w.as[who], filter);
        expect(listTicketIds(w.ctx.db, w.as[who], filter), `${who} ${JSON.stringify(filter)}`).toEqual(
          rows.map((t) => t.id),
        );
        for (const language of ['ru', 'en'] as const) {
          expect(JSON.stringify(summariesOfRows(w.ctx, summaries, language))).toBe(
            JSON.stringify(ticketSummaries(w.ctx, rows, language)),
          );
        }
      }
    }
  });
});

describe('the caller kept between requests', () => {
  it('loses a company the moment its membership is removed, and gains one the moment it is added', async () => {
    const w = apiWorld();
    const ids = fileSome(w);
    const header = { Authorization: `tma ${initData(w, 'managerA')}` };
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

    const held = w.ctx.db
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.personId, w.ids.managerA), eq(memberships.role, 'client_manager')))
      .get();
    removeRole(w.ctx, w.as.admin, w.ids.managerA, held?.id as number);
    expect(await seen()).not.toContain(theirs);
    expect((await call(w, 'managerA', 'GET', `/api/tickets/${theirs}`, undefined, header)).status).toBe(404);

    addRole(w.ctx, w.as.admin, w.ids.managerA, { role: 'client_manager', companyId: w.companyA });
    expect(await seen()).toContain(theirs);
    // A write that bypasses core is seen too.
    w.ctx.db.delete(memberships).where(eq(memberships.personId, w.ids.managerA)).run();
    expect(await seen()).not.toContain(theirs);
  });

  it('never answers one person with another’s caller, and follows a change of the person', async () => {
    const w = apiWorld();
    fileSome(w);
    for (let round = 0; round < 3; round++) {
      for (const who of ['managerA', 'managerB', 'clientA', 'stranger'] as const) {
        const me = await call(w, who, 'GET', '/api/me');
        expect(me.status).toBe(200);
        expect(me.json.id).toBe(w.ids[who]);
      }
    }
    const before = (await call(w, 'clientA', 'GET', '/api/me')).json.language;
    const other = before === 'ru' ? 'en' : 'ru';
    w.ctx.db.update(people).set({ language: other }).where(eq(people.id, w.ids.clientA)).run();
    expect((await call(w, 'clientA', 'GET', '/api/me')).json.language).toBe(other);
  });

  it('still refuses init data that has grown too old since it was first accepted', async () => {
    const w = apiWorld({}, { initDataMaxAgeSeconds: 60 });
    const header = { Authorization: `tma ${initData(w, 'clientA')}` };
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
  it('moves on a write through this connection and on a commit from another process’s connection', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tgdesk-stamp-')), 'stamp.sqlite');
    const one = openDatabase(path);
    const other = openDatabase(path);
    const first = storeStamp(one);
    expect(storeStamp(one)).toEqual(first);
    other.insert(people).values({ name: 'Elsewhere', createdAt: 0 }).run();
    const second = storeStamp(one);
    expect(second).not.toEqual(first);
    one.insert(people).values({ name: 'Here', createdAt: 0 }).run();
    expect(storeStamp(one)).not.toEqual(second);
    one.$client.close();
    other.$client.close();
  });
});

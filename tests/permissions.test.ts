// Who sees what: every person of the demo world against every ticket, through every read path.
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../core/errors.ts';
import { exportTicketsCsv } from '../core/exports.ts';
import { allowedActions } from '../core/permissions.ts';
import { buildReport } from '../core/reports.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { getTicket, listTickets, ticketAttachments, timeline } from '../core/tickets/read.ts';
import { translator } from '../locales/index.ts';
import { makeWorld, type PersonKey, type World } from './fixtures.ts';

type TicketKey = 'ownA' | 'otherA' | 'onSiteA' | 'ofB' | 'unverified';

/** Who sees which ticket, written out by hand. */
const SEES: Record<PersonKey, TicketKey[]> = {
  clientA: ['ownA'],
  clientA2: ['otherA', 'onSiteA'],
  managerA: ['ownA', 'otherA', 'onSiteA'],
  clientB: ['ofB'],
  managerB: ['ofB'],
  line1: ['ownA', 'otherA', 'onSiteA', 'ofB', 'unverified'],
  line1b: ['ownA', 'otherA', 'onSiteA', 'ofB', 'unverified'],
  line2: ['ownA', 'otherA', 'onSiteA', 'ofB', 'unverified'],
  field: ['onSiteA'],
  supervisor: ['ownA', 'otherA', 'onSiteA', 'ofB', 'unverified'],
  admin: ['ownA', 'otherA', 'onSiteA', 'ofB', 'unverified'],
  stranger: ['unverified'],
};
const STAFF: PersonKey[] = ['line1', 'line1b', 'line2', 'field', 'supervisor', 'admin'];

let w: World;
const ids = {} as Record<TicketKey, number>;

beforeAll(async () => {
  w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
  const file = async (who: PersonKey, description: string) =>
    (await createTicket(w.ctx, w.as[who], { channel: 'telegram', description })).id;
  ids.ownA = await file('clientA', 'My laptop');
  ids.otherA = await file('clientA2', 'Her monitor');
  ids.onSiteA = await file('clientA2', 'Cabling in the new office');
  ids.ofB = await file('clientB', 'Plant network');
  ids.unverified = await file('stranger', 'Hello?');
  await act(w.ctx, w.as.line1, ids.onSiteA, { action: 'triage' });
  await act(w.ctx, w.as.line1, ids.onSiteA, {
    action: 'schedule_visit',
    startsAt: w.clock.now() + 86_400_000,
    endsAt: w.clock.now() + 90_000_000,
    engineerId: w.ids.field,
  });
  for (const key of Object.keys(ids) as TicketKey[]) {
    const ticketId = ids[key];
    await addComment(w.ctx, w.as.line1, ticketId, { body: `internal about ${key}`, internal: true });
    await addComment(w.ctx, w.as.line1, ticketId, {
      body: `public about ${key}`,
      attachments: [{ kind: 'photo', telegramFileId: `pub-${key}` }],
    });
    await addComment(w.ctx, w.as.line1, ticketId, {
      body: `log of ${key}`,
      internal: true,
      attachments: [{ kind: 'document', telegramFileId: `int-${key}` }],
    });
  }
});

describe.each(Object.keys(SEES) as PersonKey[])('%s', (person) => {
  const visible = SEES[person];

  it('opens exactly the tickets they may see; others do not exist for them', async () => {
    for (const key of Object.keys(ids) as TicketKey[]) {
      if (visible.includes(key))
        expect((await getTicket(w.ctx, w.as[person], ids[key])).ticket.id).toBe(ids[key]);
      else await expect(getTicket(w.ctx, w.as[person], ids[key]), key).rejects.toThrow(NotFoundError);
    }
  });

  it('lists and exports exactly those tickets', async () => {
    const listed = (await listTickets(w.ctx.db, w.as[person])).map((t) => t.id);
    expect(listed.sort()).toEqual(visible.map((k) => ids[k]).sort());
    const csv = await exportTicketsCsv(
      w.ctx,
      w.as[person],
      {},
      { t: translator('en'), language: 'en', timeZone: 'UTC' },
    );
    expect(csv.trim().split('\r\n')).toHaveLength(visible.length + 1);
  });

  it('sees internal notes and files only as staff', async () => {
    for (const key of visible) {
      const events = await timeline(w.ctx, w.as[person], ids[key]);
      const bodies = events.map((e) => e.data?.body).filter(Boolean);
      const files = (await ticketAttachments(w.ctx, w.as[person], ids[key])).map((a) => a.telegramFileId);
      expect(bodies).toContain(`public about ${key}`);
      expect(files).toContain(`pub-${key}`);
      if (STAFF.includes(person)) {
        expect(bodies).toContain(`internal about ${key}`);
        expect(files).toContain(`int-${key}`);
      } else {
        expect(events.every((e) => !e.internal)).toBe(true);
        expect(bodies).not.toContain(`internal about ${key}`);
        expect(files).not.toContain(`int-${key}`);
      }
    }
  });
});

describe('writing through the same rules', () => {
  it('refuses internal notes from clients and comments on tickets they cannot see', async () => {
    await expect(addComment(w.ctx, w.as.clientA, ids.ownA, { body: 'psst', internal: true })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(addComment(w.ctx, w.as.clientB, ids.ownA, { body: 'hi' })).rejects.toThrow(NotFoundError);
    await expect(act(w.ctx, w.as.managerB, ids.ownA, { action: 'cancel' })).rejects.toThrow(NotFoundError);
    await expect(act(w.ctx, w.as.field, ids.ownA, { action: 'take' })).rejects.toThrow(NotFoundError);
  });

  it('filters a client’s list even when they ask for another company', async () => {
    expect(await listTickets(w.ctx.db, w.as.clientA, { companyId: w.companyB })).toEqual([]);
    expect(await listTickets(w.ctx.db, w.as.managerA, { requesterId: w.ids.clientB })).toEqual([]);
  });

  it('gives reports to managers for their own company and to staff for any', async () => {
    const period = { from: w.clock.now() - 86_400_000, to: w.clock.now() + 86_400_000 };
    expect((await buildReport(w.ctx, w.as.managerA, { companyId: w.companyA, ...period })).total).toBe(3);
    await expect(buildReport(w.ctx, w.as.managerA, { companyId: w.companyB, ...period })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(buildReport(w.ctx, w.as.managerA, { companyId: null, ...period })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(buildReport(w.ctx, w.as.clientA, { companyId: w.companyA, ...period })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(buildReport(w.ctx, w.as.field, { companyId: w.companyA, ...period })).rejects.toThrow(
      ForbiddenError,
    );
    expect((await buildReport(w.ctx, w.as.supervisor, { companyId: null, ...period })).total).toBe(5);
    expect((await buildReport(w.ctx, w.as.line1, { companyId: w.companyB, ...period })).total).toBe(1);
  });
});

describe('a request opened in a company group', () => {
  it('is shared with that company’s clients as colleagues: they see it and write on it, and move it nowhere', async () => {
    const g = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const fromGroup = await createTicket(g.ctx, g.as.clientA, {
      channel: 'telegram_group',
      description: 'Printer in the group',
    });
    const fromChat = await createTicket(g.ctx, g.as.clientA, { channel: 'telegram', description: 'Laptop' });
    const colleague = await getTicket(g.ctx, g.as.clientA2, fromGroup.id);
    expect(colleague.roles).toEqual(['colleague']);
    expect(allowedActions(g.as.clientA2, colleague.ticket)).toEqual([]);
    await addComment(g.ctx, g.as.clientA2, fromGroup.id, { body: 'Me too' });
    await expect(
      act(g.ctx, g.as.clientA2, fromGroup.id, { action: 'cancel', reason: 'no' }),
    ).rejects.toThrow();
    // Not the requester's private chat, not another company.
    await expect(getTicket(g.ctx, g.as.clientA2, fromChat.id)).rejects.toThrow(NotFoundError);
    await expect(getTicket(g.ctx, g.as.clientB, fromGroup.id)).rejects.toThrow(NotFoundError);
    expect((await getTicket(g.ctx, g.as.managerA, fromGroup.id)).roles).toEqual(['client_manager']);
  });
});

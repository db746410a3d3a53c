// One change = one transaction: the ticket row, its event and its notices are written together or not at
// all, and the notices go to the right people.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../core/errors.ts';
import { SYSTEM } from '../core/permissions.ts';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket, subjectFrom } from '../core/tickets/create.ts';
import { recordSlaAlert } from '../core/tickets/sla-alerts.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { attachments, comments, outbox, people, ticketEvents, tickets } from '../db/schema.ts';
import { counts, makeWorld, type World } from './fixtures.ts';
import { failInsertsInto, failureOf } from './support/store-faults.ts';

async function notices(w: World, eventId?: number) {
  return (await queryAll(w.ctx.db.select().from(outbox)))
    .filter((o) => eventId === undefined || o.eventId === eventId)
    .map((o) => ({ to: o.recipientId, kind: o.kind, channel: o.channel }))
    .sort((a, b) => (a.to ?? 0) - (b.to ?? 0));
}

async function lastEventId(w: World): Promise<number> {
  return (await queryAll(w.ctx.db.select({ id: ticketEvents.id }).from(ticketEvents))).at(-1)?.id ?? 0;
}

const failOn = (w: World, table: string) => failInsertsInto(w.ctx.db, table);

describe('creating a ticket', () => {
  it('writes the row, a "created" event and a notice to each 1st-line engineer', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      description: 'Printer on floor 3 prints blank pages\nIt started this morning',
      attachments: [{ kind: 'photo', telegramFileId: 'AgAD1', size: 1200 }],
    });
    expect(t).toMatchObject({
      number: 1001,
      status: 'new',
      line: 'line1',
      companyId: w.companyA,
      requesterId: w.ids.clientA,
    });
    expect(t.subject).toBe('Printer on floor 3 prints blank pages');
    expect(await counts(w)).toMatchObject({ tickets: 1, events: 1, attachments: 1 });
    // Each engineer hears of it, and gets the client's photo right after (a notice of its own).
    expect(await notices(w)).toEqual([
      { to: w.ids.line1, kind: 'line.created', channel: 'telegram' },
      { to: w.ids.line1, kind: 'staff.files', channel: 'telegram' },
      { to: w.ids.line1b, kind: 'line.created', channel: 'telegram' },
      { to: w.ids.line1b, kind: 'staff.files', channel: 'telegram' },
    ]);
    expect((await createTicket(w.ctx, w.as.clientB, { channel: 'email', description: 'VPN' })).number).toBe(
      1002,
    );
  });

  it('lets staff register a phone call for a client, who then hears about it', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.line1, {
      channel: 'phone',
      requesterId: w.ids.clientA,
      description: 'Mail',
    });
    expect(t.requesterId).toBe(w.ids.clientA);
    expect(await notices(w)).toEqual([
      { to: w.ids.clientA, kind: 'requester.created', channel: 'telegram' },
      { to: w.ids.line1b, kind: 'line.created', channel: 'telegram' },
    ]);
  });

  it('refuses a client filing for someone else', async () => {
    const w = await makeWorld();
    await expect(
      createTicket(w.ctx, w.as.clientA, { channel: 'web', requesterId: w.ids.clientA2, description: 'x' }),
    ).rejects.toThrow(ForbiddenError);
    expect((await counts(w)).tickets).toBe(0);
  });

  it('takes a request from someone unknown, with no company, on the fallback policy', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.stranger, {
      channel: 'telegram',
      description: 'Who do I call?',
    });
    expect(t.companyId).toBeNull();
    expect(t.contractId).toBeNull();
    const created = await queryOne(
      w.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id)),
    );
    expect(created?.data).toMatchObject({ verified: false });
  });

  it('rejects bad input with a clear error and writes nothing', async () => {
    const w = await makeWorld();
    const bad: [unknown, RegExp][] = [
      [{ channel: 'telegram', description: '' }, /description/],
      [{ channel: 'telegram', description: '   ' }, /description/],
      [{ channel: 'telegram', description: 'x'.repeat(16_001) }, /description/],
      [{ channel: 'pigeon', description: 'x' }, /channel/],
      [{ channel: 'web', description: 'x', impact: 'galaxy' }, /impact/],
      [{ channel: 'web', description: 'x', categoryId: 999 }, /no such category/],
      [{ channel: 'web', description: 'x', companyId: 999 }, /does not belong/],
      [
        { channel: 'web', description: 'x', attachments: new Array(21).fill({ kind: 'photo' }) },
        /attachments/,
      ],
    ];
    for (const [input, message] of bad) {
      await expect(
        createTicket(w.ctx, w.as.clientA, input as never),
        JSON.stringify(input).slice(0, 80),
      ).rejects.toThrow(message);
      await expect(createTicket(w.ctx, w.as.clientA, input as never)).rejects.toThrow(InvalidInputError);
    }
    await expect(createTicket(w.ctx, SYSTEM, { channel: 'email', description: 'x' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(
      createTicket(w.ctx, SYSTEM, { channel: 'email', description: 'x', requesterId: 9999 }),
    ).rejects.toThrow(NotFoundError);
    expect(await counts(w)).toEqual({ tickets: 0, events: 0, outbox: 0, comments: 0, attachments: 0 });
  });

  it('cuts a long first line into a subject at a word', () => {
    const long = `${'word '.repeat(40)}end`;
    const subject = subjectFrom(long);
    expect(subject.length).toBeLessThanOrEqual(120);
    expect(subject.endsWith('word…')).toBe(true);
    expect(subjectFrom('Short\nmore')).toBe('Short');
  });
});

describe('texts with a NUL character', () => {
  it('are stored without it, on either store (PostgreSQL would refuse the text)', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'miniapp',
      description: 'Printer\u0000 jams',
      location: 'Room\u0000 5',
    });
    await addComment(w.ctx, w.as.clientA, t.id, { body: 'Still\u0000 jams' });
    const stored = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)));
    expect([stored?.description, stored?.location]).toEqual(['Printer jams', 'Room 5']);
    const [comment] = await queryAll(w.ctx.db.select().from(comments));
    expect(comment?.body).toBe('Still jams');
  });
});

describe('a failed step leaves no partial rows', () => {
  it('in a creation whose notice cannot be queued', async () => {
    const w = await makeWorld();
    const restore = await failOn(w, 'outbox');
    expect(
      await failureOf(
        createTicket(w.ctx, w.as.clientA, {
          channel: 'telegram',
          description: 'x',
          attachments: [{ kind: 'document', telegramFileId: 'BQAD' }],
        }),
      ),
    ).toMatch(/disk on fire/);
    expect(await counts(w)).toEqual({ tickets: 0, events: 0, outbox: 0, comments: 0, attachments: 0 });
    await restore();
    // No number was used up by the failed attempt.
    expect((await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'x' })).number).toBe(
      1001,
    );
  });

  it('in a lifecycle move whose event cannot be written', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'x' });
    const before = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)));
    const rows = await counts(w);
    const restore = await failOn(w, 'ticket_events');
    expect(await failureOf(act(w.ctx, w.as.line1, t.id, { action: 'triage', priority: 'P1' }))).toMatch(
      /disk on fire/,
    );
    expect(await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)))).toEqual(before);
    expect(await counts(w)).toEqual(rows);
    await restore();
  });

  it('in a comment whose notice cannot be queued', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'x' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await act(w.ctx, w.as.line1, t.id, { action: 'ask_customer', question: 'Which one?' });
    const before = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)));
    const rows = await counts(w);
    const restore = await failOn(w, 'outbox');
    expect(
      await failureOf(
        addComment(w.ctx, w.as.clientA, t.id, {
          body: 'This one',
          attachments: [{ kind: 'photo', telegramFileId: 'p' }],
        }),
      ),
    ).toMatch(/disk on fire/);
    expect(await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)))).toEqual(before);
    expect(await counts(w)).toEqual(rows);
    await restore();
  });
});

describe('who is notified', () => {
  async function worked(w: World) {
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Network down' });
    await act(w.ctx, w.as.line1, t.id, { action: 'triage' });
    return t;
  }

  it('tells the assignee and the requester about an assignment, but not the one who made it', async () => {
    const w = await makeWorld();
    const t = await worked(w);
    const { eventId } = await act(w.ctx, w.as.line1, t.id, { action: 'assign', assigneeId: w.ids.line1b });
    expect(await notices(w, eventId)).toEqual([
      { to: w.ids.clientA, kind: 'requester.assign', channel: 'telegram' },
      { to: w.ids.line1b, kind: 'assignee.assign', channel: 'telegram' },
    ]);
  });

  it('keeps internal notes from the requester', async () => {
    const w = await makeWorld();
    const t = await worked(w);
    await act(w.ctx, w.as.line1, t.id, { action: 'assign', assigneeId: w.ids.line1b });
    await addComment(w.ctx, w.as.line1, t.id, { body: 'Check the switch', internal: true });
    expect(await notices(w, await lastEventId(w))).toEqual([
      { to: w.ids.line1b, kind: 'assignee.internal_note', channel: 'telegram' },
    ]);
    const payload = (await queryAll(w.ctx.db.select().from(outbox))).at(-1)?.payload;
    expect(payload).toMatchObject({ body: 'Check the switch', number: t.number });
  });

  it('sends an escalation to the 2nd line and the requester', async () => {
    const w = await makeWorld();
    const t = await worked(w);
    const { eventId } = await act(w.ctx, w.as.line1, t.id, {
      action: 'escalate_line2',
      reason: 'Core switch',
    });
    expect(await notices(w, eventId)).toEqual([
      { to: w.ids.clientA, kind: 'requester.escalate_line2', channel: 'telegram' },
      { to: w.ids.line2, kind: 'line.escalate_line2', channel: 'telegram' },
    ]);
  });

  it('sends the client’s comment to the assignee, and a staff reply to the client', async () => {
    const w = await makeWorld();
    const t = await worked(w);
    await act(w.ctx, w.as.line2, t.id, { action: 'take' });
    await addComment(w.ctx, w.as.clientA, t.id, { body: 'It is back' });
    expect(await notices(w, await lastEventId(w))).toEqual([
      { to: w.ids.line2, kind: 'assignee.comment', channel: 'telegram' },
    ]);
    await addComment(w.ctx, w.as.line2, t.id, { body: 'Great, closing soon' });
    expect(await notices(w, await lastEventId(w))).toEqual([
      { to: w.ids.clientA, kind: 'requester.comment', channel: 'telegram' },
    ]);
  });

  it('falls back to e-mail, and skips people who cannot be reached', async () => {
    const w = await makeWorld();
    await execute(
      w.ctx.db
        .update(people)
        .set({ telegramUserId: null, email: 'a@alpha.example' })
        .where(eq(people.id, w.ids.clientA)),
    );
    await execute(w.ctx.db.update(people).set({ unreachableAt: 1 }).where(eq(people.id, w.ids.line1b)));
    const t = await createTicket(w.ctx, w.as.line1, {
      channel: 'phone',
      requesterId: w.ids.clientA,
      description: 'x',
    });
    expect(await notices(w)).toEqual([{ to: w.ids.clientA, kind: 'requester.created', channel: 'email' }]);
    expect(t.number).toBe(1001);
  });

  it('warns the assignee at 75 % and tells supervisors of a breach, once each', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      description: 'x',
      impact: 'department',
    });
    // P3 on A: resolution 960 min. Taken without a public word? No: "take" is visible, so FR is met.
    await act(w.ctx, w.as.line2, t.id, { action: 'take' });
    w.clock.set('2026-11-10T10:00:00+03:00'); // 540 min: 56 %
    expect(await recordSlaAlert(w.ctx, t.id, 'resolution', 'warning')).toBeNull();
    w.clock.set('2026-11-10T13:00:00+03:00'); // 720 min: 75 %
    const warning = await recordSlaAlert(w.ctx, t.id, 'resolution', 'warning');
    expect(warning).not.toBeNull();
    expect(await notices(w, warning ?? 0)).toEqual([
      { to: w.ids.line2, kind: 'assignee.sla_warning', channel: 'telegram' },
    ]);
    expect(await recordSlaAlert(w.ctx, t.id, 'resolution', 'warning')).toBeNull();
    expect(await recordSlaAlert(w.ctx, t.id, 'resolution', 'breached')).toBeNull();
    w.clock.set('2026-11-10T17:00:00+03:00'); // 960 min
    const breach = await recordSlaAlert(w.ctx, t.id, 'resolution', 'breached');
    expect(await notices(w, breach ?? 0)).toEqual([
      { to: w.ids.line2, kind: 'assignee.sla_breached', channel: 'telegram' },
      { to: w.ids.supervisor, kind: 'supervisor.sla_breached', channel: 'telegram' },
    ]);
    expect(await recordSlaAlert(w.ctx, t.id, 'resolution', 'breached')).toBeNull();
    const events = await queryAll(
      w.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id)),
    );
    expect(events.filter((e) => e.type.startsWith('sla_')).map((e) => [e.type, e.internal])).toEqual([
      ['sla_warning', true],
      ['sla_breached', true],
    ]);
  });

  it('stores attachments of comments with the comment', async () => {
    const w = await makeWorld();
    const t = await worked(w);
    const { comment } = await addComment(w.ctx, w.as.clientA, t.id, {
      attachments: [{ kind: 'voice', telegramFileId: 'AwAD', mimeType: 'audio/ogg', size: 5000 }],
    });
    const stored = await queryAll(w.ctx.db.select().from(attachments));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ commentId: comment.id, kind: 'voice', uploadedBy: w.ids.clientA });
    await expect(addComment(w.ctx, w.as.clientA, t.id, {})).rejects.toThrow(/text or a file/);
  });
});

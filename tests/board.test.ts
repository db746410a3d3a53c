// The staff board in core: open work only, whichever SLA clock runs out next first, in the actor's scope.
import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidInputError } from '../core/errors.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { board } from '../core/tickets/queues.ts';
import { makeWorld } from './fixtures.ts';

const HOUR = 3_600_000;

describe('the board', () => {
  it('orders open tickets by the due time of the clock that runs out next', async () => {
    const w = await makeWorld();
    // From 10:00 Monday in Moscow, an hour apart: due 14:00, 11:15, 12:20, then (answered) 17:00.
    const file = async (
      impact: 'person' | 'company',
      urgency: 'low' | 'high',
      who: 'clientA' | 'clientB' = 'clientA',
    ) => {
      const t = await createTicket(w.ctx, w.as[who], {
        channel: 'telegram',
        description: `${impact} ${urgency}`,
        impact,
        urgency,
      });
      w.clock.advance(HOUR);
      return t;
    };
    const p4 = await file('person', 'low'); // A: answer within 240 business minutes
    const p1 = await file('company', 'high'); // A: within 15
    const b = await file('person', 'high', 'clientB'); // B (24/7): P2, within 20
    const answered = await file('company', 'high');
    await act(w.ctx, w.as.line1, answered.id, { action: 'take' }); // answered now: its resolution clock is next
    const done = await file('company', 'high');
    await act(w.ctx, w.as.line1, done.id, { action: 'take' });
    await act(w.ctx, w.as.line1, done.id, { action: 'resolve', resolution: 'ok' });

    const entries = await board(w.ctx, w.as.supervisor);
    expect(entries.map((e) => e.ticket.id)).toEqual([p1.id, b.id, p4.id, answered.id]);
    const due = entries.map((e) =>
      e.ticket.firstRespondedAt === null
        ? Math.min(e.ticket.firstResponseDueAt, e.ticket.resolutionDueAt)
        : e.ticket.resolutionDueAt,
    );
    expect(due).toEqual([...due].sort((x, y) => x - y));
    expect(entries.map((e) => e.clock)).toEqual([
      'first_response',
      'first_response',
      'first_response',
      'resolution',
    ]);
  });

  it('filters by line, company, category and assignee, and keeps field engineers to their tickets', async () => {
    const w = await makeWorld();
    const a = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      description: 'a',
      categoryId: w.category.printer,
    });
    const b = await createTicket(w.ctx, w.as.clientB, { channel: 'telegram', description: 'b' });
    const c = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'c' });
    await act(w.ctx, w.as.line1, c.id, { action: 'take' });
    await act(w.ctx, w.as.line1, b.id, { action: 'triage' });
    await act(w.ctx, w.as.line1, b.id, { action: 'escalate_line2', reason: 'hard' });
    const ids = async (f: Parameters<typeof board>[2], who: 'line1' | 'field' = 'line1') =>
      (await board(w.ctx, w.as[who], f)).map((e) => e.ticket.id).sort((x, y) => x - y);
    expect(await ids({ companyId: w.companyB })).toEqual([b.id]);
    expect(await ids({ categoryId: w.category.printer })).toEqual([a.id]);
    expect(await ids({ assigneeId: w.ids.line1 })).toEqual([c.id]);
    expect(await ids({ assigneeId: null })).toEqual([a.id, b.id]);
    expect(await ids({ line: 'line2' })).toEqual([b.id]);
    expect(await ids({}, 'field')).toEqual([]);
    await act(w.ctx, w.as.line1, a.id, { action: 'triage' });
    await act(w.ctx, w.as.line1, a.id, {
      action: 'schedule_visit',
      startsAt: w.clock.now() + 86_400_000,
      endsAt: w.clock.now() + 90_000_000,
      engineerId: w.ids.field,
    });
    expect(await ids({}, 'field')).toEqual([a.id]);
    expect(await ids({ line: 'field' })).toEqual([a.id]);
  });

  it('is for staff only, and checks its filter', async () => {
    const w = await makeWorld();
    await expect(board(w.ctx, w.as.managerA)).rejects.toThrow(ForbiddenError);
    await expect(board(w.ctx, w.as.stranger)).rejects.toThrow(ForbiddenError);
    await expect(board(w.ctx, w.as.line1, { limit: 501 })).rejects.toThrow(InvalidInputError);
    await expect(board(w.ctx, w.as.line1, { line: 'nowhere' as 'line1' })).rejects.toThrow(InvalidInputError);
  });
});

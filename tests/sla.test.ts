// The SLA clock through core, with a fixed clock. Expected instants are worked out by hand in the comments:
// company A works Mon–Fri 09:00–18:00 Moscow time with Wednesday 2026-11-04 a holiday; company B is 24/7
// or Novosibirsk 09:00–18:00. P3 on A: first response 60, resolution 960 business minutes.
import { describe, expect, it } from 'vitest';
import { act } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { getTicket } from '../core/tickets/read.ts';
import { at, makeWorld, type World } from './fixtures.ts';

async function fileA(
  w: World,
  impact: 'person' | 'department' | 'company',
  urgency: 'low' | 'medium' | 'high',
) {
  return await createTicket(w.ctx, w.as.clientA, {
    channel: 'telegram',
    description: 'Printer is jammed',
    impact,
    urgency,
  });
}

describe('due times over a business calendar', () => {
  it('carries the clock over a weekend', async () => {
    const w = await makeWorld({ start: '2026-11-06T17:30:00+03:00' }); // Friday
    const t = await fileA(w, 'department', 'medium');
    expect(t.priority).toBe('P3');
    // 30 min on Friday, 30 on Monday.
    expect(t.firstResponseDueAt).toBe(at('2026-11-09T09:30:00+03:00'));
    // 960 = 30 (Fri) + 540 (Mon) + 390 (Tue 09:00–15:30).
    expect(t.resolutionDueAt).toBe(at('2026-11-10T15:30:00+03:00'));
  });

  it('skips a holiday', async () => {
    const w = await makeWorld({ start: '2026-11-03T17:00:00+03:00' }); // Tuesday before the Wednesday holiday
    const t = await fileA(w, 'department', 'medium');
    // The first hour ends exactly at closing time on Tuesday.
    expect(t.firstResponseDueAt).toBe(at('2026-11-03T18:00:00+03:00'));
    // 60 (Tue) + 0 (Wed, holiday) + 540 (Thu) + 360 (Fri 09:00–15:00) = 960.
    expect(t.resolutionDueAt).toBe(at('2026-11-06T15:00:00+03:00'));
  });

  it('starts counting at the next opening when created after hours', async () => {
    const w = await makeWorld({ start: '2026-11-03T20:00:00+03:00' }); // Tuesday evening
    const t = await fileA(w, 'person', 'medium');
    expect(t.priority).toBe('P4');
    // Wednesday is a holiday: 240 min from Thursday 09:00.
    expect(t.firstResponseDueAt).toBe(at('2026-11-05T13:00:00+03:00'));
    // 2400 min = 40 h: Thu 9, Fri 9, Mon 9, Tue 9, Wed 4 → Wed 13:00.
    expect(t.resolutionDueAt).toBe(at('2026-11-11T13:00:00+03:00'));
  });

  it('runs round the clock on a 24/7 contract', async () => {
    const w = await makeWorld({ start: '2026-11-07T23:50:00+03:00' }); // Saturday night
    const t = await createTicket(w.ctx, w.as.clientB, {
      channel: 'telegram',
      description: 'Whole plant offline',
      impact: 'company',
      urgency: 'medium',
    });
    expect(t.priority).toBe('P1'); // company B's own matrix
    expect(t.firstResponseDueAt).toBe(at('2026-11-08T00:00:00+03:00'));
    expect(t.resolutionDueAt).toBe(at('2026-11-08T01:50:00+03:00'));
  });

  it('follows each contract’s time zone', async () => {
    // 16:00 UTC is 19:00 in Moscow and 23:00 in Novosibirsk: both closed, both open at their 09:00.
    const w = await makeWorld({ start: '2026-11-09T16:00:00Z', companyBCalendar: 'novosibirsk' });
    const a = await fileA(w, 'person', 'high'); // P3 on A: 60 min
    const b = await createTicket(w.ctx, w.as.clientB, {
      channel: 'email',
      description: 'VPN',
      impact: 'person',
      urgency: 'medium', // P3 on B: 60 min
    });
    expect(a.firstResponseDueAt).toBe(at('2026-11-10T10:00:00+03:00'));
    expect(b.firstResponseDueAt).toBe(at('2026-11-10T10:00:00+07:00'));
    expect(a.firstResponseDueAt - b.firstResponseDueAt).toBe(4 * 3_600_000);
  });
});

describe('pause, resume and priority changes', () => {
  it('stops the resolution clock while waiting for the customer and gives back the rest', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' }); // Monday
    const t = await fileA(w, 'department', 'medium'); // P3: 960 min
    expect(t.resolutionDueAt).toBe(at('2026-11-10T17:00:00+03:00')); // Mon 8 h + Tue 8 h
    w.clock.set('2026-11-09T10:10:00+03:00');
    await act(w.ctx, w.as.line1, t.id, { action: 'triage' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    w.clock.set('2026-11-09T12:00:00+03:00'); // 120 min elapsed
    await act(w.ctx, w.as.line1, t.id, { action: 'ask_customer', question: 'Which printer?' });

    w.clock.set('2026-11-10T10:00:00+03:00');
    const waiting = await getTicket(w.ctx, w.as.line1, t.id);
    expect(waiting.ticket.status).toBe('waiting_for_customer');
    expect(waiting.sla.resolution.state).toBe('paused');
    expect(waiting.sla.resolution.elapsedMinutes).toBe(120);

    // The client answers on Tuesday 11:00: paused 360 (Mon 12–18) + 120 (Tue 9–11) = 480 business minutes.
    w.clock.set('2026-11-10T11:00:00+03:00');
    const { ticket } = await addComment(w.ctx, w.as.clientA, t.id, { body: 'The one in accounting' });
    expect(ticket.status).toBe('in_progress');
    expect(ticket.slaPausedAt).toBeNull();
    expect(ticket.slaPausedMinutes).toBe(480);
    // 840 min were left: Tue 11–18 (420) + Wed 9–16 (420).
    expect(ticket.resolutionDueAt).toBe(at('2026-11-11T16:00:00+03:00'));

    // Resolved Wednesday 10:00: 120 + 420 (Tue 11–18) + 60 (Wed 9–10) = 600 business minutes.
    w.clock.set('2026-11-11T10:00:00+03:00');
    const resolved = (
      await act(w.ctx, w.as.line1, t.id, {
        action: 'resolve',
        resolution: 'Paper path cleaned',
      })
    ).ticket;
    expect(resolved.resolutionMinutes).toBe(600);
    expect(resolved.resolutionMet).toBe(true);
    const reading = (await getTicket(w.ctx, w.as.line1, t.id)).sla.resolution;
    expect(reading.state).toBe('met');
  });

  it('recomputes the due time when the priority changes mid-way, keeping the elapsed time', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w, 'person', 'medium'); // P4
    expect(t.firstResponseDueAt).toBe(at('2026-11-09T14:00:00+03:00'));
    expect(t.resolutionDueAt).toBe(at('2026-11-13T14:00:00+03:00'));
    w.clock.set('2026-11-09T10:30:00+03:00');
    await act(w.ctx, w.as.line1, t.id, { action: 'triage' });
    w.clock.set('2026-11-09T13:00:00+03:00');
    const up = (
      await act(w.ctx, w.as.line1, t.id, {
        action: 'reprioritize',
        impact: 'department',
        urgency: 'high',
      })
    ).ticket;
    expect(up.priority).toBe('P2');
    // P2 resolution is 480 min from creation: Monday 18:00. The first response was already given in time.
    expect(up.resolutionDueAt).toBe(at('2026-11-09T18:00:00+03:00'));
    expect(up.firstResponseDueAt).toBe(at('2026-11-09T14:00:00+03:00'));

    const state = async (iso: string) => {
      w.clock.set(iso);
      return (await getTicket(w.ctx, w.as.line1, t.id)).sla.resolution;
    };
    expect(await state('2026-11-09T13:00:00+03:00')).toMatchObject({ state: 'running', elapsedMinutes: 180 });
    // 75 % of 480 = 360 min: 16:00.
    expect((await state('2026-11-09T15:59:00+03:00')).state).toBe('running');
    expect(await state('2026-11-09T16:00:00+03:00')).toMatchObject({ state: 'warning', fraction: 0.75 });
    expect((await state('2026-11-09T17:59:00+03:00')).state).toBe('warning');
    expect((await state('2026-11-09T18:00:00+03:00')).state).toBe('breached');
    // Overnight nothing is counted; the next morning it is 30 min over.
    expect(await state('2026-11-10T09:30:00+03:00')).toMatchObject({
      state: 'breached',
      remainingMinutes: -30,
    });
    expect((await getTicket(w.ctx, w.as.line1, t.id)).sla.resolution.warnAt).toBe(
      at('2026-11-09T16:00:00+03:00'),
    );
  });

  it('keeps a resolved ticket paused and resumes it on reopen', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w, 'department', 'medium'); // P3, 960
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    w.clock.set('2026-11-09T12:00:00+03:00');
    await act(w.ctx, w.as.line1, t.id, { action: 'resolve', resolution: 'Restarted the spooler' });
    // Reopened the next morning at 10:00: paused 6 h Monday + 1 h Tuesday = 420.
    w.clock.set('2026-11-10T10:00:00+03:00');
    const reopened = (await act(w.ctx, w.as.clientA, t.id, { action: 'reopen', reason: 'Still jams' }))
      .ticket;
    expect(reopened.status).toBe('open');
    expect(reopened.slaPausedMinutes).toBe(420);
    expect(reopened.resolvedAt).toBeNull();
    // 840 left from Tue 10:00: Tue 8 h, Wed 6 h → Wed 15:00.
    expect(reopened.resolutionDueAt).toBe(at('2026-11-11T15:00:00+03:00'));
  });
});

describe('first response', () => {
  it('is recorded by the first public staff reply, not by an internal note or the client', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w, 'department', 'medium'); // 60 min
    w.clock.set('2026-11-09T10:20:00+03:00');
    await addComment(w.ctx, w.as.clientA, t.id, { body: 'Any news?' });
    await addComment(w.ctx, w.as.line1, t.id, { body: 'Looking at logs', internal: true });
    expect((await getTicket(w.ctx, w.as.line1, t.id)).ticket.firstRespondedAt).toBeNull();
    w.clock.set('2026-11-09T11:15:00+03:00');
    const { ticket } = await addComment(w.ctx, w.as.line1, t.id, { body: 'We are on it' });
    expect(ticket.firstRespondedAt).toBe(at('2026-11-09T11:15:00+03:00'));
    expect(ticket.firstResponseMinutes).toBe(75);
    expect(ticket.firstResponseMet).toBe(false);
    const sla = (await getTicket(w.ctx, w.as.clientA, t.id)).sla.firstResponse;
    expect(sla.state).toBe('missed');
    // A later reply does not move it.
    w.clock.set('2026-11-09T11:30:00+03:00');
    expect((await addComment(w.ctx, w.as.line2, t.id, { body: 'More news' })).ticket.firstRespondedAt).toBe(
      at('2026-11-09T11:15:00+03:00'),
    );
  });

  it('is recorded by a status change the client sees, in time', async () => {
    const w = await makeWorld({ start: '2026-11-06T17:50:00+03:00' }); // Friday, 10 min before closing
    const t = await fileA(w, 'department', 'medium');
    w.clock.set('2026-11-09T09:05:00+03:00'); // 10 + 5 business minutes later
    const triaged = (await act(w.ctx, w.as.line1, t.id, { action: 'triage' })).ticket;
    expect(triaged.firstResponseMinutes).toBe(15);
    expect(triaged.firstResponseMet).toBe(true);
    w.clock.set('2026-11-09T09:30:00+03:00');
    expect((await getTicket(w.ctx, w.as.line1, t.id)).sla.firstResponse.state).toBe('met');
  });

  it('shows warning and breach of an unanswered ticket at the right instants', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w, 'department', 'medium'); // 60 min → warning at 10:45, breach at 11:00
    const fr = async (iso: string) => {
      w.clock.set(iso);
      return (await getTicket(w.ctx, w.as.line1, t.id)).sla.firstResponse.state;
    };
    expect(await fr('2026-11-09T10:44:59+03:00')).toBe('running');
    expect(await fr('2026-11-09T10:45:00+03:00')).toBe('warning');
    expect(await fr('2026-11-09T11:00:00+03:00')).toBe('breached');
  });
});

// The SLA scheduler: sweeps over a fixed clock, never sleeping. Expected instants are worked out by hand in
// the comments. Company A works Mon–Fri 09:00–18:00 Moscow time, Wednesday 2026-11-04 a holiday; company B
// is 24/7. A department/medium request of A is P3: first response 60, resolution 960 business minutes, so
// warnings come at 45 and 720 minutes.
import { and, asc, eq, like } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSlaScheduler } from '../app/sla-scheduler.ts';
import { createContext, type DeskContext } from '../core/context.ts';
import type { PolicyBook } from '../core/policies.ts';
import { sweepSla } from '../core/sla-sweep.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import {
  FIRST_RESPONSE_BREACHED,
  FIRST_RESPONSE_WARNING,
  RESOLUTION_BREACHED,
  RESOLUTION_WARNING,
  recordSlaAlert,
} from '../core/tickets/sla-alerts.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { contracts, outbox, ticketEvents, tickets } from '../db/schema.ts';
import { at, counts, makeWorld, type World } from './fixtures.ts';
import { failInsertsInto, failureOf } from './support/store-faults.ts';
import { onPostgres } from './support/test-store.ts';

const MS = 1;
const NOTHING = { warnings: 0, breaches: 0, autoClosed: 0 };

async function fileA(w: World, impact: 'person' | 'department' = 'department', urgency: 'medium' = 'medium') {
  return await createTicket(w.ctx, w.as.clientA, {
    channel: 'telegram',
    description: 'Printer jammed',
    impact,
    urgency,
  });
}

async function fileB(w: World) {
  // Company B's matrix: person/medium is P3, first response 60, resolution 720, round the clock.
  return await createTicket(w.ctx, w.as.clientB, {
    channel: 'telegram',
    description: 'VPN down',
    impact: 'person',
  });
}

/** SLA events of a ticket, oldest first: [type, clock, at]. */
async function slaEvents(w: World, ticketId: number) {
  return (
    await queryAll(
      w.ctx.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, ticketId), like(ticketEvents.type, 'sla_%')))
        .orderBy(asc(ticketEvents.id)),
    )
  ).map((e) => [e.type, e.data?.clock, new Date(e.at).toISOString()]);
}

async function lastSlaEvent(w: World, ticketId: number) {
  const events = await queryAll(
    w.ctx.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), like(ticketEvents.type, 'sla_%')))
      .orderBy(asc(ticketEvents.id)),
  );
  const last = events.at(-1);
  if (!last) throw new Error('no SLA event');
  return last;
}

/** Who the notices of an event go to, sorted: [recipient, kind]. */
async function noticesOf(w: World, eventId: number) {
  return (
    await queryAll(
      w.ctx.db
        .select({ to: outbox.recipientId, kind: outbox.kind })
        .from(outbox)
        .where(eq(outbox.eventId, eventId)),
    )
  )
    .map((n) => [n.to, n.kind])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
}

async function ticketRow(w: World, id: number) {
  const row = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, id)));
  if (!row) throw new Error(`ticket ${id} missing`);
  return row;
}

/** Sweeps at the instant and just before it. */
async function sweepAround(w: World, iso: string) {
  w.clock.set(at(iso) - MS);
  const before = await sweepSla(w.ctx);
  w.clock.set(iso);
  return { before, at: await sweepSla(w.ctx) };
}

/** The same store and clock, with a policy book that runs `hook` whenever a policy is asked for. */
function withPolicyHook(w: World, hook: (contractId: number | null) => void | Promise<void>): DeskContext {
  const book = w.ctx.policies;
  const policies = Object.create(book) as PolicyBook;
  policies.forContract = async (contractId) => {
    await hook(contractId);
    return await book.forContract(contractId);
  };
  return { ...w.ctx, policies };
}

describe('SLA alerts', () => {
  it('warns and breaches at the business-time instants across a weekend', async () => {
    const w = await makeWorld({ start: '2026-11-06T17:30:00+03:00' }); // Friday
    const t = await fileA(w);
    expect(t.priority).toBe('P3');
    const line = [
      [w.ids.line1, 'line.sla_warning'],
      [w.ids.line1b, 'line.sla_warning'],
    ];

    expect(await sweepSla(w.ctx)).toEqual(NOTHING);
    w.clock.set('2026-11-07T12:00:00+03:00'); // Saturday: the clock stands at 30 of 60 minutes
    expect(await sweepSla(w.ctx)).toEqual(NOTHING);

    // First response: 45 min = 30 on Friday + 15 on Monday → Mon 09:15; 60 min → Mon 09:30.
    let swept = await sweepAround(w, '2026-11-09T09:15:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 1, breaches: 0, autoClosed: 0 });
    const warning = await lastSlaEvent(w, t.id);
    expect(warning).toMatchObject({ type: 'sla_warning', internal: true, actorId: null });
    expect(warning.data).toMatchObject({
      clock: 'first_response',
      dueAt: at('2026-11-09T09:30:00+03:00'),
      elapsedMinutes: 45,
      targetMinutes: 60,
    });
    // Unassigned: the 1st line hears of it; the client never does.
    expect(await noticesOf(w, warning.id)).toEqual(line);

    swept = await sweepAround(w, '2026-11-09T09:30:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 0, breaches: 1, autoClosed: 0 });
    expect(await noticesOf(w, (await lastSlaEvent(w, t.id)).id)).toEqual([
      [w.ids.line1, 'line.sla_breached'],
      [w.ids.line1b, 'line.sla_breached'],
      [w.ids.supervisor, 'supervisor.sla_breached'],
    ]);

    // Resolution: 720 min = 30 (Fri) + 540 (Mon) + 150 (Tue 09:00–11:30); 960 min → Tue 15:30.
    swept = await sweepAround(w, '2026-11-10T11:30:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 1, breaches: 0, autoClosed: 0 });
    swept = await sweepAround(w, '2026-11-10T15:30:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 0, breaches: 1, autoClosed: 0 });

    expect(await slaEvents(w, t.id)).toEqual([
      ['sla_warning', 'first_response', '2026-11-09T06:15:00.000Z'],
      ['sla_breached', 'first_response', '2026-11-09T06:30:00.000Z'],
      ['sla_warning', 'resolution', '2026-11-10T08:30:00.000Z'],
      ['sla_breached', 'resolution', '2026-11-10T12:30:00.000Z'],
    ]);
    expect((await ticketRow(w, t.id)).slaAlerts).toBe(
      FIRST_RESPONSE_WARNING | FIRST_RESPONSE_BREACHED | RESOLUTION_WARNING | RESOLUTION_BREACHED,
    );
    w.clock.set('2026-11-20T12:00:00+03:00');
    expect(await sweepSla(w.ctx)).toEqual(NOTHING);
  });

  it('stops the first-response clock at the first response, and tells the assignee of the resolution', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' }); // Monday
    const t = await fileA(w);
    w.clock.set('2026-11-09T10:45:00+03:00');
    expect(await sweepSla(w.ctx)).toEqual({ warnings: 1, breaches: 0, autoClosed: 0 });
    // Taken (a public move, so the first response) before the 60 minutes run out: no breach follows.
    w.clock.set('2026-11-09T10:50:00+03:00');
    await act(w.ctx, w.as.line2, t.id, { action: 'take' });
    w.clock.set('2026-11-09T12:00:00+03:00');
    expect(await sweepSla(w.ctx)).toEqual(NOTHING);

    // Resolution: 720 min = 480 (Mon 10–18) + 240 (Tue 09–13); 960 → Tue 17:00.
    const swept = await sweepAround(w, '2026-11-10T13:00:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 1, breaches: 0, autoClosed: 0 });
    expect(await noticesOf(w, (await lastSlaEvent(w, t.id)).id)).toEqual([
      [w.ids.line2, 'assignee.sla_warning'],
    ]);
    w.clock.set('2026-11-10T17:00:00+03:00');
    expect(await sweepSla(w.ctx)).toEqual({ warnings: 0, breaches: 1, autoClosed: 0 });
    expect(await noticesOf(w, (await lastSlaEvent(w, t.id)).id)).toEqual([
      [w.ids.line2, 'assignee.sla_breached'],
      [w.ids.supervisor, 'supervisor.sla_breached'],
    ]);
    expect((await slaEvents(w, t.id)).map(([type, clock]) => [type, clock])).toEqual([
      ['sla_warning', 'first_response'],
      ['sla_warning', 'resolution'],
      ['sla_breached', 'resolution'],
    ]);
  });

  it('records no first-response alert when the first response came in time', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    w.clock.set('2026-11-09T10:20:00+03:00');
    await act(w.ctx, w.as.line2, t.id, { action: 'take' });
    w.clock.set('2026-11-10T12:00:00+03:00'); // long past both first-response instants, before 720 min
    expect(await sweepSla(w.ctx)).toEqual(NOTHING);
    expect(await slaEvents(w, t.id)).toEqual([]);
  });

  it('leaves a ticket waiting for the customer alone, and alerts on the time given back after', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    await act(w.ctx, w.as.line2, t.id, { action: 'take' });
    w.clock.set('2026-11-09T11:00:00+03:00'); // 60 of 960 minutes used
    await act(w.ctx, w.as.line2, t.id, { action: 'ask_customer', question: 'Which printer?' });

    // Without the pause, the warning would be Tue 13:00 and the breach Tue 17:00.
    for (const iso of [
      '2026-11-10T13:00:00+03:00',
      '2026-11-10T17:00:00+03:00',
      '2026-11-12T09:59:00+03:00',
    ]) {
      w.clock.set(iso);
      expect(await sweepSla(w.ctx)).toEqual(NOTHING);
    }
    // The client answers Thu 10:00: paused 420 (Mon) + 540 (Tue) + 540 (Wed) + 60 (Thu) = 1560 minutes.
    w.clock.set('2026-11-12T10:00:00+03:00');
    await act(w.ctx, w.as.clientA, t.id, { action: 'resume', answer: 'The one in accounting' });
    expect(await sweepSla(w.ctx)).toEqual(NOTHING);
    // 660 minutes to the warning: Thu 10–18 (480) + Fri 09–12 (180); 900 to the breach → Fri 16:00.
    let swept = await sweepAround(w, '2026-11-13T12:00:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 1, breaches: 0, autoClosed: 0 });
    swept = await sweepAround(w, '2026-11-13T16:00:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 0, breaches: 1, autoClosed: 0 });
    expect(await slaEvents(w, t.id)).toEqual([
      ['sla_warning', 'resolution', '2026-11-13T09:00:00.000Z'],
      ['sla_breached', 'resolution', '2026-11-13T13:00:00.000Z'],
    ]);
  });

  it('catches up after downtime: warning then breach of both clocks in one sweep, in order', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    // Down from Monday 10:00 to Wednesday 10:00: past 10:45, 11:00 (first response), Tue 13:00, Tue 17:00.
    w.clock.set('2026-11-11T10:00:00+03:00');
    expect(await sweepSla(w.ctx)).toEqual({ warnings: 2, breaches: 2, autoClosed: 0 });
    const events = await queryAll(
      w.ctx.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, t.id), like(ticketEvents.type, 'sla_%')))
        .orderBy(asc(ticketEvents.id)),
    );
    expect(events.map((e) => [e.type, e.data?.clock, e.data?.dueAt])).toEqual([
      ['sla_warning', 'first_response', at('2026-11-09T11:00:00+03:00')],
      ['sla_breached', 'first_response', at('2026-11-09T11:00:00+03:00')],
      ['sla_warning', 'resolution', at('2026-11-10T17:00:00+03:00')],
      ['sla_breached', 'resolution', at('2026-11-10T17:00:00+03:00')],
    ]);
    expect(events.every((e) => e.at === at('2026-11-11T10:00:00+03:00'))).toBe(true);
    expect(await sweepSla(w.ctx)).toEqual(NOTHING);
  });

  it('records nothing twice after a restart', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const a = await fileA(w);
    const b = await fileB(w);
    w.clock.set('2026-11-10T13:00:00+03:00'); // A: both first-response alerts and the resolution warning
    expect(await sweepSla(w.ctx)).toEqual({ warnings: 4, breaches: 3, autoClosed: 0 });
    const before = await counts(w);
    const alerts = [(await ticketRow(w, a.id)).slaAlerts, (await ticketRow(w, b.id)).slaAlerts];
    expect(alerts).toEqual([
      FIRST_RESPONSE_WARNING | FIRST_RESPONSE_BREACHED | RESOLUTION_WARNING,
      FIRST_RESPONSE_WARNING | FIRST_RESPONSE_BREACHED | RESOLUTION_WARNING | RESOLUTION_BREACHED,
    ]);

    // A new process on the same store: fresh context, fresh policy cache.
    const restarted = createContext(w.ctx.db, w.clock);
    expect(await sweepSla(restarted)).toEqual(NOTHING);
    w.clock.advance(60_000);
    expect(await sweepSla(restarted)).toEqual(NOTHING);
    expect(await counts(w)).toEqual(before);
    expect([(await ticketRow(w, a.id)).slaAlerts, (await ticketRow(w, b.id)).slaAlerts]).toEqual(alerts);
  });

  it('records an alert and its bit together, once, through recordSlaAlert', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    w.clock.set('2026-11-09T11:00:00+03:00');
    expect(await recordSlaAlert(w.ctx, t.id, 'first_response', 'breached')).not.toBeNull();
    expect((await ticketRow(w, t.id)).slaAlerts).toBe(FIRST_RESPONSE_BREACHED);
    const before = await counts(w);
    expect(await recordSlaAlert(w.ctx, t.id, 'first_response', 'breached')).toBeNull();
    expect(await counts(w)).toEqual(before);
    // The sweep still owes the warning (nothing is skipped) but not the breach.
    expect(await sweepSla(w.ctx)).toEqual({ warnings: 1, breaches: 0, autoClosed: 0 });
    expect((await ticketRow(w, t.id)).slaAlerts).toBe(FIRST_RESPONSE_WARNING | FIRST_RESPONSE_BREACHED);
  });

  it('sets no bit when the alert cannot be written, and records it on the next sweep', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    w.clock.set('2026-11-09T10:45:00+03:00');
    const heal = await failInsertsInto(w.ctx.db, 'outbox');
    const before = await counts(w);
    expect(await failureOf(sweepSla(w.ctx))).toMatch(/disk on fire/);
    expect(await counts(w)).toEqual(before);
    expect((await ticketRow(w, t.id)).slaAlerts).toBe(0);
    await heal();
    expect(await sweepSla(w.ctx)).toEqual({ warnings: 1, breaches: 0, autoClosed: 0 });
    expect((await ticketRow(w, t.id)).slaAlerts).toBe(FIRST_RESPONSE_WARNING);
  });

  it('trusts the alert bits: a clock whose bit is set is not alerted again', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    await execute(
      w.ctx.db.update(tickets).set({ slaAlerts: FIRST_RESPONSE_WARNING }).where(eq(tickets.id, t.id)),
    );
    w.clock.set('2026-11-09T11:00:00+03:00');
    expect(await sweepSla(w.ctx)).toEqual({ warnings: 0, breaches: 1, autoClosed: 0 });
    expect((await slaEvents(w, t.id)).map(([type, clock]) => [type, clock])).toEqual([
      ['sla_breached', 'first_response'],
    ]);
    // The alert does not count as a change to the ticket: an open card stays valid.
    expect((await ticketRow(w, t.id)).version).toBe(t.version);
  });

  it('steps over a ticket that fails when told to, and throws otherwise', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const a = await fileA(w);
    const b = await fileB(w);
    w.clock.set('2026-11-11T10:00:00+03:00');
    const broken = withPolicyHook(w, (contractId) => {
      if (contractId === a.contractId) throw new Error('calendar unreadable');
    });
    const failures: Array<[string, number]> = [];
    const result = await sweepSla(broken, { onError: (e, id) => failures.push([(e as Error).message, id]) });
    expect(failures).toEqual([['calendar unreadable', a.id]]);
    expect(result).toEqual({ warnings: 2, breaches: 2, autoClosed: 0 }); // company B's ticket, both clocks
    expect(await slaEvents(w, b.id)).toHaveLength(4);
    await expect(sweepSla(broken)).rejects.toThrow(/calendar unreadable/);
    expect(await slaEvents(w, a.id)).toEqual([]);
  });
});

describe('auto-close', () => {
  async function resolvedA(w: World) {
    const t = await fileA(w);
    await act(w.ctx, w.as.line2, t.id, { action: 'take' });
    return (await act(w.ctx, w.as.line2, t.id, { action: 'resolve', resolution: 'Paper path cleaned' }))
      .ticket;
  }

  it('closes after N business days, a holiday not counted, 24/7 in whole days; a confirmed ticket is left', async () => {
    const w = await makeWorld({ start: '2026-11-02T15:00:00+03:00' }); // Monday
    const a = await resolvedA(w);
    const confirmed = await resolvedA(w);
    const b = await fileB(w);
    await act(w.ctx, w.as.line2, b.id, { action: 'take' });
    await act(w.ctx, w.as.line2, b.id, { action: 'resolve', resolution: 'Tunnel restarted' });
    w.clock.set('2026-11-02T16:00:00+03:00');
    await act(w.ctx, w.as.clientA, confirmed.id, { action: 'confirm' });
    const eventsOfConfirmed = async () =>
      (await queryAll(w.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, confirmed.id))))
        .length;
    const confirmedBefore = await eventsOfConfirmed();

    // B (24/7): 3 × 24 h → Thu 15:00. A: Tue (1), Wed is a holiday, Thu (2), Fri (3) → Fri 15:00.
    let swept = await sweepAround(w, '2026-11-05T15:00:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 0, breaches: 0, autoClosed: 1 });
    expect((await ticketRow(w, b.id)).status).toBe('closed');
    expect((await ticketRow(w, a.id)).status).toBe('resolved');

    swept = await sweepAround(w, '2026-11-06T15:00:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at).toEqual({ warnings: 0, breaches: 0, autoClosed: 1 });
    const closed = await ticketRow(w, a.id);
    expect(closed).toMatchObject({ status: 'closed', closedAt: at('2026-11-06T15:00:00+03:00') });
    const event = await queryOne(
      w.ctx.db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.ticketId, a.id), eq(ticketEvents.type, 'auto_close'))),
    );
    expect(event).toMatchObject({ actorId: null, fromStatus: 'resolved', toStatus: 'closed' });
    expect(await noticesOf(w, event?.id ?? 0)).toEqual([
      [w.ids.clientA, 'requester.auto_close'],
      [w.ids.line2, 'assignee.auto_close'],
    ]);

    // The confirmed ticket was never touched.
    expect(await eventsOfConfirmed()).toBe(confirmedBefore);
    expect((await ticketRow(w, confirmed.id)).closedAt).toBe(at('2026-11-02T16:00:00+03:00'));
    w.clock.set('2026-12-01T12:00:00+03:00');
    expect(await sweepSla(w.ctx)).toEqual(NOTHING);
  });

  it('does not count a weekend', async () => {
    const w = await makeWorld({ start: '2026-11-06T16:00:00+03:00' }); // Friday
    const t = await resolvedA(w);
    // Mon (1), Tue (2), Wed (3) → Wed 16:00.
    for (const iso of ['2026-11-09T16:00:00+03:00', '2026-11-10T16:00:00+03:00']) {
      w.clock.set(iso);
      expect(await sweepSla(w.ctx)).toEqual(NOTHING);
    }
    const swept = await sweepAround(w, '2026-11-11T16:00:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at.autoClosed).toBe(1);
    expect((await ticketRow(w, t.id)).status).toBe('closed');
  });

  it('follows the contract’s own number of days', async () => {
    const w = await makeWorld({ start: '2026-11-06T16:00:00+03:00' }); // Friday
    const t = await resolvedA(w);
    await execute(
      w.ctx.db
        .update(contracts)
        .set({ autoCloseBusinessDays: 1 })
        .where(eq(contracts.id, t.contractId ?? 0)),
    );
    w.ctx.policies.invalidate();
    // One business day: Monday 16:00 (three would be Wednesday).
    const swept = await sweepAround(w, '2026-11-09T16:00:00+03:00');
    expect(swept.before).toEqual(NOTHING);
    expect(swept.at.autoClosed).toBe(1);
    expect((await ticketRow(w, t.id)).status).toBe('closed');
  });

  it('goes on past a ticket that changed under it', async () => {
    const w = await makeWorld({ start: '2026-11-02T15:00:00+03:00' });
    const first = await resolvedA(w);
    const second = await resolvedA(w);
    w.clock.set('2026-11-09T12:00:00+03:00'); // both due
    let raced = false;
    // The client reopens `first` after the sweep has read the resolved tickets, before it closes them.
    const racing = withPolicyHook(w, async () => {
      if (raced) return;
      raced = true;
      await act(w.ctx, w.as.clientA, first.id, { action: 'reopen', reason: 'Jams again' });
    });
    expect(await sweepSla(racing)).toEqual({ warnings: 0, breaches: 0, autoClosed: 1 });
    expect(raced).toBe(true);
    expect((await ticketRow(w, first.id)).status).toBe('open');
    expect((await ticketRow(w, second.id)).status).toBe('closed');
  });
});

// Its timers are faked, which PostgreSQL's driver cannot live with (its sockets and pool run on real time);
// the scheduler's store work is the sweep, tested above on both stores.
describe.skipIf(onPostgres)('the scheduler (app/sla-scheduler.ts)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps on start to catch up, and tells onChange', async () => {
    vi.useFakeTimers();
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    w.clock.set('2026-11-11T10:00:00+03:00');
    const onChange = vi.fn();
    const scheduler = await startSlaScheduler({ desk: w.ctx, intervalMs: 1000, onChange });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledWith({ warnings: 2, breaches: 2, autoClosed: 0 });
    expect(await slaEvents(w, t.id)).toHaveLength(4);
    await scheduler.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sweeps every interval, calls onChange only for news, and stops', async () => {
    vi.useFakeTimers();
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    const onChange = vi.fn();
    const scheduler = await startSlaScheduler({ desk: w.ctx, intervalMs: 1000, onChange });
    expect(onChange).not.toHaveBeenCalled();

    w.clock.set('2026-11-09T10:45:00+03:00'); // the first-response warning is due
    await vi.advanceTimersByTimeAsync(999);
    expect(onChange).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith({ warnings: 1, breaches: 0, autoClosed: 0 });
    await vi.advanceTimersByTimeAsync(5000); // five quiet sweeps
    expect(onChange).toHaveBeenCalledTimes(1);

    await scheduler.stop();
    w.clock.set('2026-11-09T11:00:00+03:00'); // the breach is due, but nobody sweeps any more
    await vi.advanceTimersByTimeAsync(5000);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(await slaEvents(w, t.id)).toHaveLength(1);
    // A sweep by hand still works.
    expect(await scheduler.sweepNow()).toEqual({ warnings: 0, breaches: 1, autoClosed: 0 });
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('reports a failed sweep to onError and keeps going', async () => {
    vi.useFakeTimers();
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await fileA(w);
    w.clock.set('2026-11-09T10:45:00+03:00'); // the first-response warning is due
    let broken = true;
    const desk: DeskContext = {
      get db() {
        if (broken) throw new Error('database is locked');
        return w.ctx.db;
      },
      clock: w.clock,
      policies: w.ctx.policies,
    };
    const onError = vi.fn();
    const onChange = vi.fn();
    const scheduler = await startSlaScheduler({ desk, intervalMs: 1000, onChange, onError });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(Error);
    expect(onChange).not.toHaveBeenCalled();

    broken = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(onChange).toHaveBeenCalledWith({ warnings: 1, breaches: 0, autoClosed: 0 });
    expect(await slaEvents(w, t.id)).toHaveLength(1);
    expect(onError).toHaveBeenCalledTimes(1);
    await scheduler.stop();
  });

  it('keeps going when onChange throws, and a stop from inside a sweep waits for it', async () => {
    vi.useFakeTimers();
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    await fileA(w);
    const onError = vi.fn();
    let stopped: Promise<void> | undefined;
    let calls = 0;
    const scheduler = await startSlaScheduler({
      desk: w.ctx,
      intervalMs: 1000,
      onError,
      onChange: () => {
        calls++;
        if (calls === 1) throw new Error('notifier gone');
        stopped = scheduler.stop();
      },
    });
    w.clock.set('2026-11-09T10:45:00+03:00');
    await vi.advanceTimersByTimeAsync(1000);
    expect(onError).toHaveBeenCalledWith(new Error('notifier gone'));
    w.clock.set('2026-11-09T11:00:00+03:00');
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    expect(stopped).toBeInstanceOf(Promise);
    await stopped;
    expect(vi.getTimerCount()).toBe(0);
  });
});

// Staff work on a ticket beyond the basic lifecycle: on-site visit times offered to the client and picked
// by them, the engineer's check-in and check-out, categorizing, declining an assignment; canned replies.
// Every move is one change (row, event, notices); a refused one leaves all of it as it was.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getCannedReply, listCannedReplies } from '../core/canned-replies.ts';
import { createContext } from '../core/context.ts';
import { ForbiddenError, InvalidInputError, NotFoundError, TransitionRefusedError } from '../core/errors.ts';
import { ManualClock, MINUTE } from '../core/model.ts';
import { SYSTEM } from '../core/permissions.ts';
import { act, type Command } from '../core/tickets/act.ts';
import { addComment } from '../core/tickets/comment.ts';
import { createTicket } from '../core/tickets/create.ts';
import { timeline } from '../core/tickets/read.ts';
import { offeredSlots, visitOf } from '../core/tickets/visits.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { cannedReplies, categories, outbox, ticketEvents, tickets, visitSlots } from '../db/schema.ts';
import { seedDemo } from '../db/seed.ts';
import { translator } from '../locales/index.ts';
import { at, counts, makeWorld, type World } from './fixtures.ts';
import { onPostgres, openTestStore } from './support/test-store.ts';

/** Tomorrow (Tuesday 3 November 2026, Moscow): two times, and one the day after. */
const TUE_10 = at('2026-11-03T10:00:00+03:00');
const TUE_12 = at('2026-11-03T12:00:00+03:00');
const TUE_14 = at('2026-11-03T14:00:00+03:00');
const TUE_16 = at('2026-11-03T16:00:00+03:00');
const THU_10 = at('2026-11-05T10:00:00+03:00');
const THU_12 = at('2026-11-05T12:00:00+03:00');

async function notices(w: World, eventId: number) {
  return (await queryAll(w.ctx.db.select().from(outbox).where(eq(outbox.eventId, eventId))))
    .map((o) => ({ to: o.recipientId, kind: o.kind }))
    .sort((a, b) => (a.to ?? 0) - (b.to ?? 0));
}

const row = async (w: World, id: number) =>
  await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, id)));
const slotsOf = async (w: World, ticketId: number) =>
  await queryAll(
    w.ctx.db.select().from(visitSlots).where(eq(visitSlots.ticketId, ticketId)).orderBy(visitSlots.id),
  );
const lastEvent = async (w: World, ticketId: number) =>
  (
    await queryAll(
      w.ctx.db
        .select()
        .from(ticketEvents)
        .where(eq(ticketEvents.ticketId, ticketId))
        .orderBy(ticketEvents.id),
    )
  ).at(-1);

/** Everything a change could touch, to show that a refused one touched nothing. */
async function snapshot(w: World, ticketId: number) {
  return { ticket: await row(w, ticketId), counts: await counts(w), slots: await slotsOf(w, ticketId) };
}

/** A ticket of client A taken by 1st-line engineer One. */
async function takenTicket(w: World, description = 'No network in the office') {
  const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description });
  await act(w.ctx, w.as.line1, t.id, { action: 'triage' });
  return (await act(w.ctx, w.as.line1, t.id, { action: 'take' })).ticket;
}

const twoTimes = [
  { startsAt: TUE_14, endsAt: TUE_16 },
  { startsAt: TUE_10, endsAt: TUE_12 },
];

describe('visit times the client picks', () => {
  it('pauses the SLA while the client chooses, then books the picked time with the named engineer', async () => {
    const w = await makeWorld();
    const t = await takenTicket(w);
    const offered = await act(w.ctx, w.as.line1, t.id, {
      action: 'offer_visit',
      slots: twoTimes,
      engineerId: w.ids.field,
      address: 'Тверская, 1, офис 5',
    });
    expect(offered.ticket).toMatchObject({ status: 'waiting_for_customer', slaPausedAt: w.clock.now() });
    expect(offered.ticket.line).toBe('line1');
    expect(offered.ticket.visitStartsAt).toBeNull();

    // Stored earliest first, each for the named engineer, offered by the engineer who made the offer.
    const slots = await offeredSlots(w.ctx.db, t.id);
    expect(slots.map((s) => [s.startsAt, s.endsAt, s.engineerId, s.offeredBy, s.state])).toEqual([
      [TUE_10, TUE_12, w.ids.field, w.ids.line1, 'offered'],
      [TUE_14, TUE_16, w.ids.field, w.ids.line1, 'offered'],
    ]);
    const [early, late] = slots as [(typeof slots)[0], (typeof slots)[0]];
    // The event lists the slots with their ids: the bot draws a button for each.
    const offerEvent = await lastEvent(w, t.id);
    expect(offerEvent).toMatchObject({ id: offered.eventId, type: 'offer_visit', internal: false });
    expect(offerEvent?.data).toEqual({
      slots: [
        { id: early.id, startsAt: TUE_10, endsAt: TUE_12 },
        { id: late.id, startsAt: TUE_14, endsAt: TUE_16 },
      ],
      engineerId: w.ids.field,
      address: 'Тверская, 1, офис 5',
    });
    // Only the client hears of it: the assignee made the offer themselves.
    expect(await notices(w, offered.eventId)).toEqual([{ to: w.ids.clientA, kind: 'requester.offer_visit' }]);

    w.clock.advance(90 * MINUTE);
    const before = await row(w, t.id);
    const picked = await act(w.ctx, w.as.clientA, t.id, { action: 'pick_visit', slotId: late.id });
    expect(picked.ticket).toMatchObject({
      status: 'in_progress',
      line: 'field',
      assigneeId: w.ids.field,
      visitStartsAt: TUE_14,
      visitEndsAt: TUE_16,
      visitCheckedInAt: null,
      visitCheckedOutAt: null,
      slaPausedAt: null,
      slaPausedMinutes: 90,
    });
    expect(picked.ticket.resolutionDueAt).toBe((before?.resolutionDueAt ?? 0) + 90 * MINUTE);
    expect((await slotsOf(w, t.id)).map((s) => [s.id, s.state])).toEqual([
      [early.id, 'withdrawn'],
      [late.id, 'picked'],
    ]);
    expect(await offeredSlots(w.ctx.db, t.id)).toEqual([]);
    expect((await lastEvent(w, t.id))?.data).toEqual({
      slotId: late.id,
      startsAt: TUE_14,
      endsAt: TUE_16,
      engineerId: w.ids.field,
      address: 'Тверская, 1, офис 5',
    });
    // The engineer who comes hears the client's choice; the client made it and is not told.
    expect(await notices(w, picked.eventId)).toEqual([{ to: w.ids.field, kind: 'assignee.pick_visit' }]);
    expect(visitOf(picked.ticket)).toEqual({
      startsAt: TUE_14,
      endsAt: TUE_16,
      checkedInAt: null,
      checkedOutAt: null,
      stage: 'scheduled',
    });
  });

  it('hands a picked time to the field line when no field engineer is named or on the ticket', async () => {
    const w = await makeWorld();
    const t = await takenTicket(w);
    const offered = await act(w.ctx, w.as.line1, t.id, { action: 'offer_visit', slots: twoTimes });
    const slotId = (await offeredSlots(w.ctx.db, t.id))[0]?.id ?? 0;
    const picked = await act(w.ctx, w.as.clientA, t.id, { action: 'pick_visit', slotId });
    // Engineer One (1st line) does not go on site: the ticket waits in the field queue.
    expect(picked.ticket).toMatchObject({ line: 'field', assigneeId: null, visitStartsAt: TUE_10 });
    expect(await notices(w, picked.eventId)).toEqual([{ to: w.ids.field, kind: 'line.pick_visit' }]);
    expect(offered.ticket.assigneeId).toBe(w.ids.line1);
  });

  it('keeps a field engineer already on the ticket and starts the new visit afresh', async () => {
    const w = await makeWorld();
    const t = await takenTicket(w);
    await act(w.ctx, w.as.line1, t.id, {
      action: 'schedule_visit',
      startsAt: TUE_10,
      endsAt: TUE_12,
      engineerId: w.ids.field,
    });
    w.clock.set(TUE_10);
    await act(w.ctx, w.as.field, t.id, { action: 'check_in' });
    // A part is missing: the engineer offers times to come back.
    const offered = await act(w.ctx, w.as.field, t.id, {
      action: 'offer_visit',
      slots: [{ startsAt: THU_10, endsAt: THU_12 }],
    });
    expect(await notices(w, offered.eventId)).toEqual([{ to: w.ids.clientA, kind: 'requester.offer_visit' }]);
    const slotId = (await offeredSlots(w.ctx.db, t.id))[0]?.id ?? 0;
    const picked = await act(w.ctx, w.as.managerA, t.id, { action: 'pick_visit', slotId });
    expect(picked.ticket).toMatchObject({
      assigneeId: w.ids.field,
      visitStartsAt: THU_10,
      visitEndsAt: THU_12,
      visitCheckedInAt: null,
      visitCheckedOutAt: null,
    });
    // The manager picked for the requester: the requester and the engineer hear of it.
    expect(await notices(w, picked.eventId)).toEqual([
      { to: w.ids.clientA, kind: 'requester.pick_visit' },
      { to: w.ids.field, kind: 'assignee.pick_visit' },
    ]);
  });

  it('withdraws the earlier times when new ones are offered', async () => {
    const w = await makeWorld();
    const t = await takenTicket(w);
    await act(w.ctx, w.as.line1, t.id, { action: 'offer_visit', slots: twoTimes });
    const first = await offeredSlots(w.ctx.db, t.id);
    // None of them suits the client: their answer puts the ticket back to work.
    await addComment(w.ctx, w.as.clientA, t.id, { body: 'Tuesday is impossible, Thursday please' });
    expect((await row(w, t.id))?.status).toBe('in_progress');
    const second = await act(w.ctx, w.as.line1, t.id, {
      action: 'offer_visit',
      slots: [{ startsAt: THU_10, endsAt: THU_12 }],
    });
    expect(second.ticket.status).toBe('waiting_for_customer');
    expect((await offeredSlots(w.ctx.db, t.id)).map((s) => s.startsAt)).toEqual([THU_10]);
    expect((await slotsOf(w, t.id)).filter((s) => s.state === 'withdrawn').map((s) => s.id)).toEqual(
      first.map((s) => s.id),
    );

    // A button from the first offer changes nothing.
    const before = await snapshot(w, t.id);
    let error: unknown;
    try {
      await act(w.ctx, w.as.clientA, t.id, { action: 'pick_visit', slotId: first[0]?.id ?? 0 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransitionRefusedError);
    expect((error as TransitionRefusedError).reason).toBe('rule');
    expect(await snapshot(w, t.id)).toEqual(before);
  });

  it('changes nothing for a withdrawn, picked, foreign, made-up or past time', async () => {
    const w = await makeWorld();
    const t = await takenTicket(w);
    const other = await takenTicket(w, 'Printer jams');
    await act(w.ctx, w.as.line1, other.id, {
      action: 'offer_visit',
      slots: [{ startsAt: THU_10, endsAt: THU_12 }],
    });
    const foreign = (await offeredSlots(w.ctx.db, other.id))[0]?.id ?? 0;
    await act(w.ctx, w.as.line1, t.id, { action: 'offer_visit', slots: twoTimes });
    const [early, late] = (await offeredSlots(w.ctx.db, t.id)).map((s) => s.id) as [number, number];
    await act(w.ctx, w.as.clientA, t.id, { action: 'pick_visit', slotId: early });

    const refusals: [number, typeof InvalidInputError | typeof TransitionRefusedError, RegExp][] = [
      [late, TransitionRefusedError, /no longer offered/],
      [early, TransitionRefusedError, /no longer offered/],
      [foreign, InvalidInputError, /no such visit time/],
      [999_999, InvalidInputError, /no such visit time/],
    ];
    for (const [slotId, type, message] of refusals) {
      const before = await snapshot(w, t.id);
      const otherBefore = await snapshot(w, other.id);
      const attempt = async () => await act(w.ctx, w.as.clientA, t.id, { action: 'pick_visit', slotId });
      await expect(attempt(), `slot ${slotId}`).rejects.toThrow(type);
      await expect(attempt(), `slot ${slotId}`).rejects.toThrow(message);
      expect(await snapshot(w, t.id), `slot ${slotId}`).toEqual(before);
      expect(await snapshot(w, other.id), `slot ${slotId}`).toEqual(otherBefore);
    }
    expect((await row(w, t.id))?.visitStartsAt).toBe(TUE_10);

    // A time that has already begun can no longer be picked.
    w.clock.set(THU_10 + MINUTE);
    const before = await snapshot(w, other.id);
    await expect(
      act(w.ctx, w.as.clientA, other.id, { action: 'pick_visit', slotId: foreign }),
    ).rejects.toThrow(/has passed/);
    expect(await snapshot(w, other.id)).toEqual(before);
  });

  it('lets nobody else pick: another company does not see the ticket, staff may not choose for the client', async () => {
    const w = await makeWorld();
    const t = await takenTicket(w);
    await act(w.ctx, w.as.line1, t.id, { action: 'offer_visit', slots: twoTimes });
    const slotId = (await offeredSlots(w.ctx.db, t.id))[0]?.id ?? 0;
    const before = await snapshot(w, t.id);
    for (const who of ['clientB', 'managerB', 'clientA2', 'stranger'] as const) {
      await expect(act(w.ctx, w.as[who], t.id, { action: 'pick_visit', slotId }), who).rejects.toThrow(
        NotFoundError,
      );
    }
    for (const who of ['line1', 'supervisor', 'admin'] as const) {
      await expect(act(w.ctx, w.as[who], t.id, { action: 'pick_visit', slotId }), who).rejects.toThrow(
        expect.objectContaining({ reason: 'role' }),
      );
    }
    expect(await snapshot(w, t.id)).toEqual(before);
  });

  it('rejects bad offers with a clear error and writes nothing', async () => {
    const w = await makeWorld();
    const t = await takenTicket(w);
    const now = w.clock.now();
    const slot = (startsAt: number, endsAt: number) => ({ startsAt, endsAt });
    const bad: [Command, RegExp][] = [
      [{ action: 'offer_visit', slots: [] }, /slots/],
      [
        {
          action: 'offer_visit',
          slots: [slot(TUE_10, TUE_12), slot(TUE_14, TUE_16), slot(THU_10, THU_12), slot(THU_12, THU_12 + 1)],
        },
        /slots/,
      ],
      [{ action: 'offer_visit', slots: [slot(TUE_12, TUE_10)] }, /end after/],
      [{ action: 'offer_visit', slots: [slot(TUE_10, TUE_14), slot(TUE_12, TUE_16)] }, /overlap/],
      [{ action: 'offer_visit', slots: [slot(TUE_10, TUE_12), slot(TUE_10, TUE_12)] }, /overlap/],
      [{ action: 'offer_visit', slots: [slot(TUE_10, TUE_12), slot(now - MINUTE, now + MINUTE)] }, /future/],
      [
        { action: 'offer_visit', slots: [slot(TUE_10, TUE_12)], engineerId: w.ids.line1 },
        /does not work on field/,
      ],
      [{ action: 'offer_visit', slots: [slot(TUE_10, TUE_12)], address: 'x'.repeat(501) }, /address/],
      [{ action: 'pick_visit', slotId: -1 } as Command, /slotId/],
    ];
    const before = await snapshot(w, t.id);
    for (const [cmd, message] of bad) {
      await expect(act(w.ctx, w.as.line1, t.id, cmd), JSON.stringify(cmd)).rejects.toThrow(InvalidInputError);
      await expect(act(w.ctx, w.as.line1, t.id, cmd), JSON.stringify(cmd)).rejects.toThrow(message);
    }
    expect(await snapshot(w, t.id)).toEqual(before);
    // Back to back is not an overlap.
    await act(w.ctx, w.as.line1, t.id, {
      action: 'offer_visit',
      slots: [slot(TUE_10, TUE_12), slot(TUE_12, TUE_14)],
    });
    expect(await offeredSlots(w.ctx.db, t.id)).toHaveLength(2);
  });

  it('lets times lapse when staff fix the visit themselves or the ticket is resolved', async () => {
    const w = await makeWorld();
    const t = await takenTicket(w);
    await act(w.ctx, w.as.line1, t.id, { action: 'offer_visit', slots: twoTimes });
    await act(w.ctx, w.as.clientA, t.id, { action: 'resume', answer: 'I will call you' });
    await act(w.ctx, w.as.line1, t.id, { action: 'schedule_visit', startsAt: THU_10, endsAt: THU_12 });
    expect(await offeredSlots(w.ctx.db, t.id)).toEqual([]);
    expect(await row(w, t.id)).toMatchObject({ line: 'field', visitStartsAt: THU_10 });

    const u = await takenTicket(w, 'Monitor flickers');
    await act(w.ctx, w.as.line1, u.id, { action: 'offer_visit', slots: twoTimes });
    await act(w.ctx, w.as.line1, u.id, { action: 'resolve', resolution: 'It was the cable, fixed by phone' });
    expect(await offeredSlots(w.ctx.db, u.id)).toEqual([]);
    expect((await slotsOf(w, u.id)).map((s) => s.state)).toEqual(['withdrawn', 'withdrawn']);
  });
});

describe('the engineer on site', () => {
  /** A ticket with Tuesday's times offered, the field engineer named. */
  async function booked(w: World) {
    const t = await takenTicket(w);
    await act(w.ctx, w.as.line1, t.id, { action: 'offer_visit', slots: twoTimes, engineerId: w.ids.field });
    return t;
  }

  it('refuses a check-in before a time is picked, and out of order', async () => {
    const w = await makeWorld();
    const t = await booked(w);
    // Still waiting for the client's choice.
    await expect(act(w.ctx, w.as.supervisor, t.id, { action: 'check_in' })).rejects.toThrow(
      expect.objectContaining({ reason: 'status' }),
    );
    // In progress, but no visit booked.
    const plain = await takenTicket(w, 'Keyboard');
    for (const action of ['check_in', 'check_out'] as const) {
      const before = await snapshot(w, plain.id);
      await expect(act(w.ctx, w.as.supervisor, plain.id, { action }), action).rejects.toThrow(
        expect.objectContaining({ reason: 'rule' }),
      );
      expect(await snapshot(w, plain.id)).toEqual(before);
    }
    await expect(act(w.ctx, w.as.supervisor, plain.id, { action: 'check_in' })).rejects.toThrow(/no visit/);
  });

  it('records arrival, then departure, once each, and tells the client', async () => {
    const w = await makeWorld();
    const t = await booked(w);
    await act(w.ctx, w.as.clientA, t.id, {
      action: 'pick_visit',
      slotId: (await offeredSlots(w.ctx.db, t.id))[0]?.id ?? 0,
    });

    const early = await snapshot(w, t.id);
    await expect(act(w.ctx, w.as.field, t.id, { action: 'check_out' })).rejects.toThrow(/not checked in/);
    expect(await snapshot(w, t.id)).toEqual(early);

    w.clock.set(TUE_10 + 5 * MINUTE);
    const inn = await act(w.ctx, w.as.field, t.id, { action: 'check_in' });
    expect(inn.ticket).toMatchObject({ status: 'in_progress', visitCheckedInAt: TUE_10 + 5 * MINUTE });
    expect(visitOf(inn.ticket)?.stage).toBe('on_site');
    expect(await lastEvent(w, t.id)).toMatchObject({
      type: 'check_in',
      internal: false,
      data: { checkedInAt: TUE_10 + 5 * MINUTE },
    });
    expect(await notices(w, inn.eventId)).toEqual([{ to: w.ids.clientA, kind: 'requester.check_in' }]);
    const twice = await snapshot(w, t.id);
    await expect(act(w.ctx, w.as.field, t.id, { action: 'check_in' })).rejects.toThrow(/already checked in/);
    expect(await snapshot(w, t.id)).toEqual(twice);

    w.clock.set(TUE_12 - 10 * MINUTE);
    // The supervisor closes the visit for the engineer: the engineer hears of it too.
    const out = await act(w.ctx, w.as.supervisor, t.id, { action: 'check_out', note: 'Switch replaced' });
    expect(out.ticket).toMatchObject({ status: 'in_progress', visitCheckedOutAt: TUE_12 - 10 * MINUTE });
    expect(visitOf(out.ticket)?.stage).toBe('done');
    expect((await lastEvent(w, t.id))?.data).toEqual({
      checkedOutAt: TUE_12 - 10 * MINUTE,
      note: 'Switch replaced',
    });
    expect(await notices(w, out.eventId)).toEqual([
      { to: w.ids.clientA, kind: 'requester.check_out' },
      { to: w.ids.field, kind: 'assignee.check_out' },
    ]);
    const done = await snapshot(w, t.id);
    await expect(act(w.ctx, w.as.field, t.id, { action: 'check_out' })).rejects.toThrow(
      /already checked out/,
    );
    await expect(
      act(w.ctx, w.as.field, t.id, { action: 'check_out', note: 'x'.repeat(2001) }),
    ).rejects.toThrow(InvalidInputError);
    expect(await snapshot(w, t.id)).toEqual(done);
  });

  it('lets only field staff, 2nd line, supervisors and admins check in', async () => {
    const w = await makeWorld();
    const t = await booked(w);
    await act(w.ctx, w.as.clientA, t.id, {
      action: 'pick_visit',
      slotId: (await offeredSlots(w.ctx.db, t.id))[0]?.id ?? 0,
    });
    const before = await snapshot(w, t.id);
    for (const who of ['line1', 'clientA', 'managerA'] as const) {
      await expect(act(w.ctx, w.as[who], t.id, { action: 'check_in' }), who).rejects.toThrow(
        expect.objectContaining({ reason: 'role' }),
      );
    }
    await expect(act(w.ctx, w.as.clientB, t.id, { action: 'check_in' })).rejects.toThrow(NotFoundError);
    expect(await snapshot(w, t.id)).toEqual(before);
    expect((await act(w.ctx, w.as.line2, t.id, { action: 'check_in' })).ticket.visitCheckedInAt).toBe(
      w.clock.now(),
    );
  });
});

describe('categorizing', () => {
  it('sets an active category without changing the status, as an internal event', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Paper jam' });
    const first = await act(w.ctx, w.as.line1, t.id, {
      action: 'categorize',
      categoryId: w.category.printer,
    });
    expect(first.ticket).toMatchObject({ status: 'new', categoryId: w.category.printer });
    expect(await lastEvent(w, t.id)).toMatchObject({
      type: 'categorize',
      internal: true,
      data: { categoryId: w.category.printer, from: null },
    });
    // Nobody is assigned and the client does not see internal events.
    expect(await notices(w, first.eventId)).toEqual([]);
    expect((await timeline(w.ctx, w.as.clientA, t.id)).map((e) => e.type)).toEqual(['created']);
    expect(first.ticket.firstRespondedAt).toBeNull();

    await act(w.ctx, w.as.line1, t.id, { action: 'triage', assigneeId: w.ids.line1b });
    const second = await act(w.ctx, w.as.line2, t.id, {
      action: 'categorize',
      categoryId: w.category.network,
    });
    expect(second.ticket).toMatchObject({ status: 'open', categoryId: w.category.network });
    expect(await notices(w, second.eventId)).toEqual([{ to: w.ids.line1b, kind: 'assignee.categorize' }]);
  });

  it('refuses no change, an unknown or retired category, and clients', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram',
      description: 'Paper jam',
      categoryId: w.category.printer,
    });
    const retired = (
      await queryOne(
        w.ctx.db
          .insert(categories)
          .values({ code: 'fax', nameRu: 'Факс', nameEn: 'Fax', active: false })
          .returning(),
      )
    ).id;
    const before = await snapshot(w, t.id);
    const refusals: [number, RegExp][] = [
      [w.category.printer, /nothing changes/],
      [999, /no such category/],
      [retired, /no such category/],
    ];
    for (const [categoryId, message] of refusals) {
      await expect(act(w.ctx, w.as.line1, t.id, { action: 'categorize', categoryId })).rejects.toThrow(
        message,
      );
    }
    await expect(
      act(w.ctx, w.as.clientA, t.id, { action: 'categorize', categoryId: w.category.network }),
    ).rejects.toThrow(expect.objectContaining({ reason: 'role' }));
    expect(await snapshot(w, t.id)).toEqual(before);
  });
});

describe('declining an assignment', () => {
  it('puts an assigned open ticket back in the queue, and refuses when nobody is assigned', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'VPN' });
    await act(w.ctx, w.as.line1, t.id, { action: 'triage', assigneeId: w.ids.line1b });
    const declined = await act(w.ctx, w.as.line1b, t.id, {
      action: 'return_to_queue',
      reason: 'On leave today',
    });
    expect(declined.ticket).toMatchObject({ status: 'open', assigneeId: null });
    expect((await lastEvent(w, t.id))?.data).toEqual({ from: w.ids.line1b, reason: 'On leave today' });
    expect(await notices(w, declined.eventId)).toEqual([
      { to: w.ids.clientA, kind: 'requester.return_to_queue' },
      { to: w.ids.line1, kind: 'line.return_to_queue' },
    ]);

    const before = await snapshot(w, t.id);
    let error: unknown;
    try {
      await act(w.ctx, w.as.line1, t.id, { action: 'return_to_queue' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransitionRefusedError);
    expect((error as TransitionRefusedError).reason).toBe('rule');
    expect(await snapshot(w, t.id)).toEqual(before);
  });
});

describe('canned replies', () => {
  async function withReplies(w: World) {
    await execute(
      w.ctx.db.insert(cannedReplies).values([
        { title: 'Screenshot', body: 'Please send a screenshot', sort: 20 },
        { title: 'Restart', body: 'Please restart the device', sort: 10 },
        { title: 'Old', body: 'Retired text', sort: 5, active: false },
      ]),
    );
    return await queryAll(w.ctx.db.select().from(cannedReplies));
  }

  it('lists the active ones in order, for staff only', async () => {
    const w = await makeWorld();
    const replies = await withReplies(w);
    const idOf = (title: string) => replies.find((r) => r.title === title)?.id ?? 0;
    const [screenshot, restart, old] = [idOf('Screenshot'), idOf('Restart'), idOf('Old')];
    expect((await listCannedReplies(w.ctx, w.as.field)).map((r) => r.title)).toEqual([
      'Restart',
      'Screenshot',
    ]);
    expect((await getCannedReply(w.ctx, w.as.line1, restart)).body).toBe('Please restart the device');
    expect((await getCannedReply(w.ctx, w.as.supervisor, screenshot)).title).toBe('Screenshot');
    await expect(getCannedReply(w.ctx, w.as.line1, old)).rejects.toThrow(NotFoundError);
    await expect(getCannedReply(w.ctx, w.as.line1, 999)).rejects.toThrow(NotFoundError);
    for (const who of ['clientA', 'managerA', 'stranger'] as const) {
      await expect(listCannedReplies(w.ctx, w.as[who]), who).rejects.toThrow(ForbiddenError);
      await expect(getCannedReply(w.ctx, w.as[who], restart), who).rejects.toThrow(ForbiddenError);
    }
  });

  // The demo (and its seed) runs on SQLite only.
  it.skipIf(onPostgres)('come with the demo: four Russian classics', async () => {
    const db = await openTestStore();
    const now = Date.parse('2026-11-25T12:00:00Z');
    await seedDemo(db, now);
    const replies = await listCannedReplies(createContext(db, new ManualClock(now)), SYSTEM);
    expect(replies).toHaveLength(4);
    expect(replies.map((r) => r.title)).toEqual([
      'Перезагрузите устройство',
      'Сброс пароля',
      'Уже занимаемся',
      'Пришлите скриншот',
    ]);
    for (const r of replies) expect(r.body).toMatch(/[а-яё]{4}/i);
  });
});

describe('texts', () => {
  it('name the new events and tell the client in both languages', () => {
    const vars = { number: '1001', slot: '03.11.2026 10:00–12:00', address: 'Тверская, 1' };
    for (const language of ['ru', 'en'] as const) {
      const t = translator(language);
      for (const type of ['offer_visit', 'pick_visit', 'check_in', 'check_out', 'categorize']) {
        expect(t(`event-${type}`), `${language}: event-${type}`).not.toBe(`event-${type}`);
      }
      for (const type of ['offer_visit', 'pick_visit', 'check_in', 'check_out']) {
        expect(t(`notice-requester-${type}`, vars), `${language}: ${type}`).toContain('#1001');
      }
      expect(t('notice-requester-pick_visit', vars)).toContain('10:00–12:00');
    }
    expect(translator('en')('notice-requester-offer_visit', { number: '7' })).toBe(
      'The engineer offers on-site visit times for #7: choose one below',
    );
  });
});

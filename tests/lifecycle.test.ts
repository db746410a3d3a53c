// The whole transition table: every action from every status by every role on the ticket. The expected
// table is written out here, independently of core/lifecycle.ts; each allowed move must land on its
// status and write one event, each refused one must raise a typed error and write nothing.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  NotFoundError,
  StaleTicketError,
  TransitionRefusedError,
} from '../core/errors.ts';
import { ACTIONS, type Action } from '../core/lifecycle.ts';
import { STATUSES, type Status } from '../core/model.ts';
import { type Actor, SYSTEM } from '../core/permissions.ts';
import { act, type Command } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { tickets, visitSlots } from '../db/schema.ts';
import { counts, makeWorld, type World } from './fixtures.ts';

type R =
  | 'client'
  | 'client_manager'
  | 'line1'
  | 'line2'
  | 'field_engineer'
  | 'supervisor'
  | 'admin'
  | 'system';
const ROLES: R[] = [
  'client',
  'client_manager',
  'line1',
  'line2',
  'field_engineer',
  'supervisor',
  'admin',
  'system',
];
const ENGINEERS: R[] = ['line1', 'line2', 'field_engineer', 'supervisor', 'admin'];
const WORKING: Status[] = ['open', 'in_progress', 'waiting_for_customer'];
const ON_SITE: R[] = ['field_engineer', 'line2', 'supervisor', 'admin'];

/** action → status it starts from → roles allowed, and the status it leads to ('same' keeps it). */
const EXPECTED: Record<Action, { from: Status[]; roles: R[]; to: Status | 'same' }[]> = {
  triage: [{ from: ['new'], roles: ['line1', 'supervisor', 'admin'], to: 'open' }],
  reprioritize: [{ from: WORKING, roles: ['line1', 'line2', 'supervisor', 'admin'], to: 'same' }],
  categorize: [{ from: ['new', ...WORKING], roles: ['line1', 'line2', 'supervisor', 'admin'], to: 'same' }],
  take: [{ from: ['new', 'open', 'in_progress'], roles: ENGINEERS, to: 'in_progress' }],
  assign: [{ from: WORKING, roles: ['line1', 'supervisor', 'admin'], to: 'same' }],
  return_to_queue: [{ from: ['open', 'in_progress'], roles: ENGINEERS, to: 'open' }],
  ask_customer: [{ from: ['in_progress'], roles: ENGINEERS, to: 'waiting_for_customer' }],
  resume: [
    { from: ['waiting_for_customer'], roles: ['client', 'client_manager', ...ENGINEERS], to: 'in_progress' },
  ],
  escalate_line2: [{ from: WORKING, roles: ['line1', 'supervisor', 'admin'], to: 'open' }],
  schedule_visit: [
    { from: ['open', 'in_progress'], roles: ['line1', 'line2', 'supervisor', 'admin'], to: 'in_progress' },
  ],
  offer_visit: [{ from: ['open', 'in_progress'], roles: ENGINEERS, to: 'waiting_for_customer' }],
  pick_visit: [{ from: WORKING, roles: ['client', 'client_manager'], to: 'in_progress' }],
  check_in: [{ from: ['in_progress'], roles: ON_SITE, to: 'same' }],
  check_out: [{ from: ['in_progress'], roles: ON_SITE, to: 'same' }],
  resolve: [{ from: WORKING, roles: ENGINEERS, to: 'resolved' }],
  confirm: [{ from: ['resolved'], roles: ['client', 'client_manager', 'supervisor', 'admin'], to: 'closed' }],
  auto_close: [{ from: ['resolved'], roles: ['system'], to: 'closed' }],
  reopen: [
    { from: ['resolved'], roles: ['client', 'client_manager', 'line1', 'supervisor', 'admin'], to: 'open' },
    { from: ['closed'], roles: ['supervisor', 'admin'], to: 'open' },
  ],
  cancel: [
    {
      from: ['new', ...WORKING],
      roles: ['client', 'client_manager', 'line1', 'supervisor', 'admin'],
      to: 'cancelled',
    },
  ],
  rate: [{ from: ['closed'], roles: ['client'], to: 'same' }],
};

function expected(action: Action, status: Status, role: R): Status | 'refused-status' | 'refused-role' {
  const rows = EXPECTED[action].filter((r) => r.from.includes(status));
  if (rows.length === 0) return 'refused-status';
  const row = rows.find((r) => r.roles.includes(role));
  if (!row) return 'refused-role';
  return row.to === 'same' ? status : row.to;
}

async function command(w: World, action: Action, ticketId: number): Promise<Command> {
  const now = w.clock.now();
  switch (action) {
    case 'reprioritize':
      return { action, priority: 'P1' };
    case 'categorize':
      return { action, categoryId: w.category.printer };
    case 'assign':
      return { action, assigneeId: w.ids.line1 };
    case 'ask_customer':
      return { action, question: 'Which floor?' };
    case 'escalate_line2':
      return { action, reason: 'Needs server access' };
    case 'schedule_visit':
      return { action, startsAt: now + 86_400_000, endsAt: now + 86_400_000 + 7_200_000 };
    case 'offer_visit':
      return { action, slots: [{ startsAt: now + 86_400_000, endsAt: now + 86_400_000 + 7_200_000 }] };
    case 'pick_visit': {
      const slot = await queryOne(
        w.ctx.db.select().from(visitSlots).where(eq(visitSlots.ticketId, ticketId)),
      );
      return { action, slotId: slot?.id ?? 0 };
    }
    case 'resolve':
      return { action, resolution: 'Replaced the cable' };
    case 'reopen':
      return { action, reason: 'Broken again' };
    case 'rate':
      return { action, rating: 4 };
    default:
      return { action } as Command;
  }
}

const slotsOf = async (w: World, ticketId: number) =>
  await queryAll(w.ctx.db.select().from(visitSlots).where(eq(visitSlots.ticketId, ticketId)));

function actorFor(w: World, role: R): Actor {
  const key = {
    client: 'clientA',
    client_manager: 'managerA',
    line1: 'line1',
    line2: 'line2',
    field_engineer: 'field',
    supervisor: 'supervisor',
    admin: 'admin',
  } as const;
  return role === 'system' ? SYSTEM : w.as[key[role]];
}

/**
 * A ticket of client A put straight into `status`, as the lifecycle would have left it, with what
 * `action` needs beyond the status: an assignment to decline, a visit time to pick, a visit to check in
 * to or out of.
 */
async function ticketIn(w: World, status: Status, role: R, action: Action) {
  const t = await createTicket(w.ctx, w.as.clientA, {
    channel: 'telegram',
    description: 'No internet',
    impact: 'person',
  });
  const now = w.clock.now();
  const worked = (!['new', 'open'].includes(status) && action !== 'take') || action === 'return_to_queue';
  // A field engineer sees only tickets assigned to them (or on-site ones).
  const assigneeId = role === 'field_engineer' ? w.ids.field : worked ? w.ids.line1b : null;
  if (action === 'pick_visit') {
    await execute(
      w.ctx.db
        .insert(visitSlots)
        .values({ ticketId: t.id, startsAt: now + 86_400_000, endsAt: now + 90_000_000, offeredAt: now }),
    );
  }
  const visit = action === 'check_in' || action === 'check_out';
  return await queryOne(
    w.ctx.db
      .update(tickets)
      .set({
        status,
        assigneeId,
        slaPausedAt: ['waiting_for_customer', 'resolved', 'closed'].includes(status) ? now : null,
        resolvedAt: ['resolved', 'closed'].includes(status) ? now : null,
        resolutionMet: ['resolved', 'closed'].includes(status) ? true : null,
        closedAt: ['closed', 'cancelled'].includes(status) ? now : null,
        visitStartsAt: visit ? now + 3_600_000 : null,
        visitEndsAt: visit ? now + 7_200_000 : null,
        visitCheckedInAt: action === 'check_out' ? now : null,
      })
      .where(eq(tickets.id, t.id))
      .returning(),
  );
}

describe('the transition table', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
  });

  it('covers every action', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  describe.each(ACTIONS)('%s', (action) => {
    it.each(STATUSES)('from %s, for every role', async (status) => {
      for (const role of ROLES) {
        const before = await ticketIn(w, status, role, action);
        const rowsBefore = await counts(w);
        const slotsBefore = await slotsOf(w, before.id);
        const want = expected(action, status, role);
        const label = `${action} from ${status} by ${role}`;
        if (want === 'refused-status' || want === 'refused-role') {
          let error: unknown;
          try {
            await act(w.ctx, actorFor(w, role), before.id, await command(w, action, before.id));
          } catch (e) {
            error = e;
          }
          expect(error, label).toBeInstanceOf(TransitionRefusedError);
          expect((error as TransitionRefusedError).reason, label).toBe(
            want === 'refused-status' ? 'status' : 'role',
          );
          expect(
            await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, before.id))),
            label,
          ).toEqual(before);
          expect(await counts(w), label).toEqual(rowsBefore);
          expect(await slotsOf(w, before.id), label).toEqual(slotsBefore);
        } else {
          const { ticket } = await act(
            w.ctx,
            actorFor(w, role),
            before.id,
            await command(w, action, before.id),
          );
          expect(ticket.status, label).toBe(want);
          expect(ticket.version, label).toBe(before.version + 1);
          expect((await counts(w)).events, label).toBe(rowsBefore.events + 1);
        }
      }
    });
  });
});

describe('rules beyond the table', () => {
  it('refuses an escalation of a ticket already on the 2nd line', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'web', description: 'Server down' });
    await act(w.ctx, w.as.line1, t.id, { action: 'triage' });
    await act(w.ctx, w.as.line1, t.id, { action: 'escalate_line2', reason: 'Needs a DBA' });
    const rows = await counts(w);
    await expect(act(w.ctx, w.as.line1, t.id, { action: 'escalate_line2', reason: 'Again' })).rejects.toThrow(
      expect.objectContaining({ reason: 'rule' }),
    );
    expect(await counts(w)).toEqual(rows);
  });

  it('lets a ticket be rated once', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'web', description: 'Mouse' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await act(w.ctx, w.as.line1, t.id, { action: 'resolve', resolution: 'New mouse' });
    await act(w.ctx, w.as.clientA, t.id, { action: 'confirm' });
    expect(
      (await act(w.ctx, w.as.clientA, t.id, { action: 'rate', rating: 5, comment: 'Fast' })).ticket.rating,
    ).toBe(5);
    await expect(act(w.ctx, w.as.clientA, t.id, { action: 'rate', rating: 1 })).rejects.toThrow(
      TransitionRefusedError,
    );
    expect((await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id))))?.rating).toBe(5);
  });

  it('refuses a move made on an outdated view and writes nothing', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'web', description: 'Scanner' });
    await act(w.ctx, w.as.line1, t.id, { action: 'triage', expectedVersion: 1 });
    const rows = await counts(w);
    // The second engineer still looks at version 1.
    await expect(act(w.ctx, w.as.line2, t.id, { action: 'take', expectedVersion: 1 })).rejects.toThrow(
      StaleTicketError,
    );
    expect(await counts(w)).toEqual(rows);
  });

  it('lets only one of two engineers take a ticket', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'web', description: 'Wi-Fi' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await expect(act(w.ctx, w.as.line2, t.id, { action: 'take' })).rejects.toThrow(
      /someone is working on it/,
    );
    expect((await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id))))?.assigneeId).toBe(
      w.ids.line1,
    );
  });

  it('rejects bad commands with a clear error and writes nothing', async () => {
    const w = await makeWorld();
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'web', description: 'Monitor' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    const rows = await counts(w);
    const bad: [unknown, RegExp][] = [
      [{ action: 'resolve' }, /resolution/],
      [{ action: 'resolve', resolution: '   ' }, /resolution/],
      [{ action: 'fly' }, /action/],
      [{ action: 'assign', assigneeId: w.ids.clientA }, /does not work on line1/],
      [{ action: 'schedule_visit', startsAt: w.clock.now() - 1000, endsAt: w.clock.now() + 1000 }, /future/],
      [
        { action: 'schedule_visit', startsAt: w.clock.now() + 2000, endsAt: w.clock.now() + 1000 },
        /end after/,
      ],
      [{ action: 'reprioritize' }, /impact, urgency or priority/],
      [{ action: 'ask_customer', question: 'x'.repeat(4001) }, /question/],
    ];
    for (const [cmd, message] of bad) {
      await expect(act(w.ctx, w.as.line1, t.id, cmd as Command), JSON.stringify(cmd)).rejects.toThrow(
        InvalidInputError,
      );
      await expect(act(w.ctx, w.as.line1, t.id, cmd as Command)).rejects.toThrow(message);
    }
    await expect(act(w.ctx, w.as.line1, 999_999, { action: 'take' })).rejects.toThrow(NotFoundError);
    expect(await counts(w)).toEqual(rows);
  });
});

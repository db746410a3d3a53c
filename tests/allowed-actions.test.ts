// The moves offered as buttons are the moves core accepts: for tickets in every status and situation, as
// every person, each action allowedActions lists is accepted by act, and each it leaves out is refused
// (taking back one's own ticket, a harmless no-op, aside).
import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, TransitionRefusedError } from '../core/errors.ts';
import { ACTIONS, type Action } from '../core/lifecycle.ts';
import { allowedActions } from '../core/permissions.ts';
import { act, type Command } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { getTicket } from '../core/tickets/read.ts';
import { offeredSlots } from '../core/tickets/visits.ts';
import { inTransaction } from '../core/transaction.ts';
import { makeWorld, type PersonKey, type World } from './fixtures.ts';

const DAY = 86_400_000;
const PEOPLE: PersonKey[] = [
  'clientA',
  'clientA2',
  'managerA',
  'clientB',
  'managerB',
  'line1',
  'line1b',
  'line2',
  'field',
  'supervisor',
  'admin',
  'stranger',
];

async function command(w: World, action: Action, ticketId: number): Promise<Command> {
  const now = w.clock.now();
  switch (action) {
    case 'reprioritize':
      return { action, priority: 'P1' };
    case 'categorize':
      return { action, categoryId: w.category.network };
    case 'assign':
      return { action, assigneeId: w.ids.line1b };
    case 'ask_customer':
      return { action, question: 'Which floor?' };
    case 'escalate_line2':
      return { action, reason: 'needs the network team' };
    case 'schedule_visit':
      return { action, startsAt: now + DAY, endsAt: now + DAY + 7_200_000, engineerId: w.ids.field };
    case 'offer_visit':
      return { action, slots: [{ startsAt: now + 2 * DAY, endsAt: now + 2 * DAY + 7_200_000 }] };
    case 'pick_visit':
      return { action, slotId: (await offeredSlots(w.ctx.db, ticketId))[0]?.id ?? 999_999 };
    case 'resolve':
      return { action, resolution: 'Done' };
    case 'reopen':
      return { action, reason: 'Still broken' };
    case 'rate':
      return { action, rating: 4 };
    default:
      return { action } as Command;
  }
}

/** Thrown out of a probe's transaction to roll it back. */
class Undone extends Error {}

/** Whether act accepts the move (input it did not like aside), leaving the store as it was. */
async function accepts(w: World, who: PersonKey, ticketId: number, action: Action): Promise<boolean> {
  const attempt = async () => {
    try {
      await act(w.ctx, w.as[who], ticketId, await command(w, action, ticketId));
      return true;
    } catch (error) {
      if (error instanceof TransitionRefusedError || error instanceof NotFoundError) return false;
      // A visit time that is not offered is the move being impossible, not a bad choice among several.
      if (error instanceof InvalidInputError) return action !== 'pick_visit';
      throw error;
    }
  };
  // The probe runs in a transaction of core's own (act's becomes a savepoint in it), rolled back after.
  let ok = false;
  try {
    await inTransaction(w.ctx.db, async () => {
      ok = await attempt();
      throw new Undone();
    });
  } catch (error) {
    if (!(error instanceof Undone)) throw error;
  }
  return ok;
}

async function situations(w: World): Promise<Record<string, number>> {
  const file = async (who: PersonKey = 'clientA') =>
    (await createTicket(w.ctx, w.as[who], { channel: 'telegram', description: 'Something broke' })).id;
  const go = async (id: number, who: PersonKey, cmd: Command) => {
    await act(w.ctx, w.as[who], id, cmd);
    return id;
  };
  const s: Record<string, number> = {};
  s.new = await file();
  s.unverified = await file('stranger');
  s.open = await go(await file(), 'line1', { action: 'triage' });
  s.openAssigned = await go(await file(), 'line1', { action: 'triage', assigneeId: w.ids.line1b });
  s.inProgress = await go(await file(), 'line1', { action: 'take' });
  s.onLine2 = await go(await go(await file('clientB'), 'line1', { action: 'triage' }), 'line1', {
    action: 'escalate_line2',
    reason: 'x',
  });
  const withVisit = async () =>
    await go(
      await go(await file(), 'line1', { action: 'take' }),
      'line1',
      await command(w, 'schedule_visit', 0),
    );
  s.visit = await withVisit();
  s.onSite = await go(await withVisit(), 'field', { action: 'check_in' });
  s.waiting = await go(
    await go(await file(), 'line1', { action: 'take' }),
    'line1',
    await command(w, 'ask_customer', 0),
  );
  s.offered = await go(
    await go(await file(), 'line1', { action: 'take' }),
    'line1',
    await command(w, 'offer_visit', 0),
  );
  const resolved = async () =>
    await go(await go(await file(), 'line1', { action: 'take' }), 'line1', await command(w, 'resolve', 0));
  s.resolved = await resolved();
  s.closed = await go(await resolved(), 'clientA', { action: 'confirm' });
  s.rated = await go(await go(await resolved(), 'clientA', { action: 'confirm' }), 'clientA', {
    action: 'rate',
    rating: 5,
  });
  s.cancelled = await go(await file(), 'clientA', { action: 'cancel' });
  return s;
}

describe('allowed actions', { timeout: 60_000 }, () => {
  it('are exactly what act accepts, for every situation and person', async () => {
    const w = await makeWorld();
    const tickets = await situations(w);
    let offered = 0;
    for (const [situation, id] of Object.entries(tickets)) {
      for (const who of PEOPLE) {
        let allowed: Action[] = [];
        try {
          const view = await getTicket(w.ctx, w.as[who], id);
          allowed = allowedActions(w.as[who], {
            ...view.ticket,
            offeredSlots: (await offeredSlots(w.ctx.db, id)).length,
          });
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
        offered += allowed.length;
        for (const action of ACTIONS) {
          const ok = await accepts(w, who, id, action);
          const where = `${situation} as ${who}: ${action}`;
          if (allowed.includes(action)) expect(ok, `${where} is offered but refused`).toBe(true);
          else if (ok) {
            // Taking one's own ticket in progress again changes nothing; it is not offered.
            const t = (await getTicket(w.ctx, w.as[who], id)).ticket;
            expect(
              action === 'take' && t.assigneeId === w.ids[who],
              `${where} is accepted but not offered`,
            ).toBe(true);
          }
        }
      }
    }
    expect(offered).toBeGreaterThan(100);
  });

  it('offer the obvious buttons', async () => {
    const w = await makeWorld();
    const s = await situations(w);
    const of = async (who: PersonKey, key: string) => {
      const id = s[key] as number;
      return allowedActions(w.as[who], {
        ...(await getTicket(w.ctx, w.as[who], id)).ticket,
        offeredSlots: (await offeredSlots(w.ctx.db, id)).length,
      }).sort();
    };
    expect(await of('clientA', 'new')).toEqual(['cancel']);
    expect(await of('clientA', 'resolved')).toEqual(['confirm', 'reopen']);
    expect(await of('clientA', 'closed')).toEqual(['rate']);
    expect(await of('clientA', 'rated')).toEqual([]);
    expect(await of('clientA', 'offered')).toEqual(['cancel', 'pick_visit', 'resume']);
    expect(await of('clientA', 'waiting')).toEqual(['cancel', 'resume']);
    expect(await of('field', 'visit')).toContain('check_in');
    expect(await of('field', 'onSite')).toContain('check_out');
    expect(await of('field', 'onSite')).not.toContain('check_in');
    expect(await of('line1b', 'openAssigned')).toContain('return_to_queue');
    expect(await of('line1', 'open')).not.toContain('return_to_queue');
    expect(await of('supervisor', 'onLine2')).not.toContain('escalate_line2');
    expect(
      allowedActions(w.as.clientB, (await getTicket(w.ctx, w.as.line1, s.new as number)).ticket),
    ).toEqual([]);
  });
});

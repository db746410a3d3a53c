// Lifecycle moves on an existing ticket. Each move is checked against the state machine and the actor's
// roles on the ticket, then written as one change; a refusal throws before anything is written.
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import { categories, memberships, type TicketRow } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { InvalidInputError, TransitionRefusedError } from '../errors.ts';
import { type Action, isFinalStatus, isPausedStatus, targetStatus, transitionFor } from '../lifecycle.ts';
import { IMPACTS, type Instant, LINES, type Line, PRIORITIES, type Role, URGENCIES } from '../model.ts';
import { type Actor, isStaff, speaksForClient } from '../permissions.ts';
import type { Policy } from '../policies.ts';
import { firstResponseRecord, pause, resolutionRecord, resume, retarget } from '../sla-clock.ts';
import { priorityFor } from '../sla-policy.ts';
import { statements } from '../statements.ts';
import { inTransaction } from '../transaction.ts';
import { instantSchema, parseInput } from '../validation.ts';
import { assertFresh, recordChange, type TicketPatch, ticketForChange } from './record-change.ts';
import {
  assertVisitTime,
  insertSlots,
  offeredAddress,
  pickSlot,
  slotOfTicket,
  withdrawOffered,
} from './visits.ts';

const id = z.number().int().positive();
const text = (max: number) => z.string().trim().min(1).max(max);
const version = { expectedVersion: z.number().int().positive().optional() };
const classification = {
  impact: z.enum(IMPACTS).optional(),
  urgency: z.enum(URGENCIES).optional(),
  /** A manual override of the matrix. */
  priority: z.enum(PRIORITIES).optional(),
};
const visitTime = {
  startsAt: instantSchema,
  endsAt: instantSchema,
};
const endsAfterStart = (c: { startsAt: number; endsAt: number }) => c.endsAt > c.startsAt;
const notEndingAfterStart = { message: 'the visit must end after it starts', path: ['endsAt'] };

/** No two offered times may overlap (one may end when the next starts). */
function apart(slots: readonly { startsAt: number; endsAt: number }[]): boolean {
  const sorted = [...slots].sort((a, b) => a.startsAt - b.startsAt);
  return sorted.every((s, i) => i === 0 || s.startsAt >= (sorted[i - 1] as { endsAt: number }).endsAt);
}

export const commandSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('triage'),
    ...version,
    ...classification,
    categoryId: id.nullish(),
    line: z.enum(LINES).optional(),
    assigneeId: id.optional(),
  }),
  z
    .object({
      action: z.literal('reprioritize'),
      ...version,
      ...classification,
      reason: text(1000).optional(),
    })
    .refine((c) => c.impact || c.urgency || c.priority, { message: 'give impact, urgency or priority' }),
  z.object({ action: z.literal('categorize'), ...version, categoryId: id }),
  z.object({ action: z.literal('take'), ...version }),
  z.object({ action: z.literal('assign'), ...version, assigneeId: id }),
  z.object({ action: z.literal('return_to_queue'), ...version, reason: text(1000).optional() }),
  z.object({ action: z.literal('ask_customer'), ...version, question: text(4000) }),
  z.object({ action: z.literal('resume'), ...version, answer: text(4000).optional() }),
  z.object({ action: z.literal('escalate_line2'), ...version, reason: text(1000) }),
  z
    .object({
      action: z.literal('schedule_visit'),
      ...version,
      ...visitTime,
      engineerId: id.optional(),
      address: text(500).optional(),
    })
    .refine(endsAfterStart, notEndingAfterStart),
  z.object({
    action: z.literal('offer_visit'),
    ...version,
    /** One to three times, each in the future; the client picks one. */
    slots: z
      .array(z.object(visitTime).refine(endsAfterStart, notEndingAfterStart))
      .min(1)
      .max(3)
      .refine(apart, { message: 'the offered times overlap' }),
    engineerId: id.optional(),
    address: text(500).optional(),
  }),
  z.object({ action: z.literal('pick_visit'), ...version, slotId: id }),
  z.object({ action: z.literal('check_in'), ...version }),
  z.object({ action: z.literal('check_out'), ...version, note: text(2000).optional() }),
  z.object({ action: z.literal('resolve'), ...version, resolution: text(4000) }),
  z.object({ action: z.literal('confirm'), ...version }),
  z.object({ action: z.literal('auto_close'), ...version }),
  z.object({ action: z.literal('reopen'), ...version, reason: text(2000) }),
  z.object({ action: z.literal('cancel'), ...version, reason: text(1000).optional() }),
  z.object({
    action: z.literal('rate'),
    ...version,
    rating: z.number().int().min(1).max(5),
    comment: text(2000).optional(),
  }),
]);
export type Command = z.input<typeof commandSchema>;
type ParsedCommand = z.output<typeof commandSchema>;

/** What a move changes beyond the status, and what its event records. */
interface Outcome {
  patch: TicketPatch;
  data: Record<string, unknown>;
  internal?: boolean;
}

const ROLES_FOR_LINE: Record<Line, Role[]> = {
  line1: ['line1', 'supervisor', 'admin'],
  line2: ['line2', 'supervisor', 'admin'],
  field: ['field_engineer', 'supervisor', 'admin'],
};

async function holdsAny(db: Db, personId: number, roles: Role[]): Promise<boolean> {
  return !!(await queryOne(
    db
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.personId, personId), inArray(memberships.role, roles))),
  ));
}

/** An assignee must be staff who work the ticket's line. */
async function assertAssignable(db: Db, personId: number, line: Line, field = 'assigneeId'): Promise<void> {
  if (!(await holdsAny(db, personId, ROLES_FOR_LINE[line])))
    throw new InvalidInputError(`person ${personId} does not work on ${line}`, [{ path: [field] }]);
}

function reclassify(
  policy: Policy,
  t: TicketRow,
  c: { impact?: string; urgency?: string; priority?: string },
) {
  const impact = (c.impact ?? t.impact) as TicketRow['impact'];
  const urgency = (c.urgency ?? t.urgency) as TicketRow['urgency'];
  const priority =
    (c.priority as TicketRow['priority'] | undefined) ?? priorityFor(policy.matrix, impact, urgency);
  const patch: TicketPatch = { impact, urgency, priority };
  if (priority !== t.priority) Object.assign(patch, retarget(policy.time, policy.targets[priority], t));
  return patch;
}

async function outcomeOf(
  db: Db,
  policy: Policy,
  actor: Actor,
  t: TicketRow,
  cmd: ParsedCommand,
  now: Instant,
): Promise<Outcome> {
  const actorId = actor.kind === 'person' ? actor.personId : null;
  switch (cmd.action) {
    case 'triage': {
      const patch = reclassify(policy, t, cmd);
      if (cmd.categoryId !== undefined) {
        if (cmd.categoryId !== null) {
          const category = db
            .select({ id: categories.id })
            .from(categories)
            .where(eq(categories.id, cmd.categoryId));
          if (!(await queryOne(category)))
            throw new InvalidInputError('no such category', [{ path: ['categoryId'] }]);
        }
        patch.categoryId = cmd.categoryId;
      }
      const line = cmd.line ?? t.line;
      patch.line = line;
      if (cmd.assigneeId !== undefined) {
        await assertAssignable(db, cmd.assigneeId, line);
        patch.assigneeId = cmd.assigneeId;
      }
      return { patch, data: { priority: patch.priority, line, assigneeId: cmd.assigneeId ?? null } };
    }
    case 'reprioritize': {
      const patch = reclassify(policy, t, cmd);
      if (patch.priority === t.priority && patch.impact === t.impact && patch.urgency === t.urgency) {
        throw new InvalidInputError('nothing changes');
      }
      return { patch, data: { from: t.priority, priority: patch.priority, reason: cmd.reason ?? null } };
    }
    case 'categorize': {
      if (!(await queryOne(statements(db).activeCategory, { id: cmd.categoryId })))
        throw new InvalidInputError('no such category', [{ path: ['categoryId'] }]);
      if (cmd.categoryId === t.categoryId) throw new InvalidInputError('nothing changes');
      return {
        patch: { categoryId: cmd.categoryId },
        data: { categoryId: cmd.categoryId, from: t.categoryId },
        internal: true,
      };
    }
    case 'take':
      if (t.status === 'in_progress' && t.assigneeId !== null && t.assigneeId !== actorId)
        throw new TransitionRefusedError('take', t.status, 'rule', 'someone is working on it');
      return { patch: { assigneeId: actorId }, data: { assigneeId: actorId } };
    case 'assign':
      if (cmd.assigneeId === t.assigneeId) throw new InvalidInputError('already assigned to this person');
      await assertAssignable(db, cmd.assigneeId, t.line);
      return {
        patch: { assigneeId: cmd.assigneeId },
        data: { assigneeId: cmd.assigneeId, from: t.assigneeId },
      };
    case 'return_to_queue':
      // From open it declines an assignment not yet accepted: there must be one.
      if (t.status === 'open' && t.assigneeId === null)
        throw new TransitionRefusedError('return_to_queue', t.status, 'rule', 'nobody is assigned');
      return { patch: { assigneeId: null }, data: { from: t.assigneeId, reason: cmd.reason ?? null } };
    case 'ask_customer':
      return { patch: {}, data: { question: cmd.question } };
    case 'resume':
      return { patch: {}, data: { answer: cmd.answer ?? null } };
    case 'escalate_line2':
      if (t.line === 'line2')
        throw new TransitionRefusedError('escalate_line2', t.status, 'rule', 'already on 2nd line');
      return { patch: { line: 'line2', assigneeId: null }, data: { from: t.line, reason: cmd.reason } };
    case 'schedule_visit': {
      assertVisitTime(cmd, now);
      if (cmd.engineerId !== undefined) await assertAssignable(db, cmd.engineerId, 'field', 'engineerId');
      const assigneeId = cmd.engineerId ?? null;
      // A time fixed by staff replaces any times still offered to the client.
      await withdrawOffered(db, t.id);
      return {
        patch: {
          line: 'field',
          assigneeId,
          visitStartsAt: cmd.startsAt,
          visitEndsAt: cmd.endsAt,
          visitCheckedInAt: null,
          visitCheckedOutAt: null,
        },
        data: {
          startsAt: cmd.startsAt,
          endsAt: cmd.endsAt,
          engineerId: assigneeId,
          address: cmd.address ?? null,
        },
      };
    }
    case 'offer_visit': {
      cmd.slots.forEach((s, i) => {
        assertVisitTime(s, now, ['slots', i]);
      });
      if (cmd.engineerId !== undefined) await assertAssignable(db, cmd.engineerId, 'field', 'engineerId');
      const engineerId = cmd.engineerId ?? null;
      // A new offer replaces the one before; the slots are written here, in the move's transaction, so
      // that the event can list their ids (the adapters draw a button per slot).
      await withdrawOffered(db, t.id);
      const times = [...cmd.slots].sort((a, b) => a.startsAt - b.startsAt);
      const slots = (await insertSlots(db, t.id, times, engineerId, actorId, now)).map((s) => ({
        id: s.id,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
      }));
      return { patch: {}, data: { slots, engineerId, address: cmd.address ?? null } };
    }
    case 'pick_visit': {
      // Another ticket's slot or a made-up id is as unknown as no slot at all.
      const slot = await slotOfTicket(db, t.id, cmd.slotId);
      if (!slot) throw new InvalidInputError('no such visit time on this ticket', [{ path: ['slotId'] }]);
      if (slot.state !== 'offered')
        throw new TransitionRefusedError(
          'pick_visit',
          t.status,
          'rule',
          'this visit time is no longer offered',
        );
      if (slot.startsAt <= now)
        throw new TransitionRefusedError('pick_visit', t.status, 'rule', 'this visit time has passed');
      // The engineer named with the offer comes; else a field engineer already on it; else the field queue.
      const assigneeId =
        slot.engineerId ??
        (t.assigneeId !== null && (await holdsAny(db, t.assigneeId, ['field_engineer']))
          ? t.assigneeId
          : null);
      await pickSlot(db, t.id, slot.id);
      return {
        patch: {
          line: 'field',
          assigneeId,
          visitStartsAt: slot.startsAt,
          visitEndsAt: slot.endsAt,
          visitCheckedInAt: null,
          visitCheckedOutAt: null,
        },
        data: {
          slotId: slot.id,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          engineerId: assigneeId,
          address: await offeredAddress(db, t.id, slot.id),
        },
      };
    }
    case 'check_in':
      if (t.visitStartsAt === null)
        throw new TransitionRefusedError('check_in', t.status, 'rule', 'no visit is scheduled');
      if (t.visitCheckedInAt !== null)
        throw new TransitionRefusedError('check_in', t.status, 'rule', 'already checked in');
      return { patch: { visitCheckedInAt: now }, data: { checkedInAt: now } };
    case 'check_out':
      if (t.visitCheckedInAt === null)
        throw new TransitionRefusedError('check_out', t.status, 'rule', 'not checked in yet');
      if (t.visitCheckedOutAt !== null)
        throw new TransitionRefusedError('check_out', t.status, 'rule', 'already checked out');
      return { patch: { visitCheckedOutAt: now }, data: { checkedOutAt: now, note: cmd.note ?? null } };
    case 'resolve':
      return {
        patch: {
          resolutionText: cmd.resolution,
          ...resolutionRecord(policy.time, policy.targets[t.priority], t, now),
        },
        data: { resolution: cmd.resolution },
      };
    case 'confirm':
    case 'auto_close':
      return { patch: { closedAt: now }, data: {} };
    case 'reopen':
      return {
        patch: { closedAt: null, resolvedAt: null, resolutionMet: null, resolutionMinutes: null },
        data: { reason: cmd.reason },
      };
    case 'cancel':
      return { patch: { closedAt: now }, data: { reason: cmd.reason ?? null } };
    case 'rate':
      if (t.rating !== null) throw new TransitionRefusedError('rate', t.status, 'rule', 'already rated');
      return {
        patch: { rating: cmd.rating, ratingComment: cmd.comment ?? null },
        data: { rating: cmd.rating },
      };
  }
}

export interface ActResult {
  ticket: TicketRow;
  eventId: number;
  action: Action;
}

/** Applies one lifecycle command to a ticket on behalf of an actor. */
export async function act(
  ctx: DeskContext,
  actor: Actor,
  ticketId: number,
  raw: Command,
): Promise<ActResult> {
  const cmd = parseInput(commandSchema, raw);
  const now = ctx.clock.now();
  const db = ctx.db;
  return await inTransaction(db, async () => {
    const { before, roles } = await ticketForChange(db, actor, ticketId);
    const move = transitionFor(cmd.action, before.status, roles);
    assertFresh(before, cmd.expectedVersion);
    const policy = await ctx.policies.forContract(before.contractId);
    const outcome = await outcomeOf(db, policy, actor, before, cmd, now);
    const status = targetStatus(move, before.status);
    const patch: TicketPatch = { status, ...outcome.patch };
    // Times offered for a visit lapse when the ticket is resolved or ends.
    if (status === 'resolved' || isFinalStatus(status)) await withdrawOffered(db, before.id);

    // The resolution clock stands still while waiting for the customer or resolved, and runs again when
    // the ticket goes back to work (a reopened closed ticket included).
    const willPause = isPausedStatus(status);
    if (before.slaPausedAt === null && willPause && cmd.action !== 'resolve')
      Object.assign(patch, pause(before, now));
    if (before.slaPausedAt !== null && !willPause && !isFinalStatus(status)) {
      Object.assign(
        patch,
        resume(policy.time, policy.targets[patch.priority ?? before.priority], before, now),
      );
    }
    // The first thing staff do that the client can see is the first response.
    const internal = outcome.internal ?? false;
    if (!internal && before.firstRespondedAt === null && isStaff(actor) && !roles.includes('client')) {
      Object.assign(patch, firstResponseRecord(policy.time, { ...before, ...patch }, now));
    }

    const actorId = actor.kind === 'person' ? actor.personId : null;
    const fromClient = speaksForClient(roles);
    const { ticket, eventId } = await recordChange(
      db,
      before,
      patch,
      { type: cmd.action, actorId, internal, fromClient, data: outcome.data },
      now,
    );
    return { ticket, eventId, action: cmd.action };
  });
}

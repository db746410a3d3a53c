// Calls the desk's PBX reports through Zammad's generic CTI (newCall, answer, hangup). Each event is one
// transaction and is idempotent per callId; events may come in any order (a hangup before its newCall makes
// the call; an answer after the hangup does not reopen it). An incoming call that rings tells the 1st line
// (a card with the caller); one that ends unanswered joins the callback queue, due within the first-response
// target of the caller's contract, on its calendar. A request filed from a call carries it in its history.
import { and, asc, eq, inArray, isNull, lte, ne, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import type { Db } from '../../db/connection.ts';
import {
  type CallRow,
  type CallState,
  calls,
  companies,
  memberships,
  people,
  tickets,
} from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { e164Phone } from '../directory/normalise.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { type Instant, MINUTE, STAFF_ROLES } from '../model.ts';
import { type Actor, assertCanSeeTicket, isStaff } from '../permissions.ts';
import { priorityFor } from '../sla-policy.ts';
import { statements } from '../statements.ts';
import { inTransaction } from '../transaction.ts';
import { parseInput } from '../validation.ts';

export const CTI_EVENTS = ['newCall', 'answer', 'hangup'] as const;
export type CtiEventName = (typeof CTI_EVENTS)[number];

const field = (max: number) => z.string().trim().max(max).optional();

/** One CTI event as Zammad's generic CTI defines it (form fields or JSON; `user[]` may repeat). */
export const ctiEventSchema = z.object({
  event: z.enum(CTI_EVENTS),
  callId: z.string().trim().min(1).max(250),
  from: field(100),
  to: field(100),
  direction: z.enum(['in', 'out']).optional(),
  /** The staff member(s) involved: who is rung, who answered, who calls out. */
  user: z
    .union([z.string().max(200), z.array(z.string().max(200)).max(20)])
    .optional()
    .transform((u) =>
      (u === undefined ? [] : Array.isArray(u) ? u : [u]).map((s) => s.trim()).filter(Boolean),
    ),
  /** normalClearing, busy, cancel, noAnswer, congestion, notFound, forwarded… */
  cause: field(64),
  /** Who picked up: a user id, e-mail or phone number. */
  answeringNumber: field(200),
  queue: field(200),
});
export type CtiEvent = z.input<typeof ctiEventSchema>;

/** What an event changed: the adapter has nothing to do when `changed` is false. */
export interface CallEventResult {
  call: CallRow;
  changed: boolean;
  /** A new incoming call is ringing: the 1st line was sent its card. */
  ringing: boolean;
  /** It ended unanswered: it is in the callback queue. */
  missed: boolean;
}

/** Kinds of the outbox rows about calls (bot/notices.ts renders them). */
export const CALL_RINGING_NOTICE = 'call.ringing';
export const CALL_MISSED_NOTICE = 'call.missed';

const OVER: readonly CallState[] = ['missed', 'ended'];

export async function recordCallEvent(ctx: DeskContext, raw: CtiEvent): Promise<CallEventResult> {
  const e = parseInput(ctiEventSchema, raw);
  return await inTransaction(ctx.db, async () => {
    const db = ctx.db;
    const now = ctx.clock.now();
    const existing = await queryOne(db.select().from(calls).where(eq(calls.callId, e.callId)));
    const direction = existing?.direction ?? e.direction ?? 'in';
    const number = (raw: string | undefined) => (raw ? (e164Phone(raw) ?? raw) : null);
    // newCall's users are those rung, not who answered; hangup names the answerer by number only.
    const answerer =
      e.event === 'newCall'
        ? null
        : await staffAnswerer(db, e.answeringNumber, e.event === 'answer' ? e.user : []);

    // What the row should hold after this event; fields already known are never overwritten, so the same
    // event twice (or a late one) changes nothing.
    const before: Partial<CallRow> = existing ?? {};
    const next: Partial<CallRow> = {
      fromNumber: before.fromNumber ?? number(e.from),
      toNumber: before.toNumber ?? number(e.to),
      queue: before.queue ?? e.queue ?? null,
    };
    let state: CallState = existing?.state ?? 'ringing';
    const over = OVER.includes(state);
    if (!over && (e.event === 'answer' || answerer)) {
      next.answeredById = before.answeredById ?? answerer?.id ?? null;
      next.answeredByName = before.answeredByName ?? answerer?.name ?? null;
    }
    if (!over && e.event === 'answer') {
      state = 'answered';
      next.answeredAt = before.answeredAt ?? now;
    }
    let missed = false;
    if (!over && e.event === 'hangup') {
      const answered =
        (existing?.answeredAt ?? null) !== null ||
        next.answeredById != null ||
        next.answeredByName != null ||
        (e.cause === 'normalClearing' && e.answeringNumber !== undefined);
      missed = direction === 'in' && !answered && e.cause !== 'forwarded';
      state = missed ? 'missed' : 'ended';
      next.endedAt = now;
      next.cause = e.cause ?? null;
    }
    next.state = state;

    let row: CallRow;
    if (!existing) {
      const outside = direction === 'in' ? next.fromNumber : next.toNumber;
      const person = outside ? await personByNumber(db, outside) : null;
      const companyId = person ? await companyOf(db, person.id) : null;
      row = await queryOne(
        db
          .insert(calls)
          .values({
            callId: e.callId,
            direction,
            fromNumber: next.fromNumber ?? null,
            toNumber: next.toNumber ?? null,
            queue: next.queue ?? null,
            personId: person?.id ?? null,
            companyId,
            state,
            answeredById: next.answeredById ?? null,
            answeredByName: next.answeredByName ?? null,
            startedAt: now,
            answeredAt: next.answeredAt ?? null,
            endedAt: next.endedAt ?? null,
            cause: next.cause ?? null,
            callbackDueAt: missed ? await callbackDue(ctx, companyId, now) : null,
            updatedAt: now,
          })
          .returning(),
      );
    } else {
      const diff = Object.fromEntries(
        Object.entries(next).filter(([k, v]) => v !== undefined && existing[k as keyof CallRow] !== v),
      ) as Partial<CallRow>;
      if (Object.keys(diff).length === 0)
        return { call: existing, changed: false, ringing: false, missed: false };
      if (missed) diff.callbackDueAt = await callbackDue(ctx, existing.companyId, existing.startedAt);
      row = (await queryOne(
        db
          .update(calls)
          .set({ ...diff, updatedAt: now })
          .where(eq(calls.id, existing.id))
          .returning(),
      )) as CallRow;
    }

    const ringing = !existing && e.event === 'newCall' && direction === 'in';
    if (ringing) await tellLine1(db, row, CALL_RINGING_NOTICE, {}, now);
    if (missed) await tellLine1(db, row, CALL_MISSED_NOTICE, { dueAt: row.callbackDueAt }, now);
    if (row.answeredAt !== null || row.answeredById !== null || row.answeredByName !== null)
      await clearCallbacks(db, row, now);
    if (OVER.includes(row.state)) row = await writeHistory(db, row, now);
    return { call: row, changed: true, ringing, missed };
  });
}

/**
 * When a missed call should be returned, counted from when it came in: the first-response target of the priority a request filed from
 * the call gets by default (one person, medium urgency, as core/tickets/create.ts), on the contract's
 * calendar; the contract for unmatched callers when the caller has none.
 */
export async function callbackDue(ctx: DeskContext, companyId: number | null, at: Instant): Promise<Instant> {
  const contractId =
    (await ctx.policies.activeContractId(companyId, at)) ??
    (companyId === null ? null : await ctx.policies.activeContractId(null, at));
  const policy = await ctx.policies.forContract(contractId);
  const priority = priorityFor(policy.matrix, 'person', 'medium');
  return policy.time.add(at, policy.targets[priority].firstResponse * MINUTE);
}

/** The time zone a call's times are shown in: its caller's contract's. */
export async function callTimeZone(
  ctx: DeskContext,
  call: Pick<CallRow, 'companyId' | 'startedAt'>,
): Promise<string> {
  const contractId =
    (await ctx.policies.activeContractId(call.companyId, call.startedAt)) ??
    (await ctx.policies.activeContractId(null, call.startedAt));
  return (await ctx.policies.forContract(contractId)).timeZone;
}

/** The 1st line, each reachable member in their Telegram chat; at most once per call and kind. */
async function tellLine1(
  db: Db,
  call: CallRow,
  kind: string,
  extra: Record<string, unknown>,
  at: Instant,
): Promise<void> {
  const q = statements(db);
  for (const s of await queryAll(q.peopleWithRole, { role: 'line1' })) {
    if (s.telegramUserId === null || s.unreachableAt !== null) continue;
    await q.insertNotice.run({
      at,
      ticketId: null,
      eventId: null,
      recipientId: s.personId,
      channel: 'telegram',
      kind,
      payload: { callId: call.callId, ...extra },
      idempotencyKey: `call${call.id}:${kind}:p${s.personId}`,
    });
  }
}

/** A staff member named by the event: the answering number (id, e-mail or phone), else a `user` name. */
async function staffAnswerer(
  db: Db,
  answeringNumber: string | undefined,
  users: string[],
): Promise<{ id: number | null; name: string } | null> {
  const staff = await queryAll(
    db
      .selectDistinct({ id: people.id, name: people.name, phone: people.phone, email: people.email })
      .from(people)
      .innerJoin(memberships, eq(memberships.personId, people.id))
      .where(inArray(memberships.role, [...STAFF_ROLES])),
  );
  const key = answeringNumber?.toLowerCase();
  if (key) {
    const phone = e164Phone(key);
    const found = staff.find(
      (s) => String(s.id) === key || s.email?.toLowerCase() === key || (phone !== null && s.phone === phone),
    );
    if (found) return found;
  }
  for (const name of users) {
    const found = staff.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
  }
  // Nobody of ours: the PBX's name for them, never the answering number (it may be a staff member's phone).
  const name = users[0];
  return name ? { id: null, name } : null;
}

async function personByNumber(db: Db, phone: string): Promise<{ id: number } | null> {
  return (
    (await queryOne(
      db.select({ id: people.id }).from(people).where(eq(people.phone, phone)).orderBy(asc(people.id)),
    )) ?? null
  );
}

async function companyOf(db: Db, personId: number): Promise<number | null> {
  return (
    (await queryAll(statements(db).clientCompanies, { personId }))
      .map((r) => r.companyId)
      .find((id) => id !== null) ?? null
  );
}

/**
 * The call's entry in its ticket's history, once the call is linked and over: when, who answered, how
 * long. Public (the client knows they called) and without numbers.
 */
async function writeHistory(db: Db, call: CallRow, at: Instant): Promise<CallRow> {
  if (call.ticketId === null || call.ticketEventId !== null || !OVER.includes(call.state)) return call;
  const answeredBy =
    call.answeredById === null
      ? call.answeredByName
      : ((
          await queryOne(
            db.select({ name: people.name }).from(people).where(eq(people.id, call.answeredById)),
          )
        )?.name ?? null);
  const inserted = await queryOne(statements(db).insertEvent, {
    ticketId: call.ticketId,
    at,
    actorId: call.answeredById,
    type: 'call',
    fromStatus: null,
    toStatus: null,
    internal: false,
    data: {
      direction: call.direction,
      answered: call.state === 'ended' && (call.answeredAt !== null || answeredBy !== null),
      answeredBy,
      startedAt: call.startedAt,
      answeredAt: call.answeredAt,
      endedAt: call.endedAt,
      durationSeconds:
        call.answeredAt !== null && call.endedAt !== null
          ? Math.round((call.endedAt - call.answeredAt) / 1000)
          : null,
    },
  });
  if (!inserted) throw new Error('event insert returned nothing');
  return (await queryOne(
    db.update(calls).set({ ticketEventId: inserted.id }).where(eq(calls.id, call.id)).returning(),
  )) as CallRow;
}

function assertStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new ForbiddenError('only staff see calls');
}

async function callByCallId(db: Db, callId: string): Promise<CallRow> {
  const row = await queryOne(db.select().from(calls).where(eq(calls.callId, callId)));
  if (!row) throw new NotFoundError('call', callId);
  return row;
}

/**
 * A request was filed from the call: the call belongs to that ticket, and its history shows the call once
 * the call is over. Linking to the same ticket again changes nothing; to another one is a conflict.
 */
export async function linkCallToTicket(
  ctx: DeskContext,
  actor: Actor,
  callId: string,
  ticketId: number,
): Promise<CallRow> {
  assertStaff(actor);
  return await inTransaction(ctx.db, async () => {
    const call = await callByCallId(ctx.db, callId);
    const ticket = await queryOne(ctx.db.select().from(tickets).where(eq(tickets.id, ticketId)));
    if (!ticket) throw new NotFoundError('ticket', ticketId);
    assertCanSeeTicket(actor, ticket);
    if (call.ticketId === ticketId) return call;
    if (call.ticketId !== null) throw new ConflictError('the call is linked to another request', { callId });
    const now = ctx.clock.now();
    const linked = (await queryOne(
      ctx.db.update(calls).set({ ticketId, updatedAt: now }).where(eq(calls.id, call.id)).returning(),
    )) as CallRow;
    return await writeHistory(ctx.db, linked, now);
  });
}

/** A missed call as the callback queue shows it. */
export interface CallbackEntry {
  callId: string;
  fromNumber: string | null;
  personId: number | null;
  personName: string | null;
  companyId: number | null;
  companyName: string | null;
  startedAt: Instant;
  dueAt: Instant;
  ticketId: number | null;
  timeZone: string;
}

/** Missed calls nobody has returned yet, the one due first on top. Staff only. */
export async function callbackQueue(ctx: DeskContext, actor: Actor, limit = 100): Promise<CallbackEntry[]> {
  assertStaff(actor);
  const rows = await queryAll(
    ctx.db
      .select({
        call: calls,
        personName: people.name,
        companyName: companies.name,
      })
      .from(calls)
      .leftJoin(people, eq(people.id, calls.personId))
      .leftJoin(companies, eq(companies.id, calls.companyId))
      .where(and(eq(calls.state, 'missed'), isNull(calls.callbackDoneAt)))
      .orderBy(asc(calls.callbackDueAt), asc(calls.id))
      .limit(limit),
  );
  return Promise.all(
    rows.map(async ({ call, personName, companyName }) => ({
      callId: call.callId,
      fromNumber: call.fromNumber,
      personId: call.personId,
      personName,
      companyId: call.companyId,
      companyName,
      startedAt: call.startedAt,
      dueAt: call.callbackDueAt ?? call.startedAt,
      ticketId: call.ticketId,
      timeZone: await callTimeZone(ctx, call),
    })),
  );
}

/**
 * Someone at the desk talked with the number (we called it back, or it rang again and was answered): its
 * missed calls from before that leave the callback queue, done by whoever answered or called.
 */
async function clearCallbacks(db: Db, call: CallRow, now: Instant): Promise<void> {
  const outside = call.direction === 'in' ? call.fromNumber : call.toNumber;
  if (outside === null) return;
  const talkedAt = call.answeredAt ?? now;
  await execute(
    db
      .update(calls)
      .set({ callbackDoneAt: now, callbackDoneBy: call.answeredById, updatedAt: now })
      .where(
        and(
          eq(calls.state, 'missed'),
          isNull(calls.callbackDoneAt),
          eq(calls.fromNumber, outside),
          lte(calls.startedAt, talkedAt),
          ne(calls.id, call.id),
        ),
      ),
  );
}

/** Staff called the person back: the call leaves the queue. Done twice is done once. */
export async function callbackDone(ctx: DeskContext, actor: Actor, callId: string): Promise<CallRow> {
  assertStaff(actor);
  return await inTransaction(ctx.db, async () => {
    const call = await callByCallId(ctx.db, callId);
    if (call.state !== 'missed') throw new ConflictError('only a missed call is called back', { callId });
    if (call.callbackDoneAt !== null || actor.kind !== 'person') return call;
    const now = ctx.clock.now();
    return (await queryOne(
      ctx.db
        .update(calls)
        .set({ callbackDoneAt: now, callbackDoneBy: actor.personId, updatedAt: now })
        .where(eq(calls.id, call.id))
        .returning(),
    )) as CallRow;
  });
}

/** What the 1st line's card about a ringing or missed call shows: the caller and their open requests. */
export interface CallCard {
  call: CallRow;
  callerName: string | null;
  companyName: string | null;
  openTickets: { id: number; number: number; subject: string; status: string }[];
  timeZone: string;
}

export async function callCard(ctx: DeskContext, callId: string): Promise<CallCard | null> {
  const call = await queryOne(ctx.db.select().from(calls).where(eq(calls.callId, callId)));
  if (!call) return null;
  const q = statements(ctx.db);
  const callerName =
    call.personId === null ? null : ((await queryOne(q.personById, { id: call.personId }))?.name ?? null);
  const companyName =
    call.companyId === null ? null : ((await queryOne(q.companyName, { id: call.companyId }))?.name ?? null);
  const openTickets =
    call.personId === null
      ? []
      : await queryAll(
          ctx.db
            .select({
              id: tickets.id,
              number: tickets.number,
              subject: tickets.subject,
              status: tickets.status,
            })
            .from(tickets)
            .where(
              and(
                eq(tickets.requesterId, call.personId),
                notInArray(tickets.status, ['resolved', 'closed', 'cancelled']),
              ),
            )
            .orderBy(asc(tickets.id))
            .limit(3),
        );
  return { call, callerName, companyName, openTickets, timeZone: await callTimeZone(ctx, call) };
}

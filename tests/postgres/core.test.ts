// Core on PostgreSQL, unchanged: the same functions that run the desk on SQLite file, move and comment on
// tickets on a real PostgreSQL through the routing store (db/pg/store.ts), each write in one transaction with
// its event and its notices.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDue,
  markSent,
  nextDueAt,
  reconcileInterrupted,
  STALE_CLAIMS_EVERY_MS,
  StaleClaimsWatch,
} from '../../core/outbox.ts';
import { statements } from '../../core/statements.ts';
import { act } from '../../core/tickets/act.ts';
import { addComment } from '../../core/tickets/comment.ts';
import { createTicket, fileTicket } from '../../core/tickets/create.ts';
import { inTransaction } from '../../core/transaction.ts';
import { DEFAULT_CLAIM_LEASE_MS } from '../../db/pg/outbox-claim.ts';
import { postgresAvailable } from '../support/postgres.ts';
import { type PgWorld, pgSchema, postgresDesks } from './world.ts';

describe.skipIf(!postgresAvailable())('core on PostgreSQL', () => {
  let desks: Awaited<ReturnType<typeof postgresDesks>>;
  beforeAll(async () => {
    desks = await postgresDesks();
  }, 60_000);
  afterAll(async () => {
    await desks?.stop();
  });
  it('files a ticket with its event and notices, with SLA due times on the contract’s calendar', async () => {
    const w = await desks.desk();
    const store = w.store;
    const ticket = await createTicket(w.ctx, w.client, {
      channel: 'telegram',
      description: 'The printer prints blank pages',
      impact: 'person',
      urgency: 'medium',
      categoryId: w.category,
    });
    expect(ticket.number).toBe(1001);
    expect(ticket.status).toBe('new');
    expect(ticket.requesterId).toBe(w.ids.client);
    expect(ticket.firstResponseDueAt).toBeGreaterThan(w.clock.now());
    const events = await store.db.select().from(pgSchema.ticketEvents);
    expect(events.map((e) => [e.ticketId, e.type])).toEqual([[ticket.id, 'created']]);
    const notices = await store.db.select().from(pgSchema.outbox);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((n) => n.ticketId === ticket.id && n.state === 'pending')).toBe(true);
  });

  it('moves a ticket through triage, take and resolve, each change its row, event and version', async () => {
    const w = await desks.desk();
    const store = w.store;
    const ticket = await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'No network' });
    const triaged = await act(w.ctx, w.line1, ticket.id, {
      action: 'triage',
      impact: 'department',
      urgency: 'high',
    });
    expect(triaged.ticket.status).toBe('open');
    w.clock.advance(5 * 60_000);
    const taken = await act(w.ctx, w.line1, ticket.id, {
      action: 'take',
      expectedVersion: triaged.ticket.version,
    });
    expect(taken.ticket.assigneeId).toBe(w.ids.line1);
    expect(taken.ticket.status).toBe('in_progress');
    const { comment } = await addComment(w.ctx, w.line1, ticket.id, {
      body: 'Switch restarted, check please',
    });
    expect(comment.body).toBe('Switch restarted, check please');
    const resolved = await act(w.ctx, w.line1, ticket.id, {
      action: 'resolve',
      resolution: 'Switch replaced',
    });
    expect(resolved.ticket.status).toBe('resolved');
    expect(resolved.ticket.version).toBeGreaterThan(taken.ticket.version);
    const types = (await store.db.select().from(pgSchema.ticketEvents)).map((e) => e.type);
    expect(types).toEqual(['created', 'triage', 'take', 'comment', 'resolve']);
    // A press on a card drawn before the last change changes nothing.
    await expect(
      act(w.ctx, w.line1, ticket.id, {
        action: 'reopen',
        reason: 'x',
        expectedVersion: triaged.ticket.version,
      }),
    ).rejects.toThrow();
    expect((await store.db.select().from(pgSchema.tickets))[0]?.status).toBe('resolved');
  });

  it('files one ticket for one intake key, however often it is sent', async () => {
    const w = await desks.desk();
    const store = w.store;
    const input = { channel: 'telegram' as const, description: 'Mail is down', intakeKey: 'tg:1:abc' };
    const first = await fileTicket(w.ctx, w.client, input);
    const again = await fileTicket(w.ctx, w.client, input);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.ticket.id).toBe(first.ticket.id);
    expect(await store.db.$count(pgSchema.tickets)).toBe(1);
  });

  it('gives tickets filed at the same moment numbers of their own, in order', async () => {
    const w = await desks.desk();
    const filed = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createTicket(w.ctx, w.client, { channel: 'telegram', description: `Request ${i}` }),
      ),
    );
    const numbers = filed.map((t) => t.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => 1001 + i));
  });

  it('hands the notifier each notice once, in order per recipient, and marks it sent', async () => {
    const w = await desks.desk();
    await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'First' });
    await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'Second' });
    const pending = await w.store.db.select().from(pgSchema.outbox);
    const toLine1 = pending.filter((n) => n.recipientId === w.ids.line1 && n.channel === 'telegram');
    expect(toLine1.length).toBe(2);
    // Only the oldest of a recipient is handed out while it is undelivered.
    const first = await claimDue(w.ctx, 30);
    expect(first.filter((n) => n.recipientId === w.ids.line1).map((n) => n.id)).toEqual([toLine1[0]?.id]);
    expect(await claimDue(w.ctx, 30)).toEqual([]);
    for (const n of first) await markSent(w.ctx, n.id);
    const second = await claimDue(w.ctx, 30);
    expect(second.filter((n) => n.recipientId === w.ids.line1).map((n) => n.id)).toEqual([toLine1[1]?.id]);
    // A start finds the notices another instance is sending now and leaves them to it.
    expect(await reconcileInterrupted(w.ctx)).toBe(0);
    expect(await nextDueAt(w.ctx)).toBeNull();
  });

  it('renews the claims a running instance holds, so a slow send is not taken for a dead instance’s', async () => {
    const w = await desks.desk();
    await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'Printer' });
    const [inHand] = await claimDue(w.ctx, 1);
    if (!inHand) throw new Error('nothing claimed');
    const watch = new StaleClaimsWatch();
    const errors: unknown[] = [];
    await watch.started(w.ctx, (error) => errors.push(error));
    try {
      // The send takes longer than the lease: the holder's look renews the claim before anyone takes it back.
      w.clock.advance(DEFAULT_CLAIM_LEASE_MS + STALE_CLAIMS_EVERY_MS);
      await watch.look(w.ctx);
      const state = async () =>
        (await w.store.db.select().from(pgSchema.outbox).where(eq(pgSchema.outbox.id, inHand.id)))[0]?.state;
      expect(await state()).toBe('sending');
      // Had the holder died, nobody would renew it: a lease later another instance takes it back.
      w.clock.advance(DEFAULT_CLAIM_LEASE_MS + 1);
      expect(await reconcileInterrupted(w.ctx)).toBe(1);
      expect(await state()).toBe('dead');
      // Finished, the notice is no longer renewed.
      await markSent(w.ctx, inHand.id);
      w.clock.advance(STALE_CLAIMS_EVERY_MS);
      await watch.look(w.ctx);
    } finally {
      await watch.stopped();
    }
    expect(errors).toEqual([]);
  });

  it('takes back the claims of an instance that died within seconds, not a lease later', async () => {
    const w = await desks.desk();
    await createTicket(w.ctx, w.client, { channel: 'telegram', description: 'Printer' });
    const errors: unknown[] = [];
    const [a, b] = [new StaleClaimsWatch(), new StaleClaimsWatch()];
    await a.started(w.ctx, (error) => errors.push(error));
    await b.started(w.ctx, (error) => errors.push(error));
    try {
      expect(a.claimer).not.toBeNull();
      const [claimed] = await claimDue(w.ctx, 1, 'telegram', a.claimer);
      if (!claimed) throw new Error('nothing claimed');
      const state = async () =>
        (await w.store.db.select().from(pgSchema.outbox).where(eq(pgSchema.outbox.id, claimed.id)))[0];
      expect((await state())?.claimedBy).toBe(a.claimer);
      // A lives: B's look leaves its claim alone.
      w.clock.advance(STALE_CLAIMS_EVERY_MS);
      await b.look(w.ctx);
      expect((await state())?.state).toBe('sending');
      // A dies (its name's lease goes with its session): B's next look, well within the lease, takes it back.
      await a.stopped();
      w.clock.advance(STALE_CLAIMS_EVERY_MS);
      expect(STALE_CLAIMS_EVERY_MS * 2).toBeLessThan(DEFAULT_CLAIM_LEASE_MS);
      await b.look(w.ctx);
      expect((await state())?.state).toBe('dead');
    } finally {
      await a.stopped();
      await b.stopped();
    }
    expect(errors).toEqual([]);
  });

  it('writes notices one transaction at a time, so a later one never commits before an earlier', async () => {
    const w = await desks.desk();
    const notice = (body: string) =>
      statements(w.ctx.db).insertNotice.run({
        at: w.clock.now(),
        ticketId: null,
        eventId: null,
        recipientId: w.ids.client,
        channel: 'telegram',
        kind: 'requester.comment',
        payload: { event: 'comment', body, number: 1001 },
        idempotencyKey: `order:${body}`,
      });
    let letGo = () => {};
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    // Instance A has written a notice to the client and not committed yet; instance B writes the next one.
    let aWrote = false;
    const a = inTransaction(w.ctx.db, async () => {
      await notice('first');
      aWrote = true;
      await held;
    });
    await expect.poll(() => aWrote, { timeout: 10_000 }).toBe(true);
    const b = inTransaction(w.ctx.db, () => notice('second'));
    // B waits for A's commit before it takes an id for its notice.
    await expect.poll(async () => await waitingLocks(w), { timeout: 10_000 }).toBe(1);
    letGo();
    await Promise.all([a, b]);
    const written = (await w.store.db.select().from(pgSchema.outbox))
      .sort((x, y) => x.id - y.id)
      .map((n) => (n.payload as { body?: string }).body);
    expect(written).toEqual(['first', 'second']);
    // The claim hands out the first, and the second only once it is sent.
    const [claimed] = await claimDue(w.ctx, 30);
    expect(claimed?.payload).toMatchObject({ body: 'first' });
  }, 30_000);
});

/** Advisory locks some transaction waits for now. */
async function waitingLocks(w: PgWorld): Promise<number> {
  const { rows } = await w.store.pool.query(
    "select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted",
  );
  return (rows[0] as { n: number }).n;
}

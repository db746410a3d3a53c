// Joining one ticket into another (core/tickets/merge.ts): words, files and thread references move to the
// kept ticket in one transaction, the joined one is cancelled with its reason; refusals write nothing.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DeskError } from '../core/errors.ts';
import { rememberRef, ticketOfRefs } from '../core/intake/message-refs.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { MERGED_EVENT, mergeTickets } from '../core/tickets/merge.ts';
import { queryAll, queryOne } from '../db/access.ts';
import { attachments, comments, ticketEvents, tickets } from '../db/schema.ts';
import { makeWorld, storeSnapshot } from './fixtures.ts';

const reason = (n: number) => `joined with #${n}`;

describe('joining a ticket into another', () => {
  it('moves the words, files and thread, records the join and cancels the joined one', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const kept = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram_group',
      description: 'Printer',
    });
    const joined = await createTicket(w.ctx, w.as.clientA, {
      channel: 'telegram_group',
      description: 'The printer again',
      attachments: [{ kind: 'photo', telegramFileId: 'f1', telegramFileUniqueId: 'u1' }],
    });
    await rememberRef(
      w.ctx.db,
      'telegram',
      '-100:7',
      { ticketId: joined.id, direction: 'in' },
      w.clock.now(),
    );
    const merged = await mergeTickets(w.ctx, w.as.line1, joined.id, kept.id, reason);
    expect(merged).toEqual({
      kept: { id: kept.id, number: kept.number },
      joined: { id: joined.id, number: joined.number },
    });
    const moved = await queryAll(w.ctx.db.select().from(comments).where(eq(comments.ticketId, kept.id)));
    expect(moved.map((c) => [c.authorId, c.body, c.internal])).toEqual([
      [w.ids.clientA, 'The printer again', false],
    ]);
    const files = await queryAll(
      w.ctx.db.select().from(attachments).where(eq(attachments.telegramFileId, 'f1')),
    );
    expect(files.map((f) => [f.ticketId, f.commentId])).toEqual([[kept.id, moved[0]?.id]]);
    expect(await ticketOfRefs(w.ctx.db, 'telegram', ['-100:7'])).toBe(kept.id);
    const rowOf = async (id: number) =>
      await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, id)));
    expect((await rowOf(joined.id))?.status).toBe('cancelled');
    expect((await rowOf(kept.id))?.status).toBe('new');
    const events = await queryAll(w.ctx.db.select().from(ticketEvents));
    expect(events.find((e) => e.ticketId === kept.id && e.type === MERGED_EVENT)).toMatchObject({
      internal: true,
      actorId: w.ids.line1,
    });
    expect(events.find((e) => e.ticketId === joined.id && e.type === 'cancel')?.data).toMatchObject({
      reason: `joined with #${kept.number}`,
    });
  });

  it('refuses clients, another company, closed tickets and a ticket into itself, writing nothing', async () => {
    const w = await makeWorld({ start: '2026-11-09T10:00:00+03:00' });
    const a1 = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'One' });
    const a2 = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Two' });
    const b = await createTicket(w.ctx, w.as.clientB, { channel: 'telegram', description: 'Beta' });
    const done = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Done' });
    await act(w.ctx, w.as.line1, done.id, { action: 'cancel', reason: 'duplicate' });
    const before = await storeSnapshot(w.ctx.db);
    const refused = async (f: () => Promise<unknown>) => await expect(f()).rejects.toThrow(DeskError);
    await refused(async () => await mergeTickets(w.ctx, w.as.clientA, a2.id, a1.id, reason));
    await refused(async () => await mergeTickets(w.ctx, w.as.line1, b.id, a1.id, reason));
    await refused(async () => await mergeTickets(w.ctx, w.as.line1, a2.id, done.id, reason));
    await refused(async () => await mergeTickets(w.ctx, w.as.line1, a1.id, a1.id, reason));
    await refused(async () => await mergeTickets(w.ctx, w.as.line1, a1.id, 99_999, reason));
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });
});

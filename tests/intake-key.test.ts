// Filing under an intake key is idempotent: the bot's draft key, the Mini App's Idempotency-Key. The same key
// again returns the ticket filed the first time and writes nothing (no row, no event, no notice).
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../core/errors.ts';
import { receiveInbound } from '../core/intake/receive.ts';
import { createTicket, filedUnder, fileTicket } from '../core/tickets/create.ts';
import { queryAll } from '../db/access.ts';
import { outbox, ticketEvents, tickets } from '../db/schema.ts';
import { apiWorld, call } from './api-harness.ts';
import { makeWorld } from './fixtures.ts';

const request = { channel: 'telegram' as const, description: 'Не печатает принтер', intakeKey: 'tg:1:abc' };

describe('an intake key', () => {
  it('files once: the same key returns the same ticket and writes nothing more', async () => {
    const w = await makeWorld();
    const first = await fileTicket(w.ctx, w.as.clientA, request);
    expect(first.created).toBe(true);
    expect(first.ticket.intakeKey).toBe('tg:1:abc');
    const counts = async () => ({
      tickets: (await queryAll(w.ctx.db.select().from(tickets))).length,
      events: (await queryAll(w.ctx.db.select().from(ticketEvents))).length,
      notices: (await queryAll(w.ctx.db.select().from(outbox))).length,
    });
    const before = await counts();
    // Even when the second Send differs (edited after a crash), the request already filed is the answer.
    const again = await fileTicket(w.ctx, w.as.clientA, { ...request, description: 'Другое описание' });
    expect(again).toEqual({ ticket: first.ticket, created: false });
    expect(await counts()).toEqual(before);
    expect((await filedUnder(w.ctx, 'tg:1:abc'))?.id).toBe(first.ticket.id);
    expect(await filedUnder(w.ctx, 'tg:1:other')).toBeUndefined();
    // Another key, or none, is another request.
    expect((await fileTicket(w.ctx, w.as.clientA, { ...request, intakeKey: 'tg:1:def' })).created).toBe(true);
    expect(
      (await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'x' })).intakeKey,
    ).toBeNull();
    expect((await counts()).tickets).toBe(before.tickets + 2);
  });

  it('is never someone else’s ticket', async () => {
    const w = await makeWorld();
    await fileTicket(w.ctx, w.as.clientA, request);
    await expect(fileTicket(w.ctx, w.as.clientB, request)).rejects.toThrow(ConflictError);
  });
});

describe('POST /api/tickets with an Idempotency-Key', () => {
  it('answers a retry with the request filed the first time (200), per person', async () => {
    const w = await apiWorld();
    const body = { description: 'Нет сети', impact: 'person', urgency: 'medium' };
    const key = { 'Idempotency-Key': 'b7d4a1e0-retry-1' };
    const first = await call(w, 'clientA', 'POST', '/api/tickets', body, key);
    expect(first.status).toBe(201);
    const retry = await call(w, 'clientA', 'POST', '/api/tickets', body, key);
    expect(retry.status).toBe(200);
    expect(retry.json.ticket.id).toBe(first.json.ticket.id);
    expect(await queryAll(w.ctx.db.select().from(tickets))).toHaveLength(1);
    // The same key from another person is theirs alone.
    const other = await call(w, 'clientB', 'POST', '/api/tickets', body, key);
    expect(other.status).toBe(201);
    expect(other.json.ticket.id).not.toBe(first.json.ticket.id);
    // Without the header every POST files.
    expect((await call(w, 'clientA', 'POST', '/api/tickets', body)).status).toBe(201);
    expect(await queryAll(w.ctx.db.select().from(tickets))).toHaveLength(3);
    const bad = await call(w, 'clientA', 'POST', '/api/tickets', body, {
      'Idempotency-Key': 'x'.repeat(129),
    });
    expect(bad.status).toBe(400);
  });
});

describe('a delivery key (a mail’s Message-ID)', () => {
  it('files once when the same message is delivered twice at the same time (one mail in two mailboxes)', async () => {
    const w = await makeWorld();
    const mail = {
      channel: 'email' as const,
      sender: { kind: 'email' as const, address: 'anna@alpha.example', name: 'Anna' },
      deliveryKey: '<twice-1@alpha.example>',
      subject: 'Сломался ноутбук',
      body: 'Не включается',
    };
    const outcomes = await Promise.all([receiveInbound(w.ctx, mail), receiveInbound(w.ctx, mail)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['created', 'duplicate']);
    expect((await queryAll(w.ctx.db.select().from(tickets))).map((t) => t.subject)).toEqual([
      'Сломался ноутбук',
    ]);
  });
});

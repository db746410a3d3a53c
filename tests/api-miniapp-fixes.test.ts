// Mini App fixes from issue 10, through the API: a client never reads the staff's reasons in the history
// (item 9), and a request filed in the Mini App gets the bot's "accepted" message in the chat, linked to the
// ticket so that a reply to it becomes a comment (item 11).

import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../api/app.ts';
import { signInitData } from '../api/init-data.ts';
import { ticketOfMessage } from '../bot/message-links.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { queryAll, queryOne } from '../db/access.ts';
import { comments, outbox, tickets } from '../db/schema.ts';
import { apiWorld, call } from './api-harness.ts';
import { type BotWorld, botWorld } from './bot-harness.ts';

describe('the history a client reads', () => {
  it('leaves out why staff escalated, handed back or re-prioritised; staff still read it', async () => {
    const w = await apiWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'miniapp', description: 'Printer jams' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await act(w.ctx, w.as.line1, t.id, { action: 'reprioritize', urgency: 'high', reason: 'REPRIO-SECRET' });
    await act(w.ctx, w.as.line1, t.id, {
      action: 'escalate_line2',
      reason: 'ESCALATE-SECRET line1 is stuck',
    });
    await act(w.ctx, w.as.line2, t.id, { action: 'take' });
    await act(w.ctx, w.as.line2, t.id, { action: 'return_to_queue', reason: 'DECLINE-SECRET' });

    for (const who of ['clientA', 'managerA'] as const) {
      const page = await call(w, who, 'GET', `/api/tickets/${t.id}`);
      expect(page.status).toBe(200);
      for (const secret of ['REPRIO-SECRET', 'ESCALATE-SECRET', 'DECLINE-SECRET'])
        expect(page.text, `${who} reads ${secret}`).not.toContain(secret);
      // The events are there; only their staff-only details are not.
      const types = page.json.timeline.map((e: { type: string }) => e.type);
      expect(types).toEqual(expect.arrayContaining(['escalate_line2', 'return_to_queue', 'reprioritize']));
      const escalated = page.json.timeline.find((e: { type: string }) => e.type === 'escalate_line2');
      expect(escalated.data).toEqual({});
    }
    for (const who of ['line1', 'line2', 'supervisor'] as const) {
      const page = await call(w, who, 'GET', `/api/tickets/${t.id}`);
      for (const secret of ['REPRIO-SECRET', 'ESCALATE-SECRET', 'DECLINE-SECRET'])
        expect(page.text, `${who} misses ${secret}`).toContain(secret);
    }
  });

  it("keeps the client's own reason for reopening", async () => {
    const w = await apiWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await createTicket(w.ctx, w.as.clientA, { channel: 'miniapp', description: 'Printer jams' });
    await act(w.ctx, w.as.line1, t.id, { action: 'take' });
    await act(w.ctx, w.as.line1, t.id, { action: 'resolve', resolution: 'Cleaned the rollers' });
    await act(w.ctx, w.as.clientA, t.id, { action: 'reopen', reason: 'It jams again' });
    const page = await call(w, 'clientA', 'GET', `/api/tickets/${t.id}`);
    const reopened = page.json.timeline.find((e: { type: string }) => e.type === 'reopen');
    expect(reopened.data).toEqual({ reason: 'It jams again' });
  });
});

describe('a request filed in the Mini App', () => {
  let w: BotWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('gets the "accepted" message in the chat, and a reply to that message becomes a comment', {
    timeout: 20_000,
  }, async () => {
    w = await botWorld({ start: '2026-11-09T10:00:00+03:00' });
    const world = w;
    const u = w.tg('clientA');
    const token = world.emu.token;
    const app = createApi({ desk: world.ctx, botToken: token });
    const initData = signInitData(
      token,
      { id: u.id, first_name: 'Client A', language_code: 'ru' },
      { authDate: Math.floor(world.clock.now() / 1000) },
    );
    const res = await app.request('/api/tickets', {
      method: 'POST',
      headers: { Authorization: `tma ${initData}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ description: 'Не работает сканер', impact: 'person', urgency: 'medium' }),
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: { id: number; number: number } };
    // Queued with the ticket, in its transaction.
    const queued = await queryAll(world.ctx.db.select().from(outbox).where(eq(outbox.ticketId, ticket.id)));
    expect(queued.filter((r) => r.kind === 'requester.accepted').map((r) => r.recipientId)).toEqual([
      world.ids.clientA,
    ]);

    const accepted = await u.waitForMessage(`Заявка #${ticket.number} принята. Приоритет: P4 — низкий.`);
    expect(accepted.text).toMatch(/Ответим до \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Moscow\)\.$/);
    await expect
      .poll(async () => await ticketOfMessage(world.ctx.db, u.id, accepted.message_id))
      .toBe(ticket.id);

    u.send('Модель Canon LiDE 300', { replyTo: accepted });
    await u.waitForMessage(`Добавлено к заявке #${ticket.number}.`);
    expect(
      (await queryAll(world.ctx.db.select().from(comments).where(eq(comments.ticketId, ticket.id)))).map(
        (c) => c.body,
      ),
    ).toEqual(['Модель Canon LiDE 300']);
    // Filed by the bot's guided intake or for someone else: no second "accepted".
    const row = await queryOne(world.ctx.db.select().from(tickets).where(eq(tickets.id, ticket.id)));
    expect(row?.channel).toBe('miniapp');
  });

  it('is not acknowledged twice when staff file for a client (the client gets the usual notice)', async () => {
    const w2 = await apiWorld({ start: '2026-11-09T10:00:00+03:00' });
    const t = await createTicket(w2.ctx, w2.as.line1, {
      channel: 'miniapp',
      description: 'Phoned in',
      requesterId: w2.ids.clientA,
    });
    const kinds = (await queryAll(w2.ctx.db.select().from(outbox).where(eq(outbox.ticketId, t.id))))
      .filter((r) => r.recipientId === w2.ids.clientA)
      .map((r) => r.kind);
    expect(kinds).toEqual(['requester.created']);
  });
});

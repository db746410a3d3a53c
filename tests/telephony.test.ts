// The CTI webhook (Zammad's generic CTI) and the callback queue: the token, events idempotent per callId
// and in any order, a missed call due back within the contract's first-response target on its calendar,
// the call in a linked ticket's history, and the 1st line's card in Telegram through the emulator.
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi } from '../api/app.ts';
import { SYSTEM } from '../core/permissions.ts';
import { CALL_MISSED_NOTICE, CALL_RINGING_NOTICE, linkCallToTicket } from '../core/phone/calls.ts';
import { ctiToken } from '../core/phone/cti-token.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { calls, outbox, people } from '../db/schema.ts';
import { type ApiWorld, apiWorld, call } from './api-harness.ts';
import { type BotWorld, botWorld } from './bot-harness.ts';

const CLIENT_A_PHONE = '+79161234567';

async function world(start = '2026-11-09T10:00:00+03:00'): Promise<ApiWorld & { token: string }> {
  const w = await apiWorld({ start });
  await execute(w.ctx.db.update(people).set({ phone: CLIENT_A_PHONE }).where(eq(people.id, w.ids.clientA)));
  await execute(
    w.ctx.db.update(people).set({ email: 'line1@desk.example' }).where(eq(people.id, w.ids.line1)),
  );
  return { ...w, token: await ctiToken(w.ctx, SYSTEM) };
}

/** A CTI post as a PBX makes it: a form (the default) or JSON. */
async function cti(
  w: ApiWorld,
  token: string,
  fields: Record<string, string | string[]>,
  as: 'form' | 'json' = 'form',
) {
  if (as === 'json') return call(w, null, 'POST', `/api/telephony/cti/${token}`, fields);
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields))
    for (const one of Array.isArray(v) ? v : [v]) form.append(Array.isArray(v) ? `${k}[]` : k, one);
  return call(w, null, 'POST', `/api/telephony/cti/${token}`, form.toString(), {
    'Content-Type': 'application/x-www-form-urlencoded',
  });
}

const callRow = async (w: ApiWorld, callId: string) =>
  await queryOne(w.ctx.db.select().from(calls).where(eq(calls.callId, callId)));
const notices = async (w: ApiWorld, kind: string) =>
  (await queryAll(w.ctx.db.select().from(outbox))).filter((r) => r.kind === kind);
const tableCounts = async (w: ApiWorld) => ({
  calls: (await queryAll(w.ctx.db.select().from(calls))).length,
  outbox: (await queryAll(w.ctx.db.select().from(outbox))).length,
});

const ring = (callId: string, from = CLIENT_A_PHONE) => ({
  event: 'newCall',
  from,
  to: '+74951234567',
  direction: 'in',
  callId,
  user: ['Line One', 'Line One B'],
});

describe('the CTI webhook', () => {
  it('answers only its own token; admins see the path and rotate it', async () => {
    const w = await apiWorld();
    // No token made yet: nothing gets in.
    expect((await cti(w, 'anything', ring('c0'))).status).toBe(401);
    const shown = await call(w, 'admin', 'GET', '/api/admin/telephony');
    expect(shown.status).toBe(200);
    expect(shown.json.path).toBe(`/api/telephony/cti/${shown.json.token}`);
    expect((await call(w, 'admin', 'GET', '/api/admin/telephony')).json.token).toBe(shown.json.token);
    expect((await call(w, 'line1', 'GET', '/api/admin/telephony')).status).toBe(403);

    const wrong = await cti(w, `${shown.json.token}x`, ring('c1'));
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('unauthorized');
    expect((await tableCounts(w)).calls).toBe(0);
    expect((await cti(w, shown.json.token, ring('c1'))).status).toBe(200);
    expect((await callRow(w, 'c1'))?.state).toBe('ringing');

    const rotated = await call(w, 'admin', 'POST', '/api/admin/telephony/rotate');
    expect(rotated.json.token).not.toBe(shown.json.token);
    expect((await cti(w, shown.json.token, ring('c2'))).status).toBe(401);
    expect((await cti(w, rotated.json.token, ring('c2'), 'json')).status).toBe(200);
    expect((await call(w, 'line1', 'POST', '/api/admin/telephony/rotate')).status).toBe(403);
  });

  it('takes the same event twice as once', async () => {
    const w = await world();
    await cti(w, w.token, ring('same'));
    await cti(w, w.token, ring('same'), 'json');
    const row = await callRow(w, 'same');
    expect(row).toMatchObject({ state: 'ringing', fromNumber: CLIENT_A_PHONE, personId: w.ids.clientA });
    expect(row?.companyId).toBe(w.companyA);
    // Both 1st-line people, once each.
    expect((await notices(w, CALL_RINGING_NOTICE)).map((n) => n.recipientId).sort()).toEqual(
      [w.ids.line1, w.ids.line1b].sort(),
    );
    const answer = {
      event: 'answer',
      callId: 'same',
      direction: 'in',
      answeringNumber: 'line1@desk.example',
    };
    expect((await cti(w, w.token, answer)).json.changed).toBe(true);
    const answeredAt = (await callRow(w, 'same'))?.answeredAt;
    w.clock.advance(30_000);
    expect((await cti(w, w.token, answer)).json.changed).toBe(false);
    expect(await callRow(w, 'same')).toMatchObject({
      state: 'answered',
      answeredAt,
      answeredById: w.ids.line1,
    });
    const hangup = { event: 'hangup', callId: 'same', direction: 'in', cause: 'normalClearing' };
    await cti(w, w.token, hangup);
    const before = await tableCounts(w);
    w.clock.advance(30_000);
    expect((await cti(w, w.token, hangup)).json.changed).toBe(false);
    expect(await tableCounts(w)).toEqual(before);
    expect((await callRow(w, 'same'))?.state).toBe('ended');
  });

  it('takes events out of order: a hangup first makes the call, an answer after it reopens nothing', async () => {
    const w = await world();
    await cti(w, w.token, {
      event: 'hangup',
      callId: 'early',
      from: CLIENT_A_PHONE,
      direction: 'in',
      cause: 'cancel',
    });
    expect(await callRow(w, 'early')).toMatchObject({
      state: 'missed',
      personId: w.ids.clientA,
      cause: 'cancel',
    });
    // The late newCall rings nobody: the call is over.
    expect((await cti(w, w.token, ring('early'))).status).toBe(200);
    expect(await notices(w, CALL_RINGING_NOTICE)).toHaveLength(0);
    await cti(w, w.token, { event: 'answer', callId: 'early', direction: 'in', user: ['Line One'] });
    expect(await callRow(w, 'early')).toMatchObject({
      state: 'missed',
      answeredAt: null,
      answeredById: null,
    });

    await cti(w, w.token, ring('late-answer'));
    await cti(w, w.token, {
      event: 'hangup',
      callId: 'late-answer',
      direction: 'in',
      cause: 'normalClearing',
      answeringNumber: 'line1@desk.example',
    });
    await cti(w, w.token, { event: 'answer', callId: 'late-answer', direction: 'in', user: ['Line One B'] });
    expect(await callRow(w, 'late-answer')).toMatchObject({ state: 'ended', answeredById: w.ids.line1 });
  });

  it("puts a missed call in the callback queue, due by the contract's first response on its calendar", async () => {
    // Monday 16:00 in Moscow: company A's default priority (P4) answers within 240 business minutes,
    // two hours today and two tomorrow morning.
    const w = await world('2026-11-09T16:00:00+03:00');
    await cti(w, w.token, ring('missed-a'));
    w.clock.advance(20_000);
    await cti(w, w.token, { event: 'hangup', callId: 'missed-a', direction: 'in', cause: 'noAnswer' });
    expect((await callRow(w, 'missed-a'))?.callbackDueAt).toBe(Date.parse('2026-11-10T11:00:00+03:00'));
    expect((await notices(w, CALL_MISSED_NOTICE)).map((n) => n.recipientId).sort()).toEqual(
      [w.ids.line1, w.ids.line1b].sort(),
    );
    // A number nobody has: no contract of its own, the desk's fallback (24/7, 480 minutes).
    await cti(w, w.token, {
      event: 'hangup',
      callId: 'missed-x',
      from: '+79990001122',
      direction: 'in',
      cause: 'busy',
    });
    expect((await callRow(w, 'missed-x'))?.callbackDueAt).toBe(w.clock.now() + 480 * 60_000);
    // An outgoing call nobody took is not ours to return.
    await cti(w, w.token, {
      event: 'hangup',
      callId: 'out-1',
      from: '+74951234567',
      to: CLIENT_A_PHONE,
      direction: 'out',
      cause: 'noAnswer',
    });
    expect((await callRow(w, 'out-1'))?.state).toBe('ended');

    const queue = await call(w, 'line1', 'GET', '/api/calls/callbacks');
    expect(queue.status).toBe(200);
    // Due first on top: the stranger's 24/7 eight hours end before company A's next morning.
    expect(queue.json.callbacks.map((c: { callId: string }) => c.callId)).toEqual(['missed-x', 'missed-a']);
    expect(queue.json.callbacks[1]).toMatchObject({
      personName: 'Client A',
      companyName: 'Alpha LLC',
      fromNumber: CLIENT_A_PHONE,
      dueAt: Date.parse('2026-11-10T11:00:00+03:00'),
      timeZone: 'Europe/Moscow',
    });
    expect((await call(w, 'clientA', 'GET', '/api/calls/callbacks')).status).toBe(403);
  });

  it('marks a callback done, once, for staff only', async () => {
    const w = await world();
    await cti(w, w.token, {
      event: 'hangup',
      callId: 'cb',
      from: CLIENT_A_PHONE,
      direction: 'in',
      cause: 'noAnswer',
    });
    expect((await call(w, 'clientA', 'POST', '/api/calls/cb/callback-done')).status).toBe(403);
    expect((await call(w, 'line1', 'POST', '/api/calls/nope/callback-done')).status).toBe(404);
    const done = await call(w, 'line1', 'POST', '/api/calls/cb/callback-done');
    expect(done.status).toBe(200);
    expect(done.json.doneAt).toBe(w.clock.now());
    w.clock.advance(60_000);
    expect((await call(w, 'line1b', 'POST', '/api/calls/cb/callback-done')).json.doneAt).toBe(
      done.json.doneAt,
    );
    expect((await callRow(w, 'cb'))?.callbackDoneBy).toBe(w.ids.line1);
    expect((await call(w, 'line1', 'GET', '/api/calls/callbacks')).json.callbacks).toEqual([]);
  });

  it('takes a missed call off the queue once someone talks with that number, not before', async () => {
    const w = await world();
    const missed = { callId: 'm1', from: CLIENT_A_PHONE, direction: 'in', cause: 'noAnswer' };
    await cti(w, w.token, { event: 'hangup', ...missed });
    w.clock.advance(60_000);
    // Line One calls back; nobody picks up: still to call back.
    const back = { from: '+74951234567', to: CLIENT_A_PHONE, direction: 'out' };
    await cti(w, w.token, { event: 'newCall', callId: 'o1', ...back, user: ['Line One'] });
    await cti(w, w.token, { event: 'hangup', callId: 'o1', ...back, cause: 'noAnswer' });
    const queue = async () => (await call(w, 'line1', 'GET', '/api/calls/callbacks')).json.callbacks;
    expect((await queue()).map((c: { callId: string }) => c.callId)).toEqual(['m1']);
    w.clock.advance(60_000);
    await cti(w, w.token, { event: 'newCall', callId: 'o2', ...back, user: ['Line One'] });
    await cti(w, w.token, {
      event: 'answer',
      callId: 'o2',
      ...back,
      user: ['Line One'],
      answeringNumber: 'line1@desk.example',
    });
    expect(await queue()).toEqual([]);
    expect(await callRow(w, 'm1')).toMatchObject({
      callbackDoneAt: w.clock.now(),
      callbackDoneBy: w.ids.line1,
    });
    // A call missed after the talk waits in the queue again.
    w.clock.advance(60_000);
    await cti(w, w.token, { event: 'hangup', ...missed, callId: 'm2' });
    await cti(w, w.token, { event: 'hangup', callId: 'o2', ...back, cause: 'normalClearing' });
    expect((await queue()).map((c: { callId: string }) => c.callId)).toEqual(['m2']);
  });

  it('refuses a bad payload with 400 and writes nothing', async () => {
    const w = await world();
    const before = await tableCounts(w);
    const bad: Array<[Record<string, string | string[]> | string, 'form' | 'json']> = [
      [{ event: 'newCall', from: CLIENT_A_PHONE }, 'form'],
      [{ event: 'ring', callId: 'x' }, 'form'],
      [{ event: 'newCall', callId: 'x'.repeat(251) }, 'json'],
      [{ event: 'newCall', callId: 'x', direction: 'sideways' }, 'json'],
      ['{"event": "newCall", "callId": ', 'json'],
      ['[1, 2]', 'json'],
      ['', 'form'],
    ];
    for (const [body, as] of bad) {
      const res =
        typeof body === 'string'
          ? await call(w, null, 'POST', `/api/telephony/cti/${w.token}`, body, {
              'Content-Type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
            })
          : await cti(w, w.token, body, as);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('invalid_input');
    }
    const numeric = await call(w, null, 'POST', `/api/telephony/cti/${w.token}`, {
      event: 'newCall',
      callId: 5,
    });
    expect(numeric.status).toBe(400);
    expect(await tableCounts(w)).toEqual(before);
  });

  it("shows the call in its ticket's history once linked: when, who answered, how long", async () => {
    const w = await world();
    const ticket = await createTicket(w.ctx, w.as.line1, {
      channel: 'phone',
      requesterId: w.ids.clientA,
      description: 'Printer jams',
    });
    await cti(w, w.token, ring('hist'));
    await cti(w, w.token, {
      event: 'answer',
      callId: 'hist',
      direction: 'in',
      answeringNumber: 'line1@desk.example',
    });
    // Filed while the call goes on: the history gets it when the call ends.
    const linked = await call(w, 'line1', 'POST', '/api/calls/hist/ticket', { ticketId: ticket.id });
    expect(linked.json).toEqual({ callId: 'hist', ticketId: ticket.id });
    expect((await call(w, 'clientA', 'POST', '/api/calls/hist/ticket', { ticketId: ticket.id })).status).toBe(
      403,
    );
    w.clock.advance(185_000);
    await cti(w, w.token, { event: 'hangup', callId: 'hist', direction: 'in', cause: 'normalClearing' });
    await linkCallToTicket(w.ctx, w.as.line1, 'hist', ticket.id);
    await expect(linkCallToTicket(w.ctx, w.as.clientA, 'hist', ticket.id)).rejects.toThrow(/staff/);

    const page = await call(w, 'clientA', 'GET', `/api/tickets/${ticket.id}`);
    const entries = page.json.timeline.filter((e: { type: string }) => e.type === 'call');
    expect(entries).toHaveLength(1);
    expect(entries[0].data).toMatchObject({ answered: true, answeredBy: 'Line One', durationSeconds: 185 });
    expect(page.text).not.toContain('line1@desk.example');
    expect(page.text).not.toContain('+7');

    // A missed call linked after it ended is written at once.
    await cti(w, w.token, {
      event: 'hangup',
      callId: 'hist2',
      from: CLIENT_A_PHONE,
      direction: 'in',
      cause: 'noAnswer',
    });
    await linkCallToTicket(w.ctx, w.as.line1, 'hist2', ticket.id);
    const staff = await call(w, 'line1', 'GET', `/api/tickets/${ticket.id}`);
    expect(staff.json.timeline.filter((e: { type: string }) => e.type === 'call').at(-1).data).toMatchObject({
      answered: false,
      durationSeconds: null,
    });
  });
});

describe('the 1st line in Telegram', () => {
  let w: BotWorld | undefined;
  afterAll(async () => w?.close());

  it("gets a card while Client A's call rings: name, company, open requests, Create request", async () => {
    w = await botWorld({ miniAppUrl: 'https://desk.example/app/' });
    const bw = w;
    await execute(
      bw.ctx.db.update(people).set({ phone: CLIENT_A_PHONE }).where(eq(people.id, bw.ids.clientA)),
    );
    await createTicket(bw.ctx, bw.as.clientA, { channel: 'telegram', description: 'Принтер не печатает' });
    const line1 = bw.tg('line1');
    const app = createApi({ desk: bw.ctx, botToken: bw.emu.token });
    const token = await ctiToken(bw.ctx, SYSTEM);
    const res = await app.request(`/api/telephony/cti/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...ring('e2e'), user: 'Line One' }).toString(),
    });
    expect(res.status).toBe(200);
    const card = await line1.waitForMessage('Входящий звонок', 10_000);
    expect(card.text).toContain('Client A');
    expect(card.text).toContain('Alpha LLC');
    expect(card.text).toContain('Принтер не печатает');
    const button = card.reply_markup?.inline_keyboard.flat().find((b) => 'web_app' in b);
    expect(button && 'web_app' in button ? button.web_app?.url : '').toBe(
      `https://desk.example/app/?call=e2e&phone=${encodeURIComponent(CLIENT_A_PHONE)}`,
    );
    expect(bw.errors).toEqual([]);
  });
});

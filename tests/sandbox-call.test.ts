// The sandbox's phone, server side, on a desk started as `npm start` starts it without a bot token: a call
// rung as a demo client goes to the desk's real CTI webhook, makes a ringing call and puts the card in the
// 1st line's chat; hung up unanswered it is missed and in the callback queue; answered by the 1st line it
// ends; bad input is a 400, never a 500.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadActor } from '../core/actors.ts';
import { callbackQueue } from '../core/phone/calls.ts';
import { queryAll, queryOne } from '../db/access.ts';
import { calls } from '../db/schema.ts';
import type { CallView, ChatView, SessionView } from '../sandbox/types.ts';
import { sandboxDesk } from './support/sandbox-desk.ts';

const desk = sandboxDesk('sandbox-call');
const post = desk.post;

async function ok(response: Promise<Response>, status = 200): Promise<CallView> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`${answer.status} ${await answer.text()}`);
  return (await answer.json()) as CallView;
}

const session = async () =>
  (await (await fetch(`${desk.origin()}/sandbox/api/session?lang=ru`)).json()) as SessionView;

async function anna() {
  const found = (await session()).callPeople.find((p) => p.phone === '+79161112233');
  if (!found) throw new Error('no demo person with +79161112233');
  expect(found).toMatchObject({ name: 'Анна Смирнова', company: 'ООО «Ромашка»' });
  return found;
}

async function line1() {
  const [first] = (await session()).line1;
  if (!first?.chatId) throw new Error('no 1st-line person with a chat');
  return { ...first, chatId: first.chatId };
}

/** The bot's messages in a chat that mention `text`, once they are there. */
async function cardIn(chatId: number, text: string) {
  await expect
    .poll(
      async () => {
        const chat = (await (await fetch(`${desk.origin()}/sandbox/api/chats/${chatId}`)).json()) as ChatView;
        return chat.messages.filter((m) => !m.mine && m.text?.includes(text)).map((m) => m.text);
      },
      { timeout: 10_000 },
    )
    .not.toEqual([]);
}

/** The callback queue's call ids, as a 1st-line person sees it. */
const queue = async (personId: number) =>
  (await callbackQueue(desk.app().desk, await loadActor(desk.app().desk.db, personId))).map((c) => c.callId);
const row = async (callId: string) =>
  await queryOne(desk.app().desk.db.select().from(calls).where(eq(calls.callId, callId)));

describe('the sandbox phone', () => {
  it('rings as a demo client: a ringing call, the card in the 1st line’s chat; unanswered, it is missed', async () => {
    const caller = await anna();
    const staff = await line1();
    const rung = await ok(post('/calls', { from: { personId: caller.id } }), 201);
    expect(rung).toMatchObject({ state: 'ringing', from: '+79161112233', answeredBy: null });
    expect(await row(rung.callId)).toMatchObject({ state: 'ringing', personId: caller.id, direction: 'in' });
    await cardIn(staff.chatId, 'Анна Смирнова');

    const over = await ok(post(`/calls/${rung.callId}/hangup`));
    expect(over.state).toBe('missed');
    expect(over.callbackDueAt).toBeGreaterThan(0);
    expect(await queue(staff.id)).toContain(rung.callId);
    // Over: it cannot be answered or hung up again.
    expect((await post(`/calls/${rung.callId}/hangup`)).status).toBe(400);
  });

  it('is answered by the 1st line and ends; a free number or the whole call at once works too', async () => {
    const staff = await line1();
    const rung = await ok(post('/calls', { from: { number: '+7 999 000-11-22' } }), 201);
    expect(rung).toMatchObject({ state: 'ringing', from: '+79990001122' });
    const answered = await ok(post(`/calls/${rung.callId}/answer`, { by: staff.id }));
    expect(answered).toMatchObject({ state: 'answered', answeredBy: staff.name });
    const ended = await ok(post(`/calls/${rung.callId}/hangup`));
    expect(ended).toMatchObject({ state: 'ended', callbackDueAt: null });
    expect(await queue(staff.id)).not.toContain(rung.callId);

    const caller = await anna();
    const missed = await ok(post('/calls', { from: { personId: caller.id }, outcome: 'missed' }), 201);
    expect(missed.state).toBe('missed');
    const whole = await ok(
      post('/calls', { from: { personId: caller.id }, outcome: 'answered', answeredBy: staff.id }),
      201,
    );
    expect(whole).toMatchObject({ state: 'ended', answeredBy: staff.name });
  });

  it('answers bad input with a 400 and what is wrong', async () => {
    const caller = await anna();
    const staff = await line1();
    const before = (await queryAll(desk.app().desk.db.select().from(calls))).length;
    const cases: [string, unknown, RegExp][] = [
      ['/calls', '{not json', /./],
      ['/calls', {}, /from/],
      ['/calls', { from: { number: 'call me' } }, /from/],
      ['/calls', { from: { personId: 99_999_999 } }, /from\.personId/],
      ['/calls', { from: { personId: caller.id }, outcome: 'answered' }, /answeredBy/],
      ['/calls', { from: { personId: caller.id }, outcome: 'answered', answeredBy: caller.id }, /answeredBy/],
      ['/calls', { from: { personId: caller.id }, outcome: 'busy' }, /outcome/],
      ['/calls/nope/hangup', undefined, /callId/],
      ['/calls/nope/answer', { by: staff.id }, /callId/],
    ];
    for (const [path, body, message] of cases) {
      const response = await post(path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('invalid_input');
      expect(answer.error.message).toMatch(message);
    }
    expect((await queryAll(desk.app().desk.db.select().from(calls))).length).toBe(before);

    // Answered by someone not of the 1st line: refused, the call still rings.
    const rung = await ok(post('/calls', { from: { personId: caller.id } }), 201);
    const wrong = await post(`/calls/${rung.callId}/answer`, { by: caller.id });
    expect(wrong.status).toBe(400);
    expect((await row(rung.callId))?.state).toBe('ringing');
    await ok(post(`/calls/${rung.callId}/hangup`));
  });
});

// The operator's phone console: numbers as typed and pasted, the caller's card (companies, contracts, open
// requests), a new contact linked to a company in the request's own transaction, a word added to an open
// request, refusals that write nothing, and one request however often the same submit is sent.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../core/errors.ts';
import { fileCall, lookUpCaller, parsePhoneInput } from '../core/phone/caller.ts';
import { act } from '../core/tickets/act.ts';
import { createTicket } from '../core/tickets/create.ts';
import { execute, queryAll, queryOne } from '../db/access.ts';
import { attachments, comments, contracts, memberships, people, tickets } from '../db/schema.ts';
import { apiWorld, call, initData } from './api-harness.ts';
import { PNG } from './channel-suite.ts';
import { makeWorld, storeSnapshot, type World } from './fixtures.ts';

const CLIENT_A_PHONE = '+79161234567';

async function withPhones(w: World): Promise<World> {
  await execute(w.ctx.db.update(people).set({ phone: CLIENT_A_PHONE }).where(eq(people.id, w.ids.clientA)));
  return w;
}

const issuePaths = async (fn: () => unknown): Promise<unknown[]> => {
  try {
    await fn();
  } catch (e) {
    if (e instanceof InvalidInputError)
      return (e.details.issues as { path: unknown[] }[]).map((i) => i.path.join('.'));
    throw e;
  }
  throw new Error('not refused');
};

describe('parsePhoneInput', () => {
  it('reads the Russian forms an operator types or pastes', () => {
    for (const raw of [
      '8 916 123-45-67',
      '89161234567',
      '+7 (916) 123-45-67',
      '+7-916-123-45-67',
      '7 916 123 45 67',
      '9161234567',
      ' (916) 123.45.67 ',
      '+7\u00a0916\u00a0123-45-67',
    ]) {
      expect(parsePhoneInput(raw), raw).toEqual({ e164: CLIENT_A_PHONE, extension: null });
    }
  });

  it('takes the extension off', () => {
    for (const [raw, extension] of [
      ['+7 (495) 123-45-67 доб. 123', '123'],
      ['8 495 123 45 67, доб 45', '45'],
      ['84951234567 добавочный 7', '7'],
      ['+7 495 123-45-67 ext. 2001', '2001'],
      ['+7 495 123-45-67 ext 9', '9'],
      ['+7 495 123-45-67 x123', '123'],
      ['+7 495 123-45-67 #55', '55'],
    ] as const) {
      expect(parsePhoneInput(raw), raw).toEqual({ e164: '+74951234567', extension });
    }
  });

  it('says what is wrong with what is not a number', async () => {
    for (const raw of [
      '',
      '   ',
      'Иван',
      '12',
      '+7 916 abc 45 67',
      '1'.repeat(65),
      '8 916 123-45-67 доб. абв',
    ]) {
      expect(await issuePaths(() => parsePhoneInput(raw)), raw).toEqual(['number']);
    }
  });

  it('keeps foreign numbers international', () => {
    expect(parsePhoneInput('+44 20 7946 0958')).toEqual({ e164: '+442079460958', extension: null });
  });
});

describe('the caller card', () => {
  it('shows a known caller with their company, its contract and their open requests only', async () => {
    const w = await withPhones(await makeWorld());
    const open = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Printer' });
    const done = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Old one' });
    await act(w.ctx, w.as.line1, done.id, { action: 'cancel', reason: 'duplicate' });
    await createTicket(w.ctx, w.as.clientA2, { channel: 'telegram', description: 'Colleague' });
    const card = await lookUpCaller(w.ctx, w.as.line1, '8 (916) 123-45-67 доб. 12');
    expect(card).toMatchObject({
      phone: CLIENT_A_PHONE,
      extension: '12',
      person: { id: w.ids.clientA, name: 'Client A' },
      companies: [
        {
          id: w.companyA,
          name: 'Alpha LLC',
          role: 'client',
          contract: { name: 'A business hours', active: true },
        },
      ],
    });
    expect(card.openTickets.map((t) => t.number)).toEqual([open.number]);
    expect(card.openTickets[0]).toMatchObject({
      subject: 'Printer',
      status: 'new',
      priority: expect.any(String),
    });
  });

  it('says when a company has no contract in force', async () => {
    const w = await withPhones(await makeWorld());
    await execute(
      w.ctx.db
        .update(contracts)
        .set({ endsAt: w.clock.now() - 1 })
        .where(eq(contracts.companyId, w.companyA)),
    );
    const card = await lookUpCaller(w.ctx, w.as.supervisor, CLIENT_A_PHONE);
    expect(card.companies[0]?.contract).toMatchObject({ name: 'A business hours', active: false });
  });

  it('answers an unknown number with nobody', async () => {
    const w = await makeWorld();
    expect(await lookUpCaller(w.ctx, w.as.admin, '+7 999 000-11-22')).toEqual({
      phone: '+79990001122',
      extension: null,
      person: null,
      companies: [],
      openTickets: [],
    });
  });

  it('is for the 1st line, supervisors and admins only', async () => {
    const w = await withPhones(await makeWorld());
    for (const who of ['clientA', 'managerA', 'line2', 'field', 'stranger'] as const) {
      await expect(lookUpCaller(w.ctx, w.as[who], CLIENT_A_PHONE), who).rejects.toThrow(/1st line/);
    }
  });
});

describe('filing a call', () => {
  const request = { description: 'Не печатает принтер', impact: 'person', urgency: 'high' } as const;

  it('files a known caller’s request on their behalf, channel phone, filed by the operator', async () => {
    const w = await withPhones(await makeWorld());
    const filed = await fileCall(w.ctx, w.as.line1, {
      number: '8 916 123 45 67',
      ...request,
      categoryId: w.category.printer,
      location: 'Офис 3',
    });
    expect(filed).toMatchObject({
      outcome: 'created',
      repeated: false,
      requester: { id: w.ids.clientA, created: false },
    });
    const ticket = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, filed.ticket.id)));
    expect(ticket).toMatchObject({
      channel: 'phone',
      requesterId: w.ids.clientA,
      companyId: w.companyA,
      categoryId: w.category.printer,
      location: 'Офис 3',
      impact: 'person',
      urgency: 'high',
      number: filed.ticket.number,
    });
    const created = (await queryOne(
      w.ctx.db,
      sql`select actor_id as "actorId" from ticket_events where ticket_id = ${filed.ticket.id} and type = 'created'`,
    )) as { actorId: number };
    expect(created.actorId).toBe(w.ids.line1);
  });

  it('files an unknown number as a new contact linked to a company, in one transaction', async () => {
    const w = await makeWorld();
    const filed = await fileCall(w.ctx, w.as.line1, {
      number: '+7 (926) 555-44-33',
      name: 'Пётр Сидоров',
      companyId: w.companyB,
      ...request,
    });
    expect(filed.requester).toMatchObject({ name: 'Пётр Сидоров', created: true });
    const person = await queryOne(w.ctx.db.select().from(people).where(eq(people.id, filed.requester.id)));
    expect(person).toMatchObject({ phone: '+79265554433', name: 'Пётр Сидоров' });
    expect(
      await queryAll(w.ctx.db.select().from(memberships).where(eq(memberships.personId, filed.requester.id))),
    ).toMatchObject([{ companyId: w.companyB, role: 'client' }]);
    expect(
      await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, filed.ticket.id))),
    ).toMatchObject({
      companyId: w.companyB,
      requesterId: filed.requester.id,
      channel: 'phone',
    });
    // Known from now on: the card shows them with the company and the request.
    const card = await lookUpCaller(w.ctx, w.as.line1, '89265554433');
    expect(card.person?.id).toBe(filed.requester.id);
    expect(card.companies.map((c) => c.id)).toEqual([w.companyB]);
    expect(card.openTickets.map((t) => t.id)).toEqual([filed.ticket.id]);
  });

  it('leaves no contact behind when the request cannot be filed', async () => {
    const w = await makeWorld();
    const before = await storeSnapshot(w.ctx.db);
    // The rollback is the transaction's: a contact is made, then the request fails in core.
    const bad = { number: '+79265554433', name: 'Пётр', companyId: w.companyB, ...request };
    await expect(
      fileCall(w.ctx, w.as.line1, bad, [{ kind: 'photo', storagePath: 'x'.repeat(600) }]),
    ).rejects.toThrow(InvalidInputError);
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('adds the caller’s words to an open request', async () => {
    const w = await withPhones(await makeWorld());
    const open = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Printer' });
    const filed = await fileCall(w.ctx, w.as.supervisor, {
      number: CLIENT_A_PHONE,
      ticketId: open.id,
      text: 'Модель: Canon LBP2900',
    });
    expect(filed).toMatchObject({ outcome: 'commented', ticket: { id: open.id, number: open.number } });
    expect(
      await queryAll(w.ctx.db.select().from(comments).where(eq(comments.ticketId, open.id))),
    ).toMatchObject([{ body: 'Модель: Canon LBP2900', authorId: w.ids.supervisor }]);
  });

  it('refuses bad input by field, and writes nothing', async () => {
    const w = await withPhones(await makeWorld());
    const open = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Printer' });
    const closed = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Gone' });
    await act(w.ctx, w.as.line1, closed.id, { action: 'cancel', reason: 'x' });
    await execute(
      w.ctx.db.insert(memberships).values({ personId: w.ids.clientB, companyId: w.companyA, role: 'client' }),
    );
    await execute(w.ctx.db.update(people).set({ phone: '+79160000002' }).where(eq(people.id, w.ids.clientB)));
    const before = await storeSnapshot(w.ctx.db);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ number: 'abc', ...request }, ['number']],
      [{ number: CLIENT_A_PHONE }, ['description', 'impact', 'urgency']],
      [{ number: CLIENT_A_PHONE, ...request, impact: 'galaxy' }, ['impact']],
      [{ number: CLIENT_A_PHONE, ticketId: open.id }, ['text']],
      [{ number: CLIENT_A_PHONE, ticketId: closed.id, text: 'x' }, ['ticketId']],
      [{ number: CLIENT_A_PHONE, ...request, categoryId: 999 }, ['categoryId']],
      [{ number: '+79265554433', name: 'New', companyId: 999, ...request }, ['companyId']],
      // Client A is Alpha's: not moved to Beta by a call.
      [{ number: CLIENT_A_PHONE, companyId: w.companyB, ...request }, ['companyId']],
      // Client B is now of both companies: which one?
      [{ number: '+79160000002', ...request }, ['companyId']],
    ];
    for (const [input, paths] of cases) {
      expect(
        await issuePaths(async () => await fileCall(w.ctx, w.as.line1, input as never)),
        JSON.stringify(input),
      ).toEqual(paths);
    }
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });

  it('files once per key', async () => {
    const w = await makeWorld();
    const input = { number: '+79265554433', name: 'Пётр', ...request, intakeKey: '7:abc' };
    const first = await fileCall(w.ctx, w.as.line1, input);
    const again = await fileCall(w.ctx, w.as.line1, input);
    expect(again).toMatchObject({ outcome: 'created', repeated: true, ticket: first.ticket });
    expect(await queryAll(w.ctx.db.select().from(tickets))).toHaveLength(1);
    expect(
      await queryAll(w.ctx.db.select().from(people).where(eq(people.phone, '+79265554433'))),
    ).toHaveLength(1);
  });
});

describe('the phone routes', () => {
  it('looks a caller up and files a request, once per Idempotency-Key', async () => {
    const w = await apiWorld();
    await withPhones(w);
    const card = await call(
      w,
      'line1',
      'GET',
      `/api/phone/callers?number=${encodeURIComponent('8 916 123-45-67')}`,
    );
    expect(card.status).toBe(200);
    expect(card.json.caller).toMatchObject({ phone: CLIENT_A_PHONE, person: { id: w.ids.clientA } });
    const body = {
      number: '+7 916 123-45-67',
      description: 'Нет сети',
      impact: 'department',
      urgency: 'low',
    };
    const headers = { 'Idempotency-Key': 'call-1' };
    const first = await call(w, 'line1', 'POST', '/api/phone/calls', body, headers);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      outcome: 'created',
      repeated: false,
      ticket: { number: expect.any(Number) },
    });
    const again = await call(w, 'line1', 'POST', '/api/phone/calls', body, headers);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ outcome: 'created', repeated: true, ticket: first.json.ticket });
    expect(await queryAll(w.ctx.db.select().from(tickets))).toHaveLength(1);
    // Another operator's key of the same text is theirs: a new request.
    const other = await call(w, 'supervisor', 'POST', '/api/phone/calls', body, headers);
    expect(other.status).toBe(201);
    expect(await queryAll(w.ctx.db.select().from(tickets))).toHaveLength(2);
  });

  it('links uploaded files, and a retry with the same key answers without them being pending', async () => {
    const w = await apiWorld();
    const form = new FormData();
    form.set('file', new File([new Uint8Array(PNG)], 'screen.png', { type: 'image/png' }));
    const up = await w.app.request('/api/uploads', {
      method: 'POST',
      headers: { Authorization: `tma ${await initData(w, 'line1')}` },
      body: form,
    });
    const { upload } = (await up.json()) as { upload: { id: string } };
    const body = {
      number: '+7 926 555-44-33',
      description: 'Ошибка на экране',
      impact: 'person',
      urgency: 'low',
      uploads: [upload.id],
    };
    const headers = { 'Idempotency-Key': 'with-file' };
    const first = await call(w, 'line1', 'POST', '/api/phone/calls', body, headers);
    expect(first.status).toBe(201);
    const again = await call(w, 'line1', 'POST', '/api/phone/calls', body, headers);
    expect(again.status).toBe(200);
    expect(again.json.ticket).toEqual(first.json.ticket);
    expect(await queryAll(w.ctx.db.select().from(attachments))).toMatchObject([
      { ticketId: first.json.ticket.id, kind: 'photo', fileName: 'screen.png' },
    ]);
  });

  it('adds to an open request', async () => {
    const w = await apiWorld();
    await withPhones(w);
    const open = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Printer' });
    const res = await call(w, 'admin', 'POST', '/api/phone/calls', {
      number: CLIENT_A_PHONE,
      ticketId: open.id,
      text: 'Перезвонил: всё ещё не печатает',
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ outcome: 'commented', ticket: { id: open.id, number: open.number } });
  });

  it('refuses clients and the 2nd line, and bad input with the field, writing nothing', async () => {
    const w = await apiWorld();
    await withPhones(w);
    const before = await storeSnapshot(w.ctx.db);
    for (const who of ['clientA', 'managerA', 'line2', 'field'] as const) {
      const look = await call(w, who, 'GET', `/api/phone/callers?number=${CLIENT_A_PHONE}`);
      expect(look.status, who).toBe(403);
      const file = await call(w, who, 'POST', '/api/phone/calls', {
        number: CLIENT_A_PHONE,
        description: 'x',
        impact: 'person',
        urgency: 'low',
      });
      expect(file.status, who).toBe(403);
    }
    const bad = await call(w, 'line1', 'POST', '/api/phone/calls', { number: '12', description: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual([
      'impact',
      'urgency',
    ]);
    const badNumber = await call(w, 'line1', 'POST', '/api/phone/calls', {
      number: 'позвонить Ивану',
      description: 'x',
      impact: 'person',
      urgency: 'low',
    });
    expect(badNumber.status).toBe(400);
    expect(badNumber.json.error.issues).toEqual([expect.objectContaining({ path: ['number'] })]);
    const badLook = await call(w, 'line1', 'GET', '/api/phone/callers?number=hello');
    expect(badLook.status).toBe(400);
    expect(badLook.json.error.issues).toEqual([expect.objectContaining({ path: ['number'] })]);
    expect(await storeSnapshot(w.ctx.db)).toBe(before);
  });
});

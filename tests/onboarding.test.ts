// Becoming known to the desk from Telegram: invite links, phone matching, unknown people.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadActor } from '../core/actors.ts';
import { ForbiddenError, InvalidInputError } from '../core/errors.ts';
import {
  bindByPhone,
  createInvite,
  ensureTelegramPerson,
  InviteError,
  languageFrom,
  normalizePhone,
  redeemInvite,
} from '../core/onboarding.ts';
import { createTicket } from '../core/tickets/create.ts';
import { getTicket } from '../core/tickets/read.ts';
import { execute, queryOne } from '../db/access.ts';
import { memberships, people, tickets } from '../db/schema.ts';
import { makeWorld } from './fixtures.ts';

const DAY = 86_400_000;

describe('invite links', () => {
  it('let a client manager bring a colleague into their company, once per link', async () => {
    const w = await makeWorld();
    const invite = await createInvite(w.ctx, w.as.managerA, { role: 'client', companyId: w.companyA });
    expect(invite.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const joined = await redeemInvite(
      w.ctx,
      { telegramUserId: 555, name: 'New Colleague', languageCode: 'en' },
      invite.code,
    );
    expect(joined).toMatchObject({ role: 'client', companyId: w.companyA, already: false });
    expect(joined.person.language).toBe('en');
    // The newcomer's requests now belong to company A and its contract.
    const t = await createTicket(w.ctx, await loadActor(w.ctx.db, joined.person.id), {
      channel: 'telegram',
      description: 'x',
    });
    expect(t.companyId).toBe(w.companyA);
    // Opening the same link again changes nothing; someone else finds it used up.
    expect(
      (await redeemInvite(w.ctx, { telegramUserId: 555, name: 'New Colleague' }, invite.code)).already,
    ).toBe(true);
    await expect(redeemInvite(w.ctx, { telegramUserId: 556, name: 'Other' }, invite.code)).rejects.toThrow(
      expect.objectContaining({ reason: 'used_up' }),
    );
    expect(
      await queryOne(w.ctx.db.select().from(people).where(eq(people.telegramUserId, 556))),
    ).toBeUndefined();
  });

  it('expire, and are refused when unknown', async () => {
    const w = await makeWorld();
    const invite = await createInvite(w.ctx, w.as.admin, { role: 'line1', validDays: 2 });
    w.clock.advance(2 * DAY);
    await expect(redeemInvite(w.ctx, { telegramUserId: 9, name: 'X' }, invite.code)).rejects.toThrow(
      InviteError,
    );
    await expect(redeemInvite(w.ctx, { telegramUserId: 9, name: 'X' }, 'nope')).rejects.toThrow(
      expect.objectContaining({ reason: 'unknown' }),
    );
  });

  it('are made only by the company’s manager (clients) or an admin (anyone)', async () => {
    const w = await makeWorld();
    await expect(
      createInvite(w.ctx, w.as.managerB, { role: 'client', companyId: w.companyA }),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      createInvite(w.ctx, w.as.clientA, { role: 'client', companyId: w.companyA }),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      createInvite(w.ctx, w.as.managerA, { role: 'client_manager', companyId: w.companyA }),
    ).rejects.toThrow(ForbiddenError);
    await expect(createInvite(w.ctx, w.as.line1, { role: 'line1' })).rejects.toThrow(ForbiddenError);
    await expect(createInvite(w.ctx, w.as.admin, { role: 'client' })).rejects.toThrow(/need a company/);
    await expect(createInvite(w.ctx, w.as.admin, { role: 'line2', companyId: w.companyA })).rejects.toThrow(
      /need a company/,
    );
    await expect(createInvite(w.ctx, w.as.admin, { role: 'wizard' as never })).rejects.toThrow(
      InvalidInputError,
    );
    expect(
      (await createInvite(w.ctx, w.as.admin, { role: 'client_manager', companyId: w.companyB, maxUses: 5 }))
        .maxUses,
    ).toBe(5);
  });
});

describe('sharing a phone number', () => {
  it('joins the directory entry with that number, bringing earlier requests along', async () => {
    const w = await makeWorld();
    // The directory: a client of A known by phone, not yet on Telegram.
    const entry = await queryOne(
      w.ctx.db
        .insert(people)
        .values({ name: 'Directory Person', phone: '+79161234567', createdAt: 0 })
        .returning(),
    );
    await execute(
      w.ctx.db.insert(memberships).values({ personId: entry.id, role: 'client', companyId: w.companyA }),
    );
    // Before sharing, they wrote as an unknown person.
    const profile = { telegramUserId: 777, name: 'Tg Name' };
    const unknown = await ensureTelegramPerson(w.ctx, profile);
    const early = await createTicket(w.ctx, await loadActor(w.ctx.db, unknown.id), {
      channel: 'telegram',
      description: 'x',
    });
    expect(early.companyId).toBeNull();

    const { person, matched } = await bindByPhone(w.ctx, profile, '8 (916) 123-45-67');
    expect(matched).toBe(true);
    expect(person.id).toBe(entry.id);
    expect(person.telegramUserId).toBe(777);
    expect(await queryOne(w.ctx.db.select().from(people).where(eq(people.id, unknown.id)))).toBeUndefined();
    expect(
      (await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, early.id))))?.requesterId,
    ).toBe(entry.id);
    expect((await getTicket(w.ctx, await loadActor(w.ctx.db, entry.id), early.id)).ticket.id).toBe(early.id);
    expect(
      (
        await createTicket(w.ctx, await loadActor(w.ctx.db, entry.id), {
          channel: 'telegram',
          description: 'y',
        })
      ).companyId,
    ).toBe(w.companyA);
  });

  it('keeps the number on an unknown person when the directory has no such entry', async () => {
    const w = await makeWorld();
    const { person, matched } = await bindByPhone(
      w.ctx,
      { telegramUserId: 888, name: 'Walk-in' },
      '+44 20 7946 0958',
    );
    expect(matched).toBe(false);
    expect(person).toMatchObject({ phone: '+442079460958', telegramUserId: 888 });
    await expect(bindByPhone(w.ctx, { telegramUserId: 888, name: 'Walk-in' }, 'call me')).rejects.toThrow(
      /not a phone/,
    );
  });
});

describe('small rules', () => {
  it('normalizes phone numbers and picks a language', () => {
    expect(normalizePhone('+7 (916) 111-22-33')).toBe('+79161112233');
    expect(normalizePhone('89161112233')).toBe('+79161112233');
    expect(normalizePhone('9161112233')).toBe('+79161112233');
    expect(normalizePhone('12345')).toBeNull();
    expect(languageFrom('en-GB')).toBe('en');
    expect(languageFrom('uk')).toBe('ru');
    expect(languageFrom(undefined)).toBe('ru');
  });
});

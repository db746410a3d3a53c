// A new desk's core: the defaults a fresh store gets (once), the first admin's set-up codes (hashed,
// expiring, single use), admins listed by id, the desk's name and time zone, and the production calendar
// the default business hours run on.
import { eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadActor } from '../core/actors.ts';
import { createContext, type DeskContext } from '../core/context.ts';
import { ForbiddenError, InvalidInputError } from '../core/errors.ts';
import { ManualClock } from '../core/model.ts';
import { createInvite } from '../core/onboarding.ts';
import { SYSTEM } from '../core/permissions.ts';
import { setupChecklist } from '../core/setup/checklist.ts';
import { applyDefaults, DEFAULT_CATEGORIES } from '../core/setup/defaults.ts';
import { deskProfile, updateDeskProfile } from '../core/setup/desk-profile.ts';
import {
  ensureAdmins,
  hasAdmin,
  issueSetupCode,
  redeemSetupCode,
  SETUP_CODE_TTL_MS,
} from '../core/setup/first-admin.ts';
import { createTicket } from '../core/tickets/create.ts';
import { openDatabase } from '../db/connection.ts';
import { businessCalendars, categories, contracts, deskSettings, memberships, people } from '../db/schema.ts';

function freshDesk(at = '2026-11-02T09:00:00+03:00'): { ctx: DeskContext; clock: ManualClock } {
  const clock = new ManualClock(Date.parse(at));
  return { ctx: createContext(openDatabase(':memory:'), clock), clock };
}

const profile = (telegramUserId: number, name = 'Анна') => ({ telegramUserId, name, languageCode: 'ru' });

describe('the defaults of a fresh store', () => {
  it('are given once: what an admin removes later does not come back', async () => {
    const { ctx } = freshDesk();
    expect((await applyDefaults(ctx)).applied).toBe(true);
    expect(ctx.db.select().from(categories).all()).toHaveLength(DEFAULT_CATEGORIES.length);
    ctx.db.delete(categories).run();
    expect((await applyDefaults(ctx)).applied).toBe(false);
    expect(ctx.db.select().from(categories).all()).toHaveLength(0);
    expect(ctx.db.select().from(contracts).all()).toHaveLength(1);
  });

  it('keep what a store already has (its own categories and contract for unknown senders)', async () => {
    const { ctx } = freshDesk();
    ctx.db.insert(categories).values({ code: 'own', nameRu: 'Своя', nameEn: 'Own' }).run();
    ctx.db
      .insert(contracts)
      .values({
        companyId: null,
        name: 'Own',
        startsAt: 0,
        slaTargets: { P1: { firstResponse: 1, resolution: 2 } } as never,
        priorityMatrix: {} as never,
      })
      .run();
    await applyDefaults(ctx);
    expect(ctx.db.select({ code: categories.code }).from(categories).all()).toEqual([{ code: 'own' }]);
    expect(ctx.db.select().from(contracts).all()).toHaveLength(1);
  });

  it('run the SLA of unknown senders on business hours with the Russian holidays', async () => {
    // Friday 30 April 2027, 17:30 in Moscow: a shortened day (ends 17:00), then the May holidays
    // (1–3 May off), so business time resumes on Tuesday 4 May at 09:00.
    const { ctx } = freshDesk('2027-04-30T17:30:00+03:00');
    await applyDefaults(ctx);
    const person = ctx.db.insert(people).values({ name: 'X', createdAt: 0 }).returning().get();
    // A P4 request (person × low): the first response is due in 480 business minutes: Tuesday 17:00.
    const ticket = await createTicket(ctx, await loadActor(ctx.db, person.id), {
      channel: 'web',
      description: 'x',
      impact: 'person',
      urgency: 'low',
    });
    expect(ticket.priority).toBe('P4');
    expect(new Date(ticket.firstResponseDueAt).toISOString()).toBe('2027-05-04T14:00:00.000Z');
  });

  it('refuse an unknown time zone', async () => {
    const { ctx } = freshDesk();
    await expect(applyDefaults(ctx, { timeZone: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
    expect(ctx.db.select().from(categories).all()).toHaveLength(0);
  });
});

describe('the first admin', () => {
  it('is whoever opens a live set-up link first; the code is stored only as a hash', async () => {
    const { ctx } = freshDesk();
    const code = await issueSetupCode(ctx);
    expect(code?.payload).toMatch(/^setup_[\w-]{24}$/);
    const stored = ctx.db.select().from(deskSettings).all();
    expect(JSON.stringify(stored)).not.toContain(code?.payload.slice(6));
    const admin = await redeemSetupCode(ctx, profile(101), code?.payload ?? '');
    expect(await loadActor(ctx.db, admin.id)).toMatchObject({
      memberships: [{ role: 'admin', companyId: null }],
    });
    // Repeated by the same person (a re-delivered update): still the admin, nothing added.
    expect((await redeemSetupCode(ctx, profile(101), code?.payload ?? '')).id).toBe(admin.id);
    expect(ctx.db.select().from(memberships).all()).toHaveLength(1);
    // Single use: the same link, or any other, now finds an admin.
    await expect(redeemSetupCode(ctx, profile(102), code?.payload ?? '')).rejects.toThrow(
      expect.objectContaining({ reason: 'admin_exists' }),
    );
    expect(await issueSetupCode(ctx)).toBeNull();
    expect(
      ctx.db.select().from(deskSettings).where(eq(deskSettings.key, 'setup_codes')).get(),
    ).toBeUndefined();
    expect(ctx.db.select().from(people).where(eq(people.telegramUserId, 102)).get()).toBeUndefined();
  });

  it('refuses an expired code and an unknown one, changing nothing', async () => {
    const { ctx, clock } = freshDesk();
    const old = await issueSetupCode(ctx);
    clock.advance(SETUP_CODE_TTL_MS);
    await expect(redeemSetupCode(ctx, profile(101), old?.payload ?? '')).rejects.toThrow(
      expect.objectContaining({ reason: 'expired' }),
    );
    await expect(redeemSetupCode(ctx, profile(101), 'setup_forged')).rejects.toThrow(
      expect.objectContaining({ reason: 'unknown' }),
    );
    expect(await hasAdmin(ctx)).toBe(false);
    expect(ctx.db.select().from(people).all()).toHaveLength(0);
    // A code printed at a later start works while the earlier one (still live) does too.
    const first = await issueSetupCode(ctx);
    clock.advance(60_000);
    const second = await issueSetupCode(ctx);
    expect(first?.payload).not.toBe(second?.payload);
    await redeemSetupCode(ctx, profile(103), first?.payload ?? '');
    expect(await hasAdmin(ctx)).toBe(true);
  });

  it('can come from ADMIN_TELEGRAM_IDS, idempotently', async () => {
    const { ctx } = freshDesk();
    await issueSetupCode(ctx);
    expect(await ensureAdmins(ctx, [7001, 7002])).toBe(2);
    expect(await ensureAdmins(ctx, [7001, 7002])).toBe(0);
    expect(ctx.db.select().from(memberships).all()).toHaveLength(2);
    // Listed admins end the set-up codes.
    expect(await issueSetupCode(ctx)).toBeNull();
  });

  it('is the only way to an admin without an admin: invites and roles need one', async () => {
    const { ctx } = freshDesk();
    const someone = ctx.db.insert(people).values({ name: 'X', createdAt: 0 }).returning().get();
    await expect(createInvite(ctx, await loadActor(ctx.db, someone.id), { role: 'admin' })).rejects.toThrow(
      ForbiddenError,
    );
  });
});

describe('the desk profile and the checklist', () => {
  it('names the desk and moves the default calendar to its time zone; refuses bad input unchanged', async () => {
    const { ctx } = freshDesk();
    await applyDefaults(ctx);
    expect(await deskProfile(ctx)).toEqual({ name: null, timeZone: 'Europe/Moscow' });
    expect((await setupChecklist(ctx, SYSTEM)).items.find((i) => i.key === 'desk')?.state).toBe('todo');
    await updateDeskProfile(ctx, SYSTEM, { name: 'Альфа', timeZone: 'Asia/Omsk' });
    expect(await deskProfile(ctx)).toEqual({ name: 'Альфа', timeZone: 'Asia/Omsk' });
    const fallback = ctx.db.select().from(contracts).where(isNull(contracts.companyId)).get();
    expect(
      ctx.db
        .select()
        .from(businessCalendars)
        .where(eq(businessCalendars.id, fallback?.calendarId ?? 0))
        .get()?.timeZone,
    ).toBe('Asia/Omsk');
    await expect(updateDeskProfile(ctx, SYSTEM, { timeZone: 'Nowhere/City' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(updateDeskProfile(ctx, SYSTEM, { name: '' })).rejects.toThrow(InvalidInputError);
    expect(await deskProfile(ctx)).toEqual({ name: 'Альфа', timeZone: 'Asia/Omsk' });
    const checklist = await setupChecklist(ctx, SYSTEM, { miniAppUrl: 'https://desk.example.org/' });
    expect(checklist.items.filter((i) => i.state === 'done').map((i) => i.key)).toEqual(['desk', 'miniapp']);
    expect(checklist).toMatchObject({ done: 2, total: 9 });
  });
});

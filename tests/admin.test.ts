// Set-up in core: admins only, every input checked, and contracts and calendars take effect at once
// (the compiled SLA policies are dropped when they change).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createCalendar, listCalendars, updateCalendar } from '../core/admin/calendars.ts';
import { createCategory, listAllCategories, updateCategory } from '../core/admin/categories.ts';
import { createCompany, listCompanies, updateCompany } from '../core/admin/companies.ts';
import { createContract, listContracts, updateContract } from '../core/admin/contracts.ts';
import { addRole, listPeople, removeRole, updatePerson } from '../core/admin/people.ts';
import { activeCategories } from '../core/categories.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../core/errors.ts';
import { DEFAULT_PRIORITY_MATRIX } from '../core/sla-policy.ts';
import { createTicket } from '../core/tickets/create.ts';
import { queryOne } from '../db/access.ts';
import { contracts, memberships } from '../db/schema.ts';
import { makeWorld, type PersonKey, TARGETS_A } from './fixtures.ts';

const WEEK = {
  mon: ['09:00-18:00'],
  tue: ['09:00-18:00'],
  wed: ['09:00-18:00'],
  thu: ['09:00-18:00'],
  fri: ['09:00-18:00'],
  sat: [],
  sun: [],
};

describe('set-up', () => {
  it('is for admins only', async () => {
    const w = await makeWorld();
    const calls = [
      async (who: PersonKey) => await listCompanies(w.ctx, w.as[who]),
      async (who: PersonKey) => await createCompany(w.ctx, w.as[who], { name: 'X' }),
      async (who: PersonKey) => await updateCompany(w.ctx, w.as[who], w.companyA, { name: 'X' }),
      async (who: PersonKey) => await listContracts(w.ctx, w.as[who]),
      async (who: PersonKey) => await updateContract(w.ctx, w.as[who], 1, { autoCloseBusinessDays: 1 }),
      async (who: PersonKey) => await listCalendars(w.ctx, w.as[who]),
      async (who: PersonKey) => await updateCalendar(w.ctx, w.as[who], 1, { name: 'X' }),
      async (who: PersonKey) => await listAllCategories(w.ctx, w.as[who]),
      async (who: PersonKey) =>
        await createCategory(w.ctx, w.as[who], { code: 'x', nameRu: 'x', nameEn: 'x' }),
      async (who: PersonKey) => await listPeople(w.ctx, w.as[who]),
      async (who: PersonKey) => await updatePerson(w.ctx, w.as[who], w.ids.clientA, { name: 'X' }),
      async (who: PersonKey) => await addRole(w.ctx, w.as[who], w.ids[who], { role: 'admin' }),
    ];
    for (const who of ['clientA', 'managerA', 'line1', 'line2', 'field', 'supervisor', 'stranger'] as const) {
      for (const call of calls) await expect(call(who)).rejects.toThrow(ForbiddenError);
    }
    for (const call of calls.slice(0, -1)) await expect(call('admin')).resolves.not.toThrow();
  });

  it('manages companies and categories, refusing taken codes', async () => {
    const w = await makeWorld();
    const gamma = await createCompany(w.ctx, w.as.admin, {
      name: ' Gamma ',
      emailDomain: 'Gamma.RU',
      phone: '',
    });
    expect(gamma).toMatchObject({ name: 'Gamma', emailDomain: 'gamma.ru', phone: null });
    expect(await updateCompany(w.ctx, w.as.admin, gamma.id, { phone: '+7 495 000-00-00' })).toMatchObject({
      name: 'Gamma',
      phone: '+7 495 000-00-00',
    });
    await expect(updateCompany(w.ctx, w.as.admin, 999, { name: 'X' })).rejects.toThrow(NotFoundError);
    await expect(
      createCompany(w.ctx, w.as.admin, { name: 'X', emailDomain: 'not a domain' }),
    ).rejects.toThrow(InvalidInputError);

    const mail = await createCategory(w.ctx, w.as.admin, {
      code: 'mail',
      nameRu: 'Почта',
      nameEn: 'Mail',
      sort: -1,
    });
    expect((await activeCategories(w.ctx.db, 'en')).map((c) => c.name)).toEqual([
      'Mail',
      'Printer',
      'Network',
    ]);
    await expect(
      createCategory(w.ctx, w.as.admin, { code: 'printer', nameRu: 'x', nameEn: 'x' }),
    ).rejects.toThrow(ConflictError);
    await expect(updateCategory(w.ctx, w.as.admin, mail.id, { code: 'network' })).rejects.toThrow(
      ConflictError,
    );
    await updateCategory(w.ctx, w.as.admin, mail.id, { active: false });
    expect((await activeCategories(w.ctx.db, 'ru')).map((c) => c.name)).toEqual(['Принтер', 'Сеть']);
    expect(await listAllCategories(w.ctx, w.as.admin)).toHaveLength(3);
    await expect(
      createTicket(w.ctx, w.as.clientA, { channel: 'miniapp', description: 'x', categoryId: mail.id }),
    ).rejects.toThrow(InvalidInputError);
  });

  it('applies a changed contract to the next ticket at once', async () => {
    const w = await makeWorld();
    const contract = await queryOne(
      w.ctx.db.select().from(contracts).where(eq(contracts.companyId, w.companyA)),
    );
    if (!contract) throw new Error('no contract');
    const before = await createTicket(w.ctx, w.as.clientA, {
      channel: 'miniapp',
      description: 'before',
      impact: 'company',
      urgency: 'high',
    });
    expect(before.firstResponseDueAt - before.createdAt).toBe(15 * 60_000);
    await updateContract(w.ctx, w.as.admin, contract.id, {
      slaTargets: { ...TARGETS_A, P1: { firstResponse: 5, resolution: 60 } },
      calendarId: null,
    });
    const after = await createTicket(w.ctx, w.as.clientA, {
      channel: 'miniapp',
      description: 'after',
      impact: 'company',
      urgency: 'high',
    });
    expect(after.firstResponseDueAt - after.createdAt).toBe(5 * 60_000);
    await expect(
      updateContract(w.ctx, w.as.admin, contract.id, { endsAt: contract.startsAt - 1 }),
    ).rejects.toThrow(InvalidInputError);
    await expect(updateContract(w.ctx, w.as.admin, contract.id, { calendarId: 999 })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(
      createContract(w.ctx, w.as.admin, {
        companyId: 999,
        name: 'x',
        startsAt: 0,
        slaTargets: TARGETS_A,
        priorityMatrix: DEFAULT_PRIORITY_MATRIX,
      }),
    ).rejects.toThrow(InvalidInputError);
    // A newer contract for B, starting now, takes over B's tickets.
    await createContract(w.ctx, w.as.admin, {
      companyId: w.companyB,
      name: 'B, renewed',
      startsAt: w.clock.now() - 1,
      calendarId: 1,
      slaTargets: TARGETS_A,
      priorityMatrix: DEFAULT_PRIORITY_MATRIX,
    });
    const b = await createTicket(w.ctx, w.as.clientB, { channel: 'miniapp', description: 'b' });
    expect((await w.ctx.policies.forContract(b.contractId)).timeZone).toBe('Europe/Moscow');
  });

  it('applies a changed calendar to the next ticket at once', async () => {
    const w = await makeWorld({ start: '2026-11-02T17:30:00+03:00' });
    const moscow = (await listCalendars(w.ctx, w.as.admin))[0];
    expect(moscow?.exceptions).toEqual([{ date: '2026-11-04', name: 'Unity Day', hours: [] }]);
    const before = await createTicket(w.ctx, w.as.clientA, {
      channel: 'miniapp',
      description: 'x',
      impact: 'company',
      urgency: 'high',
    });
    expect(before.firstResponseDueAt).toBe(Date.parse('2026-11-02T17:45:00+03:00'));
    await updateCalendar(w.ctx, w.as.admin, moscow?.id ?? 0, {
      week: { ...WEEK, mon: ['09:00-17:00'] },
      exceptions: [],
    });
    const after = await createTicket(w.ctx, w.as.clientA, {
      channel: 'miniapp',
      description: 'y',
      impact: 'company',
      urgency: 'high',
    });
    expect(after.firstResponseDueAt).toBe(Date.parse('2026-11-03T09:15:00+03:00'));
    expect((await listCalendars(w.ctx, w.as.admin))[0]?.exceptions).toEqual([]);
    const ekb = await createCalendar(w.ctx, w.as.admin, {
      name: 'Yekaterinburg',
      timeZone: 'Asia/Yekaterinburg',
      week: WEEK,
      exceptions: [{ date: '2027-01-01', name: 'New Year', hours: [] }],
    });
    expect(ekb).toMatchObject({
      name: 'Yekaterinburg',
      exceptions: [{ date: '2027-01-01', name: 'New Year', hours: [] }],
    });
    await expect(updateCalendar(w.ctx, w.as.admin, ekb.id, { timeZone: 'Asia/Atlantis' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(
      updateCalendar(w.ctx, w.as.admin, ekb.id, { exceptions: [{ date: '2027-02-30', hours: [] }] }),
    ).rejects.toThrow(InvalidInputError);
    expect((await listCalendars(w.ctx, w.as.admin))[2]?.timeZone).toBe('Asia/Yekaterinburg');
  });

  it('manages people and their roles, and never leaves the desk without an admin', async () => {
    const w = await makeWorld();
    expect(
      await updatePerson(w.ctx, w.as.admin, w.ids.clientA, {
        phone: '8 (900) 123-45-67',
        email: ' Anna@Example.ORG ',
      }),
    ).toMatchObject({
      phone: '+79001234567',
      email: 'anna@example.org',
    });
    await expect(updatePerson(w.ctx, w.as.admin, w.ids.clientA, { phone: '12' })).rejects.toThrow(
      InvalidInputError,
    );
    const person = await addRole(w.ctx, w.as.admin, w.ids.stranger, {
      role: 'client_manager',
      companyId: w.companyB,
    });
    expect(person.roles).toEqual([
      expect.objectContaining({ role: 'client_manager', companyId: w.companyB, companyName: 'Beta JSC' }),
    ]);
    await expect(
      addRole(w.ctx, w.as.admin, w.ids.stranger, { role: 'client_manager', companyId: w.companyB }),
    ).rejects.toThrow(ConflictError);
    await expect(
      addRole(w.ctx, w.as.admin, w.ids.stranger, { role: 'line1', companyId: w.companyB }),
    ).rejects.toThrow(InvalidInputError);
    await expect(addRole(w.ctx, w.as.admin, w.ids.stranger, { role: 'client' })).rejects.toThrow(
      InvalidInputError,
    );
    expect(
      (await listPeople(w.ctx, w.as.admin, { role: 'client_manager', companyId: w.companyB }))
        .map((p) => p.name)
        .sort(),
    ).toEqual(['Manager B', 'Stranger']);
    expect((await listPeople(w.ctx, w.as.admin, { q: 'line one' })).map((p) => p.name)).toEqual([
      'Line One B',
      'Line One',
    ]);
    expect((await listPeople(w.ctx, w.as.admin, { q: '900123' })).map((p) => p.name)).toEqual(['Client A']);

    const adminRole = await queryOne(
      w.ctx.db.select().from(memberships).where(eq(memberships.personId, w.ids.admin)),
    );
    await expect(removeRole(w.ctx, w.as.admin, w.ids.admin, adminRole?.id ?? 0)).rejects.toThrow(
      ConflictError,
    );
    await expect(removeRole(w.ctx, w.as.admin, w.ids.clientA, adminRole?.id ?? 0)).rejects.toThrow(
      NotFoundError,
    );
    await addRole(w.ctx, w.as.admin, w.ids.supervisor, { role: 'admin' });
    expect((await removeRole(w.ctx, w.as.admin, w.ids.admin, adminRole?.id ?? 0)).roles).toEqual([]);
  });
});

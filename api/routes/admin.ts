// Set-up for admins: companies, contracts, calendars, categories, people and their roles, and invite
// links (which a client manager may also make, for clients of their own company). Core checks who may.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { createCalendar, listCalendars, updateCalendar } from '../../core/admin/calendars.ts';
import { createCategory, listAllCategories, updateCategory } from '../../core/admin/categories.ts';
import { createCompany, listCompanies, updateCompany } from '../../core/admin/companies.ts';
import { createContract, listContracts, updateContract } from '../../core/admin/contracts.ts';
import { addRole, listPeople, removeRole, updatePerson } from '../../core/admin/people.ts';
import { ROLES } from '../../core/model.ts';
import { createInvite } from '../../core/onboarding.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { idText, limitText, pathId, readJson, readQuery } from '../input.ts';

/** Bodies are JSON objects; their fields are core's to check (the zod schemas in core/admin). */
const objectBody = z.record(z.string(), z.unknown());
/** The body as the input type of a core function, which parses it again with its own schema. */
const input = async <T>(c: Context): Promise<T> => (await readJson(c, objectBody)) as T;

const peopleQuerySchema = z.object({
  q: z.string().max(100).optional(),
  role: z.enum(ROLES).optional(),
  companyId: idText.optional(),
  before: idText.optional(),
  limit: limitText(500).default(100),
});

export function adminRoutes(deps: ApiDeps) {
  const { desk } = deps;
  return new Hono<ApiEnv>()
    .get('/admin/companies', async (c) => c.json({ companies: await listCompanies(desk, c.var.actor) }))
    .post('/admin/companies', async (c) =>
      c.json({ company: await createCompany(desk, c.var.actor, await input(c)) }, 201),
    )
    .patch('/admin/companies/:id', async (c) => {
      const id = pathId(c, 'id');
      return c.json({ company: await updateCompany(desk, c.var.actor, id, await input(c)) });
    })
    .get('/admin/contracts', async (c) => c.json({ contracts: await listContracts(desk, c.var.actor) }))
    .post('/admin/contracts', async (c) =>
      c.json({ contract: await createContract(desk, c.var.actor, await input(c)) }, 201),
    )
    .patch('/admin/contracts/:id', async (c) => {
      const id = pathId(c, 'id');
      return c.json({ contract: await updateContract(desk, c.var.actor, id, await input(c)) });
    })
    .get('/admin/calendars', async (c) => c.json({ calendars: await listCalendars(desk, c.var.actor) }))
    .post('/admin/calendars', async (c) =>
      c.json({ calendar: await createCalendar(desk, c.var.actor, await input(c)) }, 201),
    )
    .patch('/admin/calendars/:id', async (c) => {
      const id = pathId(c, 'id');
      return c.json({ calendar: await updateCalendar(desk, c.var.actor, id, await input(c)) });
    })
    .get('/admin/categories', async (c) => c.json({ categories: await listAllCategories(desk, c.var.actor) }))
    .post('/admin/categories', async (c) =>
      c.json({ category: await createCategory(desk, c.var.actor, await input(c)) }, 201),
    )
    .patch('/admin/categories/:id', async (c) => {
      const id = pathId(c, 'id');
      return c.json({ category: await updateCategory(desk, c.var.actor, id, await input(c)) });
    })
    .get('/admin/people', async (c) =>
      c.json({ people: await listPeople(desk, c.var.actor, readQuery(c, peopleQuerySchema)) }),
    )
    .patch('/admin/people/:id', async (c) => {
      const id = pathId(c, 'id');
      return c.json({ person: await updatePerson(desk, c.var.actor, id, await input(c)) });
    })
    .post('/admin/people/:id/roles', async (c) => {
      const id = pathId(c, 'id');
      return c.json({ person: await addRole(desk, c.var.actor, id, await input(c)) }, 201);
    })
    .delete('/admin/people/:id/roles/:membershipId', async (c) => {
      const id = pathId(c, 'id');
      const membershipId = pathId(c, 'membershipId');
      return c.json({ person: await removeRole(desk, c.var.actor, id, membershipId) });
    })
    .post('/admin/invites', async (c) => {
      const invite = await createInvite(desk, c.var.actor, await input(c));
      const link = deps.botUsername ? `https://t.me/${deps.botUsername}?start=${invite.code}` : null;
      return c.json(
        {
          code: invite.code,
          link,
          role: invite.role,
          companyId: invite.companyId,
          expiresAt: invite.expiresAt,
          maxUses: invite.maxUses,
        },
        201,
      );
    });
}

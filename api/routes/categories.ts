// GET /api/categories: what a request can be about, in the person's language; GET /api/companies: the
// companies the person may pick in filters and reports; GET /api/staff: whom a ticket can be assigned to.
import { asc, inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { activeCategories } from '../../core/categories.ts';
import { LINES } from '../../core/model.ts';
import { clientCompanies, ticketScope } from '../../core/permissions.ts';
import { assignableStaff } from '../../core/tickets/queues.ts';
import { queryAll } from '../../db/access.ts';
import { companies } from '../../db/schema.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { readQuery } from '../input.ts';

const staffQuery = z.object({ line: z.enum(LINES).default('line1') });

export function categoryRoutes(deps: ApiDeps) {
  const { desk } = deps;
  return new Hono<ApiEnv>()
    .get('/categories', async (c) => c.json(await activeCategories(desk.db, c.var.person.language)))
    .get('/companies', async (c) => {
      const scope = ticketScope(c.var.actor);
      const own = clientCompanies(c.var.actor);
      const rows = await queryAll(
        desk.db
          .select({ id: companies.id, name: companies.name })
          .from(companies)
          .where(scope.kind === 'all' ? undefined : inArray(companies.id, own.length > 0 ? own : [-1]))
          .orderBy(asc(companies.name)),
      );
      return c.json({ companies: rows });
    })
    .get('/staff', async (c) => {
      const { line } = readQuery(c, staffQuery);
      return c.json({ people: await assignableStaff(desk, c.var.actor, line) });
    });
}

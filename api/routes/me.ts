// GET /api/me: who the Mini App is talking to, and what they may do.
import { inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import { isStaff, managedCompanies, staffRoles } from '../../core/permissions.ts';
import { queryAll } from '../../db/access.ts';
import { companies } from '../../db/schema.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';

export function meRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>().get('/me', async (c) => {
    const { actor, person } = c.var;
    const memberships = actor.kind === 'person' ? actor.memberships : [];
    const companyIds = memberships.flatMap((m) => (m.companyId === null ? [] : [m.companyId]));
    const names = new Map(
      companyIds.length === 0
        ? []
        : (
            await queryAll(
              deps.desk.db
                .select({ id: companies.id, name: companies.name })
                .from(companies)
                .where(inArray(companies.id, companyIds)),
            )
          ).map((co) => [co.id, co.name]),
    );
    return c.json({
      id: person.id,
      name: person.name,
      language: person.language,
      roles: memberships.map((m) => ({
        role: m.role,
        companyId: m.companyId,
        companyName: m.companyId === null ? null : (names.get(m.companyId) ?? null),
      })),
      staff: isStaff(actor),
      admin: staffRoles(actor).includes('admin'),
      manages: managedCompanies(actor),
    });
  });
}

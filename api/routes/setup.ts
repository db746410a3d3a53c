// The admin's guided set-up: the checklist of what a new desk still lacks, and the desk's own name and
// time zone (the first line of that list, edited right in the Mini App's set-up screen). Admins only;
// core checks who may, and validates the profile with its own schema.
import { Hono } from 'hono';
import { z } from 'zod';
import { assertAdmin } from '../../core/permissions.ts';
import { setupChecklist } from '../../core/setup/checklist.ts';
import { type DeskProfileInput, deskProfile, updateDeskProfile } from '../../core/setup/desk-profile.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { readJson } from '../input.ts';

/** A JSON object; its fields are core's to check (deskProfileSchema), so a bad zone is core's 400. */
const objectBody = z.record(z.string(), z.unknown());

export function setupRoutes(deps: ApiDeps) {
  const { desk } = deps;
  return new Hono<ApiEnv>()
    .get('/admin/setup', async (c) =>
      c.json({
        checklist: await setupChecklist(desk, c.var.actor, {
          // What lives outside the store: the process's configuration, as the caller of createApi knows it.
          miniAppUrl: deps.miniAppUrl,
          emailConfigured:
            typeof deps.emailConfigured === 'function'
              ? deps.emailConfigured()
              : (deps.emailConfigured ?? false),
        }),
      }),
    )
    .get('/admin/desk', async (c) => {
      // deskProfile itself is unguarded (the bot reads the name for everyone); this route is the admin's.
      assertAdmin(c.var.actor);
      return c.json({ desk: await deskProfile(desk) });
    })
    .patch('/admin/desk', async (c) => {
      const body = (await readJson(c, objectBody)) as DeskProfileInput;
      return c.json({ desk: await updateDeskProfile(desk, c.var.actor, body) });
    });
}

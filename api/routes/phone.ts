// The operator's phone console: GET /api/phone/callers?number=… (who is calling: the person, their
// companies and contracts, their open requests) and POST /api/phone/calls (a new request on the caller's
// behalf, or their words added to an open one; a new contact with its company link in the same
// transaction). The 1st line, supervisors and admins only: core/phone/caller.ts decides.
import { Hono } from 'hono';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import {
  assertTakesCalls,
  callFieldsSchema,
  checkCallShape,
  fileCall,
  filedBefore,
  lookUpCaller,
} from '../../core/phone/caller.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { readJson, readQuery } from '../input.ts';
import { attachmentsOf, fileStoreOf, uploadIdsSchema } from './uploads.ts';

const callerQuery = z.object({ number: z.string().max(200) });

/** The console's body: core's fields, and files sent before with POST /api/uploads. */
const callBody = callFieldsSchema
  .omit({ intakeKey: true })
  .extend({ uploads: uploadIdsSchema.optional() })
  .superRefine((input, ctx) =>
    checkCallShape(input, (path, message) => ctx.addIssue({ code: 'custom', path: [path], message })),
  );

/** The `Idempotency-Key` header as the call's key, scoped to the operator (none: undefined). */
function idempotencyKey(header: string | undefined, personId: number): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(header)) {
    throw new InvalidInputError('Idempotency-Key must be 1–128 visible ASCII characters');
  }
  return `${personId}:${header}`;
}

export function phoneRoutes(deps: ApiDeps) {
  const { desk } = deps;
  return new Hono<ApiEnv>()
    .get('/phone/callers', async (c) => {
      const { number } = readQuery(c, callerQuery);
      return c.json({ caller: await lookUpCaller(desk, c.var.actor, number) });
    })
    .post('/phone/calls', async (c) => {
      const { uploads: uploadIds, ...body } = await readJson(c, callBody);
      const { actor, person } = c.var;
      // Who may take calls is said before anything about the files.
      assertTakesCalls(actor);
      const key = idempotencyKey(c.req.header('idempotency-key'), person.id);
      // A retry answers with what the first submit did, before its files (linked by then) are looked for.
      const before = key === undefined ? undefined : await filedBefore(desk, actor, key);
      if (before) return c.json(before, 200);
      const store = fileStoreOf(deps);
      const uploads =
        uploadIds && uploadIds.length > 0
          ? await store.takePending(person.id, uploadIds, desk.clock.now())
          : [];
      const filed = await fileCall(
        desk,
        actor,
        { ...body, ...(key === undefined ? {} : { intakeKey: key }) },
        uploads.length > 0 ? attachmentsOf(uploads) : [],
      );
      await store.donePending(uploads);
      return c.json(filed, filed.repeated ? 200 : 201);
    });
}

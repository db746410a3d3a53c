// A new ticket has no SLA outcome yet: null, not "missed" (the prepared insert once stored false).
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { buildReport } from '../core/reports.ts';
import { createTicket } from '../core/tickets/create.ts';
import { queryOne } from '../db/access.ts';
import { tickets } from '../db/schema.ts';
import { makeWorld } from './fixtures.ts';

it('stores a new ticket without an SLA outcome, so reports count it undecided', async () => {
  const w = await makeWorld();
  const t = await createTicket(w.ctx, w.as.clientA, { channel: 'telegram', description: 'Fresh' });
  const stored = await queryOne(w.ctx.db.select().from(tickets).where(eq(tickets.id, t.id)));
  expect(stored).toEqual(t);
  expect(stored?.firstResponseMet).toBeNull();
  expect(stored?.resolutionMet).toBeNull();
  const raw = await queryOne(w.ctx.db, sql`select first_response_met, resolution_met from tickets`);
  expect(raw).toEqual({ first_response_met: null, resolution_met: null });
  const report = await buildReport(w.ctx, w.as.admin, { from: t.createdAt, to: t.createdAt + 1 });
  expect(report.firstResponse).toMatchObject({ decided: 0, met: 0, percent: null });
  expect(report.resolution).toMatchObject({ decided: 0, percent: null });
});

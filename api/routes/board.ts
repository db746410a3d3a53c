// GET /api/board: the staff's queue board, open work whichever SLA clock runs out next first.
import { Hono } from 'hono';
import { z } from 'zod';
import { LINES } from '../../core/model.ts';
import { board } from '../../core/tickets/queues.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { idOrNone, idText, limitText, readQuery } from '../input.ts';
import { ticketSummaries } from '../views.ts';

const boardQuerySchema = z.object({
  line: z.enum(LINES).optional(),
  categoryId: idText.optional(),
  companyId: idText.optional(),
  assigneeId: idOrNone.optional(),
  limit: limitText(500).default(200),
});

export function boardRoutes(deps: ApiDeps) {
  const { desk } = deps;
  return new Hono<ApiEnv>().get('/board', async (c) => {
    const entries = await board(desk, c.var.actor, readQuery(c, boardQuerySchema));
    return c.json({
      tickets: await ticketSummaries(
        desk,
        entries.map((e) => e.ticket),
        c.var.person.language,
      ),
    });
  });
}

// Tickets: the list (filters, search, keyset pages), filing a new one from the Mini App, one ticket with
// its timeline and comments, commenting, and lifecycle moves. Core checks who may see and do what.
import { Hono } from 'hono';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import { CHANNELS, LINES, PRIORITIES, STATUSES } from '../../core/model.ts';
import { act } from '../../core/tickets/act.ts';
import { addComment, COMMENT_MAX } from '../../core/tickets/comment.ts';
import { filedUnder, fileTicket, newTicketSchema } from '../../core/tickets/create.ts';
import {
  getTicket,
  listTicketSummaries,
  readTicketPage,
  SEARCH_MAX,
  ticketAttachments,
} from '../../core/tickets/read.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import {
  flagText,
  idOrNone,
  idText,
  instantText,
  limitText,
  listText,
  pathId,
  readJson,
  readQuery,
} from '../input.ts';
import { commentViews, Names, summariesOfRows, ticketDetail, ticketPageView } from '../views.ts';
import { attachmentsOf, fileStoreOf, uploadIdsSchema } from './uploads.ts';

export const LIST_MAX = 200;

/** The `Idempotency-Key` header as the ticket's intake key, scoped to the person (none: undefined). */
function idempotencyKey(header: string | undefined, personId: number): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,128}$/.test(header)) {
    throw new InvalidInputError('Idempotency-Key must be 1–128 visible ASCII characters');
  }
  return `miniapp:${personId}:${header}`;
}

/** The filters of the list and of the exports, as query text. */
export const ticketQuerySchema = z.object({
  status: listText(STATUSES).optional(),
  priority: listText(PRIORITIES).optional(),
  channel: z.enum(CHANNELS).optional(),
  categoryId: idText.optional(),
  companyId: idText.optional(),
  requesterId: idText.optional(),
  assigneeId: idOrNone.optional(),
  line: z.enum(LINES).optional(),
  from: instantText.optional(),
  to: instantText.optional(),
  q: z.string().max(SEARCH_MAX).optional(),
  mine: flagText.optional(),
});
const listQuerySchema = ticketQuerySchema.extend({
  before: idText.optional(),
  limit: limitText(LIST_MAX).default(50),
});

/** What the Mini App files: the channel is always the Mini App's; files come by the bot, not here. */
const newTicketBody = newTicketSchema
  .pick({
    description: true,
    subject: true,
    categoryId: true,
    location: true,
    companyId: true,
    requesterId: true,
  })
  .extend({
    // The Mini App names a company or none; "no company on purpose" is the group intake's alone.
    companyId: z.number().int().positive().optional(),
    impact: newTicketSchema.shape.impact.removeDefault(),
    urgency: newTicketSchema.shape.urgency.removeDefault(),
    /** Files sent before with POST /api/uploads, linked in the ticket's transaction. */
    uploads: uploadIdsSchema.optional(),
  });

const commentBody = z.object({
  body: z.string().max(COMMENT_MAX),
  internal: z.boolean().optional(),
  expectedVersion: z.number().int().positive().optional(),
  /** Files sent before with POST /api/uploads (a comment may be files alone). */
  uploads: uploadIdsSchema.optional(),
});

/** A command for core/tickets/act.ts: an object with an action; core parses the rest. */
const commandBody = z.looseObject({ action: z.string().max(40) });

export function ticketRoutes(deps: ApiDeps) {
  const { desk } = deps;
  /** The person's pending uploads named in a body (none: none). */
  const takeUploads = (c: { var: ApiEnv['Variables'] }, ids: string[] | undefined) =>
    ids && ids.length > 0
      ? fileStoreOf(deps).takePending(c.var.person.id, ids, desk.clock.now())
      : Promise.resolve([]);
  const detailOf = async (c: { var: ApiEnv['Variables'] }, ticketId: number) =>
    await ticketDetail(
      desk,
      c.var.actor,
      await getTicket(desk, c.var.actor, ticketId),
      c.var.person.language,
    );

  return new Hono<ApiEnv>()
    .get('/tickets', async (c) => {
      const { limit, ...filter } = readQuery(c, listQuerySchema);
      // One more than asked tells whether there is a next page.
      // c.get, not c.var: Hono makes c.var a new object from all the variables each time it is read.
      const rows = await listTicketSummaries(desk.db, c.get('actor'), { ...filter, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return c.json({
        tickets: await summariesOfRows(desk, page, c.get('person').language),
        next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      });
    })
    .post('/tickets', async (c) => {
      const { uploads: uploadIds, ...body } = await readJson(c, newTicketBody);
      // A retried POST with the same Idempotency-Key answers with the request filed the first time (200).
      const intakeKey = idempotencyKey(c.req.header('idempotency-key'), c.var.person.id);
      const filed = intakeKey === undefined ? undefined : await filedUnder(desk, intakeKey);
      if (filed) return c.json({ ticket: await detailOf(c, filed.id) }, 200);
      const files = await takeUploads(c, uploadIds);
      const { ticket, created } = await fileTicket(desk, c.var.actor, {
        ...body,
        channel: 'miniapp',
        ...(intakeKey === undefined ? {} : { intakeKey }),
        ...(files.length > 0 ? { attachments: attachmentsOf(files) } : {}),
      });
      await fileStoreOf(deps).donePending(files);
      return c.json({ ticket: await detailOf(c, ticket.id) }, created ? 201 : 200);
    })
    .get('/tickets/:id', async (c) => {
      const actor = c.get('actor');
      // The ticket (its permission checked), its timeline, comments and files in one read.
      const page = await readTicketPage(desk, actor, pathId(c, 'id'));
      return c.json(ticketPageView(actor, page, c.get('person').language));
    })
    .post('/tickets/:id/comments', async (c) => {
      const id = pathId(c, 'id');
      const { uploads: uploadIds, ...body } = await readJson(c, commentBody);
      const { actor, person } = c.var;
      // A ticket one may not see is 404 before anything about the files is said.
      await getTicket(desk, actor, id);
      const uploaded = await takeUploads(c, uploadIds);
      const { comment, ticket } = await addComment(desk, actor, id, {
        ...body,
        ...(uploaded.length > 0 ? { attachments: attachmentsOf(uploaded) } : {}),
      });
      await fileStoreOf(deps).donePending(uploaded);
      const names = new Names(desk, person.language);
      const files = (await ticketAttachments(desk, actor, ticket.id)).filter(
        (a) => a.commentId === comment.id,
      );
      const [view] = await commentViews([comment], files, names);
      return c.json(
        {
          comment: view,
          ticket: await ticketDetail(desk, actor, await getTicket(desk, actor, id), person.language, names),
        },
        201,
      );
    })
    .post('/tickets/:id/actions', async (c) => {
      const id = pathId(c, 'id');
      const command = await readJson(c, commandBody);
      await act(desk, c.var.actor, id, command as Parameters<typeof act>[3]);
      return c.json({ ticket: await detailOf(c, id) });
    });
}

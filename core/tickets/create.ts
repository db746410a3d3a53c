// Registering a request from any channel: the row, its attachments, the "created" event and the notices,
// in one transaction.

import { z } from 'zod';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import { attachments, type TicketRow } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { CHANNELS, IMPACTS, URGENCIES } from '../model.ts';
import { type Actor, canFileOnBehalf } from '../permissions.ts';
import { dueTimes } from '../sla-clock.ts';
import { priorityFor } from '../sla-policy.ts';
import { statements } from '../statements.ts';
import { holdWithin, inTransaction } from '../transaction.ts';
import { parseInput } from '../validation.ts';
import { appendEvent } from './record-change.ts';

export const FIRST_TICKET_NUMBER = 1001;
export const SUBJECT_MAX = 120;
/** A description as a whole: a few long pastes (a log, an error report) fit. */
export const DESCRIPTION_MAX = 16_000;

export const attachmentInputSchema = z.object({
  kind: z.enum(['photo', 'document', 'voice', 'video', 'audio']),
  fileName: z.string().max(255).nullish(),
  mimeType: z.string().max(127).nullish(),
  size: z
    .number()
    .int()
    .nonnegative()
    .max(50 * 1024 * 1024)
    .nullish(),
  telegramFileId: z.string().max(255).nullish(),
  telegramFileUniqueId: z.string().max(64).nullish(),
  storagePath: z.string().max(500).nullish(),
  /** Seen by staff only (the original `.eml` of a mail). */
  internal: z.boolean().optional(),
});
export type AttachmentInput = z.input<typeof attachmentInputSchema>;

export const newTicketSchema = z.object({
  channel: z.enum(CHANNELS),
  /** Defaults to the actor; staff may file for someone else (a phone call). */
  requesterId: z.number().int().positive().optional(),
  /** Needed only when the requester belongs to several companies. */
  /** null: filed with no company even for a member of one (unverified, for the 1st line). */
  companyId: z.number().int().positive().nullable().optional(),
  categoryId: z.number().int().positive().nullish(),
  subject: z.string().trim().max(SUBJECT_MAX).optional(),
  description: z.string().trim().min(1, 'describe the problem').max(DESCRIPTION_MAX),
  location: z.string().trim().max(500).nullish(),
  impact: z.enum(IMPACTS).default('person'),
  urgency: z.enum(URGENCIES).default('medium'),
  attachments: z.array(attachmentInputSchema).max(20).default([]),
  /**
   * The intake's own name for this request (the bot's draft, the Mini App's Idempotency-Key): filing
   * under a key that already has a ticket returns that ticket and writes nothing.
   */
  intakeKey: z.string().min(1).max(200).optional(),
  /** The closed ticket this request continues (a reply to it came after it was closed). */
  followsUp: z.number().int().positive().optional(),
});
export type NewTicket = z.input<typeof newTicketSchema>;

/** The first line of the description, cut at a word, when no subject is given. */
export function subjectFrom(description: string): string {
  const firstLine = description.split('\n', 1)[0]?.trim() ?? '';
  if (firstLine.length <= SUBJECT_MAX) return firstLine;
  const cut = firstLine.slice(0, SUBJECT_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUBJECT_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export async function createTicket(ctx: DeskContext, actor: Actor, raw: NewTicket): Promise<TicketRow> {
  return (await fileTicket(ctx, actor, raw)).ticket;
}

/** The ticket filed under an intake key, if any. */
export async function filedUnder(ctx: DeskContext, intakeKey: string): Promise<TicketRow | undefined> {
  return await queryOne(statements(ctx.db).ticketByIntakeKey, { intakeKey });
}

/** What filing did: `created` is false when the intake key already had this ticket (nothing written). */
export interface Filed {
  ticket: TicketRow;
  created: boolean;
}

/** createTicket, saying whether the ticket is new or was filed before under the same intake key. */
export async function fileTicket(ctx: DeskContext, actor: Actor, raw: NewTicket): Promise<Filed> {
  const input = parseInput(newTicketSchema, raw);
  const requesterId = input.requesterId ?? (actor.kind === 'person' ? actor.personId : undefined);
  if (requesterId === undefined) throw new InvalidInputError('requesterId is required for system intake');
  if (actor.kind === 'person' && requesterId !== actor.personId && !canFileOnBehalf(actor)) {
    throw new ForbiddenError('only staff may register a request for someone else');
  }
  const now = ctx.clock.now();

  const q = statements(ctx.db);
  const db = ctx.db;
  return await inTransaction(db, async (): Promise<Filed> => {
    if (input.intakeKey !== undefined) {
      const filed = await queryOne(q.ticketByIntakeKey, { intakeKey: input.intakeKey });
      if (filed && filed.requesterId !== requesterId) {
        throw new ConflictError('this intake key belongs to another request');
      }
      if (filed) return { ticket: filed, created: false };
    }
    const memberOf = await queryAll(q.clientCompanies, { personId: requesterId });
    if (memberOf.length === 0) throw new NotFoundError('person', requesterId);
    const companyIds = memberOf.flatMap((m) => (m.companyId === null ? [] : [m.companyId]));
    let companyId: number | null;
    if (input.companyId === null) {
      companyId = null;
    } else if (input.companyId !== undefined) {
      if (!companyIds.includes(input.companyId)) {
        throw new InvalidInputError('the requester does not belong to this company');
      }
      companyId = input.companyId;
    } else if (companyIds.length > 1) {
      throw new InvalidInputError('the requester belongs to several companies: say which one', [
        { path: ['companyId'], companyIds },
      ]);
    } else {
      // Unknown people may still file: the request lands with no company, marked unverified by that.
      companyId = companyIds[0] ?? null;
    }

    if (input.categoryId != null && !(await queryOne(q.activeCategory, { id: input.categoryId }))) {
      throw new InvalidInputError('no such category', [{ path: ['categoryId'] }]);
    }

    const contractId = await ctx.policies.activeContractId(companyId, now);
    const policy = await ctx.policies.forContract(contractId);
    const priority = priorityFor(policy.matrix, input.impact, input.urgency);
    const due = dueTimes(policy.time, policy.targets[priority], now);
    // Two requests filed at once must not both take the number after the last.
    await holdWithin(db, 'ticket-number');
    const last = await queryOne(q.lastTicketNumber);

    // The whole row is built here and written as is, so what we return is exactly what was stored.
    const row: Omit<TicketRow, 'id'> = {
      number: Math.max((last?.max ?? 0) + 1, FIRST_TICKET_NUMBER),
      channel: input.channel,
      requesterId,
      companyId,
      contractId,
      categoryId: input.categoryId ?? null,
      subject: input.subject || subjectFrom(input.description),
      description: input.description,
      location: input.location ?? null,
      impact: input.impact,
      urgency: input.urgency,
      priority,
      status: 'new',
      line: 'line1',
      assigneeId: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...due,
      firstRespondedAt: null,
      firstResponseMinutes: null,
      firstResponseMet: null,
      slaPausedAt: null,
      slaPausedMinutes: 0,
      resolvedAt: null,
      resolutionMinutes: null,
      resolutionMet: null,
      closedAt: null,
      resolutionText: null,
      visitStartsAt: null,
      visitEndsAt: null,
      visitCheckedInAt: null,
      visitCheckedOutAt: null,
      slaAlerts: 0,
      rating: null,
      ratingComment: null,
      intakeKey: input.intakeKey ?? null,
    };
    const inserted = await queryOne(q.insertTicket, row);
    if (!inserted) throw new Error('ticket insert returned nothing');
    const ticket: TicketRow = { id: inserted.id, ...row };

    if (input.attachments.length > 0) {
      await execute(
        db.insert(attachments).values(
          input.attachments.map((a) => ({
            ...a,
            ticketId: ticket.id,
            uploadedBy: requesterId,
            createdAt: now,
          })),
        ),
      );
    }

    await appendEvent(
      db,
      ticket,
      {
        type: 'created',
        actorId: actor.kind === 'person' ? actor.personId : null,
        internal: false,
        toStatus: 'new',
        data: {
          channel: input.channel,
          priority,
          verified: companyId !== null,
          ...(input.followsUp === undefined ? {} : { followsUp: input.followsUp }),
        },
      },
      now,
    );
    return { ticket, created: true };
  });
}

// The operator's console for phone calls: a number as typed or pasted → the caller, their companies and
// contracts, their open requests; then one submit files a new request on their behalf or adds what they
// said to an open one (channel 'phone', through the intake seam). An unknown number becomes a new contact,
// linked to a company when the operator names one — in the same transaction as the request.
import { and, asc, desc, eq, inArray, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import {
  categories,
  companies,
  contracts,
  memberships,
  people,
  type TicketRow,
  tickets,
} from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { e164Phone } from '../directory/normalise.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { refOf } from '../intake/message-refs.ts';
import { receiveInbound } from '../intake/receive.ts';
import { identifySender } from '../intake/senders.ts';
import { IMPACTS, type Priority, type Status, URGENCIES } from '../model.ts';
import { type Actor, canFileOnBehalf } from '../permissions.ts';
import { COMMENT_MAX } from '../tickets/comment.ts';
import { type AttachmentInput, DESCRIPTION_MAX } from '../tickets/create.ts';
import { inTransaction } from '../transaction.ts';
import { parseInput } from '../validation.ts';

/** The longest number field read (a number, spaces, brackets and an extension fit easily). */
export const PHONE_INPUT_MAX = 64;
/** Open requests shown on the caller's card. */
export const OPEN_TICKETS_SHOWN = 20;

export interface ParsedPhone {
  /** E.164, as people.phone stores it. */
  e164: string;
  /** The extension dialled after the number ("доб. 123", "ext 123", "x123"), if any. */
  extension: string | null;
}

// An extension at the end: "доб. 123", "доб 123", "добавочный 123", "ext. 123", "ext 123", "x123", "#123".
const EXTENSION = /[\s,;]*(?:доб(?:авочный)?\.?|ext(?:ension)?\.?|x|#)\s*(\d{1,6})\s*$/iu;
// What may remain of a number: digits, one leading plus, spaces, brackets, dashes, dots, slashes.
const NUMBER_CHARS = /^\+?[\d\s()\-./\u00a0]+$/u;

function badNumber(message: string): InvalidInputError {
  return new InvalidInputError(`number: ${message}`, [{ path: ['number'], message }]);
}

/**
 * A phone number as an operator types or pastes it → E.164 and the extension. Russian when no country code
 * is given: "8 916 123-45-67", "+7 (916) 123-45-67", "9161234567" → +79161234567; "… доб. 123" → extension
 * 123. Anything else is an InvalidInputError on `number`.
 */
export function parsePhoneInput(raw: string): ParsedPhone {
  const text = raw.replace(/[\u200b-\u200d\u2060\ufeff]/g, '').trim();
  if (text === '') throw badNumber('type the caller’s number');
  if (text.length > PHONE_INPUT_MAX) throw badNumber('too long for a phone number');
  const ext = EXTENSION.exec(text);
  const main = (ext ? text.slice(0, ext.index) : text).trim();
  if (!NUMBER_CHARS.test(main)) throw badNumber('not a phone number');
  const e164 = e164Phone(main);
  if (e164 === null) throw badNumber('not a phone number');
  return { e164, extension: ext?.[1] ?? null };
}

/** Who takes calls: the 1st line, supervisors and admins (core/permissions.ts canFileOnBehalf). */
export function assertTakesCalls(actor: Actor): void {
  if (!canFileOnBehalf(actor))
    throw new ForbiddenError('only the 1st line, supervisors and admins take calls');
}

export interface CallerCompany {
  id: number;
  name: string;
  role: 'client' | 'client_manager';
  /** The contract in force now, else the latest one (then `active` is false); null when it has none. */
  contract: { id: number; name: string; active: boolean } | null;
}

export interface CallerTicket {
  id: number;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  updatedAt: number;
}

export interface Caller {
  /** E.164. */
  phone: string;
  extension: string | null;
  person: { id: number; name: string; email: string | null } | null;
  companies: CallerCompany[];
  openTickets: CallerTicket[];
}

const FINAL: Status[] = ['closed', 'cancelled'];

/** The person the intake would take this number for (the earliest with it, as core/intake/senders.ts). */
async function personByPhone(ctx: DeskContext, e164: string) {
  return await queryOne(ctx.db.select().from(people).where(eq(people.phone, e164)).orderBy(asc(people.id)));
}

async function companiesOf(ctx: DeskContext, personId: number): Promise<CallerCompany[]> {
  const now = ctx.clock.now();
  const rows = await queryAll(
    ctx.db
      .select({ id: companies.id, name: companies.name, role: memberships.role })
      .from(memberships)
      .innerJoin(companies, eq(companies.id, memberships.companyId))
      .where(and(eq(memberships.personId, personId), inArray(memberships.role, ['client', 'client_manager'])))
      .orderBy(asc(memberships.id)),
  );
  const seen = new Map<number, CallerCompany>();
  for (const row of rows) {
    const known = seen.get(row.id);
    // A manager of the company is more than a client of it.
    if (known) {
      if (row.role === 'client_manager') known.role = 'client_manager';
      continue;
    }
    const activeId = await ctx.policies.activeContractId(row.id, now);
    const contract = await queryOne(
      ctx.db
        .select({ id: contracts.id, name: contracts.name })
        .from(contracts)
        .where(activeId === null ? eq(contracts.companyId, row.id) : eq(contracts.id, activeId))
        .orderBy(desc(contracts.startsAt)),
    );
    seen.set(row.id, {
      id: row.id,
      name: row.name,
      role: row.role === 'client_manager' ? 'client_manager' : 'client',
      contract: contract ? { ...contract, active: activeId !== null } : null,
    });
  }
  return [...seen.values()];
}

/** Who is calling: the person with this number, their companies and contracts, their open requests. */
export async function lookUpCaller(ctx: DeskContext, actor: Actor, raw: string): Promise<Caller> {
  assertTakesCalls(actor);
  const { e164, extension } = parsePhoneInput(raw);
  const person = await personByPhone(ctx, e164);
  if (!person) return { phone: e164, extension, person: null, companies: [], openTickets: [] };
  const openTickets = await queryAll(
    ctx.db
      .select({
        id: tickets.id,
        number: tickets.number,
        subject: tickets.subject,
        status: tickets.status,
        priority: tickets.priority,
        updatedAt: tickets.updatedAt,
      })
      .from(tickets)
      .where(and(eq(tickets.requesterId, person.id), notInArray(tickets.status, FINAL)))
      .orderBy(desc(tickets.updatedAt), desc(tickets.id))
      .limit(OPEN_TICKETS_SHOWN),
  );
  return {
    phone: e164,
    extension,
    person: { id: person.id, name: person.name, email: person.email },
    companies: await companiesOf(ctx, person.id),
    openTickets,
  };
}

const id = z.number().int().positive();

/**
 * What the operator submits for a call: the number (and a name and company for a new contact), then either
 * `ticketId` + `text` (add to an open request) or the bot's fields of a new request.
 */
export const callFieldsSchema = z.object({
  number: z.string().max(PHONE_INPUT_MAX),
  /** For a caller the desk does not know yet; ignored for a known one. */
  name: z.string().trim().max(200).optional(),
  /** A known caller of several companies: which one; a new contact (or one with no company): link to it. */
  companyId: id.optional(),
  ticketId: id.optional(),
  text: z.string().trim().max(COMMENT_MAX).optional(),
  categoryId: id.nullish(),
  description: z.string().trim().max(DESCRIPTION_MAX).optional(),
  impact: z.enum(IMPACTS).optional(),
  urgency: z.enum(URGENCIES).optional(),
  location: z.string().trim().max(500).nullish(),
  /** The console's key for this submit: a repeat files nothing and answers with the first outcome. */
  intakeKey: z.string().min(1).max(200).optional(),
});

/** Each field its own complaint, so the form can point at it. */
export function checkCallShape(
  input: z.output<typeof callFieldsSchema>,
  issue: (path: string, message: string) => void,
): void {
  if (input.ticketId !== undefined) {
    if (!input.text) issue('text', 'say what the caller added');
    return;
  }
  if (!input.description) issue('description', 'describe the problem');
  if (input.impact === undefined) issue('impact', 'say how many people are affected');
  if (input.urgency === undefined) issue('urgency', 'say how urgent it is');
}

export const callInputSchema = callFieldsSchema.superRefine((input, ctx) =>
  checkCallShape(input, (path, message) => ctx.addIssue({ code: 'custom', path: [path], message })),
);
export type CallInput = z.input<typeof callInputSchema>;

export interface FiledCall {
  outcome: 'created' | 'commented';
  /** True when this key was filed before: nothing was written now. */
  repeated: boolean;
  ticket: { id: number; number: number; subject: string; status: Status };
  requester: { id: number; name: string; created: boolean };
}

/** The message_refs key of a console submit (apart from any other 'phone' reference, e.g. a PBX's call id). */
const refKey = (intakeKey: string) => `console:${intakeKey}`;

/** What a submit under this key filed before, if it did (a retry after a lost answer). */
export async function filedBefore(
  ctx: DeskContext,
  actor: Actor,
  intakeKey: string,
): Promise<FiledCall | undefined> {
  assertTakesCalls(actor);
  const seen = await refOf(ctx.db, 'phone', refKey(intakeKey));
  return seen ? await repeatOf(ctx, seen.ticketId, intakeKey) : undefined;
}

/**
 * Files a call: a new request for the caller, or their words on an open request, with the operator as who
 * filed it. A new contact and their company link are written in the same transaction; every refusal comes
 * before anything is written.
 */
export async function fileCall(
  ctx: DeskContext,
  actor: Actor,
  raw: CallInput,
  files: readonly AttachmentInput[] = [],
): Promise<FiledCall> {
  const input = parseInput(callInputSchema, raw);
  assertTakesCalls(actor);
  const { e164 } = parsePhoneInput(input.number);
  const db = ctx.db;

  if (input.intakeKey !== undefined) {
    const before = await filedBefore(ctx, actor, input.intakeKey);
    if (before) return before;
  }

  // Checks first, writes after: a refusal leaves the store as it was.
  const known = await personByPhone(ctx, e164);
  const theirs = known ? await companiesOf(ctx, known.id) : [];
  const hasMemberships =
    known !== undefined &&
    (await queryOne(
      db.select({ id: memberships.id }).from(memberships).where(eq(memberships.personId, known.id)),
    )) !== undefined;
  let link: number | null = null;
  if (input.companyId !== undefined) {
    const company = await queryOne(
      db.select({ id: companies.id }).from(companies).where(eq(companies.id, input.companyId)),
    );
    if (!company)
      throw new InvalidInputError('no such company', [{ path: ['companyId'], message: 'no such company' }]);
    if (!theirs.some((c) => c.id === input.companyId)) {
      // Moving someone between companies would hand them the other's requests: only a person with no
      // membership at all is linked here (as the directory import does).
      if (hasMemberships)
        throw new InvalidInputError('the caller does not belong to this company', [
          { path: ['companyId'], message: 'the caller does not belong to this company' },
        ]);
      link = input.companyId;
    }
  } else if (theirs.length > 1) {
    throw new InvalidInputError('the caller belongs to several companies: say which one', [
      { path: ['companyId'], message: 'say which company', companyIds: theirs.map((c) => c.id) },
    ]);
  }
  if (input.ticketId !== undefined) {
    const ticket = await queryOne(db.select().from(tickets).where(eq(tickets.id, input.ticketId)));
    if (!ticket) throw new NotFoundError('ticket', input.ticketId);
    if (FINAL.includes(ticket.status))
      throw new InvalidInputError('the request is closed: file a new one', [
        { path: ['ticketId'], message: 'the request is closed' },
      ]);
  } else if (input.categoryId != null) {
    const category = await queryOne(
      db
        .select({ id: categories.id })
        .from(categories)
        .where(and(eq(categories.id, input.categoryId), eq(categories.active, true))),
    );
    if (!category)
      throw new InvalidInputError('no such category', [
        { path: ['categoryId'], message: 'no such category' },
      ]);
  }

  return await inTransaction(db, async (): Promise<FiledCall> => {
    const { person, created } = await identifySender(ctx, {
      kind: 'phone',
      number: e164,
      ...(input.name ? { name: input.name } : {}),
    });
    if (link !== null) {
      await execute(
        db
          .insert(memberships)
          .values({ personId: person.id, companyId: link, role: 'client' })
          .onConflictDoNothing(),
      );
    }
    const companyId = input.companyId ?? theirs[0]?.id;
    const outcome = await receiveInbound(ctx, {
      channel: 'phone',
      sender: { kind: 'person', personId: person.id },
      filedBy: actor,
      ...(input.intakeKey === undefined
        ? {}
        : { deliveryKey: refKey(input.intakeKey), intakeKey: `phone:${input.intakeKey}` }),
      ...(input.ticketId === undefined
        ? {
            body: input.description ?? '',
            fields: {
              ...(companyId === undefined ? {} : { companyId }),
              categoryId: input.categoryId ?? null,
              ...(input.impact ? { impact: input.impact } : {}),
              ...(input.urgency ? { urgency: input.urgency } : {}),
              location: input.location || null,
            },
          }
        : { body: input.text ?? '', thread: { ticketId: input.ticketId } }),
      files: [...files],
    });
    if (outcome.kind === 'duplicate') return await repeatOf(ctx, outcome.ticketId, input.intakeKey);
    if (outcome.kind === 'rate_limited') throw new Error('the console sets no hourly limit');
    return {
      outcome: outcome.kind,
      repeated: false,
      ticket: ticketView(outcome.ticket),
      requester: { id: person.id, name: person.name, created },
    };
  });
}

function ticketView(t: TicketRow): FiledCall['ticket'] {
  return { id: t.id, number: t.number, subject: t.subject, status: t.status };
}

/** What a repeated submit answers: the request the first one made or added to. */
async function repeatOf(
  ctx: DeskContext,
  ticketId: number,
  intakeKey: string | undefined,
): Promise<FiledCall> {
  const ticket = await queryOne(ctx.db.select().from(tickets).where(eq(tickets.id, ticketId)));
  if (!ticket) throw new NotFoundError('ticket', ticketId);
  const requester = await queryOne(ctx.db.select().from(people).where(eq(people.id, ticket.requesterId)));
  const made = intakeKey !== undefined && ticket.intakeKey === `phone:${intakeKey}`;
  return {
    outcome: made ? 'created' : 'commented',
    repeated: true,
    ticket: ticketView(ticket),
    requester: { id: ticket.requesterId, name: requester?.name ?? '', created: false },
  };
}

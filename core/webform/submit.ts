// A website form's submission, once its protections passed (core/webform/protect.ts): its fields checked
// (each refusal names its field; nothing is written then), then filed through the intake seam, channel
// 'web'. An address or number the desk already knows is not taken on the submitter's word: the request is
// filed for a new person with no company, unverified, for the 1st line to sort out.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { queryOne } from '../../db/access.ts';
import { people, tickets } from '../../db/schema.ts';
import { activeCategories } from '../categories.ts';
import type { DeskContext } from '../context.ts';
import type { SenderRef } from '../intake/inbound.ts';
import { refOf } from '../intake/message-refs.ts';
import { receiveInbound } from '../intake/receive.ts';
import type { Language } from '../model.ts';
import { normalizePhone } from '../onboarding.ts';
import { type AttachmentInput, DESCRIPTION_MAX } from '../tickets/create.ts';
import { inTransaction } from '../transaction.ts';
import { addStatusLink, enqueueConfirmMail } from './confirm.ts';

export interface WebformFields {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  company?: string | undefined;
  category?: string | number | undefined;
  description?: string | undefined;
}

/** A refusal by field; `problem` is worded by the caller (locale key `webform-error-<problem>`). */
export interface FieldProblem {
  path: string;
  problem: 'required' | 'too_long' | 'email' | 'phone' | 'contact' | 'category';
}

export interface CheckedSubmission {
  name: string;
  phone: string | null;
  email: string | null;
  company: string | null;
  categoryId: number | null;
  description: string;
}

const NAME_MAX = 200;
const COMPANY_MAX = 200;
const emailShape = z.email();

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export async function checkFields(
  ctx: DeskContext,
  fields: WebformFields,
  language: Language,
): Promise<{ ok: CheckedSubmission } | { problems: FieldProblem[] }> {
  const problems: FieldProblem[] = [];
  const name = text(fields.name);
  if (name === '') problems.push({ path: 'name', problem: 'required' });
  else if (name.length > NAME_MAX) problems.push({ path: 'name', problem: 'too_long' });
  const email = text(fields.email).toLowerCase();
  if (email !== '' && (email.length > 254 || !emailShape.safeParse(email).success))
    problems.push({ path: 'email', problem: 'email' });
  const rawPhone = text(fields.phone);
  const phone = rawPhone === '' ? null : normalizePhone(rawPhone);
  if (rawPhone !== '' && phone === null) problems.push({ path: 'phone', problem: 'phone' });
  if (email === '' && rawPhone === '') problems.push({ path: 'email', problem: 'contact' });
  const company = text(fields.company);
  if (company.length > COMPANY_MAX) problems.push({ path: 'company', problem: 'too_long' });
  let categoryId: number | null = null;
  const rawCategory = typeof fields.category === 'number' ? String(fields.category) : text(fields.category);
  if (rawCategory !== '') {
    const id = /^\d{1,9}$/.test(rawCategory) ? Number(rawCategory) : Number.NaN;
    if ((await activeCategories(ctx.db, language)).some((c) => c.id === id)) categoryId = id;
    else problems.push({ path: 'category', problem: 'category' });
  }
  const description = text(fields.description);
  if (description === '') problems.push({ path: 'description', problem: 'required' });
  else if (description.length > DESCRIPTION_MAX - COMPANY_MAX - 20)
    problems.push({ path: 'description', problem: 'too_long' });
  if (problems.length > 0) return { problems };
  return {
    ok: {
      name,
      phone,
      email: email === '' ? null : email,
      company: company === '' ? null : company,
      categoryId,
      description,
    },
  };
}

/** The person the desk already has with this address or number, if any. */
async function knownPerson(ctx: DeskContext, s: CheckedSubmission): Promise<number | null> {
  const byEmail =
    s.email === null
      ? undefined
      : await queryOne(ctx.db.select().from(people).where(eq(people.email, s.email)));
  const byPhone =
    s.phone === null
      ? undefined
      : await queryOne(ctx.db.select().from(people).where(eq(people.phone, s.phone)));
  return (byEmail ?? byPhone)?.id ?? null;
}

export interface FiledSubmission {
  ticketId: number;
  number: number;
  /** The delivery key had filed this request before: nothing was written now. */
  repeated: boolean;
}

/**
 * Files the request in one transaction. `companyLine` is the submitter's company as the description's first
 * line (worded by the caller, in the submitter's language), since a typed name proves no membership.
 */
export async function fileSubmission(
  ctx: DeskContext,
  s: CheckedSubmission,
  opts: {
    language: Language;
    companyLine: string | null;
    /** The e-mail and phone as typed, put in the description when the request is filed unverified. */
    contactLine: string;
    files: AttachmentInput[];
    deliveryKey: string;
    /** The confirm page's URL for a token; without it the known person gets no link and it stays unverified. */
    confirmLink?: ((token: string) => string) | undefined;
    /** The status page's URL for a token, put in the acknowledgement mail; none without it. */
    statusLink?: ((token: string) => string) | undefined;
  },
): Promise<FiledSubmission> {
  return await inTransaction(ctx.db, async (): Promise<FiledSubmission> => {
    const earlier = await refOf(ctx.db, 'web', opts.deliveryKey);
    const filedBefore =
      earlier && (await queryOne(ctx.db.select().from(tickets).where(eq(tickets.id, earlier.ticketId))));
    if (filedBefore)
      return {
        ticketId: filedBefore.id,
        number: filedBefore.number,
        repeated: true,
      };
    const known = await knownPerson(ctx, s);
    let sender: SenderRef;
    if (known !== null) {
      // A number someone has stays theirs alone: joining by phone (core/onboarding.ts) must find them.
      const phoneTaken =
        s.phone !== null &&
        (await queryOne(ctx.db.select().from(people).where(eq(people.phone, s.phone)))) !== undefined;
      const stranger = await queryOne(
        ctx.db
          .insert(people)
          .values({
            name: s.name.slice(0, NAME_MAX),
            email: s.email,
            phone: phoneTaken ? null : s.phone,
            language: opts.language,
            createdAt: ctx.clock.now(),
          })
          .returning({ id: people.id }),
      );
      sender = { kind: 'person', personId: stranger.id };
    } else if (s.email !== null) sender = { kind: 'email', address: s.email, name: s.name };
    else sender = { kind: 'phone', number: s.phone ?? '', name: s.name };
    // What the 1st line needs to check an unverified request: the contact as typed.
    const lines = [opts.companyLine, known !== null ? opts.contactLine : null].filter((l) => l !== null);
    const body = lines.length === 0 ? s.description : `${lines.join('\n')}\n\n${s.description}`;
    const outcome = await receiveInbound(ctx, {
      channel: 'web',
      sender,
      language: opts.language,
      deliveryKey: opts.deliveryKey,
      body,
      files: opts.files,
      fields: { categoryId: s.categoryId },
    });
    if (outcome.kind !== 'created') throw new Error(`web form: the intake answered ${outcome.kind}`);
    if (known !== null && opts.confirmLink)
      await enqueueConfirmMail(ctx, outcome.ticket, known, opts.confirmLink);
    if (opts.statusLink) await addStatusLink(ctx, outcome.ticket, outcome.requesterId, opts.statusLink);
    return {
      ticketId: outcome.ticket.id,
      number: outcome.ticket.number,
      repeated: false,
    };
  });
}

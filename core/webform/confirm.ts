// A web request filed under someone the desk already knows (their e-mail or phone typed in the form) stays
// with a new, unverified person until the known person confirms it by a signed link mailed to them: nobody
// files in someone else's name. Links are signed with a secret of their own in desk_settings, made on first
// use; each names its purpose, the ticket, the person and an expiry.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { execute, queryAll, queryOne } from '../../db/access.ts';
import { outbox, people, type TicketRow, tickets } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import { isFinalStatus } from '../lifecycle.ts';
import { ACCEPTED_NOTICE } from '../notifications.ts';
import { readSetting, writeSetting } from '../settings.ts';
import { dueTimes } from '../sla-clock.ts';
import { statements } from '../statements.ts';
import { recordChange } from '../tickets/record-change.ts';
import { inTransaction } from '../transaction.ts';

const LINK_SECRET = 'webform_links';
export const CONFIRM_LINK_MS = 7 * 24 * 3_600_000;
/** The mail to a known person asking them to confirm a request filed with their address or number. */
export const CONFIRM_WEB_NOTICE = 'requester.confirm_web';
/** The event written when the known person confirmed: the ticket is theirs from then on. */
export const CONFIRMED_EVENT = 'requester_confirmed';

export type LinkPurpose = 'confirm' | 'status';

async function linkSecret(ctx: DeskContext): Promise<string> {
  const stored = await readSetting(ctx.db, LINK_SECRET);
  if (stored !== null) return stored;
  const fresh = randomBytes(32).toString('hex');
  await writeSetting(ctx.db, LINK_SECRET, fresh, ctx.clock.now());
  return fresh;
}

const sign = (secret: string, purpose: LinkPurpose, body: string) =>
  createHmac('sha256', secret).update(`${purpose}:${body}`).digest('base64url');

export async function issueLinkToken(
  ctx: DeskContext,
  purpose: LinkPurpose,
  ticketId: number,
  personId: number,
  expiresAt: number,
): Promise<string> {
  const body = `${ticketId}.${personId}.${expiresAt}`;
  return `${body}.${sign(await linkSecret(ctx), purpose, body)}`;
}

/** The ticket and person a link names, or null when it is forged, for another purpose, or expired. */
export async function readLinkToken(
  ctx: DeskContext,
  purpose: LinkPurpose,
  token: string,
): Promise<{ ticketId: number; personId: number } | null> {
  const m = /^(\d{1,12})\.(\d{1,12})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [, ticketId, personId, expiresAt, mac] = m;
  const stored = await readSetting(ctx.db, LINK_SECRET);
  if (stored === null || mac === undefined) return null;
  const expected = Buffer.from(sign(stored, purpose, `${ticketId}.${personId}.${expiresAt}`));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (Number(expiresAt) <= ctx.clock.now()) return null;
  return { ticketId: Number(ticketId), personId: Number(personId) };
}

/**
 * Inside the filing's transaction: the mail asking the known person to confirm, when they have an address.
 * Its text names no word of the submission (a stranger must not get to mail their text to anyone).
 */
export async function enqueueConfirmMail(
  ctx: DeskContext,
  ticket: { id: number; number: number },
  knownId: number,
  link: (token: string) => string,
): Promise<boolean> {
  const known = await queryOne(
    ctx.db.select({ email: people.email }).from(people).where(eq(people.id, knownId)),
  );
  if (!known?.email) return false;
  const now = ctx.clock.now();
  const token = await issueLinkToken(ctx, 'confirm', ticket.id, knownId, now + CONFIRM_LINK_MS);
  await statements(ctx.db).insertNotice.run({
    at: now,
    ticketId: ticket.id,
    eventId: null,
    recipientId: knownId,
    channel: 'email',
    kind: CONFIRM_WEB_NOTICE,
    payload: { ticketId: ticket.id, number: ticket.number, link: link(token) },
    idempotencyKey: `confirm_web:t${ticket.id}:p${knownId}`,
  });
  return true;
}

/** A status link lives as long as a request is likely to matter to its submitter. */
export const STATUS_LINK_MS = 365 * 24 * 3_600_000;

/**
 * Inside the filing's transaction: the status page's link into the mail acknowledging the request. The
 * intake writes the acknowledgement; only the form knows the desk's public address, so it adds the link.
 */
export async function addStatusLink(
  ctx: DeskContext,
  ticket: { id: number; createdAt: number },
  requesterId: number,
  link: (token: string) => string,
): Promise<void> {
  const token = await issueLinkToken(
    ctx,
    'status',
    ticket.id,
    requesterId,
    ticket.createdAt + STATUS_LINK_MS,
  );
  const acks = await queryAll(
    ctx.db
      .select()
      .from(outbox)
      .where(
        and(eq(outbox.ticketId, ticket.id), eq(outbox.kind, ACCEPTED_NOTICE), eq(outbox.channel, 'email')),
      ),
  );
  for (const row of acks)
    await execute(
      ctx.db
        .update(outbox)
        .set({ payload: { ...row.payload, statusLink: link(token) } })
        .where(eq(outbox.id, row.id)),
    );
}

export type ConfirmOutcome =
  | { kind: 'confirmed'; ticket: TicketRow }
  | { kind: 'already'; ticket: TicketRow }
  /** Closed, cancelled, or already sorted out by the 1st line (given a company or another requester). */
  | { kind: 'refused'; ticket: TicketRow | null };

/**
 * Moves a web request to the known person who confirmed it, in one transaction: requester, their company
 * when they have exactly one, the contract of that company and the due times it gives (from the filing
 * time, while the clock has not been paused or stopped; else the times stay), a public event and its
 * notices. Confirming again is a no-op.
 */
export async function confirmWebRequest(
  ctx: DeskContext,
  ticketId: number,
  personId: number,
): Promise<ConfirmOutcome> {
  return await inTransaction(ctx.db, async (): Promise<ConfirmOutcome> => {
    const before = await queryOne(ctx.db.select().from(tickets).where(eq(tickets.id, ticketId)));
    if (before?.channel !== 'web') return { kind: 'refused', ticket: null };
    if (before.requesterId === personId) return { kind: 'already', ticket: before };
    if (isFinalStatus(before.status) || before.companyId !== null) return { kind: 'refused', ticket: before };
    const companyIds = (await queryAll(statements(ctx.db).clientCompanies, { personId })).flatMap((m) =>
      m.companyId === null ? [] : [m.companyId],
    );
    const companyId = companyIds.length === 1 ? (companyIds[0] ?? null) : null;
    const contractId = await ctx.policies.activeContractId(companyId, before.createdAt);
    const clockUntouched =
      before.slaPausedAt === null && before.slaPausedMinutes === 0 && before.resolvedAt === null;
    const policy = await ctx.policies.forContract(contractId);
    const due = clockUntouched
      ? dueTimes(policy.time, policy.targets[before.priority], before.createdAt)
      : {};
    const { ticket } = await recordChange(
      ctx.db,
      before,
      { requesterId: personId, companyId, contractId, ...due },
      {
        type: CONFIRMED_EVENT,
        actorId: personId,
        internal: false,
        fromClient: true,
        data: { fromRequesterId: before.requesterId, companyId },
      },
      ctx.clock.now(),
    );
    return { kind: 'confirmed', ticket };
  });
}

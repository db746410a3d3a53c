// The e-mail channel for admins: the mailboxes the desk reads, and the mail it quarantined (unreadable,
// over a sender's hourly limit, refused by the rules) to download, take again or dismiss. Taking again runs
// the intake on the kept bytes with the hourly limit lifted: an admin looked at it and let it in.
// And the desk's own mail settings (core/mail-settings.ts): shown with passwords masked, saved (then the
// channel starts again on them), and checked by logging in to each server.

import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  effectiveMailSettings,
  environmentSetsMail,
  type MailSettingsView,
  mailSettingsView,
  resolveMailSettings,
  saveMailSettings,
} from '../../core/mail-settings.ts';
import { assertAdmin } from '../../core/permissions.ts';
import { queryOne } from '../../db/access.ts';
import { tickets } from '../../db/schema.ts';
import { type MailIntakeResult, takeMail } from '../../email/ingest.ts';
import { parseMailboxUrl } from '../../email/mailbox.ts';
import { decideQuarantined, heldMail, quarantinedMail } from '../../email/quarantine.ts';
import { checkMailSettings, type MailCheckItem, type MailCheckResult } from '../../email/settings-check.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { pathId, readJson } from '../input.ts';
import { attachmentDisposition } from './attachments.ts';
import { fileStoreOf } from './uploads.ts';

/** The most held mails one answer lists (the newest). */
export const HELD_SHOWN = 200;

export interface HeldMail {
  id: number;
  from: string | null;
  subject: string | null;
  /** 'unreadable', 'too_many_requests' or 'refused: <why>'. */
  reason: string;
  size: number;
  receivedAt: number;
}

/** GET /api/admin/mail. */
export interface MailOverview {
  /** The mailboxes read, passwords masked; none when e-mail is not set up. */
  mailboxes: string[];
  held: HeldMail[];
}

export type { MailCheckItem, MailCheckResult, MailSettingsView };

/** What taking a held mail again did. */
export type TakeAgainBody =
  | { state: 'taken'; ticketId: number | null; number: number | null }
  | { state: 'dismissed'; reason: 'own_mail' | 'auto_reply' };

/** The mailbox's user when it is an address: mail from it is the desk's own (as the intake itself counts). */
function mailboxAddress(mailbox: string): string[] {
  try {
    const { user } = parseMailboxUrl(mailbox);
    return user.includes('@') ? [user.toLowerCase()] : [];
  } catch {
    return [];
  }
}

/** A value, or a function asked for it each time. */
const now = <T>(v: T | (() => T)): T => (typeof v === 'function' ? (v as () => T)() : v);

/** Its fields are core's to check (mailSettingsInputSchema): a bad one is core's 400 with its path. */
const settingsBody = z.record(z.string(), z.unknown());

export function mailRoutes(deps: ApiDeps) {
  const { desk } = deps;
  const environment = deps.mail?.environment;
  const numberOf = async (ticketId: number | null): Promise<number | null> =>
    ticketId === null
      ? null
      : ((
          await queryOne(
            desk.db.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, ticketId)),
          )
        )?.number ?? null);
  /** The row by its path id: 404 when there is none; with `held`, 409 once someone decided on it. */
  const rowOf = async (id: number, held: boolean) => {
    const row = await quarantinedMail(desk.db, id);
    if (!row) throw new ApiError(404, 'not_found', `quarantined mail ${id} not found`);
    if (held && row.state !== 'held')
      throw new ApiError(409, 'conflict', `mail ${id} is ${row.state} already`);
    return row;
  };
  const taken = async (id: number, result: MailIntakeResult): Promise<TakeAgainBody | null> => {
    let ticketId: number | null;
    if (result.kind === 'filed') {
      const { outcome } = result;
      // rate_limited cannot happen with the limit lifted; takeMail quarantines it anyway.
      if (outcome.kind === 'rate_limited') return null;
      ticketId = outcome.kind === 'duplicate' ? outcome.ticketId : outcome.ticket.id;
    } else if (result.kind === 'bounce') ticketId = result.ticketId;
    else return null;
    // Someone else deciding meanwhile changes nothing here: the mail is in the desk now.
    await decideQuarantined(desk.db, id, { state: 'taken', ticketId }, desk.clock.now());
    return { state: 'taken', ticketId, number: await numberOf(ticketId) };
  };

  return new Hono<ApiEnv>()
    .get('/admin/mail', async (c) => {
      assertAdmin(c.var.actor);
      const held: HeldMail[] = (await heldMail(desk.db, HELD_SHOWN)).map((r) => ({
        id: r.id,
        from: r.fromAddress,
        subject: r.subject,
        reason: r.reason,
        size: r.size,
        receivedAt: r.receivedAt,
      }));
      return c.json({ mailboxes: now(deps.mail?.mailboxes ?? []), held } satisfies MailOverview);
    })
    .get('/admin/mail/quarantine/:id/original', async (c) => {
      assertAdmin(c.var.actor);
      const id = pathId(c, 'id');
      const bytes = await fileStoreOf(deps).read((await rowOf(id, false)).storagePath);
      if (!bytes) throw new ApiError(404, 'not_found', `the original of mail ${id} is not in the file store`);
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': 'message/rfc822',
        'Content-Disposition': attachmentDisposition(`mail-${id}.eml`),
        'Content-Length': String(bytes.byteLength),
        'X-Content-Type-Options': 'nosniff',
        // Whatever the mail holds never runs as a page of ours.
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      });
    })
    .post('/admin/mail/quarantine/:id/take', async (c) => {
      assertAdmin(c.var.actor);
      const id = pathId(c, 'id');
      const row = await rowOf(id, true);
      const bytes = await fileStoreOf(deps).read(row.storagePath);
      if (!bytes) throw new ApiError(404, 'not_found', `the original of mail ${id} is not in the file store`);
      const result = await takeMail(
        {
          desk,
          files: fileStoreOf(deps),
          ownAddresses: [...now(deps.mail?.ownAddresses ?? []), ...mailboxAddress(row.mailbox)],
          newTicketsPerHour: Number.MAX_SAFE_INTEGER,
          ...(deps.logger ? { logger: deps.logger } : {}),
        },
        Buffer.from(bytes),
        row.mailbox,
      );
      if (result.kind === 'quarantined') {
        // Still not takeable (the same mail key: the row stays as it is, held).
        return c.json(
          {
            error: {
              code: 'conflict',
              message: `the intake quarantined the mail again: ${result.reason}`,
              reason: result.reason,
            },
          },
          409,
        );
      }
      if (result.kind === 'dropped') {
        await decideQuarantined(desk.db, id, { state: 'dismissed' }, desk.clock.now());
        return c.json({ state: 'dismissed', reason: result.reason } satisfies TakeAgainBody);
      }
      const body = await taken(id, result);
      if (!body) throw new ApiError(409, 'conflict', `mail ${id} was not taken`);
      return c.json(body satisfies TakeAgainBody);
    })
    .get('/admin/mail/settings', async (c) =>
      c.json((await mailSettingsView(desk, c.var.actor, environment)) satisfies MailSettingsView),
    )
    .put('/admin/mail/settings', async (c) => {
      assertAdmin(c.var.actor);
      const body = await readJson(c, settingsBody);
      await saveMailSettings(desk, c.var.actor, body, environment);
      try {
        await deps.mail?.reload?.();
      } catch (error) {
        // Saved all the same; the channel says itself what it could not start.
        deps.logger?.error(
          { err: error instanceof Error ? error.message : String(error) },
          'mail: reload failed',
        );
      }
      return c.json((await mailSettingsView(desk, c.var.actor, environment)) satisfies MailSettingsView);
    })
    .post('/admin/mail/settings/check', async (c) => {
      assertAdmin(c.var.actor);
      // The form as it is, before saving (kept passwords filled in); without a body, the settings in force.
      const hasBody = (c.req.header('content-length') ?? '') !== '0' && c.req.header('content-type');
      const settings =
        hasBody && !environmentSetsMail(environment)
          ? await resolveMailSettings(desk, c.var.actor, await readJson(c, settingsBody))
          : await effectiveMailSettings(desk, c.var.actor, environment);
      return c.json((await checkMailSettings(settings)) satisfies MailCheckResult);
    })
    .post('/admin/mail/quarantine/:id/dismiss', async (c) => {
      assertAdmin(c.var.actor);
      const id = pathId(c, 'id');
      await rowOf(id, true);
      if (!(await decideQuarantined(desk.db, id, { state: 'dismissed' }, desk.clock.now())))
        throw new ApiError(409, 'conflict', `mail ${id} was decided on meanwhile`);
      return c.json({ state: 'dismissed' as const });
    });
}

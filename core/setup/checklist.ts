// The admin's set-up checklist: what a new desk still lacks before clients can be let in. The bot's
// /setup and the Mini App's admin show the same list; each adapter links every line to where it is done.
import { and, count, gt, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { queryAll, queryOne } from '../../db/access.ts';
import { companies, contracts, invites, memberships } from '../../db/schema.ts';
import type { DeskContext } from '../context.ts';
import type { Role } from '../model.ts';
import { type Actor, assertAdmin, SYSTEM } from '../permissions.ts';
import { staffGroup } from '../settings.ts';
import { deskProfile } from './desk-profile.ts';

export const CHECKLIST_ITEMS = [
  'desk',
  'staff_group',
  'line1',
  'line2',
  'field_engineer',
  'company',
  'clients',
  'miniapp',
  'email',
] as const;
export type ChecklistItemKey = (typeof CHECKLIST_ITEMS)[number];

export interface ChecklistItem {
  key: ChecklistItemKey;
  /** todo: to do; done; later: the capability is not in this version yet. */
  state: 'done' | 'todo' | 'later';
  /** What the line shows beside its title (counts, names), all plain values for the locale to format. */
  facts: Record<string, string | number>;
}

export interface Checklist {
  items: ChecklistItem[];
  done: number;
  total: number;
}

/** What the desk's configuration (outside the store) says. */
export interface SetupEnvironment {
  miniAppUrl?: string | undefined;
  /** The e-mail channel is configured: mailboxes to read (IMAP_URL) and a way to answer (SMTP_URL). */
  emailConfigured?: boolean;
}

export async function setupChecklist(
  ctx: DeskContext,
  actor: Actor,
  env: SetupEnvironment = {},
): Promise<Checklist> {
  assertAdmin(actor);
  const { db } = ctx;
  const now = ctx.clock.now();
  const profile = await deskProfile(ctx);
  const group = await staffGroup(db);

  const members = async (roles: Role[]) =>
    (await queryOne(db.select({ n: count() }).from(memberships).where(inArray(memberships.role, roles))))
      ?.n ?? 0;
  const liveInvites = async (roles: Role[]) =>
    (
      await queryOne(
        db
          .select({ n: count() })
          .from(invites)
          .where(
            and(
              inArray(invites.role, roles),
              isNull(invites.revokedAt),
              gt(invites.expiresAt, now),
              // Still has a use left.
              gt(invites.maxUses, invites.uses),
            ),
          ),
      )
    )?.n ?? 0;
  const line = async (key: 'line1' | 'line2' | 'field_engineer'): Promise<ChecklistItem> => {
    const people = await members([key]);
    return {
      key,
      state: people > 0 ? 'done' : 'todo',
      facts: { people, invites: await liveInvites([key]) },
    };
  };

  const companyCount = (await queryOne(db.select({ n: count() }).from(companies)))?.n ?? 0;
  // A company is ready when a contract covers it now: its tickets get its SLA and calendar.
  const covered = (
    await queryAll(
      db
        .selectDistinct({ companyId: contracts.companyId })
        .from(contracts)
        .where(
          and(
            isNotNull(contracts.companyId),
            lte(contracts.startsAt, now),
            or(isNull(contracts.endsAt), gt(contracts.endsAt, now)),
          ),
        ),
    )
  ).length;
  const clients = await members(['client', 'client_manager']);

  const items: ChecklistItem[] = [
    {
      key: 'desk',
      state: profile.name === null ? 'todo' : 'done',
      facts: { name: profile.name ?? '', timeZone: profile.timeZone },
    },
    { key: 'staff_group', state: group ? 'done' : 'todo', facts: { title: group?.title ?? '' } },
    await line('line1'),
    await line('line2'),
    await line('field_engineer'),
    {
      key: 'company',
      state: covered > 0 ? 'done' : 'todo',
      facts: { companies: companyCount, covered },
    },
    {
      key: 'clients',
      state: clients > 0 ? 'done' : 'todo',
      facts: { people: clients, invites: await liveInvites(['client', 'client_manager']) },
    },
    { key: 'miniapp', state: env.miniAppUrl ? 'done' : 'todo', facts: { url: env.miniAppUrl ?? '' } },
    { key: 'email', state: env.emailConfigured ? 'done' : 'todo', facts: {} },
  ];
  return {
    items,
    done: items.filter((i) => i.state === 'done').length,
    total: items.filter((i) => i.state !== 'later').length,
  };
}

/** Whether everything the store itself can tell is set up (the configuration's items aside). */
export async function setupComplete(ctx: DeskContext): Promise<boolean> {
  return (await setupChecklist(ctx, SYSTEM)).items
    .filter((item) => item.key !== 'miniapp' && item.key !== 'email')
    .every((item) => item.state === 'done');
}

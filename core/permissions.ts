// Who may see and do what, in one place. Every read and write in core asks here; the bot and the API
// never decide it themselves.
import { ForbiddenError, NotFoundError } from './errors.ts';
import { type ActingRole, type Action, TRANSITIONS } from './lifecycle.ts';
import {
  type Channel,
  type Instant,
  type Line,
  type Role,
  STAFF_ROLES,
  type StaffRole,
  type Status,
} from './model.ts';

export interface Membership {
  role: Role;
  /** The client company for client roles; null for staff roles. */
  companyId: number | null;
}

export type Actor =
  | { kind: 'person'; personId: number; memberships: readonly Membership[] }
  | { kind: 'system' };

export const SYSTEM: Actor = { kind: 'system' };

/** The parts of a ticket that access depends on. */
export interface TicketAccess {
  requesterId: number;
  companyId: number | null;
  line: Line;
  assigneeId: number | null;
  /** How it came in: a request opened in a company's group is shared with that company's people. */
  channel?: Channel | undefined;
}

function holds(actor: Actor, role: Role): boolean {
  return actor.kind === 'person' && actor.memberships.some((m) => m.role === role);
}

export function staffRoles(actor: Actor): StaffRole[] {
  return STAFF_ROLES.filter((r) => holds(actor, r));
}

export function isStaff(actor: Actor): boolean {
  return staffRoles(actor).length > 0;
}

/** Companies whose every ticket the actor sees as a client manager. */
export function managedCompanies(actor: Actor): number[] {
  if (actor.kind !== 'person') return [];
  return actor.memberships.flatMap((m) =>
    m.role === 'client_manager' && m.companyId !== null ? [m.companyId] : [],
  );
}

/** Companies the actor belongs to as a client or client manager. */
export function clientCompanies(actor: Actor): number[] {
  if (actor.kind !== 'person') return [];
  return actor.memberships.flatMap((m) =>
    (m.role === 'client' || m.role === 'client_manager') && m.companyId !== null ? [m.companyId] : [],
  );
}

/** Staff roles that see every ticket; a field engineer sees on-site tickets and those assigned to them. */
const SEE_ALL: readonly StaffRole[] = ['line1', 'line2', 'supervisor', 'admin'];

/**
 * The roles the actor holds on this particular ticket. Empty means the ticket does not exist for them.
 * "client" is the requester of the ticket, whatever their membership.
 */
export function rolesOnTicket(actor: Actor, ticket: TicketAccess): ActingRole[] {
  if (actor.kind === 'system') return ['system'];
  const roles: ActingRole[] = [];
  if (ticket.requesterId === actor.personId) roles.push('client');
  if (ticket.companyId !== null && managedCompanies(actor).includes(ticket.companyId))
    roles.push('client_manager');
  if (
    roles.length === 0 &&
    ticket.channel === 'telegram_group' &&
    ticket.companyId !== null &&
    clientCompanies(actor).includes(ticket.companyId)
  )
    roles.push('colleague');
  for (const role of staffRoles(actor)) {
    if (role !== 'field_engineer' || ticket.line === 'field' || ticket.assigneeId === actor.personId) {
      roles.push(role);
    }
  }
  return roles;
}

/** Acting as the client's side of the ticket: its requester, a manager of its company, or a colleague. */
export function speaksForClient(roles: readonly ActingRole[]): boolean {
  return roles.includes('client') || roles.includes('client_manager') || roles.includes('colleague');
}

/** Refuses as "not found", so that nobody learns that another company's ticket exists. */
export function assertCanSeeTicket(actor: Actor, ticket: TicketAccess & { id: number }): ActingRole[] {
  const roles = rolesOnTicket(actor, ticket);
  if (roles.length === 0) throw new NotFoundError('ticket', ticket.id);
  return roles;
}

/** Internal notes and internal events: staff and the system only. */
export function canSeeInternal(actor: Actor): boolean {
  return actor.kind === 'system' || isStaff(actor);
}

export function assertCanWriteInternal(actor: Actor): void {
  if (!canSeeInternal(actor)) throw new ForbiddenError('only staff may write internal notes');
}

/** Which tickets a list or export may contain for this actor. */
export type TicketScope =
  | { kind: 'all' }
  | { kind: 'some'; companyIds: number[]; requesterId: number | null; fieldEngineerId: number | null };

export function ticketScope(actor: Actor): TicketScope {
  if (actor.kind === 'system' || SEE_ALL.some((r) => holds(actor, r))) return { kind: 'all' };
  return {
    kind: 'some',
    companyIds: managedCompanies(actor),
    requesterId: actor.personId,
    fieldEngineerId: holds(actor, 'field_engineer') ? actor.personId : null,
  };
}

/**
 * Reports: a client manager for their own company; supervisors, admins and the lines for any company
 * or all of them together.
 */
export function assertCanReport(actor: Actor, companyId: number | null): void {
  if (actor.kind === 'system' || SEE_ALL.some((r) => holds(actor, r))) return;
  if (companyId !== null && managedCompanies(actor).includes(companyId)) return;
  throw new ForbiddenError(
    companyId === null ? 'only staff may see reports over all companies' : 'not a manager of this company',
    { companyId },
  );
}

/** Who may manage companies, contracts, calendars, people and roles. */
export function assertAdmin(actor: Actor): void {
  if (actor.kind !== 'system' && !holds(actor, 'admin')) throw new ForbiddenError('admins only');
}

/** Who may register a request on someone else's behalf (a phone call, a walk-in). */
export function canFileOnBehalf(actor: Actor): boolean {
  return (
    actor.kind === 'system' || holds(actor, 'line1') || holds(actor, 'supervisor') || holds(actor, 'admin')
  );
}

/** What `allowedActions` reads of a ticket: its access fields, status, and the facts some moves depend on. */
export interface TicketForActions extends TicketAccess {
  status: Status;
  rating: number | null;
  visitStartsAt: Instant | null;
  visitCheckedInAt: Instant | null;
  visitCheckedOutAt: Instant | null;
  /** How many visit times are offered now, when the caller knows (`pick_visit` needs one). */
  offeredSlots?: number;
}

/**
 * The lifecycle moves the actor may make on the ticket now: those of the state machine that start from
 * its status and that one of the actor's roles on it may make, less those the ticket's own state rules
 * out (taking a ticket someone else works on, rating twice, checking out before checking in…). For
 * showing buttons: `act` still decides, and may refuse a move that needs more than the row (a visit time
 * no longer offered). Empty when the ticket does not exist for the actor.
 */
export function allowedActions(actor: Actor, ticket: TicketForActions): Action[] {
  const roles = rolesOnTicket(actor, ticket);
  const allowed: Action[] = [];
  for (const move of TRANSITIONS) {
    if (move.from !== ticket.status || !roles.some((r) => move.roles.includes(r))) continue;
    if (allowed.includes(move.action) || !possible(move.action, ticket)) continue;
    allowed.push(move.action);
  }
  return allowed;
}

/** The rules `act` checks on the ticket row beyond status and role. */
function possible(action: Action, t: TicketForActions): boolean {
  switch (action) {
    case 'take':
      // Someone (the actor too) already works on it; a new or open ticket assigned to the actor is theirs
      // to accept.
      return t.status !== 'in_progress' || t.assigneeId === null;
    case 'return_to_queue':
      return t.status !== 'open' || t.assigneeId !== null;
    case 'escalate_line2':
      return t.line !== 'line2';
    case 'check_in':
      return t.visitStartsAt !== null && t.visitCheckedInAt === null;
    case 'check_out':
      return t.visitCheckedInAt !== null && t.visitCheckedOutAt === null;
    case 'rate':
      return t.rating === null;
    case 'pick_visit':
      return t.offeredSlots === undefined || t.offeredSlots > 0;
    default:
      return true;
  }
}

// The ticket lifecycle as an explicit state machine. Every move names the statuses it starts from, the
// status it leads to, and the roles that may make it. Roles here are the actor's roles *on this ticket*
// (see permissions.ts): "client" means the requester, "client_manager" a manager of the ticket's company.
import { TransitionRefusedError } from './errors.ts';
import type { Role, Status } from './model.ts';

export const ACTIONS = [
  'triage',
  'reprioritize',
  'categorize',
  'take',
  'assign',
  'return_to_queue',
  'ask_customer',
  'resume',
  'escalate_line2',
  'schedule_visit',
  'offer_visit',
  'pick_visit',
  'check_in',
  'check_out',
  'resolve',
  'confirm',
  'auto_close',
  'reopen',
  'cancel',
  'rate',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who acts: a role on the ticket, or the system itself (scheduler, intake). A colleague is a client of the
 * ticket's company when the request was opened in the company's own group, where all of them read it: they
 * may see it and add their words, and move it nowhere.
 */
export type ActingRole = Role | 'system' | 'colleague';

export interface Transition {
  action: Action;
  from: Status;
  /** 'same' for tracked moves that keep the status (assignment, priority change, rating). */
  to: Status | 'same';
  roles: readonly ActingRole[];
}

const WORKING: readonly Status[] = ['open', 'in_progress', 'waiting_for_customer'];
const ENGINEERS = ['line1', 'line2', 'field_engineer', 'supervisor', 'admin'] as const;
const DISPATCHERS = ['line1', 'supervisor', 'admin'] as const;
/** Who may mark an engineer's arrival on site and departure. */
const ON_SITE = ['field_engineer', 'line2', 'supervisor', 'admin'] as const;

function moves(action: Action, from: readonly Status[], to: Status | 'same', roles: readonly ActingRole[]) {
  return from.map((f): Transition => ({ action, from: f, to, roles }));
}

export const TRANSITIONS: readonly Transition[] = [
  // 1st line accepts a new request: sets impact, urgency, category, queue.
  ...moves('triage', ['new'], 'open', DISPATCHERS),
  ...moves('reprioritize', WORKING, 'same', ['line1', 'line2', 'supervisor', 'admin']),
  ...moves('categorize', ['new', ...WORKING], 'same', ['line1', 'line2', 'supervisor', 'admin']),
  // An engineer takes a ticket for themselves (in progress too, when nobody holds it: e.g. after the
  // client picked a visit time and no field engineer was named).
  ...moves('take', ['new', 'open', 'in_progress'], 'in_progress', ENGINEERS),
  ...moves('assign', WORKING, 'same', DISPATCHERS),
  ...moves('return_to_queue', ['in_progress'], 'open', ENGINEERS),
  // Declining an assignment not yet accepted (refused as a 'rule' when nobody is assigned).
  ...moves('return_to_queue', ['open'], 'open', ENGINEERS),
  ...moves('ask_customer', ['in_progress'], 'waiting_for_customer', ENGINEERS),
  // The client answered (or staff resume by hand): the SLA clock runs again.
  ...moves('resume', ['waiting_for_customer'], 'in_progress', ['client', 'client_manager', ...ENGINEERS]),
  ...moves('escalate_line2', WORKING, 'open', DISPATCHERS),
  ...moves('schedule_visit', ['open', 'in_progress'], 'in_progress', [
    'line1',
    'line2',
    'supervisor',
    'admin',
  ]),
  // Staff offer up to three times for a visit; the SLA stands still until the client picks one, which
  // puts the ticket on the field line with that time.
  ...moves('offer_visit', ['open', 'in_progress'], 'waiting_for_customer', ENGINEERS),
  ...moves('pick_visit', WORKING, 'in_progress', ['client', 'client_manager']),
  // The engineer on site: arrival, then departure (refused as a 'rule' out of this order).
  ...moves('check_in', ['in_progress'], 'same', ON_SITE),
  ...moves('check_out', ['in_progress'], 'same', ON_SITE),
  ...moves('resolve', WORKING, 'resolved', ENGINEERS),
  ...moves('confirm', ['resolved'], 'closed', ['client', 'client_manager', 'supervisor', 'admin']),
  ...moves('auto_close', ['resolved'], 'closed', ['system']),
  ...moves('reopen', ['resolved'], 'open', ['client', 'client_manager', 'line1', 'supervisor', 'admin']),
  ...moves('reopen', ['closed'], 'open', ['supervisor', 'admin']),
  ...moves('cancel', ['new', ...WORKING], 'cancelled', [
    'client',
    'client_manager',
    'line1',
    'supervisor',
    'admin',
  ]),
  ...moves('rate', ['closed'], 'same', ['client']),
];

const byActionAndStatus = new Map<string, Transition>(TRANSITIONS.map((t) => [`${t.action}:${t.from}`, t]));

/**
 * The move `action` from `status` for an actor holding `roles` on the ticket, or a typed refusal:
 * 'status' when no such move starts from this status, 'role' when none of the roles may make it.
 */
export function transitionFor(action: Action, status: Status, roles: readonly ActingRole[]): Transition {
  const move = byActionAndStatus.get(`${action}:${status}`);
  if (!move) throw new TransitionRefusedError(action, status, 'status');
  if (!roles.some((r) => move.roles.includes(r))) throw new TransitionRefusedError(action, status, 'role');
  return move;
}

export function targetStatus(move: Transition, current: Status): Status {
  return move.to === 'same' ? current : move.to;
}

/** Statuses in which the resolution clock stands still. */
export function isPausedStatus(status: Status): boolean {
  return status === 'waiting_for_customer' || status === 'resolved';
}

export function isFinalStatus(status: Status): boolean {
  return status === 'closed' || status === 'cancelled';
}

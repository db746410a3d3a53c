// Typed refusals. Adapters turn them into a polite message (bot) or a 4xx JSON error (API); none of them
// is ever thrown after something was written.

export type DeskErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'invalid_transition'
  | 'invalid_input'
  | 'stale'
  | 'conflict'
  | 'configuration';

export class DeskError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The ticket does not exist, or the actor may not know that it does. */
export class NotFoundError extends DeskError {
  constructor(what: string, id: number | string) {
    super('not_found', `${what} ${id} not found`, { what, id });
  }
}

export class ForbiddenError extends DeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('forbidden', message, details);
  }
}

/** A lifecycle move that the state machine refuses, for this status or this role. */
export class TransitionRefusedError extends DeskError {
  constructor(
    readonly action: string,
    readonly fromStatus: string,
    readonly reason: 'status' | 'role' | 'rule',
    message?: string,
  ) {
    super('invalid_transition', message ?? `"${action}" is not allowed from "${fromStatus}" (${reason})`, {
      action,
      fromStatus,
      reason,
    });
  }
}

export class InvalidInputError extends DeskError {
  constructor(message: string, issues: unknown[] = []) {
    super('invalid_input', message, { issues });
  }
}

/** The caller acted on an outdated view of the ticket (e.g. an old card's button). */
export class StaleTicketError extends DeskError {
  constructor(ticketId: number, expected: number, actual: number) {
    super('stale', `ticket ${ticketId} changed since version ${expected}`, { ticketId, expected, actual });
  }
}

/** The change would clash with what is stored (a code already taken, a role already held). */
export class ConflictError extends DeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('conflict', message, details);
  }
}

// The vocabulary of the service desk, shared by the store, the rules and the adapters.

export const ROLES = [
  'client',
  'client_manager',
  'line1',
  'line2',
  'field_engineer',
  'supervisor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles of the outsourcer's people; the others belong to a client company. */
export const STAFF_ROLES = [
  'line1',
  'line2',
  'field_engineer',
  'supervisor',
  'admin',
] as const satisfies Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STATUSES = [
  'new',
  'open',
  'in_progress',
  'waiting_for_customer',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type Status = (typeof STATUSES)[number];

/** Which line holds the ticket: the 1st line, the 2nd line, or an on-site (field) visit. */
export const LINES = ['line1', 'line2', 'field'] as const;
export type Line = (typeof LINES)[number];

export const CHANNELS = ['telegram', 'miniapp', 'email', 'web', 'phone', 'telegram_group'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How many people are affected. */
export const IMPACTS = ['person', 'department', 'company'] as const;
export type Impact = (typeof IMPACTS)[number];

/** How soon it hurts: it can wait, work is slowed down, work is stopped. */
export const URGENCIES = ['low', 'medium', 'high'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Milliseconds since the epoch, UTC. */
export type Instant = number;

/** Every rule that depends on time takes a clock, so tests move time instead of sleeping. */
export interface Clock {
  now(): Instant;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock for tests and simulations: stands still until told to move. */
export class ManualClock implements Clock {
  constructor(private current: Instant) {}
  now(): Instant {
    return this.current;
  }
  set(at: Instant | string): void {
    this.current = typeof at === 'string' ? Date.parse(at) : at;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export const MINUTE = 60_000;

// The SLA policy a ticket runs on: the contract's targets and priority matrix over its business calendar,
// compiled once and cached. Call `invalidate()` after contracts or calendars change.
import { desc, eq, isNull } from 'drizzle-orm';
import { queryAll, queryOne } from '../db/access.ts';
import type { Db } from '../db/connection.ts';
import { businessCalendars, calendarExceptions, contracts } from '../db/schema.ts';
import { type BusinessTime, compileCalendar, roundTheClock } from './calendar/business-calendar.ts';
import type { Instant } from './model.ts';
import {
  DEFAULT_PRIORITY_MATRIX,
  DEFAULT_SLA_TARGETS,
  type PriorityMatrix,
  type SlaTargets,
} from './sla-policy.ts';

export interface Policy {
  contractId: number | null;
  targets: SlaTargets;
  matrix: PriorityMatrix;
  time: BusinessTime;
  /** The calendar's zone, for showing due times to people; UTC for 24/7 contracts. */
  timeZone: string;
  autoCloseBusinessDays: number;
}

/** Used when no contract covers a request: 24/7 with the default targets, until 1st line sorts it out. */
export const FALLBACK_POLICY: Policy = {
  contractId: null,
  targets: DEFAULT_SLA_TARGETS,
  matrix: DEFAULT_PRIORITY_MATRIX,
  time: roundTheClock,
  timeZone: 'UTC',
  autoCloseBusinessDays: 3,
};

export class PolicyBook {
  private byContract = new Map<number, Policy>();
  private byCompany = new Map<number | null, { id: number; startsAt: Instant; endsAt: Instant | null }[]>();

  /** Moves on each invalidate: what was read before one is not kept after it (the reads are awaited). */
  private generation = 0;

  constructor(private readonly db: Db) {}

  invalidate(): void {
    this.generation++;
    this.byContract.clear();
    this.byCompany.clear();
  }

  /** The contract in force for a company (or for unmatched requesters when null) at an instant. */
  async activeContractId(companyId: number | null, at: Instant): Promise<number | null> {
    let list = this.byCompany.get(companyId);
    if (!list) {
      const generation = this.generation;
      list = await queryAll(
        this.db
          .select({ id: contracts.id, startsAt: contracts.startsAt, endsAt: contracts.endsAt })
          .from(contracts)
          .where(companyId === null ? isNull(contracts.companyId) : eq(contracts.companyId, companyId))
          .orderBy(desc(contracts.startsAt)),
      );
      if (generation === this.generation) this.byCompany.set(companyId, list);
    }
    // The latest contract that has started and not ended.
    return list.find((c) => c.startsAt <= at && (c.endsAt === null || c.endsAt > at))?.id ?? null;
  }

  async forContract(contractId: number | null): Promise<Policy> {
    if (contractId === null) return FALLBACK_POLICY;
    const cached = this.byContract.get(contractId);
    if (cached) return cached;
    const generation = this.generation;
    const contract = await queryOne(this.db.select().from(contracts).where(eq(contracts.id, contractId)));
    if (!contract) return FALLBACK_POLICY;
    let time = roundTheClock;
    let timeZone = 'UTC';
    if (contract.calendarId !== null) {
      const calendar = await queryOne(
        this.db.select().from(businessCalendars).where(eq(businessCalendars.id, contract.calendarId)),
      );
      if (calendar) {
        const exceptions = await queryAll(
          this.db
            .select({ date: calendarExceptions.date, hours: calendarExceptions.hours })
            .from(calendarExceptions)
            .where(eq(calendarExceptions.calendarId, calendar.id)),
        );
        time = compileCalendar({ timeZone: calendar.timeZone, week: calendar.week, exceptions });
        timeZone = calendar.timeZone;
      }
    }
    const policy: Policy = {
      contractId,
      targets: contract.slaTargets,
      matrix: contract.priorityMatrix,
      time,
      timeZone,
      autoCloseBusinessDays: contract.autoCloseBusinessDays,
    };
    if (generation === this.generation) this.byContract.set(contractId, policy);
    return policy;
  }
}

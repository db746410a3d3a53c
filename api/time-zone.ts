// Which time zone days and times are shown in when the person does not say: the zone of the business
// calendar of the company's contract (the first company they belong to when none is named; the contract
// for unmatched requests when there is none), UTC for 24/7 contracts.
import { isValidTimeZone } from '../core/calendar/time-zone.ts';
import type { DeskContext } from '../core/context.ts';
import { InvalidInputError } from '../core/errors.ts';
import { type Actor, clientCompanies } from '../core/permissions.ts';

export async function zoneFor(
  desk: DeskContext,
  actor: Actor,
  companyId: number | null,
  tz: string | undefined,
): Promise<string> {
  if (tz !== undefined) {
    if (!isValidTimeZone(tz))
      throw new InvalidInputError('tz: unknown time zone', [{ path: ['tz'], message: 'unknown time zone' }]);
    return tz;
  }
  const company = companyId ?? clientCompanies(actor)[0] ?? null;
  const now = desk.clock.now();
  return (await desk.policies.forContract(await desk.policies.activeContractId(company, now))).timeZone;
}

// The sandbox's phone: a call to the desk as its PBX would report it — Zammad's generic CTI events
// (newCall, answer, hangup) posted to the desk's own webhook with its token, so the token check, the
// call's row, the 1st line's card and the callback queue are all the real ones.
import { randomUUID } from 'node:crypto';
import { asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DeskContext } from '../core/context.ts';
import { ROLES, type Role } from '../core/model.ts';
import { SYSTEM } from '../core/permissions.ts';
import { ctiToken } from '../core/phone/cti-token.ts';
import { calls, companies, memberships, people } from '../db/schema.ts';
import type { CallPersonView, CallView } from './types.ts';

/** The desk's own number, as the PBX reports what was dialled. */
export const SANDBOX_DESK_NUMBER = '+78005550100';

/** What the page got wrong (an unknown person or call, a call already over): a 400. */
export class CallInputError extends Error {}

export interface SandboxCallsOptions {
  desk: DeskContext;
  /** The desk's HTTP app: the events go through its real webhook route. */
  webhook: (request: Request) => Response | Promise<Response>;
}

export class SandboxCalls {
  constructor(private readonly options: SandboxCallsOptions) {}

  /** The people of the store with a phone number, clients first, as the page's "caller" offers them. */
  people(): (Omit<CallPersonView, 'roleName'> & { role: Role | null })[] {
    const rows = this.options.desk.db
      .select({
        id: people.id,
        name: people.name,
        phone: people.phone,
        role: memberships.role,
        company: companies.name,
      })
      .from(people)
      .leftJoin(memberships, eq(memberships.personId, people.id))
      .leftJoin(companies, eq(companies.id, memberships.companyId))
      .where(isNotNull(people.phone))
      .all();
    const rank = (role: Role | null) => (role === null ? ROLES.length : ROLES.indexOf(role));
    const byPerson = new Map<number, Omit<CallPersonView, 'roleName'> & { role: Role | null }>();
    for (const row of rows) {
      const phone = row.phone?.trim();
      if (!phone) continue;
      const known = byPerson.get(row.id);
      if (known && rank(known.role) <= rank(row.role)) continue;
      byPerson.set(row.id, { ...row, phone });
    }
    return [...byPerson.values()].sort((a, b) => rank(a.role) - rank(b.role) || a.id - b.id);
  }

  /** The 1st line: who may answer on the page (and whose chats get the card). */
  line1(): { id: number; name: string; telegramId: number | null }[] {
    return this.options.desk.db
      .selectDistinct({ id: people.id, name: people.name, telegramId: people.telegramUserId })
      .from(people)
      .innerJoin(memberships, eq(memberships.personId, people.id))
      .where(inArray(memberships.role, ['line1']))
      .orderBy(asc(people.id))
      .all();
  }

  /** A call from a person of the store or any number: newCall, then `answeredBy` answers, or it ends missed. */
  async ring(from: { personId: number } | { number: string }): Promise<CallView> {
    let number: string;
    if ('personId' in from) {
      const person = this.options.desk.db
        .select({ phone: people.phone })
        .from(people)
        .where(eq(people.id, from.personId))
        .get();
      const phone = person?.phone?.trim();
      if (!phone) throw new CallInputError('from.personId: no such person with a phone number');
      number = phone;
    } else {
      number = from.number;
    }
    const callId = `sandbox-${randomUUID()}`;
    await this.post({ event: 'newCall', callId, from: number, to: SANDBOX_DESK_NUMBER, direction: 'in' });
    return this.view(callId);
  }

  /** A 1st-line person picks up. */
  async answer(callId: string, personId: number): Promise<CallView> {
    const call = this.ongoing(callId);
    if (call.state !== 'ringing') throw new CallInputError('callId: the call is not ringing');
    const who = this.line1().find((p) => p.id === personId);
    if (!who) throw new CallInputError('by: not a 1st-line person');
    await this.post({
      event: 'answer',
      callId,
      direction: 'in',
      user: who.name,
      answeringNumber: String(who.id),
    });
    return this.view(callId);
  }

  /** The caller hangs up: an answered call ends, a ringing one is missed (into the callback queue). */
  async hangUp(callId: string): Promise<CallView> {
    const call = this.ongoing(callId);
    const cause = call.state === 'answered' ? 'normalClearing' : 'cancel';
    await this.post({ event: 'hangup', callId, direction: 'in', cause });
    return this.view(callId);
  }

  private row(callId: string) {
    return this.options.desk.db.select().from(calls).where(eq(calls.callId, callId)).get();
  }

  private ongoing(callId: string) {
    const call = callId.startsWith('sandbox-') ? this.row(callId) : undefined;
    if (!call) throw new CallInputError('callId: no such call of the sandbox');
    if (call.state === 'missed' || call.state === 'ended')
      throw new CallInputError('callId: the call is over');
    return call;
  }

  private view(callId: string): CallView {
    const call = this.row(callId);
    if (!call) throw new Error(`the webhook made no call ${callId}`);
    return {
      callId: call.callId,
      state: call.state,
      from: call.fromNumber,
      answeredBy: call.answeredByName,
      callbackDueAt: call.callbackDueAt,
    };
  }

  /** One event, form-encoded as a PBX posts it, to the desk's webhook with its token. */
  private async post(fields: Record<string, string>): Promise<void> {
    const token = await ctiToken(this.options.desk, SYSTEM);
    const response = await this.options.webhook(
      new Request(`http://127.0.0.1/api/telephony/cti/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      }),
    );
    if (!response.ok)
      throw new Error(`the CTI webhook answered ${response.status}: ${await response.text()}`);
  }
}

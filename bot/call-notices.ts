// The 1st line's messages about phone calls (core/phone/calls.ts): a card while an incoming call rings
// (caller, company, open requests) and a line when one was missed (call back by …). Read from the store
// when sent, so the card shows what the desk knows then.

import type { DeskContext } from '../core/context.ts';
import { formatLocal } from '../core/exports.ts';
import { CALL_MISSED_NOTICE, callCard } from '../core/phone/calls.ts';
import type { OutboxRow } from '../db/schema.ts';
import type { Translate } from '../locales/index.ts';
import type { RenderedNotice } from './notices.ts';

/** Whether the notifier's renderer should hand the row here. */
export const isCallNotice = (kind: string) => kind.startsWith('call.');

export async function renderCallNotice(
  desk: DeskContext,
  t: Translate,
  row: OutboxRow,
): Promise<RenderedNotice> {
  const callId = typeof row.payload.callId === 'string' ? row.payload.callId : '';
  const card = await callCard(desk, callId);
  if (!card) throw new Error(`no call ${callId}`);
  const { call } = card;
  const number = call.direction === 'in' ? call.fromNumber : call.toNumber;
  const shown = number && /^\+?\d+$/.test(number) ? number : t('call-hidden-number');
  const caller = card.callerName ? t('call-caller-known', { name: card.callerName, number: shown }) : shown;
  const company = card.companyName
    ? t('call-company', { company: card.companyName })
    : t('call-company-unknown');
  if (row.kind === CALL_MISSED_NOTICE) {
    const due = formatLocal(call.callbackDueAt, card.timeZone);
    return { text: t('call-missed', { caller, company, due, zone: card.timeZone }), ticketId: null };
  }
  const tickets =
    card.openTickets.length === 0
      ? t('call-no-open-tickets')
      : [
          t('call-open-tickets'),
          ...card.openTickets.map((x) =>
            t('call-ticket-line', {
              number: String(x.number),
              subject: x.subject,
              status: t(`status-${x.status}`),
            }),
          ),
        ].join('\n');
  const params: Record<string, string> = { call: call.callId };
  if (number && /^\+?\d+$/.test(number)) params.phone = number;
  return {
    text: t('call-ringing', { caller, company, tickets }),
    ticketId: null,
    appLink: { label: t('call-btn-create'), params },
  };
}

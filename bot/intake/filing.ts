// Send: the draft goes where every channel's request goes, core/intake, under the draft's key — a Send
// repeated after a crash finds the ticket already filed and says so instead of filing it twice.
import type { User } from 'grammy/types';
import type { DeskContext } from '../../core/context.ts';
import { DeskError } from '../../core/errors.ts';
import { formatLocal } from '../../core/exports.ts';
import { receiveInbound } from '../../core/intake/receive.ts';
import { SYSTEM } from '../../core/permissions.ts';
import { getTicket } from '../../core/tickets/read.ts';
import { telegramSender } from '../actor.ts';
import type { IntakeDraft } from './drafts.ts';

export type Filing =
  | {
      ok: true;
      created: boolean;
      ticketId: number;
      number: string;
      priority: string;
      due: string;
      zone: string;
    }
  | { ok: false; code: string };

export async function fileDraft(desk: DeskContext, from: User, draft: IntakeDraft): Promise<Filing> {
  if (!draft.impact || !draft.urgency)
    throw new Error('the intake was sent before its questions were answered');
  try {
    const filed = await receiveInbound(desk, {
      channel: 'telegram',
      sender: telegramSender(from),
      intakeKey: draft.intakeKey,
      body: draft.parts.join('\n'),
      files: draft.files,
      fields: {
        categoryId: draft.categoryId,
        impact: draft.impact,
        urgency: draft.urgency,
        location: draft.location,
      },
    });
    if (filed.kind !== 'created' && filed.kind !== 'duplicate') throw new Error(`intake said ${filed.kind}`);
    const created = filed.kind === 'created';
    const ticket = created ? filed.ticket : (await getTicket(desk, SYSTEM, filed.ticketId)).ticket;
    const zone = (await desk.policies.forContract(ticket.contractId)).timeZone;
    return {
      ok: true,
      created,
      ticketId: ticket.id,
      number: String(ticket.number),
      priority: ticket.priority,
      due: formatLocal(ticket.firstResponseDueAt, zone),
      zone,
    };
  } catch (error) {
    if (error instanceof DeskError) return { ok: false, code: error.code };
    throw error;
  }
}

// Why core refused, in the person's words: their role may not do it, or the ticket's status does not
// allow it now — never a bare "not possible".
import { type DeskError, TransitionRefusedError } from '../core/errors.ts';
import type { Say } from './commands.ts';

export function refusalReason(t: Say, error: DeskError): string {
  if (error instanceof TransitionRefusedError) {
    if (error.reason === 'role') return t('refused-role');
    if (error.reason === 'status') return t('refused-status', { status: t(`status-${error.fromStatus}`) });
  }
  return t(`error-${error.code}`);
}

// A new request: the same questions the bot asks — category, description, how many people are affected,
// how urgent, where. Sent with the Main Button.
import { useState } from 'react';
import { api } from '../api.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { useSession } from '../session.ts';
import { haptic } from '../telegram.ts';
import type { TicketDetail } from '../types.ts';
import { ErrorNote, MainActionButton, Section, toast } from '../ui/common.tsx';
import { FilePicker, useFilePicker } from '../ui/FilePicker.tsx';
import {
  draftBody,
  draftReady,
  EMPTY_DRAFT,
  newDraftKey,
  type RequestDraft,
  RequestFields,
} from '../ui/RequestFields.tsx';

export default function NewTicket() {
  const { me } = useSession();
  const [draft, setDraft] = useState<RequestDraft>(EMPTY_DRAFT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const picker = useFilePicker();
  // One key for this form: a Send repeated after a lost answer files the request once.
  const [draftKey] = useState(newDraftKey);
  const companies = me.roles.filter((r) => r.companyId !== null);
  const [companyId, setCompanyId] = useState<number | null>(companies[0]?.companyId ?? null);
  const distinctCompanies = [...new Map(companies.map((c) => [c.companyId, c])).values()];

  const ready = draftReady(draft);
  const send = async () => {
    if (!ready || busy) {
      haptic.error();
      setError(ready ? null : new Error(t('app-new-incomplete')));
      return;
    }
    if (picker.uploading) {
      haptic.error();
      setError(new Error(t('app-file-wait')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { ticket } = await api<{ ticket: TicketDetail }>('/api/tickets', {
        headers: { 'Idempotency-Key': draftKey },
        body: {
          ...draftBody(draft),
          ...(distinctCompanies.length > 1 && companyId ? { companyId } : {}),
          ...(picker.ids.length > 0 ? { uploads: picker.ids } : {}),
        },
      });
      haptic.success();
      toast(t('app-new-accepted', { number: String(ticket.number) }));
      navigate('/my', { replace: true });
    } catch (e) {
      haptic.error();
      setError(e);
      setBusy(false);
    }
  };

  return (
    <div className="screen with-fallback-button" data-screen="new">
      <h1>{t('app-new-title')}</h1>
      <RequestFields
        draft={draft}
        onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
        descriptionPlaceholder={t('app-new-description-placeholder')}
      >
        <Section title={t('app-files-title')}>
          <div className="section-body">
            <FilePicker picker={picker} name="files" />
          </div>
        </Section>
      </RequestFields>
      {distinctCompanies.length > 1 ? (
        <Section title={t('report-company')}>
          <div className="section-body">
            <select
              aria-label={t('report-company')}
              value={companyId ?? ''}
              onChange={(e) => setCompanyId(Number(e.target.value))}
            >
              {distinctCompanies.map((c) => (
                <option key={c.companyId} value={c.companyId ?? ''}>
                  {c.companyName}
                </option>
              ))}
            </select>
          </div>
        </Section>
      ) : null}
      <ErrorNote error={error} />
      <MainActionButton
        action={{ text: t('app-send'), onClick: () => void send(), busy, disabled: !ready }}
      />
    </div>
  );
}

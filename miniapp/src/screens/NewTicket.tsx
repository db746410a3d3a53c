// A new request: the same questions the bot asks — category, description, how many people are affected,
// how urgent, where. Sent with the Main Button.
import { useState } from 'react';
import { api } from '../api.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { useSession } from '../session.ts';
import { haptic } from '../telegram.ts';
import { IMPACTS, type Impact, type TicketDetail, URGENCIES, type Urgency } from '../types.ts';
import { Choices, ErrorNote, MainActionButton, Section, toast } from '../ui/common.tsx';
import { FilePicker, useFilePicker } from '../ui/FilePicker.tsx';

const MAX_DESCRIPTION = 4000;

export default function NewTicket() {
  const { categories, me } = useSession();
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState<Impact | null>(null);
  const [urgency, setUrgency] = useState<Urgency | null>(null);
  const [location, setLocation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const picker = useFilePicker();
  // One key for this form: a Send repeated after a lost answer files the request once.
  const [draftKey] = useState(() =>
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Date.now()}-${Math.random()}`.slice(0, 64),
  );
  const companies = me.roles.filter((r) => r.companyId !== null);
  const [companyId, setCompanyId] = useState<number | null>(companies[0]?.companyId ?? null);
  const distinctCompanies = [...new Map(companies.map((c) => [c.companyId, c])).values()];

  const ready = description.trim().length > 0 && impact !== null && urgency !== null;

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
          description: description.trim(),
          impact,
          urgency,
          ...(categoryId ? { categoryId } : {}),
          ...(location.trim() ? { location: location.trim() } : {}),
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
      {/* A desk with no active category asks for none (1st line sorts the request). */}
      {categories.length > 0 && (
        <Section title={t('app-field-category')}>
          <div className="section-body">
            <Choices
              name="category"
              options={categories.map((c) => String(c.id))}
              value={categoryId === null ? null : String(categoryId)}
              onChange={(v) => {
                haptic.select();
                setCategoryId(Number(v) === categoryId ? null : Number(v));
              }}
              label={(v) => categories.find((c) => String(c.id) === v)?.name ?? v}
            />
          </div>
        </Section>
      )}
      <Section title={t('app-field-description')}>
        <div className="section-body">
          <textarea
            name="description"
            aria-label={t('app-field-description')}
            placeholder={t('app-new-description-placeholder')}
            maxLength={MAX_DESCRIPTION}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
      </Section>
      <Section title={t('app-files-title')}>
        <div className="section-body">
          <FilePicker picker={picker} name="files" />
        </div>
      </Section>
      <Section title={t('intake-impact')}>
        <div className="section-body">
          <Choices
            name="impact"
            options={IMPACTS}
            value={impact}
            onChange={(v) => {
              haptic.select();
              setImpact(v);
            }}
            label={(v) => t(`impact-${v}`)}
          />
        </div>
      </Section>
      <Section title={t('intake-urgency')}>
        <div className="section-body">
          <Choices
            name="urgency"
            options={URGENCIES}
            value={urgency}
            onChange={(v) => {
              haptic.select();
              setUrgency(v);
            }}
            label={(v) => t(`urgency-${v}`)}
          />
        </div>
      </Section>
      <Section title={t('app-field-location')}>
        <div className="section-body">
          <input
            name="location"
            aria-label={t('app-field-location')}
            placeholder={t('app-new-location-placeholder')}
            maxLength={500}
            value={location}
            onChange={(e) => setLocation(e.target.value)}
          />
        </div>
      </Section>
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

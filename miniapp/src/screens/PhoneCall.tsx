// The operator's console for a phone call: type or paste the caller's number → who it is (their companies,
// contracts and open requests) → a new request on their behalf or their words added to an open one, in one
// submit. An unknown number is filed as a new contact, linked to a company when one is picked.
import { useEffect, useRef, useState } from 'react';
import type { Caller, FiledCall } from '../../../core/phone/caller.ts';
import { ApiError, api } from '../api.ts';
import { t } from '../i18n.ts';
import { navigate, routeQuery, useRoute } from '../router.ts';
import { haptic } from '../telegram.ts';
import {
  ErrorNote,
  MainActionButton,
  PriorityBadge,
  Section,
  Spinner,
  StatusBadge,
  useCompanies,
} from '../ui/common.tsx';
import { FilePicker, useFilePicker } from '../ui/FilePicker.tsx';
import {
  draftBody,
  draftReady,
  EMPTY_DRAFT,
  MAX_DESCRIPTION,
  newDraftKey,
  type RequestDraft,
  RequestFields,
} from '../ui/RequestFields.tsx';

type Mode = { kind: 'new' } | { kind: 'add'; ticketId: number; number: number };

/** "+79161234567" → "+7 916 123-45-67" (Russian numbers; others as they are). */
function phoneText(e164: string, extension: string | null): string {
  const ru = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(e164);
  const main = ru ? `+7 ${ru[1]} ${ru[2]}-${ru[3]}-${ru[4]}` : e164;
  return extension ? `${main} ${t('app-call-extension', { extension })}` : main;
}

export default function PhoneCall() {
  // Opened from a call's card (#/call?phone=…): that number, looked up at once.
  const route = useRoute();
  const [numberText, setNumberText] = useState(() => routeQuery(route).get('phone') ?? '');
  // The PBX's call it came from: the first request filed or added to is linked to it (its history shows it).
  const callId = useRef(routeQuery(route).get('call'));
  const [caller, setCaller] = useState<Caller | null>(null);
  const [looking, setLooking] = useState(false);
  const [lookError, setLookError] = useState<unknown>(null);
  const [mode, setMode] = useState<Mode>({ kind: 'new' });
  const [draft, setDraft] = useState<RequestDraft>(EMPTY_DRAFT);
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [companyId, setCompanyId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<FiledCall | null>(null);
  const [key, setKey] = useState(newDraftKey);
  const picker = useFilePicker();
  const companies = useCompanies();
  const asked = useRef(0);
  /** The look-up a pause in typing will make: any look-up made before it replaces it. */
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const lookUp = async (raw: string, keep = false) => {
    // A late timer must not clear what came after it (a request just filed, its result on screen).
    clearTimeout(pending.current);
    const which = ++asked.current;
    if (!raw.trim()) return;
    setLooking(true);
    setLookError(null);
    if (!keep) {
      setResult(null);
      setMode({ kind: 'new' });
    }
    try {
      const { caller: found } = await api<{ caller: Caller }>('/api/phone/callers', {
        query: { number: raw },
      });
      if (which !== asked.current) return;
      setCaller(found);
      if (!keep) setCompanyId(found.companies[0]?.id ?? null);
    } catch (e) {
      if (which !== asked.current) return;
      haptic.error();
      setCaller(null);
      setLookError(e);
    } finally {
      if (which === asked.current) setLooking(false);
    }
  };

  // A number typed and left alone for a moment is looked up; one pasted or given in the route, at once.
  const given = useRef(numberText);
  // biome-ignore lint/correctness/useExhaustiveDependencies: lookUp reads the latest state itself
  useEffect(() => {
    if (given.current && given.current === numberText) {
      given.current = '';
      void lookUp(numberText);
      return;
    }
    if (numberText.replace(/\D/g, '').length < 10) return;
    pending.current = setTimeout(() => void lookUp(numberText), 600);
    return () => clearTimeout(pending.current);
  }, [numberText]);

  const person = caller?.person ?? null;
  const pickCompany = caller !== null && (person === null || caller.companies.length !== 1);
  const ready = caller !== null && (mode.kind === 'add' ? text.trim().length > 0 : draftReady(draft));

  const send = async () => {
    if (!caller || busy) return;
    if (!ready) {
      haptic.error();
      setError(new Error(t(mode.kind === 'add' ? 'app-call-say-what' : 'app-new-incomplete')));
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
      const filed = await api<FiledCall>('/api/phone/calls', {
        headers: { 'Idempotency-Key': key },
        body: {
          number: numberText,
          ...(person === null && name.trim() ? { name: name.trim() } : {}),
          ...(pickCompany && companyId !== null ? { companyId } : {}),
          ...(mode.kind === 'add' ? { ticketId: mode.ticketId, text: text.trim() } : draftBody(draft)),
          ...(picker.ids.length > 0 ? { uploads: picker.ids } : {}),
        },
      });
      if (callId.current) {
        const call = callId.current;
        callId.current = null;
        await api(`/api/calls/${encodeURIComponent(call)}/ticket`, {
          body: { ticketId: filed.ticket.id },
        }).catch((e: unknown) => setError(e));
      }
      haptic.success();
      setResult(filed);
      setDraft(EMPTY_DRAFT);
      setText('');
      setMode({ kind: 'new' });
      picker.reset();
      setKey(newDraftKey());
      // The card again: the caller is known now, with the request among their open ones.
      void lookUp(numberText, true);
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const nextCall = () => {
    asked.current++;
    setNumberText('');
    setCaller(null);
    setResult(null);
    setLookError(null);
    setError(null);
    setName('');
    setCompanyId(null);
    setDraft(EMPTY_DRAFT);
    setText('');
    setMode({ kind: 'new' });
    picker.reset();
    setKey(newDraftKey());
  };

  const files = (
    <Section title={t('app-files-title')}>
      <div className="section-body">
        <FilePicker picker={picker} name="files" />
      </div>
    </Section>
  );

  return (
    <div className="screen with-fallback-button" data-screen="call">
      <h1>{t('app-call-title')}</h1>
      <Section title={t('app-call-number')}>
        <form
          className="section-body call-number"
          onSubmit={(e) => {
            e.preventDefault();
            void lookUp(numberText);
          }}
        >
          <input
            type="tel"
            name="phone"
            inputMode="tel"
            autoComplete="off"
            aria-label={t('app-call-number')}
            placeholder={t('app-call-number-placeholder')}
            maxLength={64}
            value={numberText}
            onChange={(e) => {
              // The card is of the number looked up: another number waits for its own.
              setNumberText(e.target.value);
              setCaller(null);
            }}
            onPaste={(e) => {
              const pasted = e.clipboardData.getData('text');
              if (!pasted) return;
              e.preventDefault();
              setNumberText(pasted.trim());
              void lookUp(pasted);
            }}
          />
          <button type="submit" className="btn" data-action="look-up" disabled={!numberText.trim()}>
            {t('app-call-find')}
          </button>
        </form>
      </Section>

      {result ? (
        <div
          className="call-result"
          role="status"
          data-result={result.outcome}
          data-number={result.ticket.number}
        >
          <span>
            {t(result.outcome === 'created' ? 'app-call-created' : 'app-call-added', {
              number: String(result.ticket.number),
            })}
          </span>
          <div className="btn-row">
            <button
              type="button"
              className="btn secondary"
              onClick={() => navigate(`/t/${result.ticket.id}`)}
            >
              {t('app-call-open', { number: String(result.ticket.number) })}
            </button>
            <button type="button" className="btn secondary" data-action="next-call" onClick={nextCall}>
              {t('app-call-next')}
            </button>
          </div>
        </div>
      ) : null}

      {looking && !caller ? <Spinner /> : null}
      {lookError instanceof ApiError && lookError.status === 400 ? (
        <div className="error" role="alert" data-bad-number>
          {t('app-call-bad-number')}
        </div>
      ) : (
        <ErrorNote error={lookError} />
      )}

      {caller ? (
        <>
          <Section title={person ? t('app-call-caller') : t('app-call-unknown')}>
            <div className="cell caller-card" data-caller={person?.id ?? 'new'}>
              <div className="cell-main">
                <div className="cell-title">{person?.name ?? t('app-call-new-contact')}</div>
                <div className="cell-sub">
                  {[phoneText(caller.phone, caller.extension), person?.email].filter(Boolean).join(' · ')}
                </div>
              </div>
            </div>
            {caller.companies.map((c) => (
              <div key={c.id} className="cell" data-company={c.id}>
                <div className="cell-main">
                  <div className="cell-title">
                    {c.name}
                    {c.role === 'client_manager' ? ` · ${t('role-client_manager')}` : ''}
                  </div>
                  <div className="cell-sub" data-contract={c.contract?.active ? 'active' : 'none'}>
                    {c.contract
                      ? c.contract.active
                        ? t('app-call-contract', { name: c.contract.name })
                        : t('app-call-contract-ended', { name: c.contract.name })
                      : t('app-call-no-contract')}
                  </div>
                </div>
              </div>
            ))}
            {person === null ? (
              <div className="section-body call-contact">
                <input
                  name="name"
                  aria-label={t('app-call-name')}
                  placeholder={t('app-call-name')}
                  maxLength={200}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                />
              </div>
            ) : null}
            {pickCompany ? (
              <div className="section-body call-contact">
                <select
                  name="companyId"
                  aria-label={t('report-company')}
                  value={companyId ?? ''}
                  onChange={(e) => setCompanyId(e.target.value ? Number(e.target.value) : null)}
                >
                  <option value="">
                    {caller.companies.length > 1 ? t('app-choose') : t('app-call-no-company')}
                  </option>
                  {(caller.companies.length > 1 ? caller.companies : companies).map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </Section>

          {caller.openTickets.length > 0 ? (
            <Section title={t('app-call-open-tickets')}>
              {caller.openTickets.map((ticket) => (
                <div key={ticket.id} className="cell call-ticket" data-ticket={ticket.id}>
                  <div className="cell-main">
                    <div className="cell-title">
                      <span className="num">#{ticket.number}</span> {ticket.subject}
                    </div>
                    <div className="cell-sub">
                      <StatusBadge status={ticket.status} /> <PriorityBadge priority={ticket.priority} />
                    </div>
                  </div>
                  <button
                    type="button"
                    className="btn small secondary"
                    data-add-to={ticket.number}
                    aria-pressed={mode.kind === 'add' && mode.ticketId === ticket.id}
                    onClick={() => {
                      haptic.select();
                      setMode({ kind: 'add', ticketId: ticket.id, number: ticket.number });
                    }}
                  >
                    {t('app-call-add-to', { number: String(ticket.number) })}
                  </button>
                </div>
              ))}
            </Section>
          ) : null}

          {mode.kind === 'add' ? (
            <>
              <Section title={t('app-call-add-to', { number: String(mode.number) })}>
                <div className="section-body">
                  <textarea
                    name="text"
                    aria-label={t('app-call-what-said')}
                    placeholder={t('app-call-what-said')}
                    maxLength={MAX_DESCRIPTION}
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                  />
                  <button
                    type="button"
                    className="btn secondary"
                    data-action="new-instead"
                    onClick={() => setMode({ kind: 'new' })}
                  >
                    {t('app-call-new-instead')}
                  </button>
                </div>
              </Section>
              {files}
            </>
          ) : (
            <RequestFields
              draft={draft}
              onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
              descriptionPlaceholder={t('app-call-description-placeholder')}
            >
              {files}
            </RequestFields>
          )}
        </>
      ) : null}
      <ErrorNote error={error} reveal />
      <MainActionButton
        action={
          caller
            ? {
                text:
                  mode.kind === 'add'
                    ? t('app-call-add-to', { number: String(mode.number) })
                    : t('app-call-file'),
                onClick: () => void send(),
                busy,
                disabled: !ready,
              }
            : null
        }
      />
    </div>
  );
}

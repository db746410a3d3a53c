// The staff queue board: open work sorted by the SLA instant that runs out next, with filters.
import { useRef, useState } from 'react';
import type { CallbackEntry } from '../../../core/phone/calls.ts';
import { api } from '../api.ts';
import { dateTime, t } from '../i18n.ts';
import { useSession } from '../session.ts';
import { haptic } from '../telegram.ts';
import { LINES, type Line, type TicketSummary } from '../types.ts';
import {
  countdown,
  ErrorNote,
  FilterSelect,
  Section,
  Spinner,
  TicketRow,
  useCompanies,
  useLoad,
  useNow,
  useRefresh,
} from '../ui/common.tsx';
import { openTicket } from './MyTickets.tsx';

interface Filters {
  line: Line | '';
  categoryId: string;
  companyId: string;
  assigneeId: string;
}

let saved: Filters = { line: '', categoryId: '', companyId: '', assigneeId: '' };

export default function Board() {
  const { me, categories } = useSession();
  const [f, setF] = useState<Filters>(saved);
  saved = f;
  const key = JSON.stringify(f);
  const board = useLoad(
    (signal) =>
      api<{ tickets: TicketSummary[] }>('/api/board', {
        query: { ...f, assigneeId: f.assigneeId === 'me' ? me.id : f.assigneeId, limit: 200 },
        signal,
      }),
    key,
  );
  useRefresh(board.reload, 30_000);

  const companies = useCompanies();
  // Assignees seen so far, for the filter.
  const seen = useRef(new Map<number, string>());
  for (const x of board.data?.tickets ?? [])
    if (x.assigneeId !== null) seen.current.set(x.assigneeId, x.assigneeName ?? String(x.assigneeId));

  const set = (patch: Partial<Filters>) => {
    haptic.select();
    setF((old) => ({ ...old, ...patch }));
  };
  const at = useNow();
  const tickets = board.data?.tickets ?? [];
  const breached = tickets.filter((x) => countdown(x, at).tone === 'red').length;
  const soon = tickets.filter((x) => countdown(x, at).tone === 'amber').length;

  return (
    <div className="screen" data-screen="board">
      <h1>
        {t('app-board-title')}{' '}
        <span className="hint">{t('app-board-counts', { total: tickets.length, breached, soon })}</span>
      </h1>
      <div className="filters">
        <FilterSelect
          label={t('app-field-line')}
          name="line"
          value={f.line}
          all={t('app-all-lines')}
          options={LINES.map((l) => ({ value: l, label: t(`line-${l}`) }))}
          onChange={(v) => set({ line: v as Line | '' })}
        />
        <FilterSelect
          label={t('app-field-category')}
          name="categoryId"
          value={f.categoryId}
          all={t('app-all-categories')}
          options={categories.map((c) => ({ value: c.id, label: c.name }))}
          onChange={(v) => set({ categoryId: v })}
        />
        <FilterSelect
          label={t('report-company')}
          name="companyId"
          value={f.companyId}
          all={t('app-all-companies')}
          options={companies.map(({ id, name }) => ({ value: id, label: name }))}
          onChange={(v) => set({ companyId: v })}
        />
        <select
          aria-label={t('app-field-assignee')}
          name="assigneeId"
          value={f.assigneeId}
          onChange={(e) => set({ assigneeId: e.target.value })}
        >
          <option value="">{t('app-anyone')}</option>
          <option value="none">{t('staff-card-unassigned')}</option>
          <option value="me">{t('app-me')}</option>
          {[...seen.current]
            .filter(([id]) => id !== me.id)
            .map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
        </select>
      </div>
      <Callbacks />
      <ErrorNote error={board.error} />
      {board.loading && !board.data ? (
        <Spinner />
      ) : tickets.length === 0 ? (
        <div className="empty">{t('staff-queue-empty')}</div>
      ) : (
        <Section>
          {tickets.map((ticket) => (
            <TicketRow
              key={ticket.id}
              ticket={ticket}
              onOpen={openTicket}
              sub={[
                ticket.companyName ?? t('staff-card-unverified'),
                t(`line-${ticket.line}`),
                ticket.assigneeName,
              ]
                .filter(Boolean)
                .join(' · ')}
            />
          ))}
        </Section>
      )}
    </div>
  );
}

/** Missed calls to return (GET /api/calls/callbacks), due first on top; shown only when there are some. */
function Callbacks() {
  const list = useLoad(
    (signal) => api<{ callbacks: CallbackEntry[] }>('/api/calls/callbacks', { signal }),
    'callbacks',
  );
  useRefresh(list.reload, 30_000);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const callbacks = list.data?.callbacks ?? [];
  if (callbacks.length === 0) return null;
  const done = async (callId: string) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/calls/${encodeURIComponent(callId)}/callback-done`, { method: 'POST' });
      haptic.success();
      list.reload();
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('app-callbacks-title')}>
      <ErrorNote error={error} />
      {callbacks.map((c) => (
        <div key={c.callId} className="cell" data-callback={c.callId}>
          <div className="cell-main">
            <div className="cell-title">
              {[c.personName ?? t('app-callback-unknown'), c.fromNumber].filter(Boolean).join(' · ')}
            </div>
            <div className="cell-sub">
              {[c.companyName, t('app-callback-due', { due: dateTime(c.dueAt, c.timeZone) })]
                .filter(Boolean)
                .join(' · ')}
            </div>
          </div>
          <button type="button" className="btn" disabled={busy} onClick={() => void done(c.callId)}>
            {t('app-callback-done')}
          </button>
        </div>
      ))}
    </Section>
  );
}

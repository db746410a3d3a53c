// A manager's view of the company's tickets (staff: all tickets), with filters, search and export.
import { useEffect, useRef, useState } from 'react';
import { api, download } from '../api.ts';
import { t } from '../i18n.ts';
import { useSession } from '../session.ts';
import { haptic } from '../telegram.ts';
import { browserTimeZone, zonedInstant } from '../time.ts';
import { PRIORITIES, STATUSES, type TicketSummary } from '../types.ts';
import {
  ErrorNote,
  FilterSelect,
  Section,
  Spinner,
  TicketRow,
  toast,
  useCompanies,
  useLoad,
} from '../ui/common.tsx';
import { openTicket } from './MyTickets.tsx';

interface Filters {
  status: string;
  priority: string;
  categoryId: string;
  requesterId: string;
  companyId: string;
  from: string;
  to: string;
  q: string;
}

interface Page {
  tickets: TicketSummary[];
  next: number | null;
}

const OPEN_WORK = 'new,open,in_progress,waiting_for_customer';
export const SEARCH_DELAY_MS = 300;
let saved: Filters = {
  status: '',
  priority: '',
  categoryId: '',
  requesterId: '',
  companyId: '',
  from: '',
  to: '',
  q: '',
};

function query(f: Filters) {
  const tz = browserTimeZone();
  return {
    status: f.status,
    priority: f.priority,
    categoryId: f.categoryId,
    requesterId: f.requesterId,
    companyId: f.companyId,
    from: f.from ? zonedInstant(f.from, '00:00', tz) : '',
    to: f.to ? zonedInstant(f.to, '00:00', tz) + 86_400_000 : '',
    q: f.q.trim(),
  };
}

export default function CompanyTickets() {
  const { me, categories } = useSession();
  const [f, setF] = useState<Filters>(saved);
  const [q, setQ] = useState(f.q);
  saved = f;
  // Search as one types: the list follows ~300 ms after the last key (Enter searches at once).
  useEffect(() => {
    if (q === f.q) return;
    const timer = setTimeout(() => setF((old) => ({ ...old, q })), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, f.q]);
  const [more, setMore] = useState<{ tickets: TicketSummary[]; next: number | null } | null>(null);
  const list = useLoad(async (signal) => {
    const page = await api<Page>('/api/tickets', { query: { ...query(f), limit: 50 }, signal });
    setMore(null);
    return page;
  }, JSON.stringify(f));

  const companies = useCompanies();
  // Requesters seen so far, for the filter.
  const seen = useRef(new Map<number, string>());
  const tickets = [...(list.data?.tickets ?? []), ...(more?.tickets ?? [])];
  for (const x of tickets) seen.current.set(x.requesterId, x.requesterName ?? String(x.requesterId));
  const next = more ? more.next : (list.data?.next ?? null);

  const set = (patch: Partial<Filters>) => {
    haptic.select();
    setF((old) => ({ ...old, ...patch }));
  };

  const loadMore = async () => {
    if (next === null) return;
    const page = await api<Page>('/api/tickets', { query: { ...query(f), limit: 50, before: next } });
    setMore((m) => ({ tickets: [...(m?.tickets ?? []), ...page.tickets], next: page.next }));
  };

  const exportAs = (format: 'csv' | 'xlsx') => {
    haptic.tap();
    download(`/api/tickets/export.${format}`, query(f), `tickets.${format}`).catch((e: unknown) =>
      toast(String(e)),
    );
  };

  return (
    <div className="screen" data-screen="company">
      <h1>{me.staff ? t('app-all-title') : t('app-company-title')}</h1>
      <form
        className="search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q });
        }}
      >
        <input
          type="search"
          name="q"
          enterKeyHint="search"
          aria-label={t('app-search')}
          placeholder={t('app-search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onBlur={() => q !== f.q && set({ q })}
        />
      </form>
      <div className="filters">
        <select
          aria-label={t('app-field-status')}
          name="status"
          value={f.status}
          onChange={(e) => set({ status: e.target.value })}
        >
          <option value="">{t('app-all-statuses')}</option>
          <option value={OPEN_WORK}>{t('app-filter-unfinished')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status-${s}`)}
            </option>
          ))}
        </select>
        <FilterSelect
          label={t('app-field-priority')}
          name="priority"
          value={f.priority}
          all={t('app-all-priorities')}
          options={PRIORITIES.map((p) => ({ value: p, label: t(`priority-${p}`) }))}
          onChange={(v) => set({ priority: v })}
        />
        <FilterSelect
          label={t('app-field-category')}
          name="categoryId"
          value={f.categoryId}
          all={t('app-all-categories')}
          options={categories.map((c) => ({ value: c.id, label: c.name }))}
          onChange={(v) => set({ categoryId: v })}
        />
        {companies.length > 1 || me.staff ? (
          <FilterSelect
            label={t('report-company')}
            name="companyId"
            value={f.companyId}
            all={t('app-all-companies')}
            options={companies.map(({ id, name }) => ({ value: id, label: name }))}
            onChange={(v) => set({ companyId: v })}
          />
        ) : null}
        <select
          aria-label={t('app-field-requester')}
          name="requesterId"
          value={f.requesterId}
          onChange={(e) => set({ requesterId: e.target.value })}
        >
          <option value="">{t('app-all-requesters')}</option>
          {[...seen.current].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <input
          type="date"
          name="from"
          aria-label={t('app-period-from')}
          value={f.from}
          onChange={(e) => set({ from: e.target.value })}
        />
        <input
          type="date"
          name="to"
          aria-label={t('app-period-to')}
          value={f.to}
          onChange={(e) => set({ to: e.target.value })}
        />
      </div>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? (
        <Spinner />
      ) : tickets.length === 0 ? (
        <div className="empty">{t('app-nothing-found')}</div>
      ) : (
        <Section>
          {tickets.map((ticket) => (
            <TicketRow
              key={ticket.id}
              ticket={ticket}
              onOpen={openTicket}
              sub={[ticket.requesterName, ticket.categoryName].filter(Boolean).join(' · ')}
            />
          ))}
        </Section>
      )}
      <div className="section-body btn-row">
        {next !== null ? (
          <button type="button" className="btn secondary" onClick={() => void loadMore()}>
            {t('app-more')}
          </button>
        ) : null}
        <button type="button" className="btn secondary" data-export="xlsx" onClick={() => exportAs('xlsx')}>
          {t('app-export-xlsx')}
        </button>
        <button type="button" className="btn secondary" data-export="csv" onClick={() => exportAs('csv')}>
          {t('app-export-csv')}
        </button>
      </div>
    </div>
  );
}

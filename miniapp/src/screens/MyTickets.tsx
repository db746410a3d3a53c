// A client's own requests, newest first, each with its SLA countdown.
import { useCallback, useState } from 'react';
import { api } from '../api.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { haptic } from '../telegram.ts';
import type { TicketSummary } from '../types.ts';
import {
  ErrorNote,
  MainActionButton,
  Section,
  Spinner,
  TicketRow,
  useLoad,
  useRefresh,
} from '../ui/common.tsx';

interface Page {
  tickets: TicketSummary[];
  next: number | null;
}

export function openTicket(id: number): void {
  haptic.tap();
  navigate(`/t/${id}`);
}

export function MyTickets() {
  const list = useLoad(
    (signal) => api<Page>('/api/tickets', { query: { mine: 1, limit: 50 }, signal }),
    'mine',
  );
  useRefresh(list.reload);
  const [more, setMore] = useState<TicketSummary[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const cursor = next === undefined ? (list.data?.next ?? null) : next;

  const loadMore = useCallback(async () => {
    if (cursor === null) return;
    const page = await api<Page>('/api/tickets', { query: { mine: 1, limit: 50, before: cursor } });
    setMore((m) => [...m, ...page.tickets]);
    setNext(page.next);
  }, [cursor]);

  const seen = new Set<number>();
  const tickets = [...(list.data?.tickets ?? []), ...more].filter((x) => !seen.has(x.id) && !!seen.add(x.id));
  return (
    <div className="screen with-fallback-button" data-screen="my">
      <h1>{t('app-my-title')}</h1>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? (
        <Spinner />
      ) : tickets.length === 0 ? (
        <div className="empty">{t('app-my-empty')}</div>
      ) : (
        <Section>
          {tickets.map((ticket) => (
            <TicketRow key={ticket.id} ticket={ticket} onOpen={openTicket} />
          ))}
        </Section>
      )}
      {cursor !== null && tickets.length > 0 ? (
        <div className="section-body">
          <button type="button" className="btn secondary wide" onClick={() => void loadMore()}>
            {t('app-more')}
          </button>
        </div>
      ) : null}
      <MainActionButton
        action={{
          text: t('app-new-request'),
          onClick: () => {
            haptic.tap('medium');
            navigate('/new');
          },
        }}
      />
    </div>
  );
}

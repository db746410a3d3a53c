// Small building blocks shared by the screens.
import { type ReactNode, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError, api, listOf } from '../api.ts';
import { duration, has, t } from '../i18n.ts';
import { inTelegram, type MainAction, useMainButton } from '../telegram.ts';
import type { Priority, Status, TicketSummary } from '../types.ts';

// --- time that ticks ---------------------------------------------------------------------------

let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribeNow(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time, re-rendering every second while mounted (one timer for the whole app). */
export function useNow(): number {
  return useSyncExternalStore(subscribeNow, () => now);
}

export const HOUR = 3_600_000;

export type Urgency = 'ok' | 'amber' | 'red' | 'paused' | 'none';

/** What a countdown says about a ticket at `at`: the clock that runs out next. */
export function countdown(ticket: TicketSummary, at: number): { text: string; tone: Urgency } {
  if (ticket.status === 'closed' || ticket.status === 'cancelled') return { text: '', tone: 'none' };
  const clock = ticket.next === 'first_response' ? ticket.sla.firstResponse : ticket.sla.resolution;
  if (clock.state === 'met' || clock.state === 'missed') return { text: '', tone: 'none' };
  if (clock.state === 'paused' || ticket.status === 'resolved' || ticket.status === 'waiting_for_customer')
    return { text: t('app-sla-paused'), tone: 'paused' };
  const left = ticket.dueAt - at;
  if (left <= 0 || clock.state === 'breached')
    return { text: t('app-sla-overdue', { over: duration(Math.max(0, -left)) }), tone: 'red' };
  const key = ticket.next === 'first_response' ? 'app-sla-answer-within' : 'app-sla-solve-within';
  return { text: t(key, { left: duration(left) }), tone: left < HOUR ? 'amber' : 'ok' };
}

export function Countdown({ ticket }: { ticket: TicketSummary }) {
  const at = useNow();
  const { text, tone } = countdown(ticket, at);
  if (!text) return null;
  return (
    <span className={`countdown ${tone}`} data-tone={tone} data-due={ticket.dueAt}>
      {text}
    </span>
  );
}

// --- badges and rows ---------------------------------------------------------------------------

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className="badge" data-status={status}>
      {t(`status-${status}`)}
    </span>
  );
}

export function PriorityBadge({ priority, short = true }: { priority: Priority; short?: boolean }) {
  return (
    <span className={`badge p-${priority}`} data-priority={priority}>
      {short ? priority : t(`priority-${priority}`)}
    </span>
  );
}

export function TicketRow({
  ticket,
  onOpen,
  sub,
}: {
  ticket: TicketSummary;
  onOpen: (id: number) => void;
  sub?: string;
}) {
  return (
    <button
      type="button"
      className="cell ticket-row"
      data-ticket={ticket.id}
      data-number={ticket.number}
      data-due={ticket.dueAt}
      onClick={() => onOpen(ticket.id)}
    >
      <div className="row-line">
        <span className="cell-title">
          <span className="num">#{ticket.number}</span> {ticket.subject}
        </span>
        <PriorityBadge priority={ticket.priority} />
      </div>
      <div className="row-line">
        <span className="cell-sub">
          <StatusBadge status={ticket.status} /> {sub ?? ticket.categoryName ?? ''}
        </span>
        <Countdown ticket={ticket} />
      </div>
    </button>
  );
}

export function Section({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <>
      {title ? <div className="section-title">{title}</div> : null}
      <div className="section">{children}</div>
    </>
  );
}

export function Cell({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="cell">
      <span className="cell-label">{label}</span>
      <span className="cell-value">{children}</span>
    </div>
  );
}

export function Spinner() {
  return <div className="spinner" role="progressbar" />;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const key = `error-${e.code}`;
    return has(key) ? t('app-error', { reason: t(key) }) : t('app-error', { reason: e.message });
  }
  return t('app-error', { reason: e instanceof Error ? e.message : String(e) });
}

/** An error line; with `reveal`, scrolled into sight when it appears (a long form's Save is far below it). */
export function ErrorNote({ error, reveal = false }: { error: unknown; reveal?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (reveal && error) ref.current?.scrollIntoView({ block: 'center' });
  }, [error, reveal]);
  if (!error) return null;
  return (
    <div ref={ref} className="error" role="alert">
      {errorText(error)}
    </div>
  );
}

// --- the main action: Telegram's Main Button, or our own outside Telegram ---------------------

export function MainActionButton({ action }: { action: MainAction | null }) {
  useMainButton(action);
  if (inTelegram || !action) return null;
  return (
    <div className="fallback-main">
      <button
        type="button"
        className="btn wide"
        data-main-button
        disabled={action.disabled || action.busy}
        onClick={action.onClick}
      >
        {action.text}
      </button>
    </div>
  );
}

export function Choices<T extends string>({
  options,
  value,
  onChange,
  label,
  name,
}: {
  options: readonly T[];
  value: T | null;
  onChange: (v: T) => void;
  label: (v: T) => string;
  name: string;
}) {
  return (
    <div className="choices" role="radiogroup" data-name={name}>
      {options.map((o) => (
        <button
          key={o}
          type="button"
          className="choice"
          aria-pressed={value === o}
          data-value={o}
          onClick={() => onChange(o)}
        >
          {label(o)}
        </button>
      ))}
    </div>
  );
}

// --- loading data ------------------------------------------------------------------------------

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `key` changes (and on reload); ignores answers that arrive after a newer request. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key and tick are the triggers by design
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(ctl.signal).then(
      (data) => {
        if (!ctl.signal.aborted) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (!ctl.signal.aborted) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => ctl.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** Refreshes when the app comes back to the foreground and every `ms` while visible. */
export function useRefresh(reload: () => void, ms = 60_000): void {
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') reload();
    };
    document.addEventListener('visibilitychange', onVisible);
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, ms);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      clearInterval(id);
    };
  }, [reload, ms]);
}

// --- a short message on top ----------------------------------------------------------------------

let toastText: string | null = null;
const toastListeners = new Set<() => void>();
let toastTimer: ReturnType<typeof setTimeout> | null = null;

export function toast(text: string): void {
  toastText = text;
  for (const l of toastListeners) l();
  if (toastTimer) clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toastText = null;
    for (const l of toastListeners) l();
  }, 3500);
}

function subscribeToast(listener: () => void): () => void {
  toastListeners.add(listener);
  return () => toastListeners.delete(listener);
}

export function Toast() {
  const text = useSyncExternalStore(subscribeToast, () => toastText);
  if (!text) return null;
  return (
    <div className="toast" role="status">
      {text}
    </div>
  );
}

// --- companies the person may pick in filters -------------------------------------------------------

export interface CompanyOption {
  id: number;
  name: string;
}

let companiesRequest: Promise<CompanyOption[]> | null = null;

/** GET /api/companies once per launch: the companies this person may filter and report by. */
export function useCompanies(): CompanyOption[] {
  const [list, setList] = useState<CompanyOption[]>([]);
  useEffect(() => {
    let live = true;
    companiesRequest ??= api<unknown>('/api/companies')
      .then((body) => listOf<CompanyOption>(body))
      .catch(() => {
        companiesRequest = null;
        return [];
      });
    void companiesRequest.then((l) => live && setList(l));
    return () => {
      live = false;
    };
  }, []);
  return list;
}

/** A list filter: "all" first, then the choices; the value is '' for all. */
export function FilterSelect<V extends string | number>({
  label,
  name,
  value,
  all,
  options,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  all: string;
  options: readonly { value: V; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <select aria-label={label} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{all}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

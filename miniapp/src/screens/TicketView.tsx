// One ticket: its state and SLA, the moves the person may make, the timeline and a comment box.
import { useState } from 'react';
import { ApiError, api } from '../api.ts';
import { dateTime, duration, t, ticketTime, time, zoneNote } from '../i18n.ts';
import { useSession } from '../session.ts';
import { haptic } from '../telegram.ts';
import type { Comment, TicketDetail, TicketEvent, TicketPage } from '../types.ts';
import { Attachments } from '../ui/Attachments.tsx';
import {
  Cell,
  Countdown,
  ErrorNote,
  MainActionButton,
  PriorityBadge,
  Section,
  Spinner,
  StatusBadge,
  toast,
  useLoad,
  useRefresh,
} from '../ui/common.tsx';
import { FilePicker, useFilePicker } from '../ui/FilePicker.tsx';
import { type Act, ActionButtons, ActionForm, availableActions } from './actions.tsx';

type Item = { at: number; key: string; event?: TicketEvent; comment?: Comment };

const seq = (i: Item) => i.event?.id ?? i.comment?.id ?? 0;
const kind = (i: Item) => (i.event ? 0 : 1);

const DETAIL_KEYS = ['priority', 'reason', 'question', 'answer', 'resolution', 'note', 'rating'] as const;

/** A call in the history (core/phone/calls.ts): who answered and for how long, or that it was missed. */
function callText(data: Record<string, unknown>): string {
  if (data.answered !== true) return t('app-event-call-missed');
  const seconds = typeof data.durationSeconds === 'number' ? data.durationSeconds : 0;
  const who = typeof data.answeredBy === 'string' ? data.answeredBy : null;
  const length = duration(seconds * 1000);
  return who
    ? t('app-event-call-answered', { who, duration: length })
    : t('app-event-call-answered-unknown', { duration: length });
}

function eventText(e: TicketEvent): string {
  if (e.type === 'call') return callText(e.data ?? {});
  const own = `app-event-${e.type}`;
  const label = t(own) !== own ? t(own) : t(`event-${e.type}`);
  const details: string[] = [];
  for (const k of DETAIL_KEYS) {
    const v = e.data?.[k];
    if (v === null || v === undefined || v === '') continue;
    details.push(k === 'rating' ? '★'.repeat(Number(v)) : String(v));
  }
  const status = e.toStatus && e.fromStatus !== e.toStatus ? t(`status-${e.toStatus}`) : null;
  if (status && e.type !== 'created' && status !== label) details.unshift(status);
  return details.length ? `${label}: ${details.join(' · ')}` : label;
}

function Timeline({ page }: { page: TicketPage }) {
  const items: Item[] = [
    ...page.timeline
      .filter((e) => e.type !== 'comment' && e.type !== 'internal_note')
      .map((e) => ({ at: e.at, key: `e${e.id}`, event: e })),
    ...page.comments.map((c) => ({ at: c.createdAt, key: `c${c.id}`, comment: c })),
    // Same instant: the change before the words about it; each kind in the order it was written.
  ].sort((a, b) => a.at - b.at || kind(a) - kind(b) || seq(a) - seq(b));
  return (
    <ul className="timeline" data-timeline>
      {items.map((item) => {
        const internal = item.event?.internal ?? item.comment?.internal ?? false;
        const who = item.event ? item.event.actorName : item.comment?.authorName;
        return (
          <li
            key={item.key}
            className={internal ? 'internal' : undefined}
            data-internal={internal || undefined}
          >
            <div className="meta">
              {ticketTime(item.at, page.ticket.timeZone)} · {who ?? t('app-system')}
              {internal ? ` · ${t('app-internal')}` : ''}
            </div>
            {item.event ? <div>{eventText(item.event)}</div> : null}
            {item.comment ? (
              <>
                <div className="body">{item.comment.body}</div>
                <Attachments files={item.comment.attachments} />
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function CommentBox({ ticket, onSent }: { ticket: TicketDetail; onSent: () => void }) {
  const { me } = useSession();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const picker = useFilePicker();
  const closed = ticket.status === 'closed' || ticket.status === 'cancelled';
  if (closed && !me.staff) return null;
  const hasContent = body.trim() !== '' || picker.ids.length > 0;

  const send = async () => {
    if (!hasContent || busy) return;
    if (picker.uploading) {
      haptic.error();
      setError(new Error(t('app-file-wait')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api(`/api/tickets/${ticket.id}/comments`, {
        body: { body: body.trim(), internal, ...(picker.ids.length > 0 ? { uploads: picker.ids } : {}) },
      });
      haptic.success();
      setBody('');
      picker.reset();
      onSent();
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={internal ? t('app-note-title') : t('app-comment-title')}>
      <div className="section-body">
        <textarea
          name="comment"
          aria-label={t('app-comment-title')}
          placeholder={internal ? t('staff-prompt-note-placeholder') : t('app-comment-placeholder')}
          maxLength={4000}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        <FilePicker picker={picker} name="comment-files" />
        {me.staff ? (
          <label className="hint" style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 8 }}>
            <input
              type="checkbox"
              name="internal"
              checked={internal}
              onChange={(e) => setInternal(e.target.checked)}
            />
            {t('app-internal-note')}
          </label>
        ) : null}
        <ErrorNote error={error} />
      </div>
      <MainActionButton
        action={
          hasContent
            ? {
                text: internal ? t('app-send-note') : t('app-send-comment'),
                onClick: () => void send(),
                busy,
              }
            : null
        }
      />
    </Section>
  );
}

export default function TicketView({ id }: { id: number }) {
  const { me } = useSession();
  const page = useLoad((signal) => api<TicketPage>(`/api/tickets/${id}`, { signal }), String(id));
  useRefresh(page.reload);
  const [form, setForm] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  if (!page.data) return page.error ? <ErrorNote error={page.error} /> : <Spinner />;
  const { ticket } = page.data;
  const actions = availableActions(ticket);
  // A closed ticket the client may rate opens the rating at once.
  const openForm = form === undefined ? (actions.includes('rate') ? 'rate' : null) : form;

  const act: Act = async (body) => {
    setError(null);
    try {
      await api(`/api/tickets/${ticket.id}/actions`, {
        body: { ...body, expectedVersion: ticket.version },
      });
      haptic.success();
      toast(t('app-done'));
      setForm(undefined);
      page.reload();
      return true;
    } catch (e) {
      haptic.error();
      setError(e);
      if (e instanceof ApiError && e.code === 'stale') page.reload();
      return false;
    }
  };

  const tz = ticket.timeZone;
  const final = ticket.status === 'closed' || ticket.status === 'cancelled';
  return (
    <div className="screen with-fallback-button" data-screen="ticket" data-ticket={ticket.id}>
      <h1>
        <span className="num">#{ticket.number}</span> {ticket.subject}
      </h1>
      <Section>
        <Cell label={t('app-field-status')}>
          <StatusBadge status={ticket.status} />
        </Cell>
        <Cell label={t('app-field-priority')}>
          <PriorityBadge priority={ticket.priority} short={false} />
        </Cell>
        {final ? null : (
          <Cell label={t('app-field-sla')}>
            <Countdown ticket={ticket} />
            <div className="hint">{t('app-due-at', { due: ticketTime(ticket.dueAt, tz) })}</div>
          </Cell>
        )}
        {ticket.categoryName ? <Cell label={t('app-field-category')}>{ticket.categoryName}</Cell> : null}
        {me.staff || me.manages.length > 0 ? (
          <Cell label={t('app-field-requester')}>
            {ticket.requesterName}
            {ticket.companyName ? ` · ${ticket.companyName}` : ''}
          </Cell>
        ) : null}
        <Cell label={t('app-field-assignee')}>{ticket.assigneeName ?? t('staff-card-unassigned')}</Cell>
        {me.staff ? <Cell label={t('app-field-line')}>{t(`line-${ticket.line}`)}</Cell> : null}
        {me.staff ? (
          <Cell label={t('app-field-impact-urgency')}>
            {t(`impact-${ticket.impact}`)} · {t(`urgency-${ticket.urgency}`)}
          </Cell>
        ) : null}
        <Cell label={t('app-field-created')}>{ticketTime(ticket.createdAt, tz)}</Cell>
        {ticket.location ? <Cell label={t('app-field-location')}>{ticket.location}</Cell> : null}
        {ticket.visit ? (
          <Cell label={t('app-field-visit')}>
            {dateTime(ticket.visit.startsAt, tz)}–{time(ticket.visit.endsAt, tz)}
            {zoneNote(tz)}
          </Cell>
        ) : null}
        {ticket.rating ? (
          <Cell label={t('app-field-rating')}>
            <span data-rating={ticket.rating}>{'★'.repeat(ticket.rating)}</span>
            {ticket.ratingComment ? (
              <div className="hint pre" data-rating-comment>
                {ticket.ratingComment}
              </div>
            ) : null}
          </Cell>
        ) : null}
      </Section>

      <Section title={t('app-field-description')}>
        <div className="section-body pre">{ticket.description}</div>
      </Section>

      {page.data.attachments?.length ? (
        <Section title={t('app-files-title')}>
          <div className="section-body" data-ticket-files>
            <Attachments files={page.data.attachments} />
          </div>
        </Section>
      ) : null}

      {/* A reopened ticket's old resolution is history (in the timeline), not the answer. */}
      {ticket.resolutionText && (ticket.status === 'resolved' || ticket.status === 'closed') ? (
        <Section title={t('app-resolution-title')}>
          <div className="section-body pre">{ticket.resolutionText}</div>
          {actions.includes('confirm') && !me.staff ? (
            <div className="section-body">{t('app-solved-ask')}</div>
          ) : null}
        </Section>
      ) : null}

      {actions.length > 0 ? (
        <Section title={t('app-actions-title')}>
          {openForm ? (
            <ActionForm
              key={openForm}
              ticket={ticket}
              action={openForm}
              act={act}
              onClose={() => setForm(null)}
            />
          ) : (
            <div className="section-body">
              <ActionButtons ticket={ticket} actions={actions} onOpen={setForm} act={act} />
            </div>
          )}
          <ErrorNote error={error} />
        </Section>
      ) : null}

      <Section title={t('app-timeline-title')}>
        <Timeline page={page.data} />
      </Section>

      {openForm ? null : <CommentBox ticket={ticket} onSent={page.reload} />}
    </div>
  );
}

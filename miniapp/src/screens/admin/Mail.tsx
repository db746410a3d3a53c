// The e-mail channel for admins: its settings (MailSettings.tsx), the mailboxes the desk reads now, and the
// mail it held back — each with its sender, subject, reason and time, to open as the original .eml, take in
// again or dismiss. A decided mail leaves the list at once; a line says what became of it.
import { useState } from 'react';
import type { HeldMail, MailOverview, TakeAgainBody } from '../../../../api/routes/mail.ts';
import { ApiError, api, download } from '../../api.ts';
import { dateTime, number, t } from '../../i18n.ts';
import { haptic } from '../../telegram.ts';
import { ErrorNote, Section, Spinner, toast, useLoad } from '../../ui/common.tsx';
import MailSettings from './MailSettings.tsx';

type Action = 'take' | 'dismiss';
type DismissBody = { state: 'dismissed' };
/** The most held mails the API lists (api/routes/mail.ts): at that count there may be more. */
const HELD_SHOWN = 200;

/** The intake's reason ('unreadable', 'too_many_requests', 'refused: <why>') in the admin's words. */
export function reasonText(reason: string): string {
  if (reason === 'unreadable' || reason === 'too_many_requests') return t(`app-mail-reason-${reason}`);
  if (reason.startsWith('refused: ')) return t('app-mail-reason-refused', { detail: reason.slice(9) });
  return reason;
}

function doneText(body: TakeAgainBody | DismissBody): string {
  if (body.state === 'taken')
    return body.number === null
      ? t('app-mail-taken-nothing')
      : t('app-mail-taken', { number: String(body.number) });
  return 'reason' in body ? t(`app-mail-dropped-${body.reason}`) : t('app-mail-dismissed');
}

const kilobytes = (size: number) => t('app-mail-size', { kb: number(Math.max(0.1, size / 1024)) });

export default function Mail() {
  const list = useLoad((signal) => api<MailOverview>('/api/admin/mail', { signal }), 'mail');
  // Rows decided here leave at once, without waiting for the list to load again.
  const [gone, setGone] = useState<ReadonlySet<number>>(new Set());
  const [busy, setBusy] = useState<number | null>(null);
  const [note, setNote] = useState<{ text: string; failed: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const leave = (id: number) => setGone((g) => new Set(g).add(id));
  const act = async (mail: HeldMail, action: Action) => {
    if (busy !== null) return;
    haptic.tap();
    setBusy(mail.id);
    setNote(null);
    setError(null);
    try {
      const body = await api<TakeAgainBody | DismissBody>(`/api/admin/mail/quarantine/${mail.id}/${action}`, {
        method: 'POST',
      });
      haptic.success();
      const text = doneText(body);
      toast(text);
      setNote({ text, failed: false });
      leave(mail.id);
    } catch (e) {
      haptic.error();
      if (e instanceof ApiError && e.status === 409 && e.reason) {
        // Still not takeable: it stays held, with what the intake says now.
        setNote({ text: t('app-mail-still-held', { reason: reasonText(e.reason) }), failed: true });
      } else if (e instanceof ApiError && (e.status === 409 || e.status === 404)) {
        // Decided (or gone) elsewhere meanwhile: nothing left to do with it here.
        setNote({ text: t('app-mail-decided'), failed: true });
        leave(mail.id);
      } else setError(e);
    } finally {
      setBusy(null);
    }
  };
  const original = (mail: HeldMail) => {
    haptic.tap();
    download(`/api/admin/mail/quarantine/${mail.id}/original`, {}, `mail-${mail.id}.eml`).catch(
      (e: unknown) => setError(e),
    );
  };

  const data = list.data;
  if (!data) return list.error ? <ErrorNote error={list.error} /> : <Spinner />;
  const held = data.held.filter((m) => !gone.has(m.id));
  return (
    <div data-mail>
      {/* Saved settings start the channel again: the mailboxes read below follow. */}
      <MailSettings onSaved={list.reload} />

      <Section title={t('app-mail-mailboxes')}>
        {data.mailboxes.length === 0 ? (
          <div className="section-body hint" data-mail-unset style={{ fontSize: 14 }}>
            {t('app-mail-unset')}
          </div>
        ) : (
          data.mailboxes.map((box) => (
            <div key={box} className="cell" data-mailbox>
              <span style={{ overflowWrap: 'anywhere', minWidth: 0 }}>{box}</span>
            </div>
          ))
        )}
      </Section>

      <Section title={t('app-mail-held')}>
        <div className="section-body hint" style={{ fontSize: 14 }}>
          {t('app-mail-held-intro')}
        </div>
        {note ? (
          <div
            className="section-body"
            role="status"
            data-mail-note={note.failed ? 'failed' : 'done'}
            style={{
              borderTop: '0.5px solid var(--separator)',
              color: note.failed ? 'var(--destructive)' : 'var(--green)',
            }}
          >
            {note.text}
          </div>
        ) : null}
        <ErrorNote error={error} />
        {held.length === 0 ? (
          <div className="empty" data-mail-none style={{ borderTop: '0.5px solid var(--separator)' }}>
            {t('app-mail-none')}
          </div>
        ) : null}
        {held.map((mail) => (
          <div
            key={mail.id}
            className="section-body"
            data-held={mail.id}
            style={{ borderTop: '0.5px solid var(--separator)' }}
          >
            <div style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
              {mail.subject || t('app-mail-no-subject')}
            </div>
            <div className="cell-sub" style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
              {[mail.from ?? t('app-mail-no-sender'), dateTime(mail.receivedAt), kilobytes(mail.size)].join(
                ' · ',
              )}
            </div>
            <div
              data-reason={mail.reason}
              style={{ fontSize: 14, color: 'var(--amber)', margin: '4px 0 2px' }}
            >
              {t('app-mail-reason', { reason: reasonText(mail.reason) })}
            </div>
            {/* A link rather than a third button: two buttons fit one line of a phone. */}
            <button
              type="button"
              data-mail-action="original"
              onClick={() => original(mail)}
              style={{
                border: 0,
                background: 'none',
                padding: '6px 0',
                marginBottom: 6,
                color: 'var(--link)',
                fontSize: 14,
                cursor: 'pointer',
              }}
            >
              {t('app-mail-original')}
            </button>
            <div className="btn-row">
              <button
                type="button"
                className="btn"
                data-mail-action="take"
                disabled={busy !== null}
                onClick={() => void act(mail, 'take')}
              >
                {t('app-mail-take')}
              </button>
              <button
                type="button"
                className="btn destructive"
                data-mail-action="dismiss"
                disabled={busy !== null}
                onClick={() => void act(mail, 'dismiss')}
              >
                {t('app-mail-dismiss')}
              </button>
            </div>
          </div>
        ))}
        {data.held.length >= HELD_SHOWN ? (
          <div className="section-body hint">{t('app-mail-more', { count: HELD_SHOWN })}</div>
        ) : null}
      </Section>
    </div>
  );
}

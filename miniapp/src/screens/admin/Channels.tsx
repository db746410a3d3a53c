// The channels besides Telegram and mail, for admins: the website form (switch it off and on, its address and
// the snippet for a site) and the telephony webhook a PBX posts its calls to (rotate its token, with a confirm).
// The desk serves the Mini App, so the page's own origin is the desk's address.
import { useState } from 'react';
import { api } from '../../api.ts';
import { language, t } from '../../i18n.ts';
import { haptic } from '../../telegram.ts';
import { ErrorNote, Section, Spinner, toast, useLoad } from '../../ui/common.tsx';

/** GET/PATCH /api/admin/webform. */
interface Webform {
  enabled: boolean;
  key: string;
}
/** GET /api/admin/telephony, POST /api/admin/telephony/rotate. */
interface Webhook {
  token: string;
  path: string;
}

/** A read-only value with its copy button; if the clipboard is refused, the text is selected to copy by hand. */
function CopyField({ label, value, name, rows = 1 }: CopyFieldProps) {
  const select = (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => e.currentTarget.select();
  const copy = (e: { currentTarget: HTMLElement }) => {
    haptic.tap();
    const field = e.currentTarget.closest('.field')?.querySelector<HTMLInputElement>('input, textarea');
    const clipboard = navigator.clipboard as Clipboard | undefined;
    const fallback = () => {
      field?.focus();
      field?.select();
    };
    if (!clipboard) return fallback();
    clipboard.writeText(value).then(() => toast(t('app-copied')), fallback);
  };
  return (
    <div className="field">
      <span>{label}</span>
      {rows > 1 ? (
        <textarea
          readOnly
          value={value}
          data-copy-value={name}
          className="code"
          rows={rows}
          style={{ minHeight: 0, resize: 'none' }}
          onFocus={select}
        />
      ) : (
        <input readOnly value={value} data-copy-value={name} className="code" onFocus={select} />
      )}
      <div className="btn-row" style={{ marginTop: 8 }}>
        <button type="button" className="btn secondary small" data-copy={name} onClick={copy}>
          {t('app-copy')}
        </button>
      </div>
    </div>
  );
}
interface CopyFieldProps {
  label: string;
  value: string;
  name: string;
  /** Over 1: a text area of this many lines, so a long value shows whole. */
  rows?: number;
}

function WebformCard({ origin }: { origin: string }) {
  const load = useLoad((signal) => api<Webform>('/api/admin/webform', { signal }), 'webform');
  const [saved, setSaved] = useState<Webform | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const form = saved ?? load.data;
  const toggle = async (enabled: boolean) => {
    haptic.select();
    setBusy(true);
    setError(null);
    try {
      setSaved(await api<Webform>('/api/admin/webform', { method: 'PATCH', body: { enabled } }));
      haptic.success();
      toast(t(enabled ? 'app-channels-form-turned-on' : 'app-channels-form-turned-off'));
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('app-channels-form')}>
      {form ? (
        <div data-webform={form.enabled ? 'on' : 'off'}>
          <label className="cell">
            <span className="cell-main">{t('app-channels-form-enabled')}</span>
            <input
              type="checkbox"
              role="switch"
              aria-checked={form.enabled}
              className="switch"
              name="webformEnabled"
              checked={form.enabled}
              disabled={busy}
              onChange={(e) => void toggle(e.target.checked)}
            />
          </label>
          <div className="section-body hint" style={{ fontSize: 14, paddingTop: 0 }}>
            {t('app-channels-form-switch-hint')}
          </div>
          <div className="section-body" style={{ borderTop: '0.5px solid var(--separator)' }}>
            <CopyField
              label={t('app-channels-form-url')}
              value={`${origin}/form/${form.key}`}
              name="form-url"
            />
            <CopyField
              label={t('app-channels-form-embed')}
              value={`<script src="${origin}/form/${form.key}/embed.js" data-lang="${language()}" async></script>`}
              name="form-embed"
              rows={4}
            />
            <div className="hint" style={{ fontSize: 14 }}>
              {t('app-channels-form-embed-hint')}
            </div>
          </div>
        </div>
      ) : load.error ? null : (
        <Spinner />
      )}
      <ErrorNote error={error ?? load.error} />
    </Section>
  );
}

function TelephonyCard({ origin }: { origin: string }) {
  const load = useLoad((signal) => api<Webhook>('/api/admin/telephony', { signal }), 'telephony');
  const [rotated, setRotated] = useState<Webhook | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const hook = rotated ?? load.data;
  const rotate = async () => {
    setBusy(true);
    setError(null);
    try {
      setRotated(await api<Webhook>('/api/admin/telephony/rotate', { method: 'POST' }));
      haptic.success();
      toast(t('app-channels-cti-rotated'));
      setConfirming(false);
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('app-channels-cti')}>
      {hook ? (
        <div className="section-body" data-cti>
          <CopyField
            label={t('app-channels-cti-url')}
            value={`${origin}${hook.path}`}
            name="cti-url"
            rows={2}
          />
          <div className="hint" style={{ fontSize: 14, marginBottom: 12 }}>
            {t('app-channels-cti-hint')}
          </div>
          {confirming ? (
            <div data-cti-confirm>
              <div style={{ marginBottom: 8 }}>{t('app-channels-cti-rotate-confirm')}</div>
              <div className="btn-row">
                <button
                  type="button"
                  className="btn"
                  style={{ background: 'var(--destructive)', color: '#fff' }}
                  data-cti-rotate="yes"
                  disabled={busy}
                  onClick={() => void rotate()}
                >
                  {t('app-channels-cti-rotate-yes')}
                </button>
                <button
                  type="button"
                  className="btn secondary"
                  data-cti-rotate="no"
                  disabled={busy}
                  onClick={() => setConfirming(false)}
                >
                  {t('app-cancel')}
                </button>
              </div>
            </div>
          ) : (
            <button
              type="button"
              className="btn destructive"
              data-cti-rotate="ask"
              style={{ paddingLeft: 0 }}
              onClick={() => {
                haptic.tap();
                setConfirming(true);
              }}
            >
              {t('app-channels-cti-rotate')}
            </button>
          )}
        </div>
      ) : load.error ? null : (
        <Spinner />
      )}
      <ErrorNote error={error ?? load.error} />
    </Section>
  );
}

export default function Channels() {
  const origin = window.location.origin;
  return (
    <div data-channels>
      <WebformCard origin={origin} />
      <TelephonyCard origin={origin} />
    </div>
  );
}

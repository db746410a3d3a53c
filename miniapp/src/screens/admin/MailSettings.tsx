// The desk's mail settings in the admin's Mail section: the mailboxes it reads and the SMTP server it sends
// through, each as fields a phone's keyboard can fill (server, port, TLS, user, password, folder), and the
// From address. Passwords never come back from the API: a saved one shows as an empty field with a note,
// and an empty field sends `***`, which keeps it. "Check" logs in to each server with the form as it is.
// Set by the server's environment, the settings are only shown.
import { useState } from 'react';
import type { MailCheckItem, MailCheckResult, MailSettingsView } from '../../../../api/routes/mail.ts';
import { api } from '../../api.ts';
import { t } from '../../i18n.ts';
import { haptic } from '../../telegram.ts';
import { ErrorNote, Section, Spinner, toast, useLoad } from '../../ui/common.tsx';

/** What the API sends back in place of a saved password, and takes as "keep it". */
const KEPT = '***';
const MAX_MAILBOXES = 10;

interface Account {
  host: string;
  port: string;
  tls: boolean;
  user: string;
  password: string;
  /** The mailbox's folder (unused for SMTP). */
  folder: string;
  /** user@host whose password the desk keeps (null: none kept). */
  kept: string | null;
}

interface Form {
  mailboxes: Account[];
  smtp: Account;
  from: string;
}

type Field = 'host' | 'port' | 'user' | 'password' | 'from';
/** Problems by place: "mailboxes.0.host", "smtp.port", "from". */
type Problems = Record<string, string>;

const DEFAULT_PORT = { imap: { tls: '993', plain: '143' }, smtp: { tls: '465', plain: '587' } };

const decode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
const accountKey = (user: string, host: string) =>
  `${user.trim().toLowerCase()}@${host.trim().toLowerCase()}`;

/** A masked URL from the API as fields (parsed by hand: WebViews differ on URLs of other schemes). */
function accountOf(url: string | null, kind: 'imap' | 'smtp'): Account {
  const m = url
    ? /^(imaps?|smtps?):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?(?:\/([^?#]*))?/.exec(
        url,
      )
    : null;
  if (!m) return blank(kind);
  const tls = m[1]?.endsWith('s') ?? true;
  const user = decode(m[2] ?? '');
  const host = (m[4] ?? '').replace(/^\[(.*)\]$/, '$1');
  const kept = m[3] ? accountKey(user, host) : null;
  return {
    host,
    port: m[5] ?? DEFAULT_PORT[kind][tls ? 'tls' : 'plain'],
    tls,
    user,
    password: '',
    folder: decode(m[6] ?? '') || 'INBOX',
    kept,
  };
}

function blank(kind: 'imap' | 'smtp'): Account {
  return {
    host: '',
    port: DEFAULT_PORT[kind].tls,
    tls: true,
    user: '',
    password: '',
    folder: 'INBOX',
    kept: null,
  };
}

function formOf(view: MailSettingsView): Form {
  return {
    mailboxes: view.mailboxes.map((url) => accountOf(url, 'imap')),
    smtp: accountOf(view.smtp, 'smtp'),
    from: view.from ?? '',
  };
}

/** The saved password still applies: the same user and server as when it was saved. */
const keeps = (a: Account) => a.kept !== null && a.kept === accountKey(a.user, a.host);

function urlOf(a: Account, kind: 'imap' | 'smtp'): string {
  const scheme = `${kind}${a.tls ? 's' : ''}`;
  const host = a.host.trim().includes(':') ? `[${a.host.trim()}]` : a.host.trim();
  const user = a.user.trim();
  const password = a.password ? encodeURIComponent(a.password) : KEPT;
  const login = user ? `${encodeURIComponent(user)}:${password}@` : '';
  const path = kind === 'imap' ? `/${encodeURIComponent(a.folder.trim() || 'INBOX')}` : '';
  return `${scheme}://${login}${host}:${a.port.trim()}${path}`;
}

function problemsOf(form: Form): Problems {
  const problems: Problems = {};
  const account = (a: Account, at: string, needsUser: boolean) => {
    const put = (field: Field, key: string) => {
      problems[`${at}.${field}`] = t(key);
    };
    if (!/^[^\s/@?#]+$/.test(a.host.trim())) put('host', 'app-mail-settings-need-server');
    const port = Number(a.port.trim());
    if (!/^\d{1,5}$/.test(a.port.trim()) || port < 1 || port > 65535)
      put('port', 'app-mail-settings-need-port');
    if (needsUser && !a.user.trim()) put('user', 'app-mail-settings-need-user');
    if (a.user.trim() && !a.password && !keeps(a)) put('password', 'app-mail-settings-need-password');
  };
  form.mailboxes.forEach((a, i) => {
    account(a, `mailboxes.${i}`, true);
  });
  const sends = form.smtp.host.trim() !== '';
  if (sends) account(form.smtp, 'smtp', false);
  const from = form.from.trim();
  if ((sends || from) && !/^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(from))
    problems.from = t('app-mail-settings-need-from');
  return problems;
}

function bodyOf(form: Form) {
  const sends = form.smtp.host.trim() !== '';
  return {
    mailboxes: form.mailboxes.map((a) => urlOf(a, 'imap')),
    smtp: sends ? urlOf(form.smtp, 'smtp') : null,
    from: form.from.trim() || null,
  };
}

function CheckLine({ item }: { item: MailCheckItem | undefined }) {
  if (!item) return null;
  return (
    <div
      data-check={item.ok ? 'ok' : 'failed'}
      role="status"
      style={{
        fontSize: 14,
        margin: '0 0 10px',
        overflowWrap: 'anywhere',
        color: item.ok ? 'var(--green)' : 'var(--destructive)',
      }}
    >
      {item.ok
        ? t('app-mail-check-ok')
        : t('app-mail-check-failed', {
            reason: t(`app-mail-check-reason-${item.reason ?? 'other'}`),
          })}
      {!item.ok && item.detail ? <span className="hint">{` (${item.detail})`}</span> : null}
    </div>
  );
}

function AccountFields({
  kind,
  account,
  at,
  problems,
  onChange,
}: {
  kind: 'imap' | 'smtp';
  account: Account;
  at: string;
  problems: Problems;
  onChange: (a: Account) => void;
}) {
  const set = (patch: Partial<Account>) => onChange({ ...account, ...patch });
  const problem = (field: Field) => problems[`${at}.${field}`];
  const note = (field: Field) => {
    const text = problem(field);
    return text ? (
      <div className="error" data-problem={`${at}.${field}`} style={{ fontSize: 13, marginTop: 4 }}>
        {text}
      </div>
    ) : null;
  };
  const kept = keeps(account) && !account.password;
  return (
    <>
      <div style={{ display: 'flex', gap: 8 }}>
        <label className="field" style={{ flex: 3, minWidth: 0 }}>
          <span>{t('app-mail-settings-server')}</span>
          <input
            name="host"
            value={account.host}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            inputMode="url"
            placeholder={kind === 'imap' ? 'imap.example.ru' : 'smtp.example.ru'}
            aria-invalid={problem('host') ? true : undefined}
            onChange={(e) => set({ host: e.target.value })}
          />
          {note('host')}
        </label>
        <label className="field" style={{ flex: 1, minWidth: 72 }}>
          <span>{t('app-mail-settings-port')}</span>
          <input
            name="port"
            value={account.port}
            inputMode="numeric"
            aria-invalid={problem('port') ? true : undefined}
            onChange={(e) => set({ port: e.target.value })}
          />
          {note('port')}
        </label>
      </div>
      <label className="hint" style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 12 }}>
        <input
          type="checkbox"
          name="tls"
          checked={account.tls}
          onChange={(e) => {
            const tls = e.target.checked;
            const ports = DEFAULT_PORT[kind];
            // The usual port follows the switch; one typed by hand stays.
            const port =
              account.port === ports[tls ? 'plain' : 'tls'] ? ports[tls ? 'tls' : 'plain'] : account.port;
            set({ tls, port });
          }}
        />
        {t(kind === 'imap' ? 'app-mail-settings-tls' : 'app-mail-settings-smtp-tls')}
      </label>
      <label className="field">
        <span>{t('app-mail-settings-user')}</span>
        <input
          name="user"
          value={account.user}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem('user') ? true : undefined}
          onChange={(e) => set({ user: e.target.value })}
        />
        {note('user')}
      </label>
      <label className="field">
        <span>{t('app-mail-settings-password')}</span>
        <input
          name="password"
          type="password"
          value={account.password}
          autoComplete="new-password"
          placeholder={kept ? t('app-mail-settings-password-kept-placeholder') : ''}
          aria-invalid={problem('password') ? true : undefined}
          onChange={(e) => set({ password: e.target.value })}
        />
        {kept ? (
          <div className="hint" data-password-kept style={{ fontSize: 13, marginTop: 4 }}>
            {t('app-mail-settings-password-kept')}
          </div>
        ) : null}
        {note('password')}
      </label>
      {kind === 'imap' ? (
        <label className="field">
          <span>{t('app-mail-settings-folder')}</span>
          <input
            name="folder"
            value={account.folder}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            onChange={(e) => set({ folder: e.target.value })}
          />
        </label>
      ) : null}
    </>
  );
}

/** The settings in force, as the environment sets them: shown, not edited. */
function FromEnvironment({ view }: { view: MailSettingsView }) {
  const line = (label: string, value: string) => (
    <div className="cell" key={`${label}${value}`}>
      <div className="cell-main">
        <div className="cell-sub">{label}</div>
        <div style={{ overflowWrap: 'anywhere' }}>{value}</div>
      </div>
    </div>
  );
  return (
    <div data-mail-settings-environment>
      <div className="section-body hint" style={{ fontSize: 14 }}>
        {t('app-mail-settings-environment')}
      </div>
      {view.mailboxes.map((box) => line(t('app-mail-settings-mailbox-read'), box))}
      {view.smtp ? line(t('app-mail-settings-smtp'), view.smtp) : null}
      {view.from ? line(t('app-mail-settings-from'), view.from) : null}
    </div>
  );
}

export default function MailSettings({ onSaved }: { onSaved: () => void }) {
  const loaded = useLoad(
    (signal) => api<MailSettingsView>('/api/admin/mail/settings', { signal }),
    'mail-settings',
  );
  const view = loaded.data;
  if (!view)
    return (
      <Section title={t('app-mail-settings')}>
        {loaded.error ? <ErrorNote error={loaded.error} /> : <Spinner />}
      </Section>
    );
  // A new form for what was loaded or saved: the passwords typed are gone, the kept ones noted.
  return <SettingsForm key={JSON.stringify(view)} view={view} onSaved={onSaved} />;
}

function SettingsForm({ view: initial, onSaved }: { view: MailSettingsView; onSaved: () => void }) {
  const [view, setView] = useState(initial);
  const [form, setForm] = useState<Form>(() => formOf(initial));
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState<'save' | 'check' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [checked, setChecked] = useState<MailCheckResult | null>(null);
  const readOnly = view.source === 'environment';

  const valid = () => {
    const found = problemsOf(form);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      haptic.error();
      return false;
    }
    return true;
  };
  const save = async () => {
    if (busy || !valid()) return;
    haptic.tap();
    setBusy('save');
    setError(null);
    setChecked(null);
    try {
      const saved = await api<MailSettingsView>('/api/admin/mail/settings', {
        method: 'PUT',
        body: bodyOf(form),
      });
      haptic.success();
      toast(t('app-mail-settings-saved'));
      setView(saved);
      setForm(formOf(saved));
      onSaved();
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const check = async () => {
    if (busy || (!readOnly && !valid())) return;
    haptic.tap();
    setBusy('check');
    setError(null);
    setChecked(null);
    try {
      const result = await api<MailCheckResult>('/api/admin/mail/settings/check', {
        method: 'POST',
        ...(readOnly ? {} : { body: bodyOf(form) }),
      });
      const ok = result.mailboxes.every((m) => m.ok) && (result.smtp?.ok ?? true);
      if (ok) haptic.success();
      else haptic.error();
      setChecked(result);
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const nothing = readOnly
    ? view.mailboxes.length === 0 && view.smtp === null
    : form.mailboxes.length === 0 && form.smtp.host.trim() === '';

  const buttons = (
    <div className="section-body" style={{ borderTop: '0.5px solid var(--separator)' }}>
      <ErrorNote error={error} reveal />
      {checked && nothing ? <div className="hint">{t('app-mail-check-nothing')}</div> : null}
      {readOnly && checked ? (
        <>
          {checked.mailboxes.map((item) => (
            <CheckLine key={item.target} item={item} />
          ))}
          <CheckLine item={checked.smtp ?? undefined} />
        </>
      ) : null}
      <div className="btn-row">
        {readOnly ? null : (
          <button
            type="button"
            className="btn"
            data-mail-settings-action="save"
            disabled={busy !== null}
            onClick={() => void save()}
          >
            {busy === 'save' ? t('app-mail-settings-saving') : t('app-save')}
          </button>
        )}
        <button
          type="button"
          className="btn secondary"
          data-mail-settings-action="check"
          disabled={busy !== null || nothing}
          onClick={() => void check()}
        >
          {busy === 'check' ? t('app-mail-settings-checking') : t('app-mail-settings-check')}
        </button>
      </div>
    </div>
  );

  if (readOnly)
    return (
      <Section title={t('app-mail-settings')}>
        <div data-mail-settings="environment">
          <FromEnvironment view={view} />
          {buttons}
        </div>
      </Section>
    );

  const setMailbox = (i: number, a: Account) =>
    setForm({ ...form, mailboxes: form.mailboxes.map((m, j) => (j === i ? a : m)) });
  return (
    <Section title={t('app-mail-settings')}>
      <div data-mail-settings={view.source}>
        <div className="section-body hint" style={{ fontSize: 14 }}>
          {t('app-mail-settings-intro')}
        </div>
        {form.mailboxes.map((box, i) => (
          <div
            // Rows are only added at the end and removed whole: the index names a row well enough.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={i}
            className="section-body"
            data-mailbox-form={i}
            style={{ borderTop: '0.5px solid var(--separator)' }}
          >
            <div style={{ display: 'flex', alignItems: 'center', marginBottom: 8 }}>
              <div style={{ fontWeight: 600, flex: 1 }}>{t('app-mail-settings-mailbox', { n: i + 1 })}</div>
              <button
                type="button"
                className="btn destructive"
                data-mail-settings-action="remove"
                style={{ minHeight: 0, padding: '4px 0' }}
                onClick={() => {
                  haptic.tap();
                  setForm({ ...form, mailboxes: form.mailboxes.filter((_, j) => j !== i) });
                  setProblems({});
                  setChecked(null);
                }}
              >
                {t('app-mail-settings-remove')}
              </button>
            </div>
            <AccountFields
              kind="imap"
              account={box}
              at={`mailboxes.${i}`}
              problems={problems}
              onChange={(a) => setMailbox(i, a)}
            />
            <CheckLine item={checked?.mailboxes[i]} />
          </div>
        ))}
        <div className="section-body" style={{ borderTop: '0.5px solid var(--separator)' }}>
          {form.mailboxes.length === 0 ? (
            <div className="hint" style={{ fontSize: 14, marginBottom: 8 }}>
              {t('app-mail-settings-no-mailboxes')}
            </div>
          ) : null}
          <button
            type="button"
            className="btn secondary"
            data-mail-settings-action="add"
            disabled={form.mailboxes.length >= MAX_MAILBOXES}
            onClick={() => {
              haptic.tap();
              setForm({ ...form, mailboxes: [...form.mailboxes, blank('imap')] });
              setChecked(null);
            }}
          >
            {t('app-mail-settings-add-mailbox')}
          </button>
        </div>
        <div className="section-body" data-smtp-form style={{ borderTop: '0.5px solid var(--separator)' }}>
          <div style={{ fontWeight: 600, marginBottom: 4 }}>{t('app-mail-settings-smtp')}</div>
          <div className="hint" style={{ fontSize: 13, marginBottom: 8 }}>
            {t('app-mail-settings-smtp-hint')}
          </div>
          <AccountFields
            kind="smtp"
            account={form.smtp}
            at="smtp"
            problems={problems}
            onChange={(smtp) => setForm({ ...form, smtp })}
          />
          <CheckLine item={checked?.smtp ?? undefined} />
          <label className="field">
            <span>{t('app-mail-settings-from')}</span>
            <input
              name="from"
              value={form.from}
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              placeholder={t('app-mail-settings-from-placeholder')}
              aria-invalid={problems.from ? true : undefined}
              onChange={(e) => setForm({ ...form, from: e.target.value })}
            />
            {problems.from ? (
              <div className="error" data-problem="from" style={{ fontSize: 13, marginTop: 4 }}>
                {problems.from}
              </div>
            ) : null}
          </label>
        </div>
        {buttons}
      </div>
    </Section>
  );
}

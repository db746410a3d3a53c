// Set-up for admins: companies, contracts (SLA targets, calendar, priority matrix), business calendars
// with holidays, categories, people and their roles, invite links, mail, the website form and telephony.
// Plain forms against /api/admin/*.
import { type ReactNode, useState } from 'react';
import { api, listOf } from '../api.ts';
import { date, t } from '../i18n.ts';
import { navigate, routeQuery, useRoute } from '../router.ts';
import { haptic } from '../telegram.ts';
import { browserTimeZone, localDate, zonedInstant } from '../time.ts';
import { IMPACTS, PRIORITIES, type Priority, ROLES, type Role, URGENCIES } from '../types.ts';
import { ErrorNote, MainActionButton, Section, Spinner, toast, useLoad } from '../ui/common.tsx';
import { DurationInput } from '../ui/DurationInput.tsx';
import { useSubmit } from '../ui/use-submit.ts';
import Channels from './admin/Channels.tsx';
import DirectoryImport from './admin/DirectoryImport.tsx';
import Mail from './admin/Mail.tsx';
import Setup from './admin/Setup.tsx';

// The guided set-up comes first: it is what an admin of a new desk opens the admin area for.
const SECTIONS = [
  'setup',
  'companies',
  'contracts',
  'calendars',
  'categories',
  'people',
  'invites',
  'directory',
  'mail',
  'channels',
] as const;
type AdminSection = (typeof SECTIONS)[number];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CLIENT_ROLES: Role[] = ['client', 'client_manager'];

interface Company {
  id: number;
  name: string;
  emailDomain: string | null;
  phone: string | null;
}
interface Calendar {
  id: number;
  name: string;
  timeZone: string;
  week: Record<(typeof WEEKDAYS)[number], string[]>;
  exceptions: { date: string; name?: string; hours: string[] }[];
}
type Targets = Record<Priority, { firstResponse: number; resolution: number }>;
type Matrix = Record<(typeof IMPACTS)[number], Record<(typeof URGENCIES)[number], Priority>>;
interface Contract {
  id: number;
  companyId: number | null;
  name: string;
  startsAt: number;
  endsAt: number | null;
  calendarId: number | null;
  slaTargets: Targets;
  priorityMatrix: Matrix;
  autoCloseBusinessDays: number;
}
interface CategoryRow {
  id: number;
  code: string;
  nameRu: string;
  nameEn: string;
  sort: number;
  active: boolean;
}
interface Person {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  language: string;
  roles: { membershipId: number; role: Role; companyId: number | null; companyName: string | null }[];
}

const DEFAULT_TARGETS: Targets = {
  P1: { firstResponse: 15, resolution: 240 },
  P2: { firstResponse: 30, resolution: 480 },
  P3: { firstResponse: 120, resolution: 1440 },
  P4: { firstResponse: 480, resolution: 2880 },
};
const DEFAULT_MATRIX: Matrix = {
  company: { high: 'P1', medium: 'P2', low: 'P3' },
  department: { high: 'P2', medium: 'P3', low: 'P4' },
  person: { high: 'P3', medium: 'P4', low: 'P4' },
};

function useList<T>(path: string) {
  return useLoad((signal) => api<unknown>(path, { signal }).then((b) => listOf<T>(b)), path);
}

/** Saves with the Main Button: POST for a new row, PATCH for an existing one. */
function useSave(path: string, onSaved: () => void) {
  const { busy, error, submit } = useSubmit(onSaved);
  const save = (id: number | null, body: unknown) =>
    submit(() => api(id === null ? path : `${path}/${id}`, { method: id === null ? 'POST' : 'PATCH', body }));
  return { busy, error, save };
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

function Row({ title, sub, onClick }: { title: string; sub?: string; onClick: () => void }) {
  return (
    <button type="button" className="cell" onClick={onClick}>
      <div className="cell-main">
        <div className="cell-title">{title}</div>
        {sub ? <div className="cell-sub">{sub}</div> : null}
      </div>
      <span className="hint">›</span>
    </button>
  );
}

// --- companies -------------------------------------------------------------------------------------

function Companies() {
  const list = useList<Company>('/api/admin/companies');
  const [edit, setEdit] = useState<Company | 'new' | null>(null);
  const { busy, error, save } = useSave('/api/admin/companies', () => {
    setEdit(null);
    list.reload();
  });
  const current = edit === 'new' ? { id: 0, name: '', emailDomain: '', phone: '' } : edit;
  const [form, setForm] = useState({ name: '', emailDomain: '', phone: '' });
  const open = (c: Company | 'new') => {
    const v = c === 'new' ? { name: '', emailDomain: '', phone: '' } : c;
    setForm({ name: v.name, emailDomain: v.emailDomain ?? '', phone: v.phone ?? '' });
    setEdit(c);
  };
  if (current)
    return (
      <Section title={edit === 'new' ? t('app-admin-new-company') : current.name}>
        <div className="section-body">
          <Field label={t('app-admin-name')}>
            <input
              name="name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          </Field>
          <Field label={t('app-admin-email-domain')}>
            <input
              name="emailDomain"
              value={form.emailDomain}
              placeholder="example.com"
              onChange={(e) => setForm({ ...form, emailDomain: e.target.value })}
            />
          </Field>
          <Field label={t('app-admin-phone')}>
            <input
              name="phone"
              type="tel"
              value={form.phone}
              onChange={(e) => setForm({ ...form, phone: e.target.value })}
            />
          </Field>
          <ErrorNote error={error} reveal />
          <button type="button" className="btn secondary" onClick={() => setEdit(null)}>
            {t('app-cancel')}
          </button>
          <MainActionButton
            action={{
              text: t('app-save'),
              busy,
              disabled: !form.name.trim(),
              onClick: () =>
                void save(edit === 'new' ? null : current.id, {
                  name: form.name,
                  emailDomain: form.emailDomain || null,
                  phone: form.phone || null,
                }),
            }}
          />
        </div>
      </Section>
    );
  return (
    <>
      <ErrorNote error={list.error} />
      {list.data ? (
        <Section>
          {list.data.map((c) => (
            <Row
              key={c.id}
              title={c.name}
              sub={[c.emailDomain, c.phone].filter(Boolean).join(' · ')}
              onClick={() => open(c)}
            />
          ))}
        </Section>
      ) : (
        <Spinner />
      )}
      <MainActionButton action={{ text: t('app-admin-add'), onClick: () => open('new') }} />
    </>
  );
}

// --- calendars -----------------------------------------------------------------------------------------

/** "2026-11-04 Unity Day" is a holiday; "2026-12-31 09:00-15:00 Short day" a special day. */
function parseExceptions(text: string): Calendar['exceptions'] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [day = '', ...rest] = line.split(/\s+/);
      const hours = rest.filter((w) => /^\d\d:\d\d-\d\d:\d\d$/.test(w));
      const name = rest.filter((w) => !hours.includes(w)).join(' ');
      return { date: day, hours, ...(name ? { name } : {}) };
    });
}

function exceptionsText(list: Calendar['exceptions']): string {
  return list.map((e) => [e.date, ...e.hours, e.name ?? ''].join(' ').trim()).join('\n');
}

function Calendars() {
  const list = useList<Calendar>('/api/admin/calendars');
  const [edit, setEdit] = useState<Calendar | 'new' | null>(null);
  const { busy, error, save } = useSave('/api/admin/calendars', () => {
    setEdit(null);
    list.reload();
  });
  const [form, setForm] = useState({
    name: '',
    timeZone: '',
    week: {} as Record<string, string>,
    exceptions: '',
  });
  const open = (c: Calendar | 'new') => {
    const week: Record<string, string> = {};
    for (const d of WEEKDAYS)
      week[d] =
        c === 'new' ? (d === 'sat' || d === 'sun' ? '' : '09:00-18:00') : (c.week[d] ?? []).join(', ');
    setForm({
      name: c === 'new' ? '' : c.name,
      timeZone: c === 'new' ? browserTimeZone() : c.timeZone,
      week,
      exceptions: c === 'new' ? '' : exceptionsText(c.exceptions),
    });
    setEdit(c);
  };
  if (edit) {
    const body = () => ({
      name: form.name,
      timeZone: form.timeZone,
      week: Object.fromEntries(
        WEEKDAYS.map((d) => [
          d,
          (form.week[d] ?? '')
            .split(/[,\s]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        ]),
      ),
      exceptions: parseExceptions(form.exceptions),
    });
    return (
      <Section title={edit === 'new' ? t('app-admin-new-calendar') : edit.name}>
        <div className="section-body">
          <Field label={t('app-admin-name')}>
            <input
              name="name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          </Field>
          <Field label={t('app-admin-time-zone')}>
            <input
              name="timeZone"
              value={form.timeZone}
              onChange={(e) => setForm({ ...form, timeZone: e.target.value })}
            />
          </Field>
          {WEEKDAYS.map((d) => (
            <Field key={d} label={t(`app-weekday-${d}`)}>
              <input
                name={`week-${d}`}
                value={form.week[d] ?? ''}
                placeholder={t('app-admin-day-off')}
                onChange={(e) => setForm({ ...form, week: { ...form.week, [d]: e.target.value } })}
              />
            </Field>
          ))}
          <Field label={t('app-admin-exceptions')}>
            <textarea
              name="exceptions"
              value={form.exceptions}
              placeholder={t('app-admin-exceptions-hint')}
              onChange={(e) => setForm({ ...form, exceptions: e.target.value })}
            />
          </Field>
          <ErrorNote error={error} reveal />
          <button type="button" className="btn secondary" onClick={() => setEdit(null)}>
            {t('app-cancel')}
          </button>
          <MainActionButton
            action={{
              text: t('app-save'),
              busy,
              disabled: !form.name.trim(),
              onClick: () => void save(edit === 'new' ? null : edit.id, body()),
            }}
          />
        </div>
      </Section>
    );
  }
  return (
    <>
      <ErrorNote error={list.error} />
      {list.data ? (
        <Section>
          {list.data.map((c) => (
            <Row
              key={c.id}
              title={c.name}
              sub={`${c.timeZone} · ${t('app-admin-exceptions-count', { count: c.exceptions.length })}`}
              onClick={() => open(c)}
            />
          ))}
        </Section>
      ) : (
        <Spinner />
      )}
      <MainActionButton action={{ text: t('app-admin-add'), onClick: () => open('new') }} />
    </>
  );
}

// --- contracts -------------------------------------------------------------------------------------

function Contracts() {
  const list = useList<Contract>('/api/admin/contracts');
  const companies = useList<Company>('/api/admin/companies');
  const calendars = useList<Calendar>('/api/admin/calendars');
  const [edit, setEdit] = useState<Contract | 'new' | null>(null);
  const { busy, error, save } = useSave('/api/admin/contracts', () => {
    setEdit(null);
    list.reload();
  });
  const tz = browserTimeZone();
  const blank = {
    companyId: '',
    name: '',
    startsAt: localDate(Date.now(), tz),
    endsAt: '',
    calendarId: '',
    targets: DEFAULT_TARGETS,
    matrix: DEFAULT_MATRIX,
    autoClose: 3,
  };
  const [form, setForm] = useState(blank);
  const open = (c: Contract | 'new') => {
    setForm(
      c === 'new'
        ? blank
        : {
            companyId: c.companyId === null ? '' : String(c.companyId),
            name: c.name,
            startsAt: localDate(c.startsAt, tz),
            endsAt: c.endsAt === null ? '' : localDate(c.endsAt, tz),
            calendarId: c.calendarId === null ? '' : String(c.calendarId),
            targets: c.slaTargets,
            matrix: c.priorityMatrix,
            autoClose: c.autoCloseBusinessDays,
          },
    );
    setEdit(c);
  };
  const companyName = (id: number | null) =>
    id === null ? t('app-admin-no-company') : (companies.data?.find((c) => c.id === id)?.name ?? `#${id}`);
  if (edit) {
    const setTarget = (p: Priority, k: 'firstResponse' | 'resolution', v: number) =>
      setForm({ ...form, targets: { ...form.targets, [p]: { ...form.targets[p], [k]: v } } });
    const body = {
      companyId: form.companyId ? Number(form.companyId) : null,
      name: form.name,
      startsAt: zonedInstant(form.startsAt, '00:00', tz),
      endsAt: form.endsAt ? zonedInstant(form.endsAt, '00:00', tz) : null,
      calendarId: form.calendarId ? Number(form.calendarId) : null,
      slaTargets: form.targets,
      priorityMatrix: form.matrix,
      autoCloseBusinessDays: form.autoClose,
    };
    return (
      <Section title={edit === 'new' ? t('app-admin-new-contract') : edit.name}>
        <div className="section-body">
          <Field label={t('app-admin-name')}>
            <input
              name="name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          </Field>
          <Field label={t('report-company')}>
            <select
              name="companyId"
              value={form.companyId}
              onChange={(e) => setForm({ ...form, companyId: e.target.value })}
            >
              <option value="">{t('app-admin-no-company')}</option>
              {(companies.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <div className="dates">
            <Field label={t('app-admin-starts')}>
              <input
                type="date"
                name="startsAt"
                value={form.startsAt}
                onChange={(e) => setForm({ ...form, startsAt: e.target.value })}
              />
            </Field>
            <Field label={t('app-admin-ends')}>
              <input
                type="date"
                name="endsAt"
                value={form.endsAt}
                onChange={(e) => setForm({ ...form, endsAt: e.target.value })}
              />
            </Field>
          </div>
          <Field label={t('app-admin-calendar')}>
            <select
              name="calendarId"
              value={form.calendarId}
              onChange={(e) => setForm({ ...form, calendarId: e.target.value })}
            >
              <option value="">{t('app-admin-round-the-clock')}</option>
              {(calendars.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.timeZone})
                </option>
              ))}
            </select>
          </Field>
          <div className="field">
            <span>{t('app-admin-targets-time')}</span>
            <table>
              <thead>
                <tr>
                  <th />
                  <th>{t('app-first-response')}</th>
                  <th>{t('app-resolution')}</th>
                </tr>
              </thead>
              <tbody>
                {PRIORITIES.map((p) => (
                  <tr key={p}>
                    <td>{p}</td>
                    {(['firstResponse', 'resolution'] as const).map((k) => (
                      <td key={k}>
                        <DurationInput
                          name={`${p}-${k}`}
                          label={`${p} ${t(k === 'firstResponse' ? 'app-first-response' : 'app-resolution')}`}
                          minutes={form.targets[p][k]}
                          invalid={form.targets[p][k] < 1}
                          onChange={(v) => setTarget(p, k, v)}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {PRIORITIES.some((p) => form.targets[p].firstResponse < 1 || form.targets[p].resolution < 1) ? (
              <div className="error" role="alert" data-field-error="slaTargets">
                {t('app-admin-target-empty')}
              </div>
            ) : null}
          </div>
          <div className="field">
            <span>{t('app-admin-matrix')}</span>
            <table>
              <thead>
                <tr>
                  <th />
                  {URGENCIES.map((u) => (
                    <th key={u}>{t(`urgency-${u}`)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {IMPACTS.map((i) => (
                  <tr key={i}>
                    <td>{t(`impact-${i}`)}</td>
                    {URGENCIES.map((u) => (
                      <td key={u}>
                        <select
                          name={`${i}-${u}`}
                          aria-label={`${i} ${u}`}
                          value={form.matrix[i][u]}
                          onChange={(e) =>
                            setForm({
                              ...form,
                              matrix: {
                                ...form.matrix,
                                [i]: { ...form.matrix[i], [u]: e.target.value as Priority },
                              },
                            })
                          }
                        >
                          {PRIORITIES.map((p) => (
                            <option key={p} value={p}>
                              {p}
                            </option>
                          ))}
                        </select>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Field label={t('app-admin-auto-close')}>
            <input
              type="number"
              min={0}
              max={60}
              name="autoCloseBusinessDays"
              value={form.autoClose}
              onChange={(e) => setForm({ ...form, autoClose: Number(e.target.value) })}
            />
          </Field>
          <ErrorNote error={error} reveal />
          <button type="button" className="btn secondary" onClick={() => setEdit(null)}>
            {t('app-cancel')}
          </button>
          <MainActionButton
            action={{
              text: t('app-save'),
              busy,
              disabled: !form.name.trim() || !form.startsAt,
              onClick: () => void save(edit === 'new' ? null : edit.id, body),
            }}
          />
        </div>
      </Section>
    );
  }
  return (
    <>
      <ErrorNote error={list.error} />
      {list.data ? (
        <Section>
          {list.data.map((c) => (
            <Row
              key={c.id}
              title={c.name}
              sub={`${companyName(c.companyId)} · ${date(c.startsAt)}${c.endsAt ? ` — ${date(c.endsAt)}` : ''}`}
              onClick={() => open(c)}
            />
          ))}
        </Section>
      ) : (
        <Spinner />
      )}
      <MainActionButton action={{ text: t('app-admin-add'), onClick: () => open('new') }} />
    </>
  );
}

// --- categories -----------------------------------------------------------------------------------

function Categories() {
  const list = useList<CategoryRow>('/api/admin/categories');
  const [edit, setEdit] = useState<CategoryRow | 'new' | null>(null);
  const { busy, error, save } = useSave('/api/admin/categories', () => {
    setEdit(null);
    list.reload();
  });
  const [form, setForm] = useState({ code: '', nameRu: '', nameEn: '', sort: 0, active: true });
  const open = (c: CategoryRow | 'new') => {
    setForm(c === 'new' ? { code: '', nameRu: '', nameEn: '', sort: 0, active: true } : { ...c });
    setEdit(c);
  };
  if (edit)
    return (
      <Section title={edit === 'new' ? t('app-admin-new-category') : edit.code}>
        <div className="section-body">
          <Field label={t('app-admin-code')}>
            <input
              name="code"
              value={form.code}
              onChange={(e) => setForm({ ...form, code: e.target.value })}
            />
          </Field>
          <Field label={t('app-admin-name-ru')}>
            <input
              name="nameRu"
              value={form.nameRu}
              onChange={(e) => setForm({ ...form, nameRu: e.target.value })}
            />
          </Field>
          <Field label={t('app-admin-name-en')}>
            <input
              name="nameEn"
              value={form.nameEn}
              onChange={(e) => setForm({ ...form, nameEn: e.target.value })}
            />
          </Field>
          <Field label={t('app-admin-sort')}>
            <input
              type="number"
              name="sort"
              value={form.sort}
              onChange={(e) => setForm({ ...form, sort: Number(e.target.value) })}
            />
          </Field>
          <label className="hint" style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 12 }}>
            <input
              type="checkbox"
              name="active"
              checked={form.active}
              onChange={(e) => setForm({ ...form, active: e.target.checked })}
            />
            {t('app-admin-active')}
          </label>
          <ErrorNote error={error} reveal />
          <button type="button" className="btn secondary" onClick={() => setEdit(null)}>
            {t('app-cancel')}
          </button>
          <MainActionButton
            action={{
              text: t('app-save'),
              busy,
              disabled: !form.code.trim() || !form.nameRu.trim() || !form.nameEn.trim(),
              onClick: () =>
                void save(edit === 'new' ? null : edit.id, {
                  code: form.code,
                  nameRu: form.nameRu,
                  nameEn: form.nameEn,
                  sort: form.sort,
                  active: form.active,
                }),
            }}
          />
        </div>
      </Section>
    );
  return (
    <>
      <ErrorNote error={list.error} />
      {list.data ? (
        <Section>
          {list.data.map((c) => (
            <Row
              key={c.id}
              title={`${c.nameRu} / ${c.nameEn}`}
              sub={`${c.code}${c.active ? '' : ` · ${t('app-admin-inactive')}`}`}
              onClick={() => open(c)}
            />
          ))}
        </Section>
      ) : (
        <Spinner />
      )}
      <MainActionButton action={{ text: t('app-admin-add'), onClick: () => open('new') }} />
    </>
  );
}

// --- people and roles ---------------------------------------------------------------------------------

function RolePicker({
  companies,
  onPick,
  busy,
  label,
  initial,
}: {
  companies: Company[];
  onPick: (role: Role, companyId: number | null) => void;
  busy: boolean;
  label: string;
  /** The role to start with (the set-up checklist opens invites for a line: #/admin/invites?role=line1). */
  initial?: Role | undefined;
}) {
  const [role, setRole] = useState<Role>(initial ?? 'client');
  const [companyId, setCompanyId] = useState('');
  const needsCompany = CLIENT_ROLES.includes(role);
  return (
    <div className="section-body">
      <Field label={t('app-admin-role')}>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role-${r}`)}
            </option>
          ))}
        </select>
      </Field>
      {needsCompany ? (
        <Field label={t('report-company')}>
          <select name="companyId" value={companyId} onChange={(e) => setCompanyId(e.target.value)}>
            <option value="">{t('app-choose')}</option>
            {companies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <button
        type="button"
        className="btn"
        disabled={busy || (needsCompany && !companyId)}
        onClick={() => onPick(role, needsCompany ? Number(companyId) : null)}
      >
        {label}
      </button>
    </div>
  );
}

function People() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const list = useLoad(
    (signal) =>
      api<unknown>('/api/admin/people', { query: { q: search }, signal }).then((b) => listOf<Person>(b)),
    search,
  );
  const companies = useList<Company>('/api/admin/companies');
  const [openId, setOpenId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (path: string, method: string, body?: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await api(path, { method, body });
      haptic.success();
      list.reload();
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const person = list.data?.find((p) => p.id === openId);
  if (person)
    return (
      <>
        <Section title={person.name}>
          <div className="section-body hint">
            {[person.phone, person.email, person.language].filter(Boolean).join(' · ')}
          </div>
          {person.roles.map((r) => (
            <div key={r.membershipId} className="cell">
              <div className="cell-main">
                {t(`role-${r.role}`)}
                {r.companyName ? ` · ${r.companyName}` : ''}
              </div>
              <button
                type="button"
                className="btn destructive"
                disabled={busy}
                onClick={() => void run(`/api/admin/people/${person.id}/roles/${r.membershipId}`, 'DELETE')}
              >
                {t('app-admin-remove')}
              </button>
            </div>
          ))}
          <RolePicker
            companies={companies.data ?? []}
            busy={busy}
            label={t('app-admin-add-role')}
            onPick={(role, companyId) =>
              void run(`/api/admin/people/${person.id}/roles`, 'POST', { role, companyId })
            }
          />
          <ErrorNote error={error} reveal />
        </Section>
        <div className="section-body">
          <button type="button" className="btn secondary" onClick={() => setOpenId(null)}>
            {t('app-back')}
          </button>
        </div>
      </>
    );
  return (
    <>
      <form
        className="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q);
        }}
      >
        <input
          type="search"
          name="q"
          placeholder={t('app-search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </form>
      <ErrorNote error={list.error} />
      {list.data ? (
        <Section>
          {list.data.map((p) => (
            <Row
              key={p.id}
              title={p.name}
              sub={p.roles
                .map((r) => `${t(`role-${r.role}`)}${r.companyName ? ` (${r.companyName})` : ''}`)
                .join(', ')}
              onClick={() => setOpenId(p.id)}
            />
          ))}
        </Section>
      ) : (
        <Spinner />
      )}
    </>
  );
}

// --- invites -----------------------------------------------------------------------------------------

function Invites() {
  const companies = useList<Company>('/api/admin/companies');
  const asked = routeQuery(useRoute()).get('role');
  const initial = (ROLES as readonly string[]).includes(asked ?? '') ? (asked as Role) : undefined;
  const [link, setLink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const create = async (role: Role, companyId: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ code: string; link: string | null }>('/api/admin/invites', {
        body: { role, ...(companyId ? { companyId } : {}) },
      });
      haptic.success();
      setLink(res.link ?? res.code);
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('app-admin-invite-title')}>
      <RolePicker
        companies={companies.data ?? []}
        busy={busy}
        label={t('app-admin-invite-create')}
        onPick={create}
        initial={initial}
      />
      {link ? (
        <div className="section-body">
          <input readOnly value={link} data-invite-link onFocus={(e) => e.target.select()} />
          <div className="btn-row" style={{ marginTop: 8 }}>
            <button
              type="button"
              className="btn secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(link).then(() => toast(t('app-copied')));
              }}
            >
              {t('app-copy')}
            </button>
          </div>
        </div>
      ) : null}
      <ErrorNote error={error} />
    </Section>
  );
}

export default function Admin({ section }: { section: string | null }) {
  const current: AdminSection = (SECTIONS as readonly string[]).includes(section ?? '')
    ? (section as AdminSection)
    : 'setup';
  return (
    <div className="screen with-fallback-button" data-screen="admin">
      <h1>{t('app-admin-title')}</h1>
      <div className="tabs">
        {SECTIONS.map((s) => (
          <button
            key={s}
            type="button"
            data-section={s}
            aria-current={current === s ? 'page' : undefined}
            onClick={() => {
              haptic.select();
              navigate(s === 'setup' ? '/admin' : `/admin/${s}`, { replace: true });
            }}
          >
            {t(`app-admin-${s}`)}
          </button>
        ))}
      </div>
      {current === 'setup' ? <Setup sections={SECTIONS} /> : null}
      {current === 'companies' ? <Companies /> : null}
      {current === 'contracts' ? <Contracts /> : null}
      {current === 'calendars' ? <Calendars /> : null}
      {current === 'categories' ? <Categories /> : null}
      {current === 'people' ? <People /> : null}
      {current === 'invites' ? <Invites /> : null}
      {current === 'directory' ? <DirectoryImport /> : null}
      {current === 'mail' ? <Mail /> : null}
      {current === 'channels' ? <Channels /> : null}
    </div>
  );
}

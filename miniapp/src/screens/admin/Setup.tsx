// The admin's guided set-up: the checklist core keeps (GET /api/admin/setup) with progress, each line
// leading to where it is done — the desk's name and zone right here, the staff group and the Mini App's
// address as instructions (they are done in Telegram and the server's configuration), everything else in
// its admin section.
import { useState } from 'react';
import { api } from '../../api.ts';
import { t } from '../../i18n.ts';
import { navigate } from '../../router.ts';
import { haptic } from '../../telegram.ts';
import { ErrorNote, MainActionButton, Section, Spinner, useLoad } from '../../ui/common.tsx';
import { useSubmit } from '../../ui/use-submit.ts';

type ItemState = 'done' | 'todo' | 'later';

interface ChecklistItem {
  key: string;
  state: ItemState;
  facts: Record<string, string | number>;
}

interface Checklist {
  items: ChecklistItem[];
  done: number;
  total: number;
}

/** Russia's zones from west to east: where most desks are. The current value is added when elsewhere. */
export const COMMON_ZONES = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Yakutsk',
  'Asia/Vladivostok',
  'Asia/Magadan',
  'Asia/Kamchatka',
];

const ICON: Record<ItemState, string> = { done: '✅', todo: '⬜', later: '⏳' };

/** Lines whose work happens outside the admin sections: they open in place instead of navigating. */
const IN_PLACE = new Set(['desk', 'staff_group', 'miniapp']);

/** "GMT+3" for a zone now, so that a select of city names also says the offset. */
function offsetOf(zone: string): string {
  try {
    return (
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'shortOffset' })
        .formatToParts(Date.now())
        .find((p) => p.type === 'timeZoneName')?.value ?? ''
    );
  } catch {
    return '';
  }
}

function factsText(item: ChecklistItem): string {
  const f = item.facts;
  switch (item.key) {
    case 'desk':
      return f.name
        ? t('setup-fact-desk', { name: f.name, timeZone: f.timeZone ?? '' })
        : t('setup-fact-desk-unnamed', { timeZone: f.timeZone ?? '' });
    case 'staff_group':
      return f.title ? t('app-setup-fact-staff-group', { title: f.title }) : '';
    case 'line1':
    case 'line2':
    case 'field_engineer':
      return t('setup-fact-people', { people: f.people ?? 0, invites: f.invites ?? 0 });
    case 'company':
      return t('setup-fact-company', { companies: f.companies ?? 0, covered: f.covered ?? 0 });
    case 'clients':
      return t('setup-fact-clients', { people: f.people ?? 0, invites: f.invites ?? 0 });
    case 'miniapp':
      return f.url ? String(f.url) : '';
    default:
      return '';
  }
}

/** Where a line's tap leads in the admin area (null: it opens in place, or there is nothing to do yet). */
function targetOf(item: ChecklistItem, sections: readonly string[]): string | null {
  switch (item.key) {
    case 'line1':
    case 'line2':
    case 'field_engineer':
      // The invites section preselects the role, so one more tap makes the link to forward.
      return `/admin/invites?role=${item.key}`;
    case 'company':
      // The missing piece: a company first, then a contract (which names its calendar) that covers it.
      return Number(item.facts.companies ?? 0) > 0 && Number(item.facts.covered ?? 0) === 0
        ? '/admin/contracts'
        : '/admin/companies';
    case 'clients':
      // The directory import, when this build of the admin area has it; otherwise client invite links.
      return sections.includes('directory') ? '/admin/directory' : '/admin/invites?role=client';
    case 'email':
      // Mailboxes and the SMTP server are set in the Mail section.
      return sections.includes('mail') ? '/admin/mail' : null;
    default:
      return null;
  }
}

function DeskForm({ name, timeZone, onSaved }: { name: string; timeZone: string; onSaved: () => void }) {
  const [form, setForm] = useState({ name, timeZone });
  const { busy, error, submit } = useSubmit(onSaved);
  const zones = COMMON_ZONES.includes(timeZone) ? COMMON_ZONES : [timeZone, ...COMMON_ZONES];
  const named = form.name.trim() !== '';
  // A blank name is left out: an unnamed desk may still set its zone first.
  const save = () =>
    submit(() =>
      api('/api/admin/desk', {
        method: 'PATCH',
        body: { timeZone: form.timeZone, ...(named ? { name: form.name } : {}) },
      }),
    );
  return (
    <div className="section-body" data-desk-form>
      <label className="field">
        <span>{t('app-setup-desk-name')}</span>
        <input
          name="deskName"
          value={form.name}
          maxLength={100}
          placeholder={t('app-setup-desk-name-placeholder')}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
      </label>
      <label className="field">
        <span>{t('app-setup-time-zone')}</span>
        <select
          name="deskTimeZone"
          value={form.timeZone}
          onChange={(e) => setForm({ ...form, timeZone: e.target.value })}
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {`${z.replace(/_/g, ' ')} · ${offsetOf(z)}`}
            </option>
          ))}
        </select>
      </label>
      <div className="hint" style={{ fontSize: 13, marginBottom: 8 }}>
        {t('app-setup-time-zone-hint')}
      </div>
      <ErrorNote error={error} />
      <MainActionButton
        action={{
          text: t('app-save'),
          busy,
          // A named desk cannot be unnamed; an unnamed one may save its zone alone.
          disabled: !named && (name !== '' || form.timeZone === timeZone),
          onClick: () => void save(),
        }}
      />
    </div>
  );
}

export default function Setup({ sections }: { sections: readonly string[] }) {
  const list = useLoad(
    (signal) => api<{ checklist: Checklist }>('/api/admin/setup', { signal }).then((b) => b.checklist),
    'setup',
  );
  const [open, setOpen] = useState<string | null>(null);
  const checklist = list.data;
  if (!checklist) return list.error ? <ErrorNote error={list.error} /> : <Spinner />;
  const ready = checklist.done >= checklist.total;
  const tap = (item: ChecklistItem) => {
    haptic.select();
    const target = targetOf(item, sections);
    if (target) navigate(target, { replace: true });
    else setOpen(open === item.key ? null : item.key);
  };
  return (
    <div data-setup data-done={checklist.done} data-total={checklist.total}>
      <Section title={t('app-setup-title')}>
        <div className="section-body">
          <div data-setup-progress style={{ fontWeight: 600 }}>
            {t('setup-progress', { done: checklist.done, total: checklist.total })}
          </div>
          <div
            aria-hidden="true"
            style={{
              height: 6,
              borderRadius: 3,
              margin: '8px 0',
              background: 'var(--page-bg)',
              overflow: 'hidden',
            }}
          >
            <div
              style={{
                height: '100%',
                width: `${checklist.total ? (100 * checklist.done) / checklist.total : 0}%`,
                background: ready ? 'var(--green)' : 'var(--button)',
                transition: 'width 0.3s',
              }}
            />
          </div>
          <div className="hint" style={{ fontSize: 13 }} data-setup-ready={ready || undefined}>
            {ready ? t('app-setup-ready') : t('app-setup-tap')}
          </div>
        </div>
      </Section>
      <ErrorNote error={list.error} />
      <Section>
        {checklist.items.map((item, i) => {
          const facts = factsText(item);
          const expands = IN_PLACE.has(item.key);
          const tappable = item.state !== 'later' && (expands || targetOf(item, sections) !== null);
          const body = (
            <>
              <span role="img" aria-label={t(`app-setup-state-${item.state}`)} style={{ flex: 'none' }}>
                {ICON[item.state]}
              </span>
              <div className="cell-main">
                <div className="cell-title" style={{ whiteSpace: 'normal' }}>
                  {t(`setup-item-${item.key}`)}
                </div>
                {facts ? (
                  <div className="cell-sub" style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
                    {facts}
                  </div>
                ) : null}
              </div>
            </>
          );
          return (
            <div
              key={item.key}
              data-setup-item={item.key}
              data-state={item.state}
              style={i > 0 ? { borderTop: '0.5px solid var(--separator)' } : undefined}
            >
              {tappable ? (
                <button
                  type="button"
                  className="cell"
                  aria-expanded={expands ? open === item.key : undefined}
                  onClick={() => tap(item)}
                >
                  {body}
                  <span className="hint" style={{ flex: 'none' }}>
                    {expands ? (open === item.key ? '▾' : '▸') : '›'}
                  </span>
                </button>
              ) : (
                <div className="cell">{body}</div>
              )}
              {open === item.key && item.key === 'desk' ? (
                <DeskForm
                  name={String(item.facts.name ?? '')}
                  timeZone={String(item.facts.timeZone ?? '')}
                  onSaved={() => {
                    setOpen(null);
                    list.reload();
                  }}
                />
              ) : null}
              {open === item.key && item.key !== 'desk' ? (
                <div
                  className="section-body hint"
                  data-setup-how={item.key}
                  style={{ whiteSpace: 'pre-line', fontSize: 14 }}
                >
                  {t(`app-setup-how-${item.key}`)}
                </div>
              ) : null}
            </div>
          );
        })}
      </Section>
    </div>
  );
}

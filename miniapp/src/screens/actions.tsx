// The lifecycle moves a person may make on a ticket now (the API lists them in `ticket.actions`): a button
// each, and for the moves that need input a small form whose submit is the Main Button.
import { useEffect, useState } from 'react';
import { api, listOf } from '../api.ts';
import { dateTime, t, time, zoneNote } from '../i18n.ts';
import { useSession } from '../session.ts';
import { haptic } from '../telegram.ts';
import { addDays, localDate, zonedInstant } from '../time.ts';
import {
  IMPACTS,
  type Impact,
  LINES,
  type Line,
  PRIORITIES,
  type Priority,
  type TicketDetail,
  URGENCIES,
  type Urgency,
} from '../types.ts';
import { Choices, ErrorNote, MainActionButton } from '../ui/common.tsx';

type TextKey = 'reason' | 'question' | 'resolution' | 'comment' | 'note';
type Field =
  | 'impact'
  | 'urgency'
  | 'priority'
  | 'category'
  | 'line'
  | 'assignee'
  | 'slots'
  | 'slot'
  | 'rating';

interface Spec {
  fields: Field[];
  text?: TextKey;
  textRequired?: boolean;
}

export const SPECS: Record<string, Spec> = {
  triage: { fields: ['impact', 'urgency', 'category', 'line'] },
  reprioritize: { fields: ['impact', 'urgency', 'priority'], text: 'reason' },
  categorize: { fields: ['category'] },
  take: { fields: [] },
  assign: { fields: ['assignee'] },
  return_to_queue: { fields: [] },
  ask_customer: { fields: [], text: 'question', textRequired: true },
  resume: { fields: [] },
  escalate_line2: { fields: [], text: 'reason', textRequired: true },
  offer_visit: { fields: ['slots'] },
  pick_visit: { fields: ['slot'] },
  check_in: { fields: [] },
  check_out: { fields: [], text: 'note' },
  resolve: { fields: [], text: 'resolution', textRequired: true },
  confirm: { fields: [] },
  reopen: { fields: [], text: 'reason', textRequired: true },
  cancel: { fields: [], text: 'reason' },
  rate: { fields: ['rating'], text: 'comment' },
};

/** Moves shown as buttons, in this order; the others (auto_close, schedule_visit) are not the app's. */
const ORDER = [
  'confirm',
  'reopen',
  'rate',
  'pick_visit',
  'take',
  'triage',
  'resolve',
  'ask_customer',
  'assign',
  'reprioritize',
  'categorize',
  'escalate_line2',
  'offer_visit',
  'check_in',
  'check_out',
  'resume',
  'return_to_queue',
  'cancel',
];

export function availableActions(ticket: TicketDetail): string[] {
  return ORDER.filter((a) => ticket.actions.includes(a));
}

export type Act = (body: Record<string, unknown>) => Promise<boolean>;

export function ActionButtons({
  ticket,
  actions,
  onOpen,
  act,
}: {
  ticket: TicketDetail;
  actions: string[];
  onOpen: (action: string) => void;
  act: Act;
}) {
  if (actions.length === 0) return null;
  return (
    <div className="btn-row" data-actions={ticket.actions.join(' ')}>
      {actions.map((action) => {
        const spec = SPECS[action] as Spec;
        const direct = spec.fields.length === 0 && !spec.text;
        return (
          <button
            key={action}
            type="button"
            data-action={action}
            className={action === 'cancel' ? 'btn destructive' : 'btn secondary'}
            onClick={() => {
              haptic.tap();
              if (direct) void act({ action });
              else onOpen(action);
            }}
          >
            {t(`app-act-${action}`)}
          </button>
        );
      })}
    </div>
  );
}

/** Staff who work a line: whom the ticket can be assigned to. */
function usePeopleOfLine(line: Line, wanted: boolean) {
  const [people, setPeople] = useState<{ id: number; name: string }[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    api<unknown>('/api/staff', { query: { line } }).then(
      (body) => live && setPeople(listOf<{ id: number; name: string }>(body)),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [line, wanted]);
  return { people, failed };
}

const SLOT_HOURS = 2;

export function ActionForm({
  ticket,
  action,
  act,
  onClose,
}: {
  ticket: TicketDetail;
  action: string;
  act: Act;
  onClose: () => void;
}) {
  const { categories } = useSession();
  const spec = SPECS[action] as Spec;
  const has = (f: Field) => spec.fields.includes(f);
  const [impact, setImpact] = useState<Impact>(ticket.impact);
  const [urgency, setUrgency] = useState<Urgency>(ticket.urgency);
  const [priority, setPriority] = useState<Priority | null>(null);
  const [categoryId, setCategoryId] = useState<number | null>(ticket.categoryId);
  const [line, setLine] = useState<Line>(ticket.line);
  const [assigneeId, setAssigneeId] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [rating, setRating] = useState<number | null>(null);
  const [slotId, setSlotId] = useState<number | null>(null);
  const tomorrow = addDays(localDate(Date.now(), ticket.timeZone), 1);
  const [slots, setSlots] = useState<string[]>([`${tomorrow}T10:00`, '', '']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { people, failed } = usePeopleOfLine(ticket.line, has('assignee'));

  const filledSlots = slots.filter(Boolean).map((s) => {
    const [d = '', tm = ''] = s.split('T');
    const startsAt = zonedInstant(d, tm, ticket.timeZone);
    return { startsAt, endsAt: startsAt + SLOT_HOURS * 3_600_000 };
  });

  const ready =
    (!spec.textRequired || text.trim().length > 0) &&
    (!has('rating') || rating !== null) &&
    (!has('slot') || slotId !== null) &&
    (!has('assignee') || assigneeId !== null) &&
    (!has('slots') || filledSlots.length > 0) &&
    (action !== 'categorize' || (categoryId !== null && categoryId !== ticket.categoryId)) &&
    (action !== 'reprioritize' ||
      priority !== null ||
      impact !== ticket.impact ||
      urgency !== ticket.urgency);

  const submit = async () => {
    if (!ready || busy) return;
    const body: Record<string, unknown> = { action };
    if (has('impact')) body.impact = impact;
    if (has('urgency')) body.urgency = urgency;
    if (has('priority') && priority) body.priority = priority;
    if (has('category') && categoryId !== null) body.categoryId = categoryId;
    if (has('line')) body.line = line;
    if (has('assignee')) body.assigneeId = assigneeId;
    if (has('slot')) body.slotId = slotId;
    if (has('rating')) body.rating = rating;
    if (has('slots')) body.slots = filledSlots;
    if (spec.text && text.trim()) body[spec.text] = text.trim();
    setBusy(true);
    setError(null);
    const ok = await act(body).catch((e: unknown) => {
      setError(e);
      return false;
    });
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <div className="section-body" data-form={action}>
      {has('impact') ? (
        <div className="field">
          <span>{t('intake-field-impact')}</span>
          <Choices
            name="impact"
            options={IMPACTS}
            value={impact}
            onChange={setImpact}
            label={(v) => t(`impact-${v}`)}
          />
        </div>
      ) : null}
      {has('urgency') ? (
        <div className="field">
          <span>{t('intake-field-urgency')}</span>
          <Choices
            name="urgency"
            options={URGENCIES}
            value={urgency}
            onChange={setUrgency}
            label={(v) => t(`urgency-${v}`)}
          />
        </div>
      ) : null}
      {has('priority') ? (
        <div className="field">
          <span>{t('app-field-priority-override')}</span>
          <Choices
            name="priority"
            options={PRIORITIES}
            value={priority}
            onChange={(v) => setPriority(v === priority ? null : v)}
            label={(v) => v}
          />
        </div>
      ) : null}
      {has('category') ? (
        <label className="field">
          <span>{t('app-field-category')}</span>
          <select
            name="categoryId"
            value={categoryId ?? ''}
            onChange={(e) => setCategoryId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{t('staff-card-no-category')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {has('line') ? (
        <div className="field">
          <span>{t('app-field-line')}</span>
          <Choices
            name="line"
            options={LINES}
            value={line}
            onChange={setLine}
            label={(v) => t(`line-${v}`)}
          />
        </div>
      ) : null}
      {has('assignee') ? (
        <div className="field">
          <span>{t('app-field-assignee')}</span>
          {failed ? (
            <div className="hint">{t('app-assign-unavailable')}</div>
          ) : (
            <select
              name="assigneeId"
              aria-label={t('app-field-assignee')}
              value={assigneeId ?? ''}
              onChange={(e) => setAssigneeId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">{people ? t('app-choose') : t('app-loading')}</option>
              {(people ?? [])
                .filter((p) => p.id !== ticket.assigneeId)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </select>
          )}
        </div>
      ) : null}
      {has('slot') ? (
        <div className="field">
          <span>{t('app-field-slot')}</span>
          <Choices
            name="slot"
            options={ticket.offeredSlots.map((s) => String(s.id))}
            value={slotId === null ? null : String(slotId)}
            onChange={(v) => setSlotId(Number(v))}
            label={(v) => {
              const s = ticket.offeredSlots.find((x) => String(x.id) === v);
              return s
                ? `${dateTime(s.startsAt, ticket.timeZone)}–${time(s.endsAt, ticket.timeZone)}${zoneNote(ticket.timeZone)}`
                : v;
            }}
          />
        </div>
      ) : null}
      {has('slots') ? (
        <div className="field">
          <span>{t('app-field-slots', { hours: SLOT_HOURS, zone: ticket.timeZone })}</span>
          {slots.map((s, i) => (
            <input
              // biome-ignore lint/suspicious/noArrayIndexKey: three fixed inputs
              key={i}
              type="datetime-local"
              name={`slot${i}`}
              aria-label={t('app-field-slot-n', { n: i + 1 })}
              value={s}
              step={900}
              style={{ marginBottom: 6 }}
              onChange={(e) => setSlots((all) => all.map((x, j) => (j === i ? e.target.value : x)))}
            />
          ))}
        </div>
      ) : null}
      {has('rating') ? (
        <div className="field">
          <span>{t('app-field-rating')}</span>
          <div className="stars" role="radiogroup">
            {[1, 2, 3, 4, 5].map((n) => (
              <button
                key={n}
                type="button"
                data-star={n}
                aria-label={String(n)}
                aria-pressed={rating !== null && n <= rating}
                onClick={() => {
                  haptic.select();
                  setRating(n);
                }}
              >
                ★
              </button>
            ))}
          </div>
        </div>
      ) : null}
      {spec.text ? (
        <label className="field">
          <span>{t(`app-field-${spec.text}`)}</span>
          <textarea
            name={spec.text}
            value={text}
            maxLength={spec.text === 'reason' ? 1000 : 4000}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      ) : null}
      <ErrorNote error={error} />
      <div className="btn-row">
        <button type="button" className="btn secondary" onClick={onClose}>
          {t('app-cancel')}
        </button>
      </div>
      <MainActionButton
        action={{ text: t(`app-act-${action}`), onClick: () => void submit(), busy, disabled: !ready }}
      />
    </div>
  );
}

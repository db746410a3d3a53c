// The bot's questions for a new request as one set of form fields — category, description, how many people
// are affected, how urgent, where — for the client's new request and the operator's phone console alike.
import type { ReactNode } from 'react';
import { t } from '../i18n.ts';
import { useSession } from '../session.ts';
import { haptic } from '../telegram.ts';
import { IMPACTS, type Impact, URGENCIES, type Urgency } from '../types.ts';
import { Choices, Section } from './common.tsx';

export const MAX_DESCRIPTION = 4000;

export interface RequestDraft {
  categoryId: number | null;
  description: string;
  impact: Impact | null;
  urgency: Urgency | null;
  location: string;
}

export const EMPTY_DRAFT: RequestDraft = {
  categoryId: null,
  description: '',
  impact: null,
  urgency: null,
  location: '',
};

export function draftReady(d: RequestDraft): boolean {
  return d.description.trim().length > 0 && d.impact !== null && d.urgency !== null;
}

/** The draft as the API takes it (empty optional fields left out). */
export function draftBody(d: RequestDraft) {
  return {
    description: d.description.trim(),
    impact: d.impact,
    urgency: d.urgency,
    ...(d.categoryId ? { categoryId: d.categoryId } : {}),
    ...(d.location.trim() ? { location: d.location.trim() } : {}),
  };
}

/** `children` goes after the description (the files). */
export function RequestFields({
  draft,
  onChange,
  descriptionPlaceholder,
  children,
}: {
  draft: RequestDraft;
  onChange: (patch: Partial<RequestDraft>) => void;
  descriptionPlaceholder: string;
  children?: ReactNode;
}) {
  const { categories } = useSession();
  return (
    <>
      {/* A desk with no active category asks for none (1st line sorts the request). */}
      {categories.length > 0 && (
        <Section title={t('app-field-category')}>
          <div className="section-body">
            <Choices
              name="category"
              options={categories.map((c) => String(c.id))}
              value={draft.categoryId === null ? null : String(draft.categoryId)}
              onChange={(v) => {
                haptic.select();
                onChange({ categoryId: Number(v) === draft.categoryId ? null : Number(v) });
              }}
              label={(v) => categories.find((c) => String(c.id) === v)?.name ?? v}
            />
          </div>
        </Section>
      )}
      <Section title={t('app-field-description')}>
        <div className="section-body">
          <textarea
            name="description"
            aria-label={t('app-field-description')}
            placeholder={descriptionPlaceholder}
            maxLength={MAX_DESCRIPTION}
            value={draft.description}
            onChange={(e) => onChange({ description: e.target.value })}
          />
        </div>
      </Section>
      {children}
      <Section title={t('intake-impact')}>
        <div className="section-body">
          <Choices
            name="impact"
            options={IMPACTS}
            value={draft.impact}
            onChange={(v) => {
              haptic.select();
              onChange({ impact: v });
            }}
            label={(v) => t(`impact-${v}`)}
          />
        </div>
      </Section>
      <Section title={t('intake-urgency')}>
        <div className="section-body">
          <Choices
            name="urgency"
            options={URGENCIES}
            value={draft.urgency}
            onChange={(v) => {
              haptic.select();
              onChange({ urgency: v });
            }}
            label={(v) => t(`urgency-${v}`)}
          />
        </div>
      </Section>
      <Section title={t('app-field-location')}>
        <div className="section-body">
          <input
            name="location"
            aria-label={t('app-field-location')}
            placeholder={t('app-new-location-placeholder')}
            maxLength={500}
            value={draft.location}
            onChange={(e) => onChange({ location: e.target.value })}
          />
        </div>
      </Section>
    </>
  );
}

/** A fresh key for one form's submit: a Send repeated after a lost answer files once. */
export function newDraftKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random()}`.slice(0, 64);
}

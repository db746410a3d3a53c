// The client directory for admins: pick a CSV or XLSX, see what each row would do (new, changes, unchanged,
// or the reason it is refused), import with the Main Button — the server imports only the plan previewed
// here (it checks the preview's digest) and leaves the error rows out — and export the directory in the
// same format. On a narrow phone the table scrolls sideways in its own box; each row's reason or changes
// sit under its person, so they are read without scrolling.
import { type CSSProperties, useState } from 'react';
import type { DirectoryImportBody, DirectoryPreviewBody } from '../../../../api/routes/directory.ts';
import { ApiError, download, UploadError, upload } from '../../api.ts';
import { t } from '../../i18n.ts';
import { haptic } from '../../telegram.ts';
import { Choices, ErrorNote, MainActionButton, Section, Spinner, toast } from '../../ui/common.tsx';

type Row = DirectoryPreviewBody['rows'][number];
type Status = Row['status'];
const FILTERS = ['all', 'error', 'apply'] as const;
type Filter = (typeof FILTERS)[number];
const STATUSES: Status[] = ['new', 'changed', 'unchanged', 'error'];
/** A phone draws a few hundred rows without trouble; the counts cover the rest. */
const SHOWN = 300;
const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const TONE: Record<Status, CSSProperties> = {
  new: { background: 'var(--green)', color: '#fff' },
  changed: { background: 'var(--amber)', color: '#fff' },
  unchanged: {},
  error: { background: 'var(--destructive)', color: '#fff' },
};
/** Left-aligned (the shared table style is for figures). */
const CELL: CSSProperties = { textAlign: 'left', verticalAlign: 'top' };
const SHORT: CSSProperties = { ...CELL, whiteSpace: 'nowrap' };
/** A long e-mail breaks rather than widens the table past a phone's width. */
const PERSON: CSSProperties = { ...CELL, overflowWrap: 'anywhere' };

function Problem({ error }: { error: unknown }) {
  if (error instanceof UploadError)
    return (
      <div className="error" role="alert" data-directory-refused={error.reason}>
        {error.message}
      </div>
    );
  return <ErrorNote error={error} />;
}

function Counts({ counts }: { counts: DirectoryPreviewBody['counts'] }) {
  return (
    <div className="btn-row" style={{ padding: '12px 16px 10px' }}>
      {STATUSES.map((s) => (
        <span key={s} className="badge" style={TONE[s]} data-count={s}>
          {counts[s]} {t(`app-directory-count-${s}`)}
        </span>
      ))}
    </div>
  );
}

function what(r: Row): string {
  if (r.status === 'error') return r.reasons.map((x) => x.text).join('; ');
  if (r.status === 'changed')
    return t('app-directory-changes', {
      fields: r.changes.map((f) => t(`app-directory-field-${f}`)).join(', '),
    });
  return '';
}

function RowsTable({ rows }: { rows: Row[] }) {
  return (
    <div className="table-wrap">
      <table data-directory-rows>
        <thead>
          <tr>
            <th style={SHORT}>{t('app-directory-col-line')}</th>
            <th style={SHORT}>{t('app-directory-col-status')}</th>
            <th style={CELL}>{t('app-directory-col-company')}</th>
            <th style={CELL}>{t('app-directory-col-person')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, SHOWN).map((r) => (
            <tr key={r.line} data-line={r.line} data-status={r.status}>
              <td style={SHORT}>{r.line}</td>
              <td style={SHORT}>
                <span className="badge" style={TONE[r.status]}>
                  {t(`app-directory-status-${r.status}`)}
                </span>
              </td>
              <td style={CELL}>
                {r.company}
                {r.inn ? (
                  <div className="hint" style={{ whiteSpace: 'nowrap' }}>
                    {r.inn}
                  </div>
                ) : null}
              </td>
              <td style={PERSON}>
                {r.name}
                {r.phone || r.email ? (
                  <div className="hint">{[r.phone, r.email].filter(Boolean).join(' · ')}</div>
                ) : null}
                {/* What the row does wrong or changes, under the person: visible without scrolling. */}
                {what(r) ? (
                  <div
                    data-details
                    style={{
                      fontSize: 13,
                      color: r.status === 'error' ? 'var(--destructive)' : 'var(--amber)',
                    }}
                  >
                    {what(r)}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > SHOWN ? (
        <div className="hint" style={{ padding: '8px 16px' }}>
          {t('app-directory-more', { count: rows.length - SHOWN })}
        </div>
      ) : null}
    </div>
  );
}

export default function DirectoryImport() {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<DirectoryPreviewBody | null>(null);
  const [done, setDone] = useState<DirectoryImportBody | null>(null);
  const [busy, setBusy] = useState<'reading' | 'importing' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');

  const read = async (picked: File) => {
    setBusy('reading');
    setError(null);
    setPreview(null);
    setDone(null);
    try {
      setPreview(await upload<DirectoryPreviewBody>('/api/admin/directory/preview', picked));
      setFilter('all');
    } catch (e) {
      haptic.error();
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const runImport = async () => {
    if (!file || !preview || busy) return;
    setBusy('importing');
    setError(null);
    setNote(null);
    let previewAgain = false;
    try {
      const result = await upload<DirectoryImportBody>('/api/admin/directory/import', file, {
        confirm: preview.digest,
      });
      haptic.success();
      toast(t('app-saved'));
      setDone(result);
      setPreview(null);
    } catch (e) {
      haptic.error();
      // Someone changed the directory since the preview: show the file as it would go in now.
      if (e instanceof ApiError && e.code === 'stale') previewAgain = true;
      else setError(e);
    } finally {
      setBusy(null);
    }
    if (previewAgain) {
      await read(file);
      setNote(t('app-directory-stale'));
    }
  };

  const toWrite = preview ? preview.counts.new + preview.counts.changed : 0;
  const shown = (preview?.rows ?? []).filter(
    (r) =>
      filter === 'all' ||
      (filter === 'error' ? r.status === 'error' : r.status === 'new' || r.status === 'changed'),
  );

  return (
    <div data-directory>
      <Section title={t('app-admin-directory')}>
        <div className="section-body">
          <p className="hint" style={{ marginTop: 0 }}>
            {t('app-directory-intro')}
          </p>
          <label className="btn secondary" style={{ cursor: 'pointer' }}>
            {t('app-directory-pick')}
            <input
              type="file"
              accept={ACCEPT}
              data-directory-file
              style={{ display: 'none' }}
              onChange={(e) => {
                const picked = e.target.files?.[0];
                e.target.value = ''; // the same file again is a new pick
                if (!picked) return;
                haptic.tap();
                setFile(picked);
                setNote(null);
                void read(picked);
              }}
            />
          </label>
          {file ? (
            <div className="hint" style={{ marginTop: 8 }}>
              {t('app-directory-file-name', { name: file.name })}
            </div>
          ) : null}
          {busy === 'reading' ? (
            <div className="hint" style={{ marginTop: 8 }}>
              {t('app-directory-reading')}
            </div>
          ) : null}
        </div>
        <Problem error={error} />
        {note ? (
          <div className="section-body hint" role="status">
            {note}
          </div>
        ) : null}
      </Section>

      {busy === 'reading' ? <Spinner /> : null}

      {preview ? (
        <Section>
          <Counts counts={preview.counts} />
          {preview.ignoredColumns.length > 0 ? (
            <div className="hint" style={{ padding: '0 16px 8px' }}>
              {t('app-directory-ignored', { columns: preview.ignoredColumns.join(', ') })}
            </div>
          ) : null}
          <div style={{ padding: '0 12px 8px' }}>
            <Choices
              name="directory-filter"
              options={FILTERS}
              value={filter}
              onChange={setFilter}
              label={(f) => t(`app-directory-filter-${f}`)}
            />
          </div>
          <RowsTable rows={shown} />
          <div className="section-body hint" data-directory-summary>
            {toWrite === 0 ? t('app-directory-nothing') : null}
            {preview.counts.error > 0
              ? ` ${t('app-directory-skipped', { count: preview.counts.error })}`
              : null}
          </div>
        </Section>
      ) : null}

      {done ? (
        <Section>
          <div className="section-body" data-directory-done role="status">
            {t('app-directory-done', { ...done.written })}
          </div>
          <RowsTable rows={done.rows.filter((r) => r.status === 'new' || r.status === 'changed')} />
        </Section>
      ) : null}

      <Section title={t('app-directory-export')}>
        <div className="section-body">
          <p className="hint" style={{ marginTop: 0 }}>
            {t('app-directory-export-hint')}
          </p>
          <div className="btn-row">
            {(['csv', 'xlsx'] as const).map((type) => (
              <button
                key={type}
                type="button"
                className="btn secondary"
                data-directory-export={type}
                onClick={() => {
                  haptic.tap();
                  download(`/api/admin/directory/export.${type}`, {}, `directory.${type}`).catch(
                    (e: unknown) => setError(e),
                  );
                }}
              >
                {t(`app-directory-export-${type}`)}
              </button>
            ))}
          </div>
        </div>
      </Section>

      <MainActionButton
        action={
          preview && toWrite > 0
            ? {
                text: t('app-directory-import', { count: toWrite }),
                onClick: () => void runImport(),
                busy: busy === 'importing',
                disabled: busy !== null,
              }
            : null
        }
      />
    </div>
  );
}

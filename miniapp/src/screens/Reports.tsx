// Period reports: SLA compliance first, then tickets over time (uPlot, loaded only here), response and
// resolution times, engineers and ratings; export to XLSX/CSV or have the bot send the file to the chat.
import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { api, download } from '../api.ts';
import { date, minutesText, number, percent, t } from '../i18n.ts';
import { useSession } from '../session.ts';
import { haptic } from '../telegram.ts';
import { addDays, browserTimeZone, type Preset, presetPeriod, zonedInstant } from '../time.ts';
import { PRIORITIES, type ReportPage } from '../types.ts';
import {
  ErrorNote,
  MainActionButton,
  Section,
  Spinner,
  toast,
  useCompanies,
  useLoad,
} from '../ui/common.tsx';

const PRESETS: Preset[] = ['this_month', 'last_month', 'this_quarter', 'custom'];
const PRIORITY_COLORS = ['#e53935', '#fb8c00', '#1e88e5', '#8e8e93'];
const PALETTE = ['#1e88e5', '#43a047', '#fb8c00', '#8e24aa', '#00acc1', '#e53935', '#6d4c41', '#3949ab'];

interface Period {
  preset: Preset;
  /** Local dates, both days included. */
  from: string;
  last: string;
}

function periodOf(preset: Exclude<Preset, 'custom'>, tz: string): Period {
  const p = presetPeriod(preset, Date.now(), tz);
  return { preset, from: p.from, last: addDays(p.to, -1) };
}

let saved: { period: Period; companyId: string } | null = null;

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

interface Series {
  name: string;
  color: string;
  values: number[];
}

/** Stacked bars by day (or week): each series drawn from zero to its running total, tallest first. */
function Chart({ title, days, series }: { title: string; days: string[]; series: Series[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: uPlot | null = null;
    let live = true;
    let observer: ResizeObserver | null = null;
    // A chart library that fails to load leaves the figures in the tables above: nothing else to do.
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      const el = box.current;
      if (!live || !el) return;
      const hint = cssColor('--tg-theme-hint-color', '#8e8e93');
      const grid = cssColor('--tg-theme-section-separator-color', 'rgba(128,128,128,0.2)');
      const axis = { stroke: hint, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
      const stacked: number[][] = [];
      let running = days.map(() => 0);
      for (const s of series) {
        running = running.map((v, i) => v + (s.values[i] ?? 0));
        stacked.push(running);
      }
      const order = series.map((_, i) => i).reverse();
      const label = new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'ru-RU', {
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      });
      const size = () => ({ width: Math.max(240, el.clientWidth - 8), height: 200 });
      const opts: uPlot.Options = {
        ...size(),
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
          y: { range: (_u, _min, max) => [0, Math.max(2, Math.ceil(max * 1.1))] },
        },
        axes: [
          { ...axis, values: (_u, splits) => splits.map((v) => label.format(v * 1000)) },
          { ...axis, size: 36, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] },
        ],
        series: [
          {},
          ...order.map((i) => ({
            label: series[i]?.name,
            stroke: series[i]?.color,
            fill: series[i]?.color,
            width: 0,
            paths: UPlot.paths.bars?.({ size: [0.7, 24], gap: 1 }),
            points: { show: false },
          })),
        ],
      };
      plot = new UPlot(opts, [xs, ...order.map((i) => stacked[i] ?? [])], el);
      observer = new ResizeObserver(() => plot?.setSize(size()));
      observer.observe(el);
    });
    return () => {
      live = false;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [days, series]);
  return (
    <Section title={title}>
      <div
        className="chart"
        ref={box}
        data-chart={title}
        data-days={days.length}
        data-sum={series.reduce((n, x) => n + x.values.reduce((a, b) => a + b, 0), 0)}
      />
      <div className="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i style={{ background: s.color }} />
            {s.name}
          </span>
        ))}
      </div>
    </Section>
  );
}

function Kpi({
  name,
  value,
  label,
  raw,
}: {
  name: string;
  value: string;
  label: string;
  raw: number | null;
}) {
  return (
    <div className="kpi" data-kpi={name} data-value={raw ?? ''}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

export default function Reports() {
  const { me } = useSession();
  const tz = browserTimeZone();
  const initial = saved ?? {
    period: periodOf('this_month', tz),
    companyId: me.staff ? '' : String(me.manages[0] ?? ''),
  };
  const [period, setPeriod] = useState<Period>(initial.period);
  const [companyId, setCompanyId] = useState(initial.companyId);
  saved = { period, companyId };
  const companies = useCompanies();
  const valid = period.from !== '' && period.last !== '' && period.last >= period.from;
  const from = valid ? zonedInstant(period.from, '00:00', tz) : 0;
  const to = valid ? zonedInstant(addDays(period.last, 1), '00:00', tz) : 0;
  const query = { from, to, companyId, tz };
  const data = useLoad(
    (signal) =>
      valid
        ? api<ReportPage>('/api/reports', { query, signal })
        : Promise.reject(new Error(t('app-period-invalid'))),
    JSON.stringify(query),
  );
  const [sending, setSending] = useState(false);

  const choose = (preset: Preset) => {
    haptic.select();
    if (preset === 'custom') setPeriod((p) => ({ ...p, preset }));
    else setPeriod(periodOf(preset, tz));
  };

  const exportAs = (format: 'csv' | 'xlsx') => {
    haptic.tap();
    download(`/api/reports/export.${format}`, query, `report.${format}`).catch((e: unknown) =>
      toast(String(e)),
    );
  };

  const send = async () => {
    setSending(true);
    try {
      await api('/api/reports/send', {
        body: { from, to, format: 'xlsx', ...(companyId ? { companyId: Number(companyId) } : {}) },
      });
      haptic.success();
      toast(t('app-report-sent'));
    } catch (e) {
      haptic.error();
      toast(String(e));
    } finally {
      setSending(false);
    }
  };

  const r = data.data?.report;
  const s = data.data?.series;
  const byPriority = useMemo(
    () =>
      s
        ? PRIORITIES.map((p, i) => ({
            name: p,
            color: PRIORITY_COLORS[i] as string,
            values: s.byPriority[p] ?? [],
          }))
        : [],
    [s],
  );
  const byCategory = useMemo(
    () =>
      s
        ? s.byCategory.map((c, i) => ({
            name: c.name || t('report-no-category'),
            color: PALETTE[i % PALETTE.length] as string,
            values: c.counts,
          }))
        : [],
    [s],
  );

  return (
    <div className="screen with-fallback-button" data-screen="reports">
      <h1>{t('app-reports-title')}</h1>
      <div className="tabs">
        {PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            data-preset={p}
            aria-current={period.preset === p ? 'page' : undefined}
            onClick={() => choose(p)}
          >
            {t(`app-preset-${p}`)}
          </button>
        ))}
      </div>
      {period.preset === 'custom' ? (
        <div className="section-body dates">
          <input
            type="date"
            name="from"
            aria-label={t('app-period-from')}
            value={period.from}
            onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))}
          />
          <input
            type="date"
            name="to"
            aria-label={t('app-period-to')}
            value={period.last}
            onChange={(e) => setPeriod((p) => ({ ...p, last: e.target.value }))}
          />
        </div>
      ) : null}
      {companies.length > 1 || me.staff ? (
        <div className="filters">
          <select
            aria-label={t('report-company')}
            name="companyId"
            value={companyId}
            onChange={(e) => setCompanyId(e.target.value)}
          >
            {me.staff ? <option value="">{t('report-all-companies')}</option> : null}
            {companies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {valid ? (
        <div className="hint" style={{ margin: '0 16px 10px' }} data-period>
          {date(from)} — {date(to - 1)}
        </div>
      ) : null}
      <ErrorNote error={data.error} />
      {!r || !s ? (
        data.loading ? (
          <Spinner />
        ) : null
      ) : (
        <div data-report data-loading={data.loading || undefined}>
          <div className="kpis">
            <Kpi
              name="first-response"
              raw={r.firstResponse.percent}
              value={percent(r.firstResponse.percent)}
              label={t('app-kpi-first-response', {
                met: r.firstResponse.met,
                decided: r.firstResponse.decided,
              })}
            />
            <Kpi
              name="resolution"
              raw={r.resolution.percent}
              value={percent(r.resolution.percent)}
              label={t('app-kpi-resolution', { met: r.resolution.met, decided: r.resolution.decided })}
            />
            <Kpi name="total" raw={r.total} value={String(r.total)} label={t('report-total')} />
            <Kpi
              name="rating"
              raw={r.rating.average}
              value={r.rating.average === null ? t('none') : `★ ${number(r.rating.average, 2)}`}
              label={t('app-kpi-rating', { count: r.rating.count })}
            />
          </div>
          <Chart title={t('app-chart-by-priority')} days={s.days} series={byPriority} />
          <Chart title={t('app-chart-by-category')} days={s.days} series={byCategory} />
          <Section title={t('app-times-title')}>
            <table data-times>
              <thead>
                <tr>
                  <th />
                  <th>{t('app-median')}</th>
                  <th>{t('app-p90')}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td>{t('app-first-response')}</td>
                  <td data-value={r.firstResponse.minutes.median ?? ''}>
                    {minutesText(r.firstResponse.minutes.median)}
                  </td>
                  <td data-value={r.firstResponse.minutes.p90 ?? ''}>
                    {minutesText(r.firstResponse.minutes.p90)}
                  </td>
                </tr>
                <tr>
                  <td>{t('app-resolution')}</td>
                  <td data-value={r.resolution.minutes.median ?? ''}>
                    {minutesText(r.resolution.minutes.median)}
                  </td>
                  <td data-value={r.resolution.minutes.p90 ?? ''}>{minutesText(r.resolution.minutes.p90)}</td>
                </tr>
              </tbody>
            </table>
            <div className="hint" style={{ padding: '0 16px 10px' }}>
              {t('app-business-time')}
            </div>
          </Section>
          <Section title={t('report-assignees')}>
            {r.assignees.length === 0 ? (
              <div className="empty">{t('none')}</div>
            ) : (
              <div className="table-wrap">
                <table data-assignees>
                  <thead>
                    <tr>
                      <th>{t('app-engineer')}</th>
                      <th>{t('report-total')}</th>
                      <th>{t('app-resolved')}</th>
                      <th>{t('app-on-time')}</th>
                      <th>{t('app-median')}</th>
                      <th>★</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.assignees.map((a) => (
                      <tr key={a.assigneeId} data-assignee={a.assigneeId}>
                        <td>{a.name}</td>
                        <td>{a.tickets}</td>
                        <td>{a.resolved}</td>
                        <td>{percent(a.resolution.percent)}</td>
                        <td>{minutesText(a.resolutionMinutes.median)}</td>
                        <td>{number(a.averageRating, 1)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
          <div className="section-body btn-row">
            <button
              type="button"
              className="btn secondary"
              data-export="xlsx"
              onClick={() => exportAs('xlsx')}
            >
              {t('app-export-xlsx')}
            </button>
            <button type="button" className="btn secondary" data-export="csv" onClick={() => exportAs('csv')}>
              {t('app-export-csv')}
            </button>
          </div>
        </div>
      )}
      <MainActionButton
        action={
          valid && r ? { text: t('app-send-to-chat'), onClick: () => void send(), busy: sending } : null
        }
      />
    </div>
  );
}

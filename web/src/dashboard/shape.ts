// Data shaping for the dashboards (pure, unit-tested): filters <-> URL,
// durations in words, KPI cards, chart rows and the heat scale of the
// process diagram.
import type { Lang } from '../lib/messages';
import type { ActivitiesReport, Kpi, OpenReport, Overview } from './dashboard_api';

export interface Filters {
  from: string;        // YYYY-MM-DD or ''
  to: string;          // YYYY-MM-DD or '' (exclusive)
  service: string;     // service id or ''
  department: string;  // department id or ''
  interval: 'week' | 'month';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Filters from the page's query (unknown or malformed values are dropped).
export function filtersFromQuery(q: Record<string, string | undefined>): Filters {
  const date = (v: string | undefined) => (v && DATE.test(v) ? v : '');
  return {
    from: date(q['from']),
    to: date(q['to']),
    service: q['service'] ?? '',
    department: q['department'] ?? '',
    interval: q['interval'] === 'week' ? 'week' : 'month',
  };
}

// The query string for both the page URL and the API (defaults left out).
export function filtersToQuery(f: Filters): string {
  const p = new URLSearchParams();
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.service) p.set('service', f.service);
  if (f.department) p.set('department', f.department);
  if (f.interval === 'week') p.set('interval', 'week');
  const s = p.toString();
  return s ? `?${s}` : '';
}

const UNITS: Record<Lang, { d: string; h: string; min: string; s: string }> = {
  de: { d: 'T', h: 'Std', min: 'Min', s: 's' },
  en: { d: 'd', h: 'h', min: 'min', s: 's' },
};

// "3 T 4 Std" / "3 d 4 h": the two largest units, rounded down; "–" for null.
export function formatDuration(ms: number | null | undefined, lang: Lang): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const u = UNITS[lang];
  const s = Math.floor(Math.max(0, ms) / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} ${u.d} ${h} ${u.h}` : `${d} ${u.d}`;
  if (h > 0) return m > 0 ? `${h} ${u.h} ${m} ${u.min}` : `${h} ${u.h}`;
  if (m > 0) return `${m} ${u.min}`;
  return `${s} ${u.s}`;
}

export function formatNumber(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB');
}

export interface KpiCard {
  key: 'received' | 'completed' | 'open' | 'openAge' | 'throughputP50' | 'throughputP90' | 'overdue';
  value: string;
}

// The KPI tiles of the dashboard head; durations only where there are cases to measure.
export function kpiCards(k: Kpi, lang: Lang): KpiCard[] {
  const dur = (count: number, ms: number) => (count > 0 ? formatDuration(ms, lang) : '–');
  return [
    { key: 'received', value: formatNumber(k.received, lang) },
    { key: 'completed', value: formatNumber(k.completed, lang) },
    { key: 'open', value: formatNumber(k.open, lang) },
    { key: 'openAge', value: dur(k.openAge.count, k.openAge.p50Ms) },
    { key: 'throughputP50', value: dur(k.throughput.count, k.throughput.p50Ms) },
    { key: 'throughputP90', value: dur(k.throughput.count, k.throughput.p90Ms) },
    { key: 'overdue', value: formatNumber(k.overdue, lang) },
  ];
}

// The trend chart's data: one category per period, three series.
export function trendSeries(o: Overview): { periods: string[]; received: number[]; completed: number[]; open: number[] } {
  return {
    periods: o.series.map((p) => p.period),
    received: o.series.map((p) => p.received),
    completed: o.series.map((p) => p.completed),
    open: o.series.map((p) => p.openAtEnd),
  };
}

// Backlog per department, busiest first: open cases in time and overdue ones.
export function backlogRows(o: Overview): { name: string; inTime: number; overdue: number; open: number; medianAgeMs: number | null }[] {
  return o.departments
    .filter((d) => d.open > 0 || d.received > 0)
    .map((d) => ({
      name: d.name,
      inTime: d.open - d.overdueOpen,
      overdue: d.overdueOpen,
      open: d.open,
      medianAgeMs: d.openAge.count > 0 ? d.openAge.p50Ms : null,
    }));
}

// Heat of each activity of the process diagram, 0..1, by frequency (activity
// instances) or by median waiting time (the duration where waiting is unknown).
export type HeatBasis = 'frequency' | 'waiting';
export interface ActivityHeat {
  id: string;
  name: string;
  count: number;
  open: number;
  medianDurationMs: number | null;
  medianWaitingMs: number | null;
  heat: number;
}
export function activityHeat(acts: ActivitiesReport, open: OpenReport | null, basis: HeatBasis): ActivityHeat[] {
  const openBy = new Map((open?.elements ?? []).map((e) => [e.id, e.open]));
  const rows = acts.activities.map((a) => {
    const medianDurationMs = a.duration.count > 0 ? a.duration.p50Ms : null;
    const medianWaitingMs = a.waiting && a.waiting.count > 0 ? a.waiting.p50Ms : null;
    return { id: a.id, name: a.name || a.id, count: a.count, open: openBy.get(a.id) ?? a.open, medianDurationMs, medianWaitingMs, heat: 0 };
  });
  const value = (r: ActivityHeat) => (basis === 'frequency' ? r.count : r.medianWaitingMs ?? r.medianDurationMs ?? 0);
  const max = Math.max(0, ...rows.map(value));
  for (const r of rows) r.heat = max > 0 ? value(r) / max : 0;
  return rows;
}

// Five heat steps from pale yellow to dark red. Text on a step is black on
// the light ones and white on the dark ones (contrast >= 4.5:1 either way),
// and every overlay also shows the numbers, so colour is never the only cue.
export const HEAT_STEPS = ['#fff3b0', '#ffd166', '#f4a261', '#c1440e', '#7f1d1d'] as const;
export function heatColor(heat: number): { fill: string; text: string; step: number } {
  const step = Math.min(HEAT_STEPS.length - 1, Math.max(0, Math.floor(heat * HEAT_STEPS.length)));
  return { fill: HEAT_STEPS[step] ?? HEAT_STEPS[0], text: step >= 3 ? '#ffffff' : '#0b0c0c', step };
}

// WCAG 2.1 relative luminance contrast of two #rrggbb colours.
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * (c[0] ?? 0) + 0.7152 * (c[1] ?? 0) + 0.0722 * (c[2] ?? 0);
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return ((x ?? 0) + 0.05) / ((y ?? 0) + 0.05);
}

// Chart colours (with white background >= 3:1 for graphics, WCAG 1.4.11).
export const CHART_COLORS = ['#00507a', '#b35900', '#2e7d32', '#6a1b9a'] as const;

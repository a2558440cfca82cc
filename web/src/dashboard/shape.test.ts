import { describe, expect, it } from 'vitest';
import type { ActivitiesReport, Kpi, OpenReport, Overview, Stats } from './dashboard_api';
import {
  activityHeat, backlogRows, CHART_COLORS, contrastRatio, filtersFromQuery, filtersToQuery, formatDuration,
  HEAT_STEPS, heatColor, kpiCards, trendSeries,
} from './shape';

const HOUR = 3_600_000, DAY = 24 * HOUR;
const stats = (count: number, p50Ms: number, p90Ms = p50Ms): Stats =>
  ({ count, minMs: 0, meanMs: p50Ms, p50Ms, p90Ms, maxMs: p90Ms, sumMs: p50Ms * count });
const kpi = (over: Partial<Kpi> = {}): Kpi => ({
  received: 0, completed: 0, terminated: 0, open: 0, openAge: stats(0, 0), throughput: stats(0, 0),
  overdue: 0, overdueOpen: 0, ...over,
});

describe('filters in the URL', () => {
  it('round-trips and leaves defaults out', () => {
    const f = filtersFromQuery({ from: '2026-01-01', service: 'plakat', interval: 'week' });
    expect(f).toEqual({ from: '2026-01-01', to: '', service: 'plakat', department: '', interval: 'week' });
    expect(filtersToQuery(f)).toBe('?from=2026-01-01&service=plakat&interval=week');
    expect(filtersToQuery(filtersFromQuery({}))).toBe('');
  });
  it('drops malformed dates and intervals', () => {
    const f = filtersFromQuery({ from: 'yesterday', to: '2026-13', interval: 'year' });
    expect(f.from).toBe('');
    expect(f.to).toBe('');
    expect(f.interval).toBe('month');
  });
});

describe('durations in words', () => {
  it('shows the two largest units in both languages', () => {
    expect(formatDuration(3 * DAY + 4 * HOUR + 59_000, 'de')).toBe('3 T 4 Std');
    expect(formatDuration(3 * DAY, 'en')).toBe('3 d');
    expect(formatDuration(2 * HOUR + 5 * 60_000, 'en')).toBe('2 h 5 min');
    expect(formatDuration(42_000, 'de')).toBe('42 s');
    expect(formatDuration(null, 'de')).toBe('–');
  });
});

describe('KPI cards', () => {
  it('formats counts per language and leaves durations of nothing empty', () => {
    const cards = kpiCards(kpi({ received: 1234, completed: 2, open: 1, throughput: stats(2, 3 * DAY, 12 * DAY), openAge: stats(1, 19 * DAY), overdue: 1 }), 'de');
    const by = Object.fromEntries(cards.map((c) => [c.key, c.value]));
    expect(by['received']).toBe('1.234');
    expect(by['throughputP50']).toBe('3 T');
    expect(by['throughputP90']).toBe('12 T');
    expect(by['openAge']).toBe('19 T');
    expect(kpiCards(kpi({ received: 1234 }), 'en').find((c) => c.key === 'received')?.value).toBe('1,234');
    expect(kpiCards(kpi(), 'en').find((c) => c.key === 'throughputP50')?.value).toBe('–');
  });
});

const overview: Overview = {
  interval: 'month', now: '2026-02-10T00:00:00.000Z', totals: kpi(),
  services: [],
  departments: [
    { ...kpi({ received: 3, open: 2, overdueOpen: 1, openAge: stats(2, 5 * DAY) }), departmentId: 'ordnungsamt', name: 'Ordnungsamt' },
    { ...kpi(), departmentId: 'kasse', name: 'Kasse' },
  ],
  series: [
    { period: '2026-01', start: '2026-01-01T00:00:00Z', received: 4, completed: 3, throughputP50Ms: 12 * DAY, openAtEnd: 1 },
    { period: '2026-02', start: '2026-02-01T00:00:00Z', received: 2, completed: 0, throughputP50Ms: null, openAtEnd: 2 },
  ],
  filters: { services: [], departments: [] },
};

describe('chart rows', () => {
  it('shapes the trend per period', () => {
    expect(trendSeries(overview)).toEqual({ periods: ['2026-01', '2026-02'], received: [4, 2], completed: [3, 0], open: [1, 2] });
  });
  it('splits each department backlog into in time and overdue, leaving idle ones out', () => {
    expect(backlogRows(overview)).toEqual([{ name: 'Ordnungsamt', inTime: 1, overdue: 1, open: 2, medianAgeMs: 5 * DAY }]);
  });
});

describe('heat of the process diagram', () => {
  const acts: ActivitiesReport = {
    processId: 'p',
    activities: [
      { id: 'check', name: 'Prüfen', kind: 'userTask', count: 10, completed: 9, terminated: 0, open: 1, duration: stats(9, 4 * HOUR), waiting: stats(9, 3 * HOUR), working: stats(9, HOUR), waitingShare: 1, durationShare: 0.8, withDue: 0, breached: 0 },
      { id: 'notify', name: '', kind: 'serviceTask', count: 5, completed: 5, terminated: 0, open: 0, duration: stats(5, 6 * HOUR), waiting: null, working: null, waitingShare: 0, durationShare: 0.2, withDue: 0, breached: 0 },
    ],
  };
  const open: OpenReport = { processId: 'p', openCases: 1, caseAge: stats(1, DAY), elements: [{ id: 'check', name: 'Prüfen', kind: 'userTask', open: 1, age: stats(1, DAY), oldestCaseId: 'c' }] };
  it('scales by frequency', () => {
    const rows = activityHeat(acts, open, 'frequency');
    expect(rows.map((r) => [r.id, r.heat])).toEqual([['check', 1], ['notify', 0.5]]);
    expect(rows[1]?.name).toBe('notify');  // no name: the id
  });
  it('scales by waiting time, the duration where waiting is unknown', () => {
    const rows = activityHeat(acts, open, 'waiting');
    expect(rows.map((r) => [r.id, r.heat])).toEqual([['check', 0.5], ['notify', 1]]);
    expect(rows[0]?.open).toBe(1);
  });
  it('maps heat to steps whose text keeps 4.5:1 contrast', () => {
    expect(heatColor(0).step).toBe(0);
    expect(heatColor(1).step).toBe(HEAT_STEPS.length - 1);
    for (let h = 0; h <= 1; h += 0.1) {
      const c = heatColor(h);
      expect(contrastRatio(c.fill, c.text)).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('draws charts in colours with 3:1 against white', () => {
    for (const c of CHART_COLORS) expect(contrastRatio(c, '#ffffff')).toBeGreaterThanOrEqual(3);
  });
});

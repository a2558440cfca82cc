// Dashboards for staff with the Analysts role (administrator, manager,
// process designer): KPIs of the administration, trends by week or month,
// backlog per department, KPIs per service, and per service its process
// diagram with counts and durations (ProcessPage). Filters live in the URL.
import { lazy, useLocation, useRoute } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { api, setCsrfToken } from '../lib/api';
import { usePack } from '../lib/i18n';
import { dashPack } from './messages';
import type { MessageKey } from '../lib/messages';
type DashKey = MessageKey | keyof typeof dashPack.de;
import { useApi } from '../lib/useApi';
import { ChartWithTable, type ChartOption } from './Chart';
import { nameIn, tenantBase, type Overview } from './dashboard_api';
import { backlogRows, CHART_COLORS, type Filters, filtersFromQuery, filtersToQuery, formatDuration, formatNumber, kpiCards, trendSeries } from './shape';

const ProcessPage = lazy(() => import('./ProcessPage').then((m) => m.ProcessPage));

interface StaffUser { login: string; roles: string[] }
const ANALYSTS = ['administrator', 'manager', 'process_designer'];

export function DashboardPage() {
  const { params } = useRoute();
  const tenant = params['tenant'] ?? '';
  const processId = params['process'];
  const { t } = usePack(dashPack);
  const [me, setMe] = useState<StaffUser | null | 'loading'>('loading');
  useEffect(() => {
    api<{ user: StaffUser; csrfToken?: string }>(`${tenantBase(tenant)}/session/me`).then((m) => {
      if (m.csrfToken) setCsrfToken(m.csrfToken);
      setMe(m.user);
    }, () => setMe(null));
  }, [tenant]);
  if (me === 'loading') return <Layout title={t('dashTitle')}><Loading /></Layout>;
  if (me === null || !me.roles.some((r) => ANALYSTS.includes(r))) {
    return (
      <Layout title={t('dashTitle')} home={`/${tenant}`}>
        <h1>{t('dashTitle')}</h1>
        <div class="notice" role="status">
          <p>{me === null ? t('dashSignIn') : t('dashNoRole')}</p>
          {me === null ? <p><a href={`/arbeitsplatz/${tenant}`}>{t('loginTitle')}</a></p> : null}
        </div>
      </Layout>
    );
  }
  return processId ? <ProcessPage tenant={tenant} processId={processId} /> : <Dashboard tenant={tenant} />;
}

function FilterForm({ filters, overview, onChange }:
  { filters: Filters; overview: Overview | null; onChange: (f: Filters) => void }) {
  const { t, lang } = usePack(dashPack);
  const set = (k: keyof Filters) => (e: Event) => onChange({ ...filters, [k]: (e.target as HTMLInputElement).value });
  return (
    <form class="dash-filters" aria-label={t('dashFilters')} onSubmit={(e) => e.preventDefault()}>
      <div>
        <label for="f-from">{t('dashFrom')}</label>
        <input id="f-from" type="date" value={filters.from} onChange={set('from')} />
      </div>
      <div>
        <label for="f-to">{t('dashTo')}</label>
        <input id="f-to" type="date" value={filters.to} onChange={set('to')} />
      </div>
      <div>
        <label for="f-service">{t('dashService')}</label>
        <select id="f-service" value={filters.service} onChange={set('service')}>
          <option value="">{t('dashAll')}</option>
          {(overview?.filters.services ?? []).map((s) => <option key={s.id} value={s.id}>{nameIn(lang, s.name)}</option>)}
        </select>
      </div>
      <div>
        <label for="f-department">{t('dashDepartment')}</label>
        <select id="f-department" value={filters.department} onChange={set('department')}>
          <option value="">{t('dashAll')}</option>
          {(overview?.filters.departments ?? []).map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
      </div>
      <div>
        <label for="f-interval">{t('dashInterval')}</label>
        <select id="f-interval" value={filters.interval} onChange={set('interval')}>
          <option value="month">{t('dashMonth')}</option>
          <option value="week">{t('dashWeek')}</option>
        </select>
      </div>
    </form>
  );
}

const KPI_LABEL: Record<string, DashKey> = {
  received: 'dashKpiReceived', completed: 'dashKpiCompleted', open: 'dashKpiOpen', openAge: 'dashKpiOpenAge',
  throughputP50: 'dashKpiThroughputP50', throughputP90: 'dashKpiThroughputP90', overdue: 'dashKpiOverdue',
};

function Dashboard({ tenant }: { tenant: string }) {
  const { t, lang } = usePack(dashPack);
  const { query, path, route } = useLocation();
  const filters = filtersFromQuery(query);
  const qs = filtersToQuery(filters);
  const { data, problem, loading, reload } = useApi<Overview>(`${tenantBase(tenant)}/analytics/overview${qs}`);
  // Keep the last answer while a new filter loads, so the form keeps its choices.
  const [last, setLast] = useState<Overview | null>(null);
  useEffect(() => { if (data) setLast(data); }, [data]);
  const o = data ?? last;
  const onChange = (f: Filters) => route(`${path}${filtersToQuery(f)}`, true);

  const trend = useMemo<ChartOption | null>(() => {
    if (!o) return null;
    const s = trendSeries(o);
    return {
      color: [...CHART_COLORS],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: s.periods },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('dashReceived'), type: 'bar', data: s.received },
        { name: t('dashCompleted'), type: 'bar', data: s.completed },
        { name: t('dashOpenAtEnd'), type: 'line', data: s.open, symbol: 'diamond', symbolSize: 9, lineStyle: { type: 'dashed', width: 3 } },
      ],
    };
  }, [o, lang]);
  const backlog = useMemo(() => (o ? backlogRows(o) : []), [o]);
  const backlogOption = useMemo<ChartOption>(() => ({
    color: [CHART_COLORS[0], CHART_COLORS[1]],
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 40, bottom: 20, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: backlog.map((b) => b.name), inverse: true },
    series: [
      { name: t('dashInTime'), type: 'bar', stack: 'open', data: backlog.map((b) => b.inTime) },
      { name: t('dashOverdue'), type: 'bar', stack: 'open', data: backlog.map((b) => b.overdue) },
    ],
  }), [backlog, lang]);

  const num = (n: number) => formatNumber(n, lang);
  return (
    <Layout title={t('dashTitle')} home={`/${tenant}`}>
      <h1>{t('dashTitle')}</h1>
      <p><a href={`/arbeitsplatz/${tenant}`}>{t('dashToWorkspace')}</a></p>
      <FilterForm filters={filters} overview={o} onChange={onChange} />
      <p class="visually-hidden" role="status">{loading ? t('loading') : o ? t('dashUpdated') : ''}</p>
      {problem ? <LoadError message={problem.detail ?? problem.title} retry={reload} /> : null}
      {!o ? (problem ? null : <Loading />) : (
        <>
          <section aria-labelledby="kpi-title">
            <h2 id="kpi-title">{t('dashKpis')}</h2>
            <dl class="kpi-grid" id="kpis">
              {kpiCards(o.totals, lang).map((c) => (
                <div class="kpi" key={c.key} data-kpi={c.key}>
                  <dt>{t(KPI_LABEL[c.key] ?? 'dashKpis')}</dt>
                  <dd>{c.value}</dd>
                </div>
              ))}
            </dl>
            <p class="muted">{t('dashOverdueHint')}</p>
          </section>
          <div class="chart-grid">
            {trend ? (
              <ChartWithTable id="trend" title={t('dashTrend')} option={trend}
                summary={t('dashTrendSummary', { n: o.series.length, received: o.totals.received, completed: o.totals.completed })}
                table={
                  <table class="data-table">
                    <caption>{t('dashTrend')}</caption>
                    <thead><tr>
                      <th scope="col">{o.interval === 'week' ? t('dashWeek') : t('dashMonth')}</th>
                      <th scope="col">{t('dashReceived')}</th><th scope="col">{t('dashCompleted')}</th>
                      <th scope="col">{t('dashOpenAtEnd')}</th><th scope="col">{t('dashKpiThroughputP50')}</th>
                    </tr></thead>
                    <tbody>{o.series.map((p) => (
                      <tr key={p.period}><th scope="row">{p.period}</th><td>{num(p.received)}</td><td>{num(p.completed)}</td>
                        <td>{num(p.openAtEnd)}</td><td>{formatDuration(p.throughputP50Ms, lang)}</td></tr>
                    ))}</tbody>
                  </table>
                } />
            ) : null}
            <ChartWithTable id="backlog" title={t('dashBacklog')} option={backlogOption}
              summary={t('dashBacklogSummary', { n: backlog.length, open: o.totals.open })}
              table={
                <table class="data-table">
                  <caption>{t('dashBacklog')}</caption>
                  <thead><tr>
                    <th scope="col">{t('dashDepartment')}</th><th scope="col">{t('dashKpiOpen')}</th>
                    <th scope="col">{t('dashOverdue')}</th><th scope="col">{t('dashKpiOpenAge')}</th>
                  </tr></thead>
                  <tbody>{backlog.map((b) => (
                    <tr key={b.name}><th scope="row">{b.name}</th><td>{num(b.open)}</td><td>{num(b.overdue)}</td>
                      <td>{formatDuration(b.medianAgeMs, lang)}</td></tr>
                  ))}</tbody>
                </table>
              } />
          </div>
          <section aria-labelledby="services-title" class="table-scroll" tabIndex={0}>
            <h2 id="services-title">{t('dashServices')}</h2>
            <table class="data-table" id="service-table">
              <caption class="visually-hidden">{t('dashServices')}</caption>
              <thead><tr>
                <th scope="col">{t('dashService')}</th><th scope="col">{t('dashReceived')}</th>
                <th scope="col">{t('dashCompleted')}</th><th scope="col">{t('dashKpiOpen')}</th>
                <th scope="col">{t('dashKpiThroughputP50')}</th><th scope="col">{t('dashKpiOverdue')}</th>
                <th scope="col">{t('dashProcess')}</th>
              </tr></thead>
              <tbody>{o.services.map((s) => (
                <tr key={s.serviceId}>
                  <th scope="row">{nameIn(lang, s.name)}</th><td>{num(s.received)}</td><td>{num(s.completed)}</td>
                  <td>{num(s.open)}</td>
                  <td>{s.throughput.count > 0 ? formatDuration(s.throughput.p50Ms, lang) : '–'}</td>
                  <td>{num(s.overdue)}</td>
                  <td>{s.processId ? (
                    <a href={`/auswertung/${tenant}/prozess/${encodeURIComponent(s.processId)}${filters.from || filters.to ? filtersToQuery({ ...filters, service: '', department: '', interval: 'month' }) : ''}`}>
                      {t('dashDiagramOf', { name: nameIn(lang, s.name) })}
                    </a>) : '–'}</td>
                </tr>
              ))}</tbody>
            </table>
            {o.services.length === 0 ? <p class="muted">{t('dashNoCases')}</p> : null}
          </section>
        </>
      )}
    </Layout>
  );
}

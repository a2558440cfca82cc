// The process diagram of one service with counts and durations laid over it:
// bpmn-js viewer, one overlay per activity (activity instances, median
// duration, open now) and a heat colour by frequency or median waiting time;
// the same numbers as a table. Loaded on demand (bpmn-js is large).
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useLocation } from 'preact-iso';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { definitionXml, latest, listDefinitions } from '../designer/model_api';
import { usePack } from '../lib/i18n';
import { dashPack } from './messages';
import { useApi } from '../lib/useApi';
import { tenantBase, type ActivitiesReport, type OpenReport } from './dashboard_api';
import { activityHeat, filtersFromQuery, formatDuration, formatNumber, HEAT_STEPS, heatColor, type ActivityHeat, type HeatBasis } from './shape';

interface Overlays { add(id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }): void; clear(): void }
interface Registry { getGraphics(id: string): SVGElement | undefined; get(id: string): unknown }
interface Canvas { zoom(level: string): void }

export function ProcessPage({ tenant, processId }: { tenant: string; processId: string }) {
  const { t, lang } = usePack(dashPack);
  const { query } = useLocation();
  const f = filtersFromQuery(query);
  const p = new URLSearchParams();
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  const qs = p.toString() ? `?${p.toString()}` : '';
  const base = `${tenantBase(tenant)}/analytics/processes/${encodeURIComponent(processId)}`;
  const acts = useApi<ActivitiesReport>(`${base}/activities${qs}`);
  const open = useApi<OpenReport>(`${base}/open${qs}`);
  const [basis, setBasis] = useState<HeatBasis>('frequency');
  const rows = useMemo(() => (acts.data ? activityHeat(acts.data, open.data, basis) : null), [acts.data, open.data, basis]);
  const back = `/auswertung/${tenant}${qs}`;
  return (
    <Layout title={t('dashProcessTitle', { id: processId })} home={`/${tenant}`}>
      <p><a href={back}>{t('dashBack')}</a></p>
      <h1>{t('dashProcessTitle', { id: processId })}</h1>
      <div class="tabs" role="group" aria-label={t('dashHeatBasis')}>
        <button type="button" class="tab" aria-pressed={basis === 'frequency'} onClick={() => setBasis('frequency')}>{t('dashHeatFrequency')}</button>
        <button type="button" class="tab" aria-pressed={basis === 'waiting'} onClick={() => setBasis('waiting')}>{t('dashHeatWaiting')}</button>
      </div>
      {acts.problem ? <LoadError message={acts.problem.detail ?? acts.problem.title} retry={acts.reload} /> : null}
      {!rows ? (acts.problem ? null : <Loading />) : (
        <>
          <Diagram tenant={tenant} processId={processId} rows={rows} />
          <p class="muted" id="heat-legend">
            {t('dashHeatLegend')}{' '}
            {HEAT_STEPS.map((c, i) => <span key={c} class="heat-swatch" style={{ background: c, color: heatColor(i / HEAT_STEPS.length).text }}>{i + 1}</span>)}
          </p>
          <div class="table-scroll" role="region" aria-labelledby="activity-caption" tabIndex={0}>
            <table class="data-table" id="activity-table">
              <caption id="activity-caption">{t('dashActivities')}</caption>
              <thead><tr>
                <th scope="col">{t('dashActivity')}</th><th scope="col">{t('dashCount')}</th>
                <th scope="col">{t('dashMedianDuration')}</th><th scope="col">{t('dashMedianWaiting')}</th>
                <th scope="col">{t('dashKpiOpen')}</th><th scope="col">{t('dashHeatStep')}</th>
              </tr></thead>
              <tbody>{rows.map((r) => (
                <tr key={r.id} data-activity={r.id}>
                  <th scope="row">{r.name}</th><td>{formatNumber(r.count, lang)}</td>
                  <td>{formatDuration(r.medianDurationMs, lang)}</td><td>{formatDuration(r.medianWaitingMs, lang)}</td>
                  <td>{formatNumber(r.open, lang)}</td><td>{heatColor(r.heat).step + 1}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}

function Diagram({ tenant, processId, rows }: { tenant: string; processId: string; rows: ActivityHeat[] }) {
  const { t, lang } = usePack(dashPack);
  const ref = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!ref.current) return;
    const v = new NavigatedViewer({ container: ref.current });
    viewer.current = v;
    let cancelled = false;
    listDefinitions(tenant)
      .then((defs) => {
        const d = latest(defs).find((x) => x.kind === 'process' && x.id === processId);
        if (!d) throw new Error(t('dashNoDiagram'));
        return definitionXml(tenant, d.key);
      })
      .then((xml) => v.importXML(xml))
      .then(() => {
        if (cancelled) return;
        (v.get('canvas') as Canvas).zoom('fit-viewport');
        setReady(true);
      })
      .catch((e: unknown) => { if (!cancelled) setError(e instanceof Error ? e.message : String(e)); });
    return () => {
      cancelled = true;
      v.destroy();
      viewer.current = null;
    };
  }, [tenant, processId]);
  useEffect(() => {
    const v = viewer.current;
    if (!ready || !v) return;
    const overlays = v.get('overlays') as Overlays;
    const registry = v.get('elementRegistry') as Registry;
    overlays.clear();
    for (const r of rows) {
      if (!registry.get(r.id)) continue;
      const c = heatColor(r.heat);
      const shape = registry.getGraphics(r.id)?.querySelector<SVGElement>('.djs-visual > rect, .djs-visual > circle');
      if (shape) shape.style.fill = c.fill;
      const html = document.createElement('div');
      html.className = 'heat-overlay';
      html.style.background = c.fill;
      html.style.color = c.text;
      html.dataset['activity'] = r.id;
      html.textContent = `${formatNumber(r.count, lang)} × · ${formatDuration(r.medianDurationMs, lang)}${r.open > 0 ? ` · ${t('dashOpenShort', { n: r.open })}` : ''}`;
      overlays.add(r.id, 'heat', { position: { bottom: 4, left: -4 }, html });
    }
  }, [ready, rows, lang]);
  return (
    <>
      {error ? <LoadError message={error} /> : null}
      <figure class="diagram-figure">
        <div ref={ref} class="diagram" aria-describedby="diagram-caption" />
        <figcaption id="diagram-caption">{t('dashDiagramSummary', { id: processId })} {t('dashDiagramCaption')}</figcaption>
      </figure>
    </>
  );
}

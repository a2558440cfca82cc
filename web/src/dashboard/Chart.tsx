// An echarts chart with its table: only the parts used are imported (bar and
// line charts, grid, tooltip, legend, aria decals; SVG renderer), and this
// module loads only with the dashboard route. The chart is an image with a
// text alternative; the same numbers are in a real <table> one keyboard
// press away (the toggle is a button with aria-pressed).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { usePack } from '../lib/i18n';
import { dashPack } from './messages';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function ChartWithTable({ id, title, summary, option, table }:
  { id: string; title: string; summary: string; option: ChartOption; table: ComponentChildren }) {
  const { t } = usePack(dashPack);
  const [asTable, setAsTable] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asTable || !ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    // Decal patterns tell the series apart without colour; echarts' own aria
    // label is off because the wrapper carries role="img" and the summary.
    chart.setOption({ aria: { enabled: true, label: { enabled: false }, decal: { show: true } }, animation: false, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    // Distinct keys keep Preact from reusing the chart's <div> for the table,
    // which dispose() would then empty.
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [asTable, option]);
  return (
    <section class="chart-card" aria-labelledby={`${id}-title`}>
      <div class="chart-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" class="tab" aria-pressed={asTable} aria-controls={`${id}-body`} onClick={() => setAsTable(!asTable)}>
          {asTable ? t('dashShowChart') : t('dashShowTable')}
        </button>
      </div>
      <div id={`${id}-body`}>
        {asTable
          ? <div key="table" class="table-scroll" role="region" aria-label={title} tabIndex={0}>{table}</div>
          : <div key="chart" ref={ref} class="chart" role="img" aria-label={summary} />}
      </div>
    </section>
  );
}

// DMN editor (dmn-js: DRD, decision tables, literal expressions) with a
// "test this decision" panel that evaluates the edited model on the server —
// the same FEEL and DMN engine the processes use.
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression-controls.css';
// The font files themselves: the CSP (default-src 'self') refuses the embedded data: fonts.
import 'dmn-js/dist/assets/dmn-font/css/dmn.css';
import DmnModeler from 'dmn-js/lib/Modeler';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { usePack } from '../lib/i18n';
import { designerPack } from './messages';
import { deploy } from './model_api';
import { download, errorOutcome, ModelToolbar, type Outcome } from './ModelToolbar';

export function newDecisionXml(id: string, name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="Definitions_${id}" name="${name}" namespace="https://amtsweg.de/dmn">
  <decision id="${id}" name="${name}">
    <decisionTable id="DecisionTable_${id}" hitPolicy="FIRST">
      <input id="Input_1" label="Eingabe"><inputExpression id="InputExpression_1" typeRef="string"><text>eingabe</text></inputExpression></input>
      <output id="Output_1" name="ergebnis" typeRef="string"/>
    </decisionTable>
  </decision>
  <dmndi:DMNDI><dmndi:DMNDiagram id="DMNDiagram_1"><dmndi:DMNShape id="DMNShape_${id}" dmnElementRef="${id}"><dc:Bounds height="80" width="180" x="160" y="100"/></dmndi:DMNShape></dmndi:DMNDiagram></dmndi:DMNDI>
</definitions>`;
}

export function DmnEditor({ tenant, xml, fileName, onDeployed }: { tenant: string; xml: string; fileName: string; onDeployed?: () => void }) {
  const { t, lang } = usePack(designerPack);
  const ref = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<DmnModeler | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [decisions, setDecisions] = useState<{ id: string; name: string }[]>([]);
  const [decision, setDecision] = useState('');
  const [input, setInput] = useState('{}');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const m = new DmnModeler({ container: ref.current });
    modelerRef.current = m;
    m.importXML(xml).then(() => {
      const ds = m.getViews().filter((v) => v.type === 'decisionTable' || v.type === 'literalExpression')
        .map((v) => ({ id: v.element.id, name: v.element.name ?? v.element.id }));
      setDecisions(ds);
      setDecision(ds[0]?.id ?? '');
    }).catch((e: unknown) => setOutcome({ kind: 'error', text: t('designerImportFailed', { reason: String(e) }) }));
    return () => m.destroy();
  }, [xml]);

  const current = async () => (await modelerRef.current?.saveXML({ format: true }))?.xml ?? xml;

  const evaluate = async (ev: Event) => {
    ev.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      setResult({ ok: false, text: t('designerInputNotJson') });
      return;
    }
    try {
      const r = await api<{ result: unknown; warnings?: string[] }>('/api/v1/models/decisions/evaluate',
        { method: 'POST', body: { name: fileName, content: await current(), decisionId: decision, input: parsed }, lang });
      const warn = r.warnings?.length ? `\n\n${t('designerWarnings')}:\n${r.warnings.join('\n')}` : '';
      setResult({ ok: true, text: JSON.stringify(r.result, null, 2) + warn });
    } catch (e) {
      const o = errorOutcome(e, t('designerCheckFailed'));
      setResult({ ok: false, text: o.kind === 'error' ? [o.text, ...(o.details ?? [])].join('\n') : '' });
    }
  };

  return (
    <div class="editor">
      <ModelToolbar outcome={outcome} onDownload={async () => download(fileName, await current())}
        onDeploy={async () => {
          setOutcome({ kind: 'busy', text: t('designerDeploying') });
          try {
            const r = await deploy(tenant, [{ name: fileName, content: await current() }], lang);
            const d = r.definitions?.[0];
            setOutcome({ kind: 'ok', text: d ? t('designerDeployed', { id: d.id, version: d.version }) : t('designerDeployedPlain') });
            onDeployed?.();
          } catch (e) {
            setOutcome(errorOutcome(e, t('designerDeployFailed')));
          }
        }} />
      <div class="editor-body">
        <div class="editor-canvas dmn-canvas" ref={ref} />
        <aside class="editor-panel test-panel" aria-labelledby="dmn-test-heading">
          <h2 id="dmn-test-heading">{t('designerTestDecision')}</h2>
          <form onSubmit={evaluate}>
            <label for="dmn-decision">{t('designerDecision')}</label>
            <select id="dmn-decision" value={decision} onChange={(e) => setDecision((e.target as HTMLSelectElement).value)}>
              {decisions.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
            </select>
            <label for="dmn-input">{t('designerInput')}</label>
            <textarea id="dmn-input" rows={8} spellcheck={false} value={input}
              onInput={(e) => setInput((e.target as HTMLTextAreaElement).value)} />
            <button type="submit" class="button">{t('designerEvaluate')}</button>
          </form>
          {result ? (
            <div role="status">
              <h3>{result.ok ? t('designerResult') : t('designerEvaluationFailed')}</h3>
              <pre class={result.ok ? 'result' : 'result result-error'}>{result.text}</pre>
            </div>
          ) : null}
        </aside>
      </div>
    </div>
  );
}

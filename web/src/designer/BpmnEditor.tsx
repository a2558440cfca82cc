// BPMN editor: bpmn-js with the Zeebe properties panel (task type, candidate
// groups, form link, FEEL conditions and mappings — the extensions the engine
// executes), a check against the server's lint and executability rules, and
// deployment as a new version.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
// The font files themselves: the CSP (default-src 'self') refuses the embedded data: fonts.
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { useEffect, useRef, useState } from 'preact/hooks';
import { usePack } from '../lib/i18n';
import { designerPack } from './messages';
import { deploy, lint } from './model_api';
import { download, errorOutcome, ModelToolbar, type Outcome } from './ModelToolbar';

export function newProcessXml(id: string, name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_${id}" targetNamespace="https://amtsweg.de/bpmn">
  <bpmn:process id="${id}" name="${name}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="Antrag eingegangen"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${id}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36"/>
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

type Modeler = InstanceType<typeof BpmnModeler>;

export function BpmnEditor({ tenant, xml, fileName, onDeployed }: { tenant: string; xml: string; fileName: string; onDeployed?: () => void }) {
  const { t, lang } = usePack(designerPack);
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<Modeler | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  useEffect(() => {
    if (!canvasRef.current || !panelRef.current) return;
    const modeler = new BpmnModeler({
      container: canvasRef.current,
      propertiesPanel: { parent: panelRef.current },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule, ZeebeBehaviorsModule],
      moddleExtensions: { zeebe: zeebeModdle },
    } as ConstructorParameters<typeof BpmnModeler>[0]);
    modelerRef.current = modeler;
    modeler.importXML(xml)
      // The whole process in view (wide diagrams otherwise run under the properties panel).
      .then(() => (modeler.get('canvas') as { zoom(level: string): void }).zoom('fit-viewport'))
      .catch((e: unknown) =>
      setOutcome({ kind: 'error', text: t('designerImportFailed', { reason: String(e) }) }));
    return () => modeler.destroy();
  }, [xml]);

  const current = async (): Promise<string> => {
    const m = modelerRef.current;
    if (!m) return xml;
    const { xml: out } = await m.saveXML({ format: true });
    return out ?? xml;
  };

  const select = (elementId: string) => {
    const m = modelerRef.current;
    if (!m) return;
    const registry = m.get('elementRegistry') as { get(id: string): unknown };
    const element = registry.get(elementId);
    if (!element) return;
    (m.get('selection') as { select(e: unknown): void }).select(element);
    (m.get('canvas') as { scrollToElement(e: unknown): void }).scrollToElement(element);
  };

  const onLint = async () => {
    setOutcome({ kind: 'busy', text: t('designerChecking') });
    try {
      const r = await lint(fileName, await current(), lang);
      setOutcome({ kind: 'findings', text: r.findings.length ? t('designerFindings', { n: r.findings.length }) : t('designerNoFindings'), findings: r.findings });
    } catch (e) {
      setOutcome(errorOutcome(e, t('designerCheckFailed')));
    }
  };

  const onDeploy = async () => {
    setOutcome({ kind: 'busy', text: t('designerDeploying') });
    try {
      const r = await deploy(tenant, [{ name: fileName, content: await current() }], lang);
      const d = r.definitions?.[0];
      setOutcome({ kind: 'ok', text: d ? t('designerDeployed', { id: d.id, version: d.version }) : t('designerDeployedPlain') });
      onDeployed?.();
    } catch (e) {
      setOutcome(errorOutcome(e, t('designerDeployFailed')));
    }
  };

  return (
    <div class="editor">
      <ModelToolbar onLint={onLint} onDeploy={onDeploy} onSelect={select} outcome={outcome}
        onDownload={async () => download(fileName, await current())} />
      <div class="editor-body">
        <div class="editor-canvas" ref={canvasRef} role="application" aria-label={t('designerCanvas')} />
        <aside class="editor-panel" ref={panelRef} aria-label={t('designerProperties')} />
      </div>
    </div>
  );
}

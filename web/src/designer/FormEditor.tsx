// Form editor (form-js editor, the format the intake validates on the
// server) with import of FIM XDatenfelder files. Saving is the page's: a form
// of the catalogue becomes its next version (FormPage).
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { FormEditor as FormJsEditor } from '@bpmn-io/form-js-editor';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { usePack } from '../lib/i18n';
import { designerPack } from './messages';
import { download, errorOutcome, ModelToolbar, type Outcome } from './ModelToolbar';

export function newFormSchema(id: string): Record<string, unknown> {
  return { type: 'default', id, schemaVersion: 16, components: [] };
}

interface XdfImport { schema: Record<string, unknown>; report: { messages?: string[]; notConverted?: string[] } | string[] }

export function FormEditor({ schema, fileName, onSave }: {
  schema: Record<string, unknown>; fileName: string;
  // Stores the edited schema (`changed`: edited since it was opened; the
  // editor's own normalisation on import does not count); the outcome to announce.
  onSave: (schema: Record<string, unknown>, changed: boolean) => Promise<Outcome>;
}) {
  const { t, lang } = usePack(designerPack);
  const ref = useRef<HTMLDivElement>(null);
  const editorRef = useRef<FormJsEditor | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [current, setCurrent] = useState(schema);
  // The schema as the editor exports it right after opening: what "unchanged" means.
  const baseline = useRef<string | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const ed = new FormJsEditor({ container: ref.current });
    editorRef.current = ed;
    ed.importSchema(current).then(() => {
      if (current === schema) baseline.current = JSON.stringify(ed.saveSchema());
    }, (e: unknown) => setOutcome({ kind: 'error', text: t('designerImportFailed', { reason: String(e) }) }));
    return () => ed.destroy();
  }, [current]);

  const edited = () => (editorRef.current?.saveSchema() ?? current) as Record<string, unknown>;
  const text = () => JSON.stringify(edited(), null, 2);

  const importXdf = async (ev: Event) => {
    const input = ev.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setOutcome({ kind: 'busy', text: t('designerImporting') });
    try {
      const r = await api<XdfImport>('/api/v1/forms/import-xdf', { method: 'POST', body: { name: file.name, content: await file.text() }, lang });
      const notes = Array.isArray(r.report) ? r.report : [...(r.report.notConverted ?? []), ...(r.report.messages ?? [])];
      // The fields come from the file; the form keeps its own id (the one its
      // versions are listed and deployed under), unless it has none yet.
      const own = editorRef.current?.saveSchema() as Record<string, unknown> | undefined;
      const id = (own?.['id'] as string | undefined) || (current['id'] as string | undefined);
      setCurrent(id ? { ...r.schema, id } : r.schema);
      setOutcome(notes.length ? { kind: 'error', text: t('designerImportedWithNotes'), details: notes } : { kind: 'ok', text: t('designerImported') });
    } catch (e) {
      setOutcome(errorOutcome(e, t('designerImportFailedPlain')));
    }
    input.value = '';
  };

  return (
    <div class="editor">
      <ModelToolbar outcome={outcome} deployLabel={t('designerSaveForm')}
        onDownload={() => download(fileName, text(), 'application/json')}
        onDeploy={async () => {
          setOutcome({ kind: 'busy', text: t('designerSaving') });
          const now = edited();
          setOutcome(await onSave(now, JSON.stringify(now) !== baseline.current));
        }} />
      <p>
        <label for="xdf-file">{t('designerImportXdf')}</label>{' '}
        <input id="xdf-file" type="file" accept=".xml,.xdf" onChange={importXdf} />
      </p>
      <div class="editor-canvas form-canvas" ref={ref} />
    </div>
  );
}

// The designer of one administration: its deployed processes and decisions
// (latest versions), the forms of its service catalogue, and an editor for
// each kind. Loaded on demand: bpmn-js, dmn-js and form-js never reach
// citizens' phones.
import { lazy, useLocation, useRoute } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { ApiError } from '../lib/api';
import { usePack } from '../lib/i18n';
import { designerPack } from './messages';
import { FormPage } from './FormPage';
import { definitionXml, latest, listDefinitions, listForms, versionsOf, type CatalogueForm, type Definition } from './model_api';

const BpmnEditor = lazy(() => import('./BpmnEditor').then((m) => m.BpmnEditor));
const DmnEditor = lazy(() => import('./DmnEditor').then((m) => m.DmnEditor));

type Kind = 'process' | 'decision' | 'form';
const extension: Record<Exclude<Kind, 'form'>, string> = { process: 'bpmn', decision: 'dmn' };

function slug(s: string): string {
  const base = s.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(base) ? base : `p_${base}`;
}

export function DesignerPage() {
  const { params } = useRoute();
  const tenant = params['tenant'] ?? '';
  const kind = params['kind'] as Kind | undefined;
  const key = params['key'];
  if (kind === 'form' && key) return <FormEditorPage tenant={tenant} formKey={key} />;
  return kind && kind !== 'form' && key ? <EditorPage tenant={tenant} kind={kind} defKey={key} /> : <DesignerHome tenant={tenant} />;
}

// A form of the catalogue: `key` is its id, or "new:" and the name of a new one.
function FormEditorPage({ tenant, formKey }: { tenant: string; formKey: string }) {
  const { t } = usePack(designerPack);
  const isNew = formKey.startsWith('new:');
  const name = isNew ? decodeURIComponent(formKey.slice(4)) : formKey;
  const id = isNew ? slug(name) : formKey;
  return (
    <Layout title={`${t('designerTitle')}: ${name}`} home={`/designer/${tenant}`}>
      <p><a href={`/designer/${tenant}`}>{t('designerBack')}</a></p>
      <h1>{name}</h1>
      <FormPage tenant={tenant} formId={id} isNew={isNew} />
    </Layout>
  );
}

function DesignerHome({ tenant }: { tenant: string }) {
  const { t } = usePack(designerPack);
  const { route } = useLocation();
  const [defs, setDefs] = useState<Definition[] | null>(null);
  const [forms, setForms] = useState<CatalogueForm[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [newName, setNewName] = useState('');
  const [newKind, setNewKind] = useState<Kind>('process');
  const load = () => {
    setError(null);
    Promise.all([listDefinitions(tenant), listForms(tenant)]).then(([d, f]) => {
      setDefs(latest(d).filter((x) => x.kind !== 'form'));
      setForms(f);
    }, (e: unknown) => {
      // The designer shares the staff session of the workspace.
      if (e instanceof ApiError && (e.problem.status === 401 || e.problem.status === 403)) setSignedOut(true);
      else setError(String(e));
    });
  };
  useEffect(load, [tenant]);
  const groups: [Kind, string][] = [['process', t('designerProcesses')], ['decision', t('designerDecisions')], ['form', t('designerForms')]];
  return (
    <Layout title={t('designerTitle')} home={`/${tenant}`}>
      <h1>{t('designerTitle')}</h1>
      {signedOut ? (
        <div class="notice" role="status">
          <p>{t('designerSignIn')}</p>
          <p><a href={`/arbeitsplatz/${tenant}`}>{t('loginTitle')}</a></p>
        </div>
      ) : error ? <LoadError message={t('designerLoadFailed')} retry={load} /> : defs === null || forms === null ? <Loading /> : (<>
        {groups.filter(([k]) => k !== 'form').map(([k, label]) => (
          <section key={k} aria-labelledby={`h-${k}`}>
            <h2 id={`h-${k}`}>{label}</h2>
            {defs.filter((d) => d.kind === k).length === 0 ? <p class="muted">{t('designerNone')}</p> : (
              <ul class="card-list">
                {defs.filter((d) => d.kind === k).map((d) => (
                  <li key={d.key} class="card">
                    <a href={`/designer/${tenant}/${k}/${encodeURIComponent(d.key)}`}>{d.id}</a>
                    <span class="muted"> · {t('designerVersion', { version: d.version })}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
        <section aria-labelledby="h-form">
          <h2 id="h-form">{t('designerForms')}</h2>
          <p class="muted">{t('designerFormsHint')}</p>
          {forms.length === 0 ? <p class="muted">{t('designerNone')}</p> : (
            <ul class="card-list">
              {forms.map((f) => (
                <li key={f.id} class="card">
                  <a href={`/designer/${tenant}/form/${encodeURIComponent(f.id)}`}>{f.id}</a>
                  <span class="muted"> · {t('designerVersion', { version: f.latestVersion })}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </>)}
      <section aria-labelledby="h-new">
        <h2 id="h-new">{t('designerNew')}</h2>
        <form class="inline-form" onSubmit={(e) => {
          e.preventDefault();
          if (!newName.trim()) return;
          route(`/designer/${tenant}/${newKind}/new:${encodeURIComponent(newName.trim())}`);
        }}>
          <label for="new-kind">{t('designerKind')}</label>
          <select id="new-kind" value={newKind} onChange={(e) => setNewKind((e.target as HTMLSelectElement).value as Kind)}>
            {groups.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
          </select>
          <label for="new-name">{t('designerName')}</label>
          <input id="new-name" required value={newName} onInput={(e) => setNewName((e.target as HTMLInputElement).value)} />
          <button type="submit" class="button">{t('designerCreate')}</button>
        </form>
      </section>
    </Layout>
  );
}

function EditorPage({ tenant, kind, defKey }: { tenant: string; kind: Exclude<Kind, 'form'>; defKey: string }) {
  const { t, lang } = usePack(designerPack);
  const isNew = defKey.startsWith('new:');
  const name = isNew ? decodeURIComponent(defKey.slice(4)) : '';
  const id = isNew ? slug(name) : '';
  const [content, setContent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (isNew) {
      if (kind === 'process') import('./BpmnEditor').then((m) => setContent(m.newProcessXml(id, name)));
      else import('./DmnEditor').then((m) => setContent(m.newDecisionXml(id, name)));
      return;
    }
    definitionXml(tenant, defKey).then(setContent, (e: unknown) => setError(String(e)));
  }, [tenant, kind, defKey]);
  const [versions, setVersions] = useState<Definition[] | null>(null);
  const [versionId, setVersionId] = useState(id);
  // The versions of this model: of the opened definition, or (a new model)
  // of the id its first deployment creates.
  const loadVersions = () => {
    listDefinitions(tenant).then((all) => {
      const mine = isNew ? all.filter((d) => d.kind === kind && d.id === id).sort((a, b) => b.version - a.version)
        : versionsOf(all, defKey);
      setVersions(mine);
      if (mine[0]) setVersionId(mine[0].id);
    }, () => setVersions([]));
  };
  useEffect(loadVersions, [tenant, kind, defKey]);
  // The model's id names the page and the download (the key is an opaque
  // UUID); until the version list is loaded, the page is the designer's.
  const modelId = isNew ? id : versions?.find((v) => v.key === defKey)?.id;
  const title = isNew ? name : modelId ?? t('designerTitle');
  const fileName = `${(modelId || defKey).replace(/[^A-Za-z0-9_.-]/g, '_')}.${extension[kind]}`;
  return (
    <Layout title={`${t('designerTitle')}: ${title}`} home={`/designer/${tenant}`}>
      <p><a href={`/designer/${tenant}`}>{t('designerBack')}</a></p>
      <h1>{title}</h1>
      {error ? <LoadError message={t('designerLoadFailed')} /> : content === null ? <Loading /> :
        kind === 'process' ? <BpmnEditor tenant={tenant} xml={content} fileName={fileName} onDeployed={loadVersions} /> :
        <DmnEditor tenant={tenant} xml={content} fileName={fileName} onDeployed={loadVersions} />}
      <section aria-labelledby="h-versions">
        <h2 id="h-versions">{t('designerVersions')}</h2>
        {versions === null ? <Loading /> : versions.length === 0 ? <p class="muted">{t('designerNone')}</p> : (
          <table id="model-versions">
            <caption>{t('designerVersionsCaption', { id: versionId || title })}</caption>
            <thead><tr><th scope="col">{t('designerVersionCol')}</th><th scope="col">{t('designerDeployedAt')}</th></tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.key} data-version={v.version}>
                  <td>{v.key === defKey ? <>{v.version} <span class="muted">({t('designerOpened')})</span></> : v.version}</td>
                  <td>{v.createdAt ? new Date(v.createdAt).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

// One form of the service catalogue in the designer: the form-js editor on a
// saved version (the latest, or ?version=N), its versions, and the services
// that use it as their application form. Versions are immutable: saving
// stores the next one; a service keeps the version it names until a designer
// switches it here (and can switch back the same way).
import { lazy, useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { LoadError, Loading } from '../components/Loading';
import { usePack } from '../lib/i18n';
import { designerPack } from './messages';
import {
  formSchema, formVersions, listForms, listServices, putService, saveForm, servicesOfForm,
  type CatalogueService, type FormVersionInfo,
} from './model_api';
import { errorOutcome, type Outcome } from './ModelToolbar';

const FormEditor = lazy(() => import('./FormEditor').then((m) => m.FormEditor));

interface Loaded { version: number; schema: Record<string, unknown> }

// The outcome of a save, shown by the page the save navigates to (the router
// mounts it afresh for the new address).
let flash: Outcome | null = null;

export function FormPage({ tenant, formId, isNew }: { tenant: string; formId: string; isNew: boolean }) {
  const { t, lang } = usePack(designerPack);
  const { query, route } = useLocation();
  const requested = Number(query['version'] ?? '') || undefined;
  const [versions, setVersions] = useState<FormVersionInfo[] | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [services, setServices] = useState<CatalogueService[] | null>(null);
  const [status, setStatus] = useState<Outcome>(() => {
    const f = flash ?? { kind: 'idle' };
    flash = null;
    return f;
  });
  const page = `/designer/${tenant}/form/${encodeURIComponent(formId)}`;

  const loadServices = () => listServices(tenant).then((all) => setServices(servicesOfForm(all, formId)), () => setServices([]));
  useEffect(() => {
    setError(null);
    setLoaded(null);
    if (isNew) {
      setVersions([]);
      import('./FormEditor').then((m) => setLoaded({ version: 0, schema: m.newFormSchema(formId) }));
      return;
    }
    formVersions(tenant, formId).then(async (vs) => {
      setVersions(vs);
      const version = requested && vs.some((v) => v.version === requested) ? requested : vs[0]?.version ?? 0;
      setLoaded({ version, schema: await formSchema(tenant, formId, version) });
    }).catch((e: unknown) => setError(String(e)));
  }, [tenant, formId, isNew, requested]);
  useEffect(() => { void loadServices(); }, [tenant, formId]);

  // The form keeps its id whatever the properties panel says: versions are
  // counted per id, and services and tasks name it.
  const save = async (schema: Record<string, unknown>, changed: boolean): Promise<Outcome> => {
    if (!changed && loaded && loaded.version > 0) {
      return { kind: 'ok', text: t('designerUnchanged', { id: formId, version: loaded.version }) };
    }
    try {
      // A new form must not become the next version of an existing one.
      if (isNew && (await listForms(tenant)).some((f) => f.id === formId)) {
        return { kind: 'error', text: t('designerFormExists', { id: formId }) };
      }
      const r = await saveForm(tenant, { ...schema, id: formId }, lang);
      if (loaded && r.version === loaded.version) return { kind: 'ok', text: t('designerUnchanged', { id: r.id, version: r.version }) };
      const saved: Outcome = { kind: 'ok', text: t('designerSaved', { id: r.id, version: r.version }) };
      flash = saved;
      setStatus(saved);
      route(`${page}?version=${r.version}`);
      // Announced once, by the page (beside the services that may now switch).
      return { kind: 'idle' };
    } catch (e) {
      return errorOutcome(e, t('designerSaveFailed'));
    }
  };

  const name = (s: CatalogueService) => (lang === 'en' && s.name.en ? s.name.en : s.name.de);
  const switchService = async (s: CatalogueService, version: number) => {
    setStatus({ kind: 'busy', text: t('designerSaving') });
    try {
      await putService(tenant, s, version, lang);
      setStatus({ kind: 'ok', text: t('designerServiceSwitched', { service: name(s), version }) });
      await loadServices();
    } catch (e) {
      setStatus(errorOutcome(e, t('designerSwitchFailed')));
    }
  };

  const when = (iso: string) => new Date(iso).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB');
  if (error) return <LoadError message={t('designerLoadFailed')} />;
  return (
    <>
      {loaded === null ? <Loading /> : (
        <FormEditor key={`${formId}@${loaded.version}`} schema={loaded.schema}
          fileName={`${formId}${loaded.version ? `-v${loaded.version}` : ''}.form`} onSave={save} />
      )}
      <section aria-labelledby="h-used">
        <h2 id="h-used">{t('designerUsedBy')}</h2>
        <div role="status" aria-live="polite" class={`outcome outcome-${status.kind}`}>
          {status.kind === 'idle' ? null : <p>{status.text}</p>}
          {status.kind === 'error' && status.details?.length ? <ul class="findings">{status.details.map((d, i) => <li key={i}>{d}</li>)}</ul> : null}
        </div>
        {services === null ? <Loading /> : services.length === 0 ? <p class="muted">{t('designerNoService')}</p> : (
          <table id="form-services">
            <caption>{t('designerUsedByCaption')}</caption>
            <thead><tr><th scope="col">{t('designerService')}</th><th scope="col">{t('designerServiceVersion')}</th>
              <th scope="col"><span class="visually-hidden">{t('designerUseVersion', { version: loaded?.version ?? '' })}</span></th></tr></thead>
            <tbody>
              {services.map((s) => (
                <tr key={s.id} data-service={s.id} data-version={s.form?.version}>
                  <td>{name(s)}</td>
                  <td>{s.form?.version}</td>
                  <td>{loaded && loaded.version > 0 && s.form?.version !== loaded.version ? (
                    <button type="button" class="button button-secondary" disabled={status.kind === 'busy'}
                      aria-label={t('designerUseVersionFor', { version: loaded.version, service: name(s) })}
                      onClick={() => void switchService(s, loaded.version)}>
                      {t('designerUseVersion', { version: loaded.version })}
                    </button>
                  ) : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p class="muted">{t('designerTaskForms')}</p>
      </section>
      <section aria-labelledby="h-versions">
        <h2 id="h-versions">{t('designerFormVersions')}</h2>
        {versions === null ? <Loading /> : versions.length === 0 ? <p class="muted">{t('designerNone')}</p> : (
          <table id="model-versions">
            <caption>{t('designerVersionsCaption', { id: formId })}</caption>
            <thead><tr><th scope="col">{t('designerVersionCol')}</th><th scope="col">{t('designerSavedAt')}</th></tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} data-version={v.version}>
                  <td>{v.version === loaded?.version
                    ? <>{v.version} <span class="muted">({t('designerOpened')})</span></>
                    : <a href={`${page}?version=${v.version}`} aria-label={t('designerOpenVersion', { version: v.version })}>{v.version}</a>}</td>
                  <td>{when(v.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

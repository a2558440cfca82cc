// The start page of an installation: the municipalities it serves (each with
// its own portal) and the system status.
import { useEffect, useState } from 'preact/hooks';
import { Layout } from '../components/Layout';
import { Loading } from '../components/Loading';
import { useLang } from '../lib/i18n';
import { useApi } from '../lib/useApi';
import { items } from './portal_api';

export interface TenantSummary { id: string; name: string; type?: string }

interface Readiness { status: string; detail?: string }

function useReadiness(): Readiness | null | 'checking' {
  const [r, setR] = useState<Readiness | null | 'checking'>('checking');
  useEffect(() => {
    fetch('/readyz', { headers: { Accept: 'application/json' } })
      .then(async (res) => {
        const body = (await res.json()) as { status?: unknown; detail?: unknown };
        setR({ status: typeof body.status === 'string' ? body.status : res.ok ? 'ready' : 'not_ready',
          ...(typeof body.detail === 'string' ? { detail: body.detail } : {}) });
      })
      .catch(() => setR(null));
  }, []);
  return r;
}

export function StartPage() {
  const { t } = useLang();
  const ready = useReadiness();
  const tenants = useApi<unknown>('/api/v1/tenants');
  const list = items<TenantSummary>(tenants.data);
  let status = t('statusChecking');
  let state = 'checking';
  if (ready === null) { status = t('statusUnreachable'); state = 'unreachable'; }
  else if (ready !== 'checking') {
    state = ready.status;
    status = ready.status === 'ready' ? t('statusReady') : t('statusNotReady', { detail: ready.detail ?? ready.status });
  }
  return (
    <Layout title={t('appName')}>
      <h1>{t('appName')}</h1>
      <p class="lead">{t('tagline')}</p>
      <section aria-labelledby="tenants-heading">
        <h2 id="tenants-heading">{t('tenantsHeading')}</h2>
        {tenants.loading ? <Loading /> : list.length === 0 ? <p>{t('emptyInstallation')}</p> : (
          <ul class="card-list">
            {list.map((tn) => (
              <li key={tn.id} class="card"><a href={`/${tn.id}`}>{tn.name}</a>{tn.type ? <span class="muted"> · {tn.type}</span> : null}</li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="status-heading">
        <h2 id="status-heading">{t('statusHeading')}</h2>
        <p id="status" role="status" data-state={state}>{status}</p>
      </section>
    </Layout>
  );
}

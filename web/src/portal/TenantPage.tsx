// A municipality's portal: its services with a finder (search as you type
// over names, descriptions and keys), and a way to look up a submission.
import { useLocation, useRoute } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { pick, useLang } from '../lib/i18n';
import { useApi } from '../lib/useApi';
import { items, tenantPath, type Service, type Tenant } from './portal_api';

export function useTenant(id: string) {
  return useApi<Tenant>(id ? tenantPath(id) : null);
}

export function themeOf(t: Tenant | null): { name?: string; logoUrl?: string; primaryColor?: string } | undefined {
  if (!t) return undefined;
  return {
    name: t.name,
    ...(t.portal?.logoUrl ? { logoUrl: t.portal.logoUrl } : {}),
    ...(t.portal?.primaryColor ? { primaryColor: t.portal.primaryColor } : {}),
  };
}

function normalize(s: string): string {
  return s.toLocaleLowerCase('de').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss');
}

export function matches(service: Service, query: string): boolean {
  const q = normalize(query.trim());
  if (!q) return true;
  const hay = normalize([service.name.de, service.name.en, service.description?.de, service.description?.en, service.leika]
    .filter(Boolean).join(' '));
  return q.split(/\s+/).every((word) => hay.includes(word));
}

export function TenantPage() {
  const { params } = useRoute();
  const tenantId = params['tenant'] ?? '';
  const { t, lang } = useLang();
  const { route } = useLocation();
  const tenant = useTenant(tenantId);
  const services = useApi<unknown>(`/api/v1/services?tenant=${encodeURIComponent(tenantId)}`);
  const [query, setQuery] = useState('');
  const [code, setCode] = useState('');
  const list = useMemo(() => items<Service>(services.data).filter((s) => s.published !== false)
    .sort((a, b) => pick(lang, a.name).localeCompare(pick(lang, b.name), lang)), [services.data, lang]);
  const shown = list.filter((s) => matches(s, query));

  if (tenant.problem?.status === 404) {
    return (
      <Layout title={t('notFoundHeading')}>
        <h1>{t('notFoundHeading')}</h1>
        <p>{t('tenantUnknown', { id: tenantId })}</p>
        <p><a href="/">{t('toHome')}</a></p>
      </Layout>
    );
  }
  const name = tenant.data?.name ?? tenantId;
  return (
    <Layout title={t('servicesOf', { name })} theme={themeOf(tenant.data)} home={`/${tenantId}`}>
      <h1>{t('servicesOf', { name })}</h1>
      <form role="search" class="search-form" onSubmit={(e) => e.preventDefault()}>
        <label for="service-search">{t('searchServices')}</label>
        <input id="service-search" type="search" value={query} autoComplete="off"
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
      </form>
      {services.loading ? <Loading /> : services.problem ? <LoadError message={t('servicesLoadFailed')} retry={services.reload} /> : (
        <>
          <p role="status" class="muted">{t('servicesFound', { n: shown.length })}</p>
          <ul class="card-list service-list">
            {shown.map((s) => (
              <li key={s.id} class="card">
                <h2 class="card-title"><a href={`/${tenantId}/leistungen/${encodeURIComponent(s.id)}`}>{pick(lang, s.name)}</a></h2>
                {s.description ? <p>{firstSentence(pick(lang, s.description))}</p> : null}
              </li>
            ))}
          </ul>
        </>
      )}
      <section aria-labelledby="status-lookup">
        <h2 id="status-lookup">{t('statusLookupHeading')}</h2>
        <form class="inline-form" onSubmit={(e) => {
          e.preventDefault();
          const c = code.trim().toUpperCase();
          if (c) route(`/${tenantId}/status/${encodeURIComponent(c)}`);
        }}>
          <label for="tracking-code">{t('trackingCode')}</label>
          <input id="tracking-code" value={code} autoComplete="off" autoCapitalize="characters" spellcheck={false}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
          <button type="submit" class="button">{t('showStatus')}</button>
        </form>
      </section>
    </Layout>
  );
}

function firstSentence(text: string): string {
  const plain = text.replace(/[#*_`>]/g, '').trim();
  const m = /^(.{20,220}?[.!?])(\s|$)/.exec(plain);
  return m?.[1] ?? (plain.length > 220 ? `${plain.slice(0, 217)}…` : plain);
}

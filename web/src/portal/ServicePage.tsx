// One service: what it is, what it costs, what to bring, the legal basis and
// how long it takes — then the way to the application form.
import { useRoute } from 'preact-iso';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { pick, useLang } from '../lib/i18n';
import { useApi } from '../lib/useApi';
import { servicePath, type Service } from './portal_api';
import { themeOf, useTenant } from './TenantPage';

export function ServicePage() {
  const { params } = useRoute();
  const tenantId = params['tenant'] ?? '';
  const id = params['service'] ?? '';
  const { t, lang } = useLang();
  const tenant = useTenant(tenantId);
  const service = useApi<Service>(servicePath(id));
  const s = service.data;
  const title = s ? pick(lang, s.name) : t('loading');
  return (
    <Layout title={title} theme={themeOf(tenant.data)} home={`/${tenantId}`}>
      <nav aria-label={t('breadcrumb')} class="breadcrumb"><a href={`/${tenantId}`}>{t('allServices')}</a></nav>
      {service.loading ? <Loading /> : service.problem?.status === 404 ? (
        <>
          <h1>{t('notFoundHeading')}</h1>
          <p>{t('serviceUnknown')}</p>
          <p><a href={`/${tenantId}`}>{t('allServices')}</a></p>
        </>
      ) : service.problem || !s ? (
        <>
          <h1>{t('servicesLoadFailed')}</h1>
          <LoadError message={t('servicesLoadFailed')} retry={service.reload} />
        </>
      ) : (
        <>
          <h1>{pick(lang, s.name)}</h1>
          {s.description ? pick(lang, s.description).split(/\n{2,}/).map((p, i) => <p key={i}>{p}</p>) : null}
          <dl class="facts">
            {s.processingTimeDays ? (<><dt>{t('processingTime')}</dt><dd>{t('processingDays', { n: s.processingTimeDays })}</dd></>) : null}
            {s.fees ? (<><dt>{t('fees')}</dt><dd>{s.fees}</dd></>) : null}
            {s.legalBasis ? (<><dt>{t('legalBasis')}</dt><dd>{s.legalBasis}</dd></>) : null}
            {s.leika ? (<><dt>{t('leikaKey')}</dt><dd>{s.leika}</dd></>) : null}
          </dl>
          {s.requiredDocuments?.length ? (
            <section aria-labelledby="docs-heading">
              <h2 id="docs-heading">{t('requiredDocuments')}</h2>
              <ul>{s.requiredDocuments.map((d, i) => <li key={i}>{d}</li>)}</ul>
            </section>
          ) : null}
          <p><a class="button button-start" href={`/${tenantId}/leistungen/${encodeURIComponent(s.id)}/antrag`}>{t('startApplication')}</a></p>
          <p class="muted">{t('noAccountNeeded')}</p>
        </>
      )}
    </Layout>
  );
}

// Status of a submission by its tracking code: the stage and the expected
// processing time, never personal data.
import { useRoute } from 'preact-iso';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { pick, useLang, type T } from '../lib/i18n';
import { useApi } from '../lib/useApi';
import type { SubmissionStatus } from './portal_api';
import { themeOf, useTenant } from './TenantPage';

export function stageLabel(stage: string, t: T): string {
  switch (stage) {
    case 'received': return t('stageReceived');
    case 'in_progress': return t('stageInProgress');
    case 'completed': return t('stageCompleted');
    case 'closed': return t('stageClosed');
    default: return stage;
  }
}

export function StatusPage() {
  const { params } = useRoute();
  const tenantId = params['tenant'] ?? '';
  const code = params['code'] ?? '';
  const { t, lang } = useLang();
  const tenant = useTenant(tenantId);
  const status = useApi<SubmissionStatus>(`/api/v1/submissions/${encodeURIComponent(code)}`);
  const s = status.data;
  const date = (iso?: string) => (iso ? new Date(iso).toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB') : '');
  return (
    <Layout title={t('statusOf', { code })} theme={themeOf(tenant.data)} home={`/${tenantId}`}>
      <h1>{t('statusOf', { code })}</h1>
      {status.loading ? <Loading /> : status.problem || !s ? (
        <LoadError message={status.problem?.status === 404 ? t('trackingCodeUnknown') : t('statusLoadFailed')} />
      ) : (
        <dl class="facts" id="submission-status">
          {s.service?.name ? (<><dt>{t('service')}</dt><dd>{pick(lang, s.service.name)}</dd></>) : null}
          <dt>{t('stage')}</dt>
          <dd data-stage={s.stage}>{stageLabel(s.stage, t)}</dd>
          {s.submittedAt ? (<><dt>{t('submittedAt')}</dt><dd>{date(s.submittedAt)}</dd></>) : null}
          {s.expectedBy ? (<><dt>{t('expectedBy')}</dt><dd>{date(s.expectedBy)}</dd></>)
            : s.expectedProcessingDays ? (<><dt>{t('processingTime')}</dt><dd>{t('processingDays', { n: s.expectedProcessingDays })}</dd></>) : null}
        </dl>
      )}
    </Layout>
  );
}

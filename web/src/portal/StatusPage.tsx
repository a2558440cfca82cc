// Status of a submission by its tracking code: the case's real stage (received,
// in progress, waiting for the applicant, decided, completed) with the date of
// each step, the expected processing time and the way to the postbox — never
// personal data, staff names or notes.
import { useRoute } from 'preact-iso';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { pick, useLang, type T } from '../lib/i18n';
import { useApi } from '../lib/useApi';
import { postfachHref, progressPath, stageKey, stepStateKey, type Progress } from './progress';
import { themeOf, useTenant } from './TenantPage';

export function stageLabel(stage: string, t: T): string {
  const key = stageKey(stage);
  return key ? t(key) : stage;
}

function storage(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}

export function StatusPage() {
  const { params } = useRoute();
  const tenantId = params['tenant'] ?? '';
  const code = params['code'] ?? '';
  const { t, lang } = useLang();
  const tenant = useTenant(tenantId);
  const status = useApi<Progress>(progressPath(tenantId, code));
  const s = status.data;
  const date = (iso?: string | null) => (iso ? new Date(iso).toLocaleDateString(lang === 'de' ? 'de-DE' : 'en-GB') : '');
  const postfach = postfachHref(tenantId, code, storage());
  return (
    <Layout title={t('statusOf', { code })} theme={themeOf(tenant.data)} home={`/${tenantId}`}>
      <h1>{t('statusOf', { code })}</h1>
      {status.loading ? <Loading /> : status.problem || !s ? (
        <LoadError message={status.problem?.status === 404 ? t('trackingCodeUnknown') : t('statusLoadFailed')} />
      ) : (
        <>
          <dl class="facts" id="submission-status">
            {s.service?.name ? (<><dt>{t('service')}</dt><dd>{pick(lang, s.service.name)}</dd></>) : null}
            <dt>{t('stage')}</dt>
            <dd data-stage={s.stage}>{stageLabel(s.stage, t)}</dd>
            {s.submittedAt ? (<><dt>{t('submittedAt')}</dt><dd>{date(s.submittedAt)}</dd></>) : null}
            {s.expectedBy && s.stage !== 'completed' && s.stage !== 'closed' && s.stage !== 'decided'
              ? (<><dt>{t('expectedBy')}</dt><dd>{date(s.expectedBy)}</dd></>)
              : s.expectedProcessingDays && !s.expectedBy ? (<><dt>{t('processingTime')}</dt><dd>{t('processingDays', { n: s.expectedProcessingDays })}</dd></>) : null}
          </dl>
          <h2 id="stages-heading">{t('stageSteps')}</h2>
          <ol class="stages" id="submission-stages" aria-labelledby="stages-heading">
            {s.stages.map((step) => (
              <li key={step.stage} data-stage={step.stage} data-state={step.state}
                aria-current={step.state === 'current' ? 'step' : undefined}>
                <span class="stage-name">{stageLabel(step.stage, t)}</span>
                <span class="stage-when">
                  {t(stepStateKey(step.state))}{step.at ? ` ${t('stepOn', { date: date(step.at) })}` : ''}
                </span>
              </li>
            ))}
          </ol>
          {s.stage === 'decided' || s.decidedAt || s.postbox ? (
            <div class="notice" id="status-postbox">
              <p>{s.decidedAt ? t('bescheidInPostfach') : t('messageInPostfach')}</p>
              {postfach ? <p><a href={postfach}>{t('openPostfach')}</a></p> : <p>{t('postfachLinkHint')}</p>}
            </div>
          ) : postfach ? (
            <p><a href={postfach}>{t('openPostfach')}</a></p>
          ) : null}
        </>
      )}
    </Layout>
  );
}

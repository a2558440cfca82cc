// Filing an application: fill the form (form-js, validated in the browser as
// a courtesy and on the server as the authority), review every answer, send.
// The server's per-field errors go back onto the fields with an error summary
// on top; a retry after a lost connection reuses the Idempotency-Key, so it
// never files twice. A draft can be saved and resumed with a link.
import { lazy, useLocation, useRoute } from 'preact-iso';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorSummary, type SummaryItem } from '../components/ErrorSummary';
import { Layout } from '../components/Layout';
import { LoadError, Loading } from '../components/Loading';
import { api, ApiError, type FieldProblem } from '../lib/api';
import { localizeSchema, mapServerErrors, type FieldInstance } from '../lib/formSchema';
import { pick, useLang } from '../lib/i18n';
import { useApi } from '../lib/useApi';
import type { FormHandle } from './FormView';
import { servicePath, submit, type Service, type SubmissionReceipt } from './portal_api';
import { themeOf, useTenant } from './TenantPage';

// The form renderer (form-js, the biggest part of a citizen's download) starts
// loading as soon as this page's code runs, beside the service's API request,
// not after it: one round trip less on a slow mobile network.
const formViewModule = import('./FormView');
const FormView = lazy(() => formViewModule.then((m) => m.FormView));

type Step = 'fill' | 'review' | 'sending';

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function formatValue(v: unknown, t: (k: 'yes' | 'no') => string): string {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (Array.isArray(v)) return v.map((x) => formatValue(x, t)).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function valueAt(data: Record<string, unknown>, path: (string | number)[]): unknown {
  let cur: unknown = data;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[String(p)];
  }
  return cur;
}

export function ApplyPage() {
  const { params, query } = useRoute();
  const tenantId = params['tenant'] ?? '';
  const serviceId = params['service'] ?? '';
  const { t, lang } = useLang();
  const { route } = useLocation();
  const tenant = useTenant(tenantId);
  const service = useApi<Service>(servicePath(serviceId));
  const draftToken = query['entwurf'] ?? '';
  const draft = useApi<{ data: Record<string, unknown> }>(draftToken ? `/api/v1/drafts/${encodeURIComponent(draftToken)}` : null);
  const [step, setStep] = useState<Step>('fill');
  const [data, setData] = useState<Record<string, unknown>>({});
  const [files, setFiles] = useState<Map<string, File[]>>(new Map());
  const [review, setReview] = useState<FieldInstance[]>([]);
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [draftLink, setDraftLink] = useState<string | null>(null);
  const handle = useRef<FormHandle | null>(null);
  const pendingErrors = useRef<FieldProblem[] | null>(null);  // server errors for the re-mounted form
  const keyName = `amtsweg.idem.${serviceId}`;

  useEffect(() => {
    if (draft.data?.data) setData(draft.data.data);
  }, [draft.data]);

  const rawSchema = service.data?.formSchema ?? null;
  // One object per schema and language: FormView builds a new form-js
  // instance whenever the object changes (and did on every re-render).
  const schema = useMemo(() => (rawSchema ? localizeSchema(rawSchema, lang) : null), [rawSchema, lang]);

  const toReview = () => {
    const h = handle.current;
    if (!h) return;
    const r = h.submit();
    const errorIds = Object.keys(r.errors);
    if (errorIds.length) {
      const mapped = h.instances().filter((i) => errorIds.includes(i.id));
      setSummary(mapped.map((i) => ({ text: `${i.label ?? i.id}: ${t('fieldInvalid')}`, href: `#fjs-form-${h.formId() ?? ''}-${i.id}` })));
      return;
    }
    setSummary([]);
    setData(r.data);
    setFiles(r.files);
    setReview(h.instances());
    setStep('review');
  };

  const send = async () => {
    setStep('sending');
    setNotice(null);
    let key = sessionStorage.getItem(keyName);
    if (!key) {
      key = newKey();
      sessionStorage.setItem(keyName, key);
    }
    try {
      const receipt: SubmissionReceipt = await submit(serviceId, data, files, key, lang, (f) => setProgress(f));
      sessionStorage.removeItem(keyName);
      sessionStorage.setItem(`amtsweg.receipt.${receipt.trackingCode}`, JSON.stringify(receipt));
      route(`/${tenantId}/eingang/${encodeURIComponent(receipt.trackingCode)}`);
    } catch (e) {
      setProgress(null);
      if (e instanceof ApiError && e.problem.status === 422 && e.problem.errors.length) {
        // Back to the form with every error on its field. The form is
        // mounted again, so the mapping is applied once it is ready.
        pendingErrors.current = e.problem.errors;
        setStep('fill');
        return;
      }
      if (e instanceof ApiError && e.problem.status === 0) setNotice(t('networkError'));
      else if (e instanceof ApiError) {
        // A new key for a request the server refused for good; the same key
        // again only where the outcome is unknown.
        sessionStorage.removeItem(keyName);
        setNotice(e.problem.detail ?? e.problem.title);
      } else setNotice(String(e));
      setStep('review');
    }
  };

  const onReady = (h: FormHandle) => {
    handle.current = h;
    const pending = pendingErrors.current;
    if (pending) {
      const mapped = mapServerErrors(h.instances(), pending, h.formId());
      h.setErrors(mapped.errors);
      setSummary(mapped.summary);
      pendingErrors.current = null;
    }
  };

  const saveDraft = async () => {
    const current = handle.current?.submit().data ?? data;
    try {
      const r = await api<{ token: string }>(`${servicePath(serviceId)}/drafts`, { method: 'POST', body: { data: current }, lang });
      setDraftLink(`${location.origin}/${tenantId}/leistungen/${encodeURIComponent(serviceId)}/antrag?entwurf=${encodeURIComponent(r.token)}`);
    } catch (e) {
      setNotice(e instanceof ApiError ? (e.problem.detail ?? e.problem.title) : String(e));
    }
  };

  const title = service.data ? t('applicationFor', { name: pick(lang, service.data.name) }) : t('loading');
  const loading = service.loading || draft.loading;
  const failed = service.problem ?? draft.problem;
  return (
    <Layout title={title} theme={themeOf(tenant.data)} home={`/${tenantId}`}>
      <nav aria-label={t('breadcrumb')} class="breadcrumb">
        <a href={`/${tenantId}/leistungen/${encodeURIComponent(serviceId)}`}>{t('backToService')}</a>
      </nav>
      <h1>{title}</h1>
      <ol class="steps" aria-label={t('stepsLabel')}>
        <li aria-current={step === 'fill' ? 'step' : undefined}>{t('stepFill')}</li>
        <li aria-current={step !== 'fill' ? 'step' : undefined}>{t('stepReview')}</li>
      </ol>
      {notice ? <div class="notice notice-error" role="alert"><p>{notice}</p></div> : null}
      {loading ? <Loading /> : failed || !schema ? <LoadError message={t('formLoadFailed')} /> : step === 'fill' ? (
        <>
          <ErrorSummary items={summary} />
          <FormView schema={schema} data={data} onReady={onReady} />
          <div class="form-actions">
            <button type="button" class="button" onClick={toReview}>{t('continueToReview')}</button>
            <button type="button" class="button button-secondary" onClick={saveDraft}>{t('saveDraft')}</button>
          </div>
          {draftLink ? (
            <div class="notice" role="status">
              <p>{t('draftSaved')}</p>
              <p><a href={draftLink} class="draft-link">{draftLink}</a></p>
            </div>
          ) : null}
        </>
      ) : (
        <section aria-labelledby="review-heading">
          <h2 id="review-heading" tabIndex={-1}>{t('reviewHeading')}</h2>
          <dl class="review">
            {review.map((i) => (
              <div key={`${i.id}:${i.valuePath.join('.')}`}>
                <dt>{i.label ?? i.id}</dt>
                <dd>{formatValue(valueAt(data, i.valuePath), t)}</dd>
              </div>
            ))}
            {[...files.entries()].map(([ref, list]) => (
              <div key={ref}><dt>{t('attachments')}</dt><dd>{list.map((f) => `${f.name} (${Math.ceil(f.size / 1024)} KB)`).join(', ')}</dd></div>
            ))}
          </dl>
          {progress !== null ? (
            <p><label for="upload-progress">{t('uploading')}</label>{' '}
              <progress id="upload-progress" max={1} value={progress}>{Math.round(progress * 100)} %</progress></p>
          ) : null}
          <div class="form-actions">
            <button type="button" class="button" disabled={step === 'sending'} onClick={send}>{t('sendApplication')}</button>
            <button type="button" class="button button-secondary" disabled={step === 'sending'} onClick={() => setStep('fill')}>{t('changeAnswers')}</button>
          </div>
        </section>
      )}
    </Layout>
  );
}

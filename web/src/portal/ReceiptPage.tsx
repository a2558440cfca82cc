// After sending: the tracking code (to read aloud on the phone), the case
// number, the receipt PDF, and what happens next.
import { useRoute } from 'preact-iso';
import { Layout } from '../components/Layout';
import { useLang } from '../lib/i18n';
import type { SubmissionReceipt } from './portal_api';
import { themeOf, useTenant } from './TenantPage';

export function ReceiptPage() {
  const { params } = useRoute();
  const tenantId = params['tenant'] ?? '';
  const code = params['code'] ?? '';
  const { t } = useLang();
  const tenant = useTenant(tenantId);
  let receipt: SubmissionReceipt | null = null;
  try {
    receipt = JSON.parse(sessionStorage.getItem(`amtsweg.receipt.${code}`) ?? 'null') as SubmissionReceipt | null;
  } catch {
    receipt = null;
  }
  return (
    <Layout title={t('receiptHeading')} theme={themeOf(tenant.data)} home={`/${tenantId}`}>
      <div class="panel-confirmation">
        <h1>{t('receiptHeading')}</h1>
        <p>{t('yourTrackingCode')}</p>
        <p class="tracking-code" id="tracking-code">{code}</p>
      </div>
      {receipt?.caseNumber ? <p>{t('caseNumberIs', { number: receipt.caseNumber })}</p> : null}
      {receipt?.receipt?.url ? (
        <p><a class="button button-secondary" href={receipt.receipt.url} download>{t('downloadReceipt')}</a></p>
      ) : null}
      <h2>{t('whatNext')}</h2>
      <p>{t('whatNextText')}</p>
      <p><a href={`/${tenantId}/status/${encodeURIComponent(code)}`}>{t('showStatus')}</a></p>
      {receipt?.receipt?.key ? (
        <p><a href={`/${tenantId}/postfach/${encodeURIComponent(code)}?key=${encodeURIComponent(receipt.receipt.key)}`}>{t('openPostfach')}</a></p>
      ) : null}
    </Layout>
  );
}

import { Layout } from '../components/Layout';
import { useLang } from '../lib/i18n';

export function NotFound({ path }: { path?: string }) {
  const { t } = useLang();
  return (
    <Layout title={t('notFoundHeading')}>
      <h1>{t('notFoundHeading')}</h1>
      <p>{t('notFoundText', { path: path ?? window.location.pathname })}</p>
      <p><a href="/">{t('toHome')}</a></p>
    </Layout>
  );
}

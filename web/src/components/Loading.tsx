import { useLang } from '../lib/i18n';

// A polite live region, so "loading" and its end are announced once.
export function Loading({ label }: { label?: string }) {
  const { t } = useLang();
  return <p class="loading" role="status">{label ?? t('loading')}</p>;
}

export function LoadError({ message, retry }: { message: string; retry?: () => void }) {
  const { t } = useLang();
  return (
    <div class="notice notice-error" role="alert">
      <p>{message}</p>
      {retry ? <button type="button" class="button button-secondary" onClick={retry}>{t('retry')}</button> : null}
    </div>
  );
}

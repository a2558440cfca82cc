// GOV.UK-style error summary: a focused box at the top of a form that lists
// every error and links to the field it belongs to (WCAG 3.3.1 / 3.3.3).
import { useEffect, useRef } from 'preact/hooks';
import { useLang } from '../lib/i18n';

export interface SummaryItem { text: string; href?: string }

export function ErrorSummary({ items, title }: { items: SummaryItem[]; title?: string }) {
  const { t } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (items.length) ref.current?.focus();
  }, [items]);
  if (!items.length) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title ?? t('errorSummaryTitle')}</h2>
      <ul>
        {items.map((it, i) => (
          <li key={i}>{it.href ? <a href={it.href}>{it.text}</a> : it.text}</li>
        ))}
      </ul>
    </div>
  );
}

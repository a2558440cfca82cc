// The frame of every page: header with the municipality's name, logo and
// colours, the language switch, and <main> that receives focus after a
// client-side navigation (so screen-reader and keyboard users start at the
// new content, as on a full page load).
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLang } from '../lib/i18n';

export interface Theme {
  name?: string;
  logoUrl?: string;
  primaryColor?: string;  // #rrggbb; text on it is white, so it must be dark enough (checked server-side)
}

export function Layout({ title, theme, children, home = '/' }:
  { title: string; theme?: Theme | undefined; children: ComponentChildren; home?: string }) {
  const { lang, setLang, t } = useLang();
  useEffect(() => {
    document.title = theme?.name ? `${title} – ${theme.name}` : title === t('appName') ? title : `${title} – ${t('appName')}`;
  }, [title, theme?.name, lang]);
  const style = theme?.primaryColor && /^#[0-9a-fA-F]{6}$/.test(theme.primaryColor)
    ? { '--brand': theme.primaryColor } as Record<string, string> : undefined;
  const other = lang === 'de' ? 'en' : 'de';
  return (
    <div class="frame" style={style}>
      <header class="site-header">
        <a class="brand" href={home}>
          {theme?.logoUrl ? <img src={theme.logoUrl} alt="" class="brand-logo" /> : null}
          <span>{theme?.name ?? t('appName')}</span>
        </a>
        <nav aria-label={t('language')}>
          <button type="button" class="lang-switch" lang={other} onClick={() => setLang(other)}>
            {t('switchTo')}
          </button>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
      <footer class="site-footer">
        <p>{t('footer')}</p>
      </footer>
    </div>
  );
}

// Moves focus to <main> when the route changes (not on the first load, where
// the browser's own start is right and the skip link must stay the first stop).
let firstRoute = true;
export function focusMainOnRouteChange(): void {
  if (firstRoute) {
    firstRoute = false;
    return;
  }
  document.getElementById('main')?.focus();
}

import './style.css';
import { type Lang, t } from './messages';

// The start page of an installation. The portal, workspace and designer
// arrive with their issues; this page already shows what the server reports.

const LANG_KEY = 'amtsweg.lang';

function currentLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' ? 'en' : 'de';
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

interface Readiness { status: string; detail?: string }

async function readiness(): Promise<Readiness | null> {
  try {
    const res = await fetch('/readyz', { headers: { Accept: 'application/json' } });
    const body: unknown = await res.json();
    if (typeof body === 'object' && body !== null && 'status' in body) {
      const b = body as { status: unknown; detail?: unknown };
      return { status: String(b.status), ...(typeof b.detail === 'string' ? { detail: b.detail } : {}) };
    }
    return { status: res.ok ? 'ready' : 'not_ready' };
  } catch {
    return null;
  }
}

function render(): void {
  const lang = currentLang();
  document.documentElement.lang = lang;
  const app = document.getElementById('app');
  if (!app) return;

  const switcher = el('button', { type: 'button', class: 'lang-switch', lang: lang === 'de' ? 'en' : 'de' },
    t(lang, 'switchTo'));
  switcher.addEventListener('click', () => {
    localStorage.setItem(LANG_KEY, lang === 'de' ? 'en' : 'de');
    render();
  });

  const header = el('header', { class: 'site-header' },
    el('p', { class: 'brand' }, t(lang, 'appName')),
    el('nav', { 'aria-label': t(lang, 'language') }, switcher));

  const main = el('main', { id: 'main', tabindex: '-1' });
  const path = window.location.pathname;
  if (path === '/' || path === '/index.html') {
    const status = el('p', { id: 'status', role: 'status' }, t(lang, 'statusChecking'));
    main.append(
      el('h1', {}, t(lang, 'appName')),
      el('p', { class: 'lead' }, t(lang, 'tagline')),
      el('p', {}, t(lang, 'emptyInstallation')),
      el('section', { 'aria-labelledby': 'status-heading' },
        el('h2', { id: 'status-heading' }, t(lang, 'statusHeading')), status));
    void readiness().then((r) => {
      if (r === null) status.textContent = t(lang, 'statusUnreachable');
      else if (r.status === 'ready') status.textContent = t(lang, 'statusReady');
      else status.textContent = t(lang, 'statusNotReady', { detail: r.detail ?? r.status });
      status.dataset['state'] = r?.status ?? 'unreachable';
    });
  } else {
    // Client routes the app does not know yet get a proper not-found page.
    main.append(
      el('h1', {}, t(lang, 'notFoundHeading')),
      el('p', {}, t(lang, 'notFoundText', { path })),
      el('p', {}, el('a', { href: '/' }, t(lang, 'toHome'))));
  }
  app.replaceChildren(header, main);
}

render();

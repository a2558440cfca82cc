// Language of the UI: German by default, English on request. The choice is
// kept in localStorage and mirrored into <html lang> so that screen readers
// pronounce the page right.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { messages, type Lang, type MessageKey } from './messages';

export type { Lang, MessageKey };

const LANG_KEY = 'amtsweg.lang';

export function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

function interpolate(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) =>
    params[name] !== undefined ? String(params[name]) : `{${name}}`);
}

export function format(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return interpolate(messages[lang][key], params);
}

// Texts of pages loaded on demand (administration, dashboards, …) live in a
// pack beside them, so that they do not weigh on a citizen's first download.
// A pack has the same keys in German and English (checked by the type).
export type Pack<K extends string> = { de: Record<K, string>; en: Record<K, string> };
export function definePack<const D extends Record<string, string>>(pack: { de: D; en: Record<keyof D, string> }):
  Pack<keyof D & string> {
  return pack as Pack<keyof D & string>;
}

// useLang with a pack's keys added to t().
export function usePack<K extends string>(pack: Pack<K>) {
  const state = useLang();
  const t = (key: MessageKey | K, params: Record<string, string | number> = {}): string => {
    const own = (pack[state.lang] as Record<string, string>)[key];
    return own !== undefined ? interpolate(own, params) : state.t(key as MessageKey, params);
  };
  return { ...state, t };
}

export type T = (key: MessageKey, params?: Record<string, string | number>) => string;

interface LangState { lang: Lang; setLang: (l: Lang) => void; t: T }

const LangContext = createContext<LangState>({
  lang: 'de',
  setLang: () => undefined,
  t: (key, params) => format('de', key, params),
});

export function LangProvider({ children, initial }: { children: ComponentChildren; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(initial ?? storedLang());
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = (l: Lang) => {
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
    setLangState(l);
  };
  const t: T = (key, params) => format(lang, key, params);
  return <LangContext.Provider value={{ lang, setLang, t }}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

// Picks the text of the current language from a {de, en} pair the API sends
// (service names, descriptions); falls back to German, the authoritative one.
export function pick(lang: Lang, text: { de?: string; en?: string } | string | undefined | null): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return (lang === 'en' ? text.en : text.de) || text.de || text.en || '';
}

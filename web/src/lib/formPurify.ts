// DOMPurify for the form renderer, loaded only when a form has an HTML field.
//
// form-js sanitizes with DOMPurify only what its `html` field shows (text
// fields' markdown goes through its own sanitizer); DOMPurify is 12 KB gzip
// that no other citizen's form needs. The build points form-js's
// `import DOMPurify from 'dompurify'` here (scripts/form-js-patches.ts);
// `preparePurify(schema)` loads it before a form with an HTML field is
// imported, and the form editor registers it eagerly (formFull.ts).
import type { Config } from 'dompurify';
import { lazyLibrary } from './lazyLibrary';

interface Purifier { sanitize(html: string, config: Config): unknown }
const purifyLib = lazyLibrary<Purifier>(() => import('dompurify').then((m) => m.default));

export function registerPurify(p: Purifier) {
  purifyLib.register(p);
}

export function loadPurify(): Promise<void> {
  return purifyLib.load();
}

export function onPurify(listener: () => void): () => void {
  return purifyLib.on(listener);
}

// Until DOMPurify is here, nothing unsanitized is shown: an empty string, and
// the form renders again once it has arrived.
const DOMPurify = {
  sanitize(html: string, config: Config): string {
    const purifier = purifyLib.value;
    if (!purifier) {
      void loadPurify();
      return '';
    }
    return String(purifier.sanitize(html, config));
  },
};
export default DOMPurify;

export function needsPurify(schema: unknown): boolean {
  const visit = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(visit);
    if (v === null || typeof v !== 'object') return false;
    const o = v as Record<string, unknown>;
    return o['type'] === 'html' || Object.values(o).some(visit);
  };
  return visit(schema);
}

export function preparePurify(schema: unknown): Promise<void> | null {
  return !purifyLib.value && needsPurify(schema) ? loadPurify() : null;
}

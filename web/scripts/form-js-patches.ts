// Vite plugin: small, measured fixes to the form-js viewer's code as it is
// bundled (version 1.23; the build fails if a fix no longer applies, so an
// upgrade looks at them again instead of silently losing them).
//
// - getLocaleDateFormat builds a new Intl.DateTimeFormat on every call, and
//   every date field calls it on every render (placeholder, flatpickr
//   format): about 100 ms of main thread on the form page of the Plakatierung
//   (three date fields) under a 4x slower CPU. Its answer depends only on the
//   locale, so it is computed once per locale.
import type { Plugin } from 'vite';

interface Patch { file: RegExp; find: string; replace: string; why: string }

export const formJsPatches: Patch[] = [
  {
    file: /@bpmn-io\/form-js-viewer\/dist\/index\.es\.js$/,
    find: "function getLocaleDateFormat(locale = 'default') {",
    replace: [
      'const awLocaleDateFormats = new Map();',
      "function getLocaleDateFormat(locale = 'default') {",
      '  let format = awLocaleDateFormats.get(locale);',
      '  if (format === undefined) {',
      '    format = awComputeLocaleDateFormat(locale);',
      '    awLocaleDateFormats.set(locale, format);',
      '  }',
      '  return format;',
      '}',
      'function awComputeLocaleDateFormat(locale) {',
    ].join('\n'),
    why: 'one Intl.DateTimeFormat per locale instead of one per date field render',
  },
];

export function applyPatches(code: string, id: string, patches: Patch[]): string | null {
  let out: string | null = null;
  for (const p of patches) {
    if (!p.file.test(id.replaceAll('\\', '/'))) continue;
    const src: string = out ?? code;
    const at = src.indexOf(p.find);
    if (at < 0 || src.indexOf(p.find, at + 1) >= 0) {
      throw new Error(`form-js patch (${p.why}) does not apply to ${id}: expected "${p.find}" exactly once`);
    }
    out = src.slice(0, at) + p.replace + src.slice(at + p.find.length);
  }
  return out;
}

export function formJsPatchesPlugin(patches: Patch[] = formJsPatches): Plugin {
  return {
    name: 'amtsweg-form-js-patches',
    enforce: 'pre',
    transform(code, id) {
      const patched = applyPatches(code, id, patches);
      return patched === null ? null : { code: patched, map: null };
    },
  };
}

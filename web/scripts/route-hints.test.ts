import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatches, formJsPatches, withoutFlatpickrCss } from './form-js-patches';
import { routeHints } from './route-hints';

// A bundle as Rollup hands it to generateBundle: the entry, a lazy page that
// imports a shared chunk and lazily a renderer with its own CSS.
const chunk = (fileName: string, facade: string | null, imports: string[], code: string, css: string[] = [], isEntry = false) =>
  ({ type: 'chunk', fileName, isEntry, facadeModuleId: facade, imports, code, viteMetadata: { importedCss: new Set(css) } });
const bundle = {
  'assets/index-1.js': chunk('assets/index-1.js', '/w/src/main.tsx', ['assets/shared-2.js'], 'x'.repeat(100), [], true),
  'assets/shared-2.js': chunk('assets/shared-2.js', null, [], 'x'.repeat(10)),
  'assets/Page-3.js': chunk('assets/Page-3.js', '/w/src/portal/Page.tsx', ['assets/shared-2.js', 'assets/util-4.js'], 'x'.repeat(20)),
  'assets/util-4.js': chunk('assets/util-4.js', null, [], 'x'.repeat(5)),
  'assets/View-5.js': chunk('assets/View-5.js', '/w/src/portal/View.tsx', ['assets/big-6.js'], 'x'.repeat(8), ['assets/view-7.css']),
  'assets/big-6.js': chunk('assets/big-6.js', null, [], 'x'.repeat(500)),
  'assets/view-7.css': { type: 'asset' },
};

describe('routeHints', () => {
  it('lists API data, then the chunks the entry does not load (biggest first), then their CSS', () => {
    const hints = routeHints(bundle, [
      { pattern: '/:tenant/x', modules: ['src/portal/Page.tsx', 'src/portal/View.tsx'], fetch: ['/api/v1/x/:tenant'] },
      { pattern: '/:tenant', modules: [], fetch: ['/api/v1/tenants/:tenant'] },
    ]);
    expect(hints.routes[0]).toEqual({
      pattern: '/:tenant/x',
      hints: [
        { href: '/api/v1/x/:tenant', as: 'fetch' },
        { href: '/assets/big-6.js', as: 'modulepreload' },
        { href: '/assets/Page-3.js', as: 'modulepreload' },
        { href: '/assets/View-5.js', as: 'modulepreload' },
        { href: '/assets/util-4.js', as: 'modulepreload' },
        { href: '/assets/view-7.css', as: 'style' },
      ],
    });
    expect(hints.routes[1]?.hints).toEqual([{ href: '/api/v1/tenants/:tenant', as: 'fetch' }]);
  });

  it('fails the build when a route names a module that has no chunk of its own', () => {
    expect(() => routeHints(bundle, [{ pattern: '/a', modules: ['src/portal/Gone.tsx'], fetch: [] }])).toThrow(/Gone\.tsx/);
  });
});

describe('form-js patches', () => {
  const patch = { file: /lib\.js$/, find: 'function f(a) {', replace: 'function f(a) { a = a || 1;', why: 'test' };
  it('rewrites the one place in the file it is meant for and leaves others alone', () => {
    expect(applyPatches('x; function f(a) { return a; }', '/n/lib.js', [patch])).toBe('x; function f(a) { a = a || 1; return a; }');
    expect(applyPatches('function f(a) {}', '/n/other.js', [patch])).toBeNull();
  });
  it('fails when the code it patches changed', () => {
    expect(() => applyPatches('function g() {}', '/n/lib.js', [patch])).toThrow(/does not apply/);
    expect(() => applyPatches('function f(a) {} function f(a) {}', '/n/lib.js', [patch])).toThrow(/exactly once/);
  });
  it('apply to the installed form-js: no FEEL, luxon, DOMPurify, marked or flatpickr imported', () => {
    const require = createRequire(import.meta.url);
    for (const [pkg, file] of [['@bpmn-io/form-js-viewer', 'dist/index.es.js'], ['@bpmn-io/form-js-editor', 'dist/index.es.js']] as const) {
      const path = join(dirname(require.resolve(`${pkg}/package.json`)), file);
      const patched = applyPatches(readFileSync(path, 'utf8'), path, formJsPatches);
      expect(patched, pkg).not.toBeNull();
      if (pkg === '@bpmn-io/form-js-viewer') {
        expect(patched).not.toMatch(/from '(@bpmn-io\/feelin|feelers|luxon|dompurify|marked|flatpickr|lodash\/isEqual)'/);
        expect(patched).toContain('type: "date"');
      }
    }
  });
  it('take flatpickr out of form-js.css and keep the rest', () => {
    const css = '.a { color: red; }\n.fjs-container .flatpickr-day { x: 1; }\n@keyframes fpFadeInDown { from { opacity: 0; } }\n@media (min-width: 1px) { .b { y: 2; } }\n';
    expect(withoutFlatpickrCss(css)).toBe('.a { color: red; }\n@media (min-width: 1px) { .b { y: 2; } }\n');
    expect(() => withoutFlatpickrCss('.a { b: c; }')).toThrow(/no flatpickr rules/);
    expect(() => withoutFlatpickrCss('.x { }\n@media print { .flatpickr-a { b: c; } }')).toThrow(/nested/);
    const require = createRequire(import.meta.url);
    const real = readFileSync(join(dirname(require.resolve('@bpmn-io/form-js-viewer/package.json')), 'dist/assets/form-js.css'), 'utf8');
    const cut = withoutFlatpickrCss(real);
    expect(cut).not.toContain('flatpickr');
    expect(cut).toContain('.fjs-container');
    expect(cut.length).toBeLessThan(real.length * 0.85);
  });
});

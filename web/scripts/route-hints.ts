// Vite plugin: writes dist/route-hints.json, the resources each portal route
// needs beyond the entry bundle, so that `amtsweg serve` can name them in the
// route's index.html (<link rel="modulepreload|preload">, src/http/README.md
// "Route hints"). The browser then fetches the route's lazy chunks, their CSS
// and the page's API data while it still downloads the entry bundle, instead
// of one round trip after another (entry -> ApplyPage -> FormView -> form-js,
// then the API requests once the page has rendered).
//
// Patterns are the app's routes (src/app.tsx); `:name` matches one path
// segment and is substituted, percent-encoded like encodeURIComponent, into
// the hrefs (the API paths must be spelled exactly as src/portal/portal_api.ts
// requests them, or the browser does not reuse the preloaded answer).
import type { Plugin } from 'vite';

interface RouteSpec {
  pattern: string;
  modules: string[];  // source files whose chunks (and their static imports and CSS) the route loads
  fetch: string[];    // API requests the route's page makes on its first render
}

export const portalRoutes: RouteSpec[] = [
  { pattern: '/:tenant', modules: [], fetch: ['/api/v1/tenants/:tenant', '/api/v1/services?tenant=:tenant'] },
  { pattern: '/:tenant/leistungen/:service', modules: [], fetch: ['/api/v1/services/:service', '/api/v1/tenants/:tenant'] },
  {
    pattern: '/:tenant/leistungen/:service/antrag',
    modules: ['src/portal/ApplyPage.tsx', 'src/portal/FormView.tsx'],
    fetch: ['/api/v1/services/:service', '/api/v1/tenants/:tenant'],
  },
  {
    pattern: '/:tenant/status/:code',
    modules: ['src/portal/StatusPage.tsx'],
    fetch: ['/api/v1/tenants/:tenant/submissions/:code/progress', '/api/v1/tenants/:tenant'],
  },
];

export interface Hint { href: string; as: 'fetch' | 'modulepreload' | 'style' }
export interface RouteHints { routes: { pattern: string; hints: Hint[] }[] }

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

// The hints of each route for a finished bundle: API requests first (small,
// and the page's header waits for them), then the JavaScript, biggest first
// (it takes longest on a slow link), then its CSS.
export function routeHints(bundle: Record<string, { type: string }>, routes: RouteSpec[]): RouteHints {
  const chunks = Object.values(bundle).filter((c): c is ChunkLike => c.type === 'chunk') as ChunkLike[];
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const size = (f: string) => ((byFile.get(f) as unknown as { code?: string })?.code ?? '').length;
  // What the entry loads anyway (index.html references it and its imports).
  const inEntry = new Set<string>();
  const addStatic = (file: string, into: Set<string>) => {
    if (into.has(file)) return;
    into.add(file);
    for (const i of byFile.get(file)?.imports ?? []) addStatic(i, into);
  };
  for (const c of chunks) if (c.isEntry) addStatic(c.fileName, inEntry);

  return {
    routes: routes.map((r) => {
      const js = new Set<string>();
      for (const m of r.modules) {
        const chunk = chunks.find((c) => c.facadeModuleId?.replaceAll('\\', '/').endsWith(`/${m}`));
        if (!chunk) throw new Error(`route-hints: no chunk for ${m} (route ${r.pattern}); is it still imported lazily?`);
        addStatic(chunk.fileName, js);
      }
      const files = [...js].filter((f) => !inEntry.has(f)).sort((a, b) => size(b) - size(a));
      const css = new Set<string>();
      for (const f of files) for (const c of byFile.get(f)?.viteMetadata?.importedCss ?? []) css.add(c);
      return {
        pattern: r.pattern,
        hints: [
          ...r.fetch.map((href): Hint => ({ href, as: 'fetch' })),
          ...files.map((f): Hint => ({ href: `/${f}`, as: 'modulepreload' })),
          ...[...css].map((f): Hint => ({ href: `/${f}`, as: 'style' })),
        ],
      };
    }),
  };
}

export function routeHintsPlugin(routes: RouteSpec[] = portalRoutes): Plugin {
  return {
    name: 'amtsweg-route-hints',
    apply: 'build',
    generateBundle(_options, bundle) {
      this.emitFile({
        type: 'asset', fileName: 'route-hints.json',
        source: `${JSON.stringify(routeHints(bundle as unknown as Record<string, { type: string }>, routes), null, 1)}\n`,
      });
    },
  };
}

import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { formJsPatchesPlugin } from './scripts/form-js-patches';
import { routeHintsPlugin } from './scripts/route-hints';

// The built files are served by `amtsweg serve` from web/dist; hashed assets
// under /assets/ get long-lived immutable caching there.
export default defineConfig({
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false }), routeHintsPlugin(), formJsPatchesPlugin()],
  // form-js-editor ships its own nested preact (10.15) while the properties
  // panel it renders uses ours: two copies break hooks ("Cannot read
  // properties of null (reading 'context')", a blank form editor). One copy.
  resolve: { dedupe: ['preact'] },
  build: {
    outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022',
    // terser with two compress passes ships about 4% less than esbuild's
    // minifier (the form renderer: 116.6 -> 111.6 KB brotli), which matters
    // for a citizen's first form on a phone.
    minify: 'terser',
    terserOptions: { module: true, compress: { passes: 2 }, format: { comments: false } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080', '/readyz': 'http://127.0.0.1:8080' } },
  test: { include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'], environment: 'node' },
});

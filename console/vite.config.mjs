// @ts-check
import { defineConfig } from 'vite';

/**
 * The console: a Preact single-page app served by the API at /console. JSX is compiled by
 * Vite's own transformer (no plugin): Preact's automatic runtime. Every asset is emitted into
 * dist/ and served by Herald itself, nothing is inlined (the CSP forbids inline script/style).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
  },
});

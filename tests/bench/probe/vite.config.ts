import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The probe is one classic script (IIFE) so Playwright can inject it before the app's scripts.
 * Built by Vite rather than serialized from Node, because the Node-side TypeScript loader
 * rewrites functions in ways a browser page cannot run.
 */
export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  logLevel: 'warn',
  build: {
    target: 'es2022',
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: resolve(import.meta.dirname, 'probe.ts'),
      formats: ['iife'],
      name: 'runderTischBenchProbe',
      fileName: () => 'probe.js',
    },
  },
});

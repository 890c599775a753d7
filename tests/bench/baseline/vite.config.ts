import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Minimal pages the app is measured against (Yjs, y-webrtc and y-indexeddb with no UI
 * framework) and a harness for the app's storage code. A build of their own, so nothing of
 * them reaches the app's bundle.
 */
const page = (name: string) => resolve(import.meta.dirname, `${name}.html`);

export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  logLevel: 'warn',
  build: {
    target: 'es2022',
    emptyOutDir: true,
    rollupOptions: {
      // index.html only because our static server refuses to serve a directory without one.
      input: {
        index: page('index'),
        latency: page('latency'),
        sync: page('sync'),
        idb: page('idb'),
        storage: page('storage'),
      },
    },
  },
});

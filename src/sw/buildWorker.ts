import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformWithOxc, type Plugin, type ResolvedConfig } from 'vite';
import { precacheManifest, workerScript } from './precacheManifest.ts';

const WORKER_SOURCE = fileURLToPath(new URL('./serviceWorker.ts', import.meta.url));

/**
 * Writes `sw.js` into the build output once everything else is there (the public files are
 * copied and index.html written only late in the build), so its precache list is the real
 * output, lazy chunks included. No plugin package: this is the whole of it.
 */
export function serviceWorkerPlugin(): Plugin {
  let outDir = '';
  return {
    name: 'runder-tisch-service-worker',
    apply: 'build',
    configResolved(config: ResolvedConfig) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
        const files = await Promise.all(
          entries
            .filter((entry) => entry.isFile())
            .map(async (entry) => {
              const full = path.join(entry.parentPath, entry.name);
              return { path: path.relative(outDir, full), content: await readFile(full) };
            }),
        );
        const manifest = precacheManifest(files);
        const source = await readFile(WORKER_SOURCE, 'utf8');
        const { code } = await transformWithOxc(source, WORKER_SOURCE, { lang: 'ts', target: 'es2022' });
        await writeFile(path.join(outDir, 'sw.js'), workerScript(code, manifest));
      },
    },
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import type { Cleanup } from './cleanup.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface Builds {
  /** Production build of the app, from the working tree as it is now. */
  app: string;
  /** The baseline pages (tests/bench/baseline). */
  baseline: string;
  /** The in-page probe script for app pages (tests/bench/probe). */
  probe: string;
}

/**
 * Builds into a temporary directory, not into dist/: the figures then belong to exactly this
 * source, and a dist/ someone else is serving or testing stays untouched.
 */
export async function buildAll(cleanup: Cleanup): Promise<Builds> {
  const dir = await mkdtemp(join(tmpdir(), 'runder-tisch-bench-'));
  cleanup.add('build dir', () => rm(dir, { recursive: true, force: true }));
  const out = { app: join(dir, 'app'), baseline: join(dir, 'baseline'), probe: join(dir, 'probe') };
  // 'error': the chunk-size advice is the bundle figure's business, not console noise.
  await build({ root: ROOT, logLevel: 'error', build: { outDir: out.app, emptyOutDir: true } });
  await build({ configFile: resolve(ROOT, 'tests/bench/baseline/vite.config.ts'), build: { outDir: out.baseline } });
  await build({ configFile: resolve(ROOT, 'tests/bench/probe/vite.config.ts'), build: { outDir: out.probe } });
  return { app: out.app, baseline: out.baseline, probe: join(out.probe, 'probe.js') };
}

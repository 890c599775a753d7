import { createHash } from 'node:crypto';

/**
 * What the service worker keeps for offline starts: every file of the build (the lazy case and
 * join chunks included, or opening a case offline would fail) under one version. The version
 * hashes names and contents, so any changed byte (also in index.html or the manifest, whose
 * names carry no hash) makes a new worker, and an unchanged build keeps its worker.
 */
export interface PrecacheManifest {
  version: string;
  /** Paths relative to the worker's scope, e.g. `index.html`, `assets/index-abc123.js`. */
  files: string[];
}

export interface BuildFile {
  path: string;
  content: Uint8Array;
}

/** The worker itself and source maps (only for debugging, as large as the code) stay out. */
export function isPrecached(path: string): boolean {
  if (path === 'sw.js' || path.endsWith('.map')) return false;
  return !path.split('/').some((segment) => segment.startsWith('.'));
}

export function precacheManifest(files: readonly BuildFile[]): PrecacheManifest {
  const kept = files
    .map((file) => ({ ...file, path: file.path.split('\\').join('/') }))
    .filter((file) => isPrecached(file.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const hash = createHash('sha256');
  for (const file of kept) {
    hash.update(file.path).update('\0').update(createHash('sha256').update(file.content).digest()).update('\n');
  }
  return { version: hash.digest('hex').slice(0, 16), files: kept.map((file) => file.path) };
}

/**
 * The worker as shipped: a classic script (module service workers are not everywhere yet), so
 * the manifest goes first as a global and the exports (there for unit tests) are dropped.
 */
export function workerScript(transpiled: string, manifest: PrecacheManifest): string {
  const body = transpiled.replace(/^export\s*\{\s*\};?\s*$/gm, '').replace(/^export\s+(?=(async\s+)?function|const|let)/gm, '');
  if (/^\s*(export|import)\b/m.test(body)) throw new Error('The service worker must not import or export anything.');
  return `self.__RT_PRECACHE__ = ${JSON.stringify(manifest)};\n${body}`;
}

/**
 * The service worker: after the first visit the app starts without network. Built by
 * `src/sw/buildWorker.ts` into `sw.js` (transpiled alone, no imports) with the build's
 * precache manifest set before this code runs.
 *
 * - Install: every file of the build into a cache named by the build's version. No
 *   skipWaiting here: a new version waits until the person agrees (`src/app/appUpdate.ts`).
 * - Hashed assets and other files of the build: cache first (they never change under a name;
 *   the unhashed ones belong to the version whose cache holds them).
 * - The page itself and `/config.json`: network first, the cache when the network fails or
 *   hangs, so a changed configuration still reaches people online and offline starts work.
 * - Everything else (`/signal`, `/healthz`, other origins, non-GET): not touched.
 */

interface PrecacheManifest {
  version: string;
  files: string[];
}
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface WorkerMessageEvent extends ExtendableEvent {
  readonly data: unknown;
}
interface WorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: WorkerMessageEvent) => void): void;
}

export type Route = 'precached' | 'page' | 'config' | 'pass';

export const CACHE_PREFIX = 'runder-tisch-';
/** After this long without an answer an offline-capable start uses the cache (a dead Wi-Fi hangs, it does not fail). */
const NETWORK_TIMEOUT_MS = 4000;

/** Which strategy a request gets; pure, so the unit tests can check it. */
export function routeOf(
  request: { method: string; url: string; mode: string },
  scopeUrl: string,
  files: readonly string[],
): Route {
  if (request.method !== 'GET') return 'pass';
  const url = new URL(request.url);
  const scope = new URL(scopeUrl);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return 'pass';
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice(scope.pathname.length));
  } catch {
    return 'pass'; // malformed: the server answers it
  }
  if (path === 'signal' || path === 'healthz' || path === 'sw.js') return 'pass';
  if (path === 'config.json') return 'config';
  // The app's routes live in the hash; every page without a file extension is index.html.
  if (path === '' || path === 'index.html') return 'page';
  if (request.mode === 'navigate') return /\.[^/]*$/.test(path) ? 'pass' : 'page';
  // assets/ also for names of the previous version: a tab still running it loads its lazy chunks.
  if (files.includes(path) || path.startsWith('assets/')) return 'precached';
  return 'pass';
}

// Only inside the worker (the unit tests import this file for routeOf).
const worker = globalThis as unknown as WorkerScope & { __RT_PRECACHE__?: PrecacheManifest };
const manifest = worker.__RT_PRECACHE__;
if (manifest) {
  const cacheName = CACHE_PREFIX + manifest.version;
  const inScope = (path: string) => new URL(path, worker.registration.scope).href;

  worker.addEventListener('install', (event) => {
    event.waitUntil(
      caches.open(cacheName).then((cache) =>
        // no-cache: the browser revalidates, so an unhashed file is never an older copy.
        cache.addAll(manifest.files.map((file) => new Request(inScope(file), { cache: 'no-cache' }))),
      ),
    );
  });

  worker.addEventListener('activate', (event) => {
    event.waitUntil(
      (async () => {
        // Keep the previous version too (cache names come in creation order): a second tab may
        // still run it until it reloads, and its lazy chunks are gone from the server.
        const ours = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== cacheName);
        await Promise.all(ours.slice(0, -1).map((name) => caches.delete(name)));
        await worker.clients.claim();
      })(),
    );
  });

  worker.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown } | null;
    if (data && data.type === 'SKIP_WAITING') event.waitUntil(worker.skipWaiting());
  });

  worker.addEventListener('fetch', (event) => {
    const route = routeOf(event.request, worker.registration.scope, manifest.files);
    if (route === 'precached') event.respondWith(cacheFirst(event.request));
    else if (route === 'page') event.respondWith(networkFirst(event, inScope('index.html')));
    else if (route === 'config') event.respondWith(networkFirst(event, inScope('config.json')));
  });

  async function cacheFirst(request: Request): Promise<Response> {
    const cache = await caches.open(cacheName);
    const hit = (await cache.match(request)) ?? (await caches.match(request));
    return hit ?? fetch(request);
  }

  /** A late answer (after the cache was used) arrives when the event may be over already. */
  function keepAlive(event: FetchEvent, work: Promise<unknown>): void {
    const settled = work.catch(() => undefined);
    try {
      event.waitUntil(settled);
    } catch {
      // The event is finished; the write still runs while the worker lives.
    }
  }

  async function networkFirst(event: FetchEvent, key: string): Promise<Response> {
    const cache = await caches.open(cacheName);
    const network = fetch(event.request).then((response) => {
      if (response.ok && !response.redirected) keepAlive(event, cache.put(key, response.clone()));
      return response;
    });
    const cached = await cache.match(key);
    if (!cached) return network;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<Response>((resolve) => (timer = setTimeout(() => resolve(cached), NETWORK_TIMEOUT_MS)));
    try {
      // A server that answers with an error (say, mid-deployment) is no better than none.
      const answer = network.then((response) => (response.ok ? response : cached)).catch(() => cached);
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

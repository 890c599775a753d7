import { describe, expect, it } from 'vitest';
import { precacheManifest, workerScript } from '../../../src/sw/precacheManifest.ts';
import { routeOf } from '../../../src/sw/serviceWorker.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const build = (index = '<html>A</html>') => [
  { path: 'index.html', content: bytes(index) },
  { path: 'assets/index-abc.js', content: bytes('main') },
  { path: 'assets/index-abc.js.map', content: bytes('{}') },
  { path: 'assets/CaseTab-def.js', content: bytes('lazy case page') },
  { path: 'assets/JoinPage-ghi.js', content: bytes('lazy join page') },
  { path: 'icons/icon-192.png', content: bytes('png') },
  { path: 'manifest.webmanifest', content: bytes('{}') },
  { path: 'sw.js', content: bytes('old worker') },
  { path: '.DS_Store', content: bytes('x') },
];

describe('precache manifest', () => {
  it('lists every file of the build, lazy chunks included, without source maps, dot files or the worker', () => {
    expect(precacheManifest(build()).files).toEqual([
      'assets/CaseTab-def.js',
      'assets/JoinPage-ghi.js',
      'assets/index-abc.js',
      'icons/icon-192.png',
      'index.html',
      'manifest.webmanifest',
    ]);
  });

  it('has a version that changes with any content, also of unhashed files, and not with the order or a source map', () => {
    const a = precacheManifest(build());
    expect(a.version).toMatch(/^[0-9a-f]{16}$/);
    expect(precacheManifest([...build()].reverse()).version).toBe(a.version);
    expect(precacheManifest(build('<html>B</html>')).version).not.toBe(a.version);
    const newMap = build().map((f) => (f.path.endsWith('.map') ? { ...f, content: bytes('{"v":2}') } : f));
    expect(precacheManifest(newMap).version).toBe(a.version);
  });

  it('uses forward slashes for paths from Windows builds', () => {
    expect(precacheManifest([{ path: 'assets\\x-1.js', content: bytes('x') }]).files).toEqual(['assets/x-1.js']);
  });

  it('ships the worker as a classic script with the manifest set first', () => {
    const manifest = precacheManifest(build());
    const script = workerScript('export const CACHE_PREFIX = "x";\nexport function routeOf() {}\nrun();\nexport {};\n', manifest);
    expect(script.startsWith(`self.__RT_PRECACHE__ = ${JSON.stringify(manifest)};\n`)).toBe(true);
    expect(script).not.toMatch(/^\s*export\b/m);
    expect(script).toContain('function routeOf()');
    expect(() => workerScript('import x from "y";\n', manifest)).toThrow(/must not import/);
  });
});

describe('service worker routes', () => {
  const scope = 'https://rt.example/';
  const files = precacheManifest(build()).files;
  const route = (path: string, mode = 'no-cors', method = 'GET') => routeOf({ method, url: scope + path, mode }, scope, files);

  it('serves the page and the configuration network first, build files cache first', () => {
    expect(route('', 'navigate')).toBe('page');
    expect(route('index.html', 'navigate')).toBe('page');
    expect(route('some/route', 'navigate')).toBe('page');
    expect(route('config.json', 'cors')).toBe('config');
    expect(route('assets/CaseTab-def.js')).toBe('precached');
    expect(route('manifest.webmanifest', 'cors')).toBe('precached');
    // A tab still on the previous version loads its lazy chunks from that version's cache.
    expect(route('assets/CaseTab-old.js')).toBe('precached');
  });

  it('never touches signaling, health, the worker itself, other origins or non-GET requests', () => {
    expect(route('signal', 'websocket')).toBe('pass');
    expect(route('healthz', 'cors')).toBe('pass');
    expect(route('healthz', 'navigate')).toBe('pass');
    expect(route('sw.js')).toBe('pass');
    expect(route('unknown.txt', 'navigate')).toBe('pass');
    expect(route('index.html', 'cors', 'POST')).toBe('pass');
    expect(routeOf({ method: 'GET', url: 'https://other.example/assets/index-abc.js', mode: 'cors' }, scope, files)).toBe('pass');
    expect(route('%E0%A4%A', 'navigate')).toBe('pass');
  });
});

import { rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/server/app.ts';
import { httpRequest, makeStaticFixture, OUTSIDE_SECRET, type StaticFixture } from './helpers.ts';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(files: Record<string, string | Buffer> = {}, fixture?: StaticFixture): Promise<RunningServer> {
  const dir = fixture ?? (await makeStaticFixture(files));
  cleanups.push(dir.cleanup);
  const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: dir.staticDir });
  cleanups.push(() => server.close());
  return server;
}

describe('static file serving', () => {
  it.each([
    ['/index.html', 'text/html; charset=utf-8'],
    ['/assets/x.js', 'text/javascript; charset=utf-8'],
    ['/assets/app.css', 'text/css; charset=utf-8'],
    ['/data.json', 'application/json; charset=utf-8'],
    ['/assets/x.js.map', 'application/json; charset=utf-8'],
    ['/icon.svg', 'image/svg+xml'],
    ['/icon.png', 'image/png'],
    ['/favicon.ico', 'image/x-icon'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['/assets/font.woff2', 'font/woff2'],
  ])('serves %s as %s', async (requestPath, contentType) => {
    const server = await serve({
      'assets/app.css': 'body{}',
      'data.json': '{}',
      'assets/x.js.map': '{}',
      'icon.svg': '<svg/>',
      'icon.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      'favicon.ico': Buffer.from([0, 0, 1, 0]),
      'manifest.webmanifest': '{}',
      'assets/font.woff2': Buffer.from('wOF2'),
    });
    const response = await httpRequest(server.port, requestPath);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(contentType);
  });

  it('serves file contents and index.html for /', async () => {
    const server = await serve();
    expect((await httpRequest(server.port, '/assets/x.js')).body).toBe('console.log("x");');
    const root = await httpRequest(server.port, '/');
    expect(root.status).toBe(200);
    expect(root.body).toContain('<title>Runder Tisch</title>');
  });

  it('falls back to index.html for client-side routes without an extension', async () => {
    const server = await serve();
    const response = await httpRequest(server.port, '/case/123/goals?tab=2');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<title>Runder Tisch</title>');
  });

  it('answers 404 for a missing file with an extension', async () => {
    const server = await serve();
    const response = await httpRequest(server.port, '/assets/missing.js');
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('<title>');
  });

  it('caches hashed assets forever and revalidates everything else', async () => {
    const server = await serve();
    expect((await httpRequest(server.port, '/assets/x.js')).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await httpRequest(server.port, '/')).headers['cache-control']).toBe('no-cache');
    expect((await httpRequest(server.port, '/some/route')).headers['cache-control']).toBe('no-cache');
  });

  it('answers HEAD with headers but without a body', async () => {
    const server = await serve();
    const response = await httpRequest(server.port, '/assets/x.js', 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String('console.log("x");'.length));
    expect(response.body).toBe('');
  });

  it.each(['POST', 'PUT', 'DELETE'])('answers 405 to %s', async (method) => {
    const server = await serve();
    const response = await httpRequest(server.port, '/index.html', method);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/..%5cpackage.json',
    '/static/../../package.json',
    '/index.html%00.png',
    '/%zz',
  ])('never serves files outside the static dir for %s', async (requestPath) => {
    const server = await serve();
    const response = await httpRequest(server.port, requestPath);
    expect(response.body).not.toContain(OUTSIDE_SECRET);
    expect([400, 404]).toContain(response.status);
  });

  it('does not follow symlinks that lead outside the static dir', async () => {
    const fixture = await makeStaticFixture();
    await symlink(path.join(fixture.root, 'package.json'), path.join(fixture.staticDir, 'leak.json'));
    const server = await serve({}, fixture);
    const response = await httpRequest(server.port, '/leak.json');
    expect(response.status).toBe(404);
    expect(response.body).not.toContain(OUTSIDE_SECRET);
  });

  it('does not serve dotfiles', async () => {
    const server = await serve({ '.env': OUTSIDE_SECRET });
    const response = await httpRequest(server.port, '/.env');
    expect(response.status).toBe(404);
    expect(response.body).not.toContain(OUTSIDE_SECRET);
  });

  it('answers 503 with a build hint when index.html is missing', async () => {
    const fixture = await makeStaticFixture();
    await rm(path.join(fixture.staticDir, 'index.html'));
    const server = await serve({}, fixture);
    const response = await httpRequest(server.port, '/');
    expect(response.status).toBe(503);
    expect(response.body).toContain('run npm run build');
  });
});

describe('security headers', () => {
  it.each(['/', '/assets/x.js', '/missing.js', '/healthz', '/config.json'])('are sent for %s', async (requestPath) => {
    const server = await serve();
    const { headers } = await httpRequest(server.port, requestPath);
    expect(headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; " +
        "frame-ancestors 'none'; form-action 'none'",
    );
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['permissions-policy']).toBe('geolocation=(), payment=()');
  });

  it('are sent on 405 responses too', async () => {
    const server = await serve();
    const { headers } = await httpRequest(server.port, '/', 'POST');
    expect(headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('allow connecting to the configured signaling origins', async () => {
    const fixture = await makeStaticFixture();
    cleanups.push(fixture.cleanup);
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      staticDir: fixture.staticDir,
      signalingUrls: ['wss://signal.example.org/signal', 'ws://localhost:4444'],
    });
    cleanups.push(() => server.close());
    const { headers } = await httpRequest(server.port, '/');
    expect(headers['content-security-policy']).toContain(
      "connect-src 'self' wss://signal.example.org ws://localhost:4444;",
    );
  });
});

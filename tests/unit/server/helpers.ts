import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket, { type ClientOptions } from 'ws';
import { startServer, type RunningServer, type StartServerOptions } from '../../../src/server/app.ts';

export const TIMEOUT_MS = 5000;

/** Rejects instead of hanging forever when the awaited event never happens. */
export function withTimeout<T>(promise: Promise<T>, label: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls a condition that has no event to await (e.g. server-side counters), with a deadline. */
export async function waitUntil(condition: () => boolean, label: string, ms = TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${label}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const OUTSIDE_SECRET = 'SECRET-OUTSIDE-STATIC-DIR';

export interface StaticFixture {
  root: string;
  staticDir: string;
  cleanup(): Promise<void>;
}

/** root/package.json lies outside the served dir and must never be reachable. */
export async function makeStaticFixture(files: Record<string, string | Buffer> = {}): Promise<StaticFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'runder-tisch-server-'));
  const staticDir = path.join(root, 'static');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ secret: OUTSIDE_SECRET }));
  const all: Record<string, string | Buffer> = {
    'index.html': '<!doctype html><title>Runder Tisch</title>',
    'assets/x.js': 'console.log("x");',
    ...files,
  };
  for (const [name, content] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(staticDir, name)), { recursive: true });
    await writeFile(path.join(staticDir, name), content);
  }
  return { root, staticDir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export interface TestServer {
  server: RunningServer;
  fixture: StaticFixture;
  wsUrl: string;
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<StartServerOptions> = {}): Promise<TestServer> {
  const fixture = await makeStaticFixture();
  const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: fixture.staticDir, ...options });
  return {
    server,
    fixture,
    wsUrl: `ws://127.0.0.1:${server.port}/signal`,
    stop: async () => {
      await server.close();
      await fixture.cleanup();
    },
  };
}

export interface CloseEvent {
  code: number;
  reason: string;
}

/** ws client that queues messages so a test never misses one that arrived early. */
export class TestClient {
  private readonly queue: unknown[] = [];
  private readonly waiters: Array<(message: unknown) => void> = [];
  readonly closed: Promise<CloseEvent>;
  pings = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message: unknown = JSON.parse(data.toString());
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.queue.push(message);
    });
    ws.on('ping', () => {
      this.pings += 1;
    });
    // Errors (e.g. EPIPE after the server closed us) are expected in hostile-client tests.
    ws.on('error', () => {});
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  static async connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    const client = new TestClient(ws);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
      'websocket open',
    );
    return client;
  }

  send(message: object | string | Buffer): void {
    this.ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
  }

  next(label = 'next message'): Promise<unknown> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return withTimeout(new Promise((resolve) => this.waiters.push(resolve)), label);
  }

  /** A pong proves the server has processed everything this client sent before. */
  async roundTrip(): Promise<void> {
    this.send({ type: 'ping' });
    const reply = await this.next('pong');
    if ((reply as { type?: string }).type !== 'pong') {
      throw new Error(`expected pong, got ${JSON.stringify(reply)}`);
    }
  }

  waitClosed(label = 'close'): Promise<CloseEvent> {
    return withTimeout(this.closed, label);
  }

  isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Resolves with the HTTP status the server answered a refused upgrade with. */
export function refusedUpgradeStatus(url: string): Promise<number> {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        response.resume();
        ws.terminate();
      });
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('upgrade was unexpectedly accepted'));
      });
    }),
    'refused upgrade',
  );
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Raw HTTP request: the path is sent byte for byte, without any client-side normalization. */
export function httpRequest(port: number, requestPath: string, method = 'GET'): Promise<HttpResult> {
  return withTimeout(
    new Promise<HttpResult>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: requestPath, method, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
      req.end();
    }),
    `${method} ${requestPath}`,
  );
}

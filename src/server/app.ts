import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IceServer } from './config.ts';
import { buildSecurityHeaders } from './securityHeaders.ts';
import { attachSignaling, type SignalingOptions, type SignalingServer } from './signaling.ts';
import { createStaticHandler, sendText } from './static.ts';
import { pathnameOf } from './urlPath.ts';

export interface StartServerOptions extends SignalingOptions {
  port: number;
  host: string;
  staticDir: string;
  signalingUrls?: string[];
  iceServers?: IceServer[];
}

export interface RunningServer {
  url: string;
  port: number;
  signaling: SignalingServer;
  close(): Promise<void>;
}

/** One port for the app and its signaling relay, so a single reverse-proxy rule suffices. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { port, host, staticDir, signalingUrls = [], iceServers = [], ...signalingOptions } = options;
  const securityHeaders = buildSecurityHeaders(signalingUrls);
  // Serialized once: the body never changes while the process runs.
  const clientConfig = JSON.stringify({ signalingUrls, iceServers });
  const serveStatic = createStaticHandler({ staticDir });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    const pathname = pathnameOf(request.url);
    if (pathname === '/healthz' || pathname === '/config.json') {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return sendText(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      }
      const body =
        pathname === '/healthz' ? JSON.stringify({ ok: true, ...signaling.stats() }) : clientConfig;
      response.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    await serveStatic(request, response);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendText(response, 500, 'Internal Server Error');
      else response.destroy();
    });
  });
  const signaling = attachSignaling(server, signalingOptions);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    signaling,
    close: async () => {
      await signaling.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive or stalled HTTP connections would otherwise delay shutdown.
        server.closeAllConnections();
      });
    },
  };
}

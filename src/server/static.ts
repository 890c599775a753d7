import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathnameOf } from './urlPath.ts';

/** Serves the built single-page app. Security headers are added by the caller for every response. */

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

// Vite puts content-hashed files under /assets/, so they can be cached forever.
const immutableCache = 'public, max-age=31536000, immutable';
const revalidateCache = 'no-cache';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export function createStaticHandler(options: { staticDir: string }): RequestHandler {
  const root = path.resolve(options.staticDir);
  const indexPath = path.join(root, 'index.html');

  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendText(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    }
    const index = await statOrNull(indexPath);
    if (!index?.isFile()) {
      return sendText(response, 503, 'Runder Tisch has not been built yet: run npm run build');
    }
    const requestPath = safeRequestPath(request.url);
    if (requestPath === null) return sendText(response, 400, 'Bad Request');
    if (requestPath.split('/').some((segment) => segment.startsWith('.'))) {
      return sendText(response, 404, 'Not Found');
    }

    const filePath = path.resolve(root, `.${requestPath}`);
    const file = (await isInside(root, filePath)) ? await statOrNull(filePath) : null;
    if (file?.isFile()) {
      const cache = requestPath.startsWith('/assets/') ? immutableCache : revalidateCache;
      return serveFile(request, response, filePath, file, cache);
    }
    // Paths with an extension are files the browser expects; paths without are client-side routes.
    if (path.posix.extname(requestPath) !== '') return sendText(response, 404, 'Not Found');
    return serveFile(request, response, indexPath, index, revalidateCache);
  };
}

/** Decoded request path, or null if it could escape the static dir or is malformed. */
function safeRequestPath(url: string | undefined): string | null {
  const raw = pathnameOf(url);
  if (!raw.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;
  return decoded;
}

/** Prefix check on the real path, so neither `..` nor a symlink leads outside the static dir. */
async function isInside(root: string, filePath: string): Promise<boolean> {
  if (filePath !== root && !filePath.startsWith(root + path.sep)) return false;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(filePath)]);
    return realFile === realRoot || realFile.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}

async function statOrNull(filePath: string): Promise<Stats | null> {
  try {
    return await stat(filePath);
  } catch {
    return null;
  }
}

async function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  filePath: string,
  file: Stats,
  cacheControl: string,
): Promise<void> {
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('ETag', etag);
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304).end();
    return;
  }
  response.writeHead(200, {
    'Content-Type': contentTypes[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': file.size,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  try {
    await pipeline(createReadStream(filePath), response);
  } catch {
    // Client went away or the file vanished mid-stream; headers are already sent, so just stop.
    response.destroy();
  }
}

export function sendText(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': revalidateCache,
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import { createSignalingMessageSchema } from './signalingMessages.ts';
import { TokenBucket } from './tokenBucket.ts';
import { pathnameOf } from './urlPath.ts';

/**
 * y-webrtc compatible signaling relay (same wire protocol as y-webrtc 10.3's bin/server.js),
 * hardened because it is the only part of the app that strangers can reach.
 */

const limitsSchema = z.strictObject({
  path: z.string().startsWith('/'),
  maxPayloadBytes: z.number().int().positive(),
  maxTopicsPerConnection: z.number().int().positive(),
  maxTopicLength: z.number().int().positive(),
  rateLimitPerSecond: z.number().positive(),
  rateLimitBurst: z.number().int().positive(),
  maxConnections: z.number().int().positive(),
  pingIntervalMs: z.number().int().positive(),
  maxBufferedBytes: z.number().int().positive(),
  closeGraceMs: z.number().int().nonnegative(),
});

export type SignalingLimits = z.infer<typeof limitsSchema>;

export const defaultSignalingLimits: SignalingLimits = {
  path: '/signal',
  maxPayloadBytes: 256 * 1024,
  maxTopicsPerConnection: 64,
  maxTopicLength: 256,
  rateLimitPerSecond: 100,
  rateLimitBurst: 300,
  maxConnections: 5000,
  pingIntervalMs: 30_000,
  // A receiver that cannot keep up would otherwise make us buffer without bound.
  maxBufferedBytes: 4 * 1024 * 1024,
  closeGraceMs: 1000,
};

/** Only event names and numbers/fixed strings are passed; never message contents. */
export type SignalingLog = (event: string, details?: Record<string, string | number>) => void;

export interface SignalingOptions extends Partial<SignalingLimits> {
  log?: SignalingLog;
  /** Test hook: sees every raw text frame, so tests can prove what the server learns. */
  onFrame?: (data: string) => void;
}

export interface SignalingStats {
  connections: number;
  topics: number;
}

export interface SignalingServer {
  stats(): SignalingStats;
  close(): Promise<void>;
}

interface Peer {
  ws: WebSocket;
  topics: Set<string>;
  bucket: TokenBucket;
  alive: boolean;
  dropped: boolean;
  closed: Promise<void>;
}

const CLOSE_UNSUPPORTED_DATA = 1003;
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_GOING_AWAY = 1001;

const noop = () => {};

export function attachSignaling(server: HttpServer, options: SignalingOptions = {}): SignalingServer {
  const { log = noop, onFrame, ...overrides } = options;
  const limits = limitsSchema.parse({ ...defaultSignalingLimits, ...stripUndefined(overrides) });
  const messageSchema = createSignalingMessageSchema({
    maxTopicLength: limits.maxTopicLength,
    maxTopicsPerMessage: limits.maxTopicsPerConnection,
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes });
  const topics = new Map<string, Set<Peer>>();
  const peers = new Set<Peer>();
  // Counts sockets from accepted upgrade until TCP close, so half-finished handshakes count too.
  let connections = 0;
  let shuttingDown = false;

  const leaveAllTopics = (peer: Peer) => {
    for (const topic of peer.topics) leaveTopic(peer, topic);
  };

  const leaveTopic = (peer: Peer, topic: string) => {
    peer.topics.delete(topic);
    const subscribers = topics.get(topic);
    if (!subscribers) return;
    subscribers.delete(peer);
    if (subscribers.size === 0) topics.delete(topic);
  };

  const drop = (peer: Peer, code: number, reason: string) => {
    if (peer.dropped) return;
    peer.dropped = true;
    // Stop relaying to it right away; the close handshake may take a while.
    leaveAllTopics(peer);
    log('connection-dropped', { code, reason });
    peer.ws.close(code, reason);
  };

  const send = (peer: Peer, text: string | Buffer) => {
    if (peer.ws.readyState !== WebSocket.OPEN) return;
    if (peer.ws.bufferedAmount > limits.maxBufferedBytes) {
      log('connection-dropped', { code: 1006, reason: 'receiver too slow' });
      leaveAllTopics(peer);
      peer.ws.terminate();
      return;
    }
    peer.ws.send(text, { binary: false });
  };

  const handleFrame = (peer: Peer, data: RawData, isBinary: boolean) => {
    if (peer.dropped) return;
    if (isBinary) return drop(peer, CLOSE_UNSUPPORTED_DATA, 'binary frames are not accepted');
    const text = rawToString(data);
    onFrame?.(text);
    if (!peer.bucket.take()) return drop(peer, CLOSE_POLICY_VIOLATION, 'rate limit exceeded');

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return drop(peer, CLOSE_UNSUPPORTED_DATA, 'invalid JSON');
    }
    const parsed = messageSchema.safeParse(json);
    if (!parsed.success) return drop(peer, CLOSE_POLICY_VIOLATION, 'invalid message');
    const message = parsed.data;

    switch (message.type) {
      case 'subscribe':
        for (const topic of message.topics) {
          if (peer.topics.has(topic)) continue;
          if (peer.topics.size >= limits.maxTopicsPerConnection) {
            return drop(peer, CLOSE_POLICY_VIOLATION, 'too many topics');
          }
          peer.topics.add(topic);
          let subscribers = topics.get(topic);
          if (!subscribers) {
            subscribers = new Set();
            topics.set(topic, subscribers);
          }
          subscribers.add(peer);
        }
        return;
      case 'unsubscribe':
        for (const topic of message.topics) leaveTopic(peer, topic);
        return;
      case 'publish': {
        // Outsiders must not be able to inject signals into a room they have not joined.
        if (!peer.topics.has(message.topic)) return;
        const receivers = topics.get(message.topic);
        if (!receivers) return;
        // The frame as it came with the receiver count appended (a later duplicate key wins in
        // JSON.parse, so a sender's own `clients` is overridden): the payload is not serialised
        // again, and all receivers share one UTF-8 buffer instead of encoding it each.
        const relayed = Buffer.from(`${text.slice(0, text.lastIndexOf('}'))},"clients":${receivers.size}}`);
        for (const receiver of receivers) send(receiver, relayed);
        return;
      }
      case 'ping':
        send(peer, '{"type":"pong"}');
        return;
    }
  };

  const onConnection = (ws: WebSocket) => {
    let resolveClosed = noop;
    const peer: Peer = {
      ws,
      topics: new Set(),
      bucket: new TokenBucket(limits.rateLimitPerSecond, limits.rateLimitBurst),
      alive: true,
      dropped: false,
      closed: new Promise<void>((resolve) => (resolveClosed = resolve)),
    };
    peers.add(peer);
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('message', (data, isBinary) => handleFrame(peer, data, isBinary));
    // ws reports protocol violations (e.g. oversize frames) here and closes the socket itself.
    ws.on('error', (error: Error & { code?: string }) => {
      log('connection-error', { code: error.code ?? 'unknown' });
    });
    ws.on('close', (code) => {
      leaveAllTopics(peer);
      peers.delete(peer);
      log('connection-closed', { code });
      resolveClosed();
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathnameOf(request.url) !== limits.path) return refuseUpgrade(socket, 404, 'Not Found');
    if (shuttingDown) return refuseUpgrade(socket, 503, 'Service Unavailable');
    if (connections >= limits.maxConnections) {
      log('connection-refused', { reason: 'capacity', connections });
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    connections += 1;
    socket.once('close', () => {
      connections -= 1;
    });
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (shuttingDown) return ws.terminate();
      onConnection(ws);
    });
  };

  // One timer for all peers instead of one per connection keeps 5000 connections cheap.
  const heartbeat = setInterval(() => {
    for (const peer of peers) {
      if (!peer.alive) {
        log('connection-timeout');
        leaveAllTopics(peer);
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      try {
        peer.ws.ping();
      } catch {
        peer.ws.terminate();
      }
    }
  }, limits.pingIntervalMs);
  heartbeat.unref();

  server.on('upgrade', onUpgrade);

  return {
    stats: () => ({ connections, topics: topics.size }),
    close: async () => {
      if (shuttingDown) return;
      shuttingDown = true;
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      const open = [...peers];
      for (const peer of open) peer.ws.close(CLOSE_GOING_AWAY, 'server shutting down');
      // Clients that ignore the close handshake must not hold up shutdown.
      const forceTimer = setTimeout(() => {
        for (const peer of open) peer.ws.terminate();
      }, limits.closeGraceMs);
      await Promise.all(open.map((peer) => peer.closed));
      clearTimeout(forceTimer);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function refuseUpgrade(socket: Duplex, status: number, text: string) {
  socket.on('error', noop);
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

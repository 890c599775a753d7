import {
  MESSAGE_CHUNKS_OK,
  MESSAGE_CHUNKS_QUERY,
  Reassembler,
  controlMessage,
  messageType,
  needsChunking,
  splitMessage,
} from './chunking.ts';

/** The part of a simple-peer instance (as y-webrtc holds it) this module works with. */
export interface PeerLike {
  send(data: Uint8Array): void;
  on(event: 'data', listener: (data: Uint8Array) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  listeners(event: 'data'): ((data: Uint8Array) => void)[];
  removeAllListeners(event: 'data'): unknown;
}

export interface ChunkingStats {
  /** Messages sent as chunk runs. */
  chunked: number;
  /** Received messages or chunks thrown away as malformed. */
  dropped: number;
}

const wrapped = new WeakSet<object>();
export const chunkingStats: ChunkingStats = { chunked: 0, dropped: 0 };

/**
 * Makes one y-webrtc connection send no message larger than a chunk. Small messages go out
 * unchanged, so stock y-webrtc peers keep working. Before the first large message the peer is
 * asked whether it reassembles chunks: our peers say so, a stock peer answers with an empty
 * message, and then gets large messages whole, as stock y-webrtc would send them. Until the
 * answer is in, this connection's outgoing messages wait in order.
 *
 * Incoming chunk runs are reassembled (`Reassembler`) and handed to y-webrtc's own handler as
 * one message; garbage is dropped and never reaches the document.
 *
 * Must be applied before the connection opens (y-webrtc's 'peers' event is early enough).
 */
export function chunkConnection(peer: PeerLike, onMessage?: (message: Uint8Array) => void): void {
  if (wrapped.has(peer)) return;
  wrapped.add(peer);
  const original = peer.send.bind(peer);
  // y-webrtc ignores send errors (a closing channel); so do we, also where it cannot catch them.
  const send = (data: Uint8Array) => {
    try {
      original(data);
    } catch {
      // The connection is going away; y-webrtc notices by itself.
    }
  };
  const reassembler = new Reassembler();
  let peerReassembles: boolean | null = null;
  let asked = false;
  let queue: Uint8Array[] = [];
  let nextId = 0;

  const sendNow = (message: Uint8Array) => {
    if (peerReassembles && needsChunking(message)) {
      chunkingStats.chunked++;
      for (const frame of splitMessage(message, nextId++ & 0x7fffffff)) send(frame);
    } else {
      send(message);
    }
  };
  const flush = () => {
    const pending = queue;
    queue = [];
    for (const message of pending) sendNow(message);
  };

  peer.send = (data: Uint8Array) => {
    const message = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer);
    if (peerReassembles !== null) return sendNow(message);
    if (queue.length === 0 && !needsChunking(message)) return send(message);
    queue.push(message);
    if (!asked) {
      asked = true;
      send(controlMessage(MESSAGE_CHUNKS_QUERY));
    }
  };

  const handlers = peer.listeners('data');
  peer.removeAllListeners('data');
  const deliver = (message: Uint8Array) => {
    onMessage?.(message);
    for (const handler of handlers) handler(message);
  };
  peer.on('data', (data: Uint8Array) => {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer);
    const type = messageType(bytes);
    if (type === MESSAGE_CHUNKS_QUERY) return send(controlMessage(MESSAGE_CHUNKS_OK));
    if (type === MESSAGE_CHUNKS_OK || (type === null && asked && peerReassembles === null)) {
      // An empty answer to our question: a stock peer, which gets large messages whole.
      if (peerReassembles === null) {
        peerReassembles = type === MESSAGE_CHUNKS_OK;
        flush();
      }
      return;
    }
    const received = reassembler.push(bytes);
    if (received.kind === 'message') return deliver(received.message);
    if (received.kind === 'dropped') chunkingStats.dropped++;
  });
  peer.on('close', () => {
    queue = [];
    reassembler.reset();
  });
}

/** Applies `chunkConnection` to every connection of a y-webrtc room that has none yet. */
export function chunkRoomConnections(
  room: { webrtcConns: Map<string, { peer: unknown }> } | null,
  onMessage?: (message: Uint8Array) => void,
): void {
  if (!room) return;
  for (const conn of room.webrtcConns.values()) chunkConnection(conn.peer as PeerLike, onMessage);
}

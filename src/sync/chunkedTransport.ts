import { MAX_MESSAGE_BYTES, Reassembler, isStep1, isTaggedStep1, needsChunking, splitMessage, tagStep1 } from './chunking.ts';

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

/** Decides per frame whether it is taken in; hears how long y-webrtc took to handle a message. */
export interface FrameGuard {
  admit(bytes: number): boolean;
  spent(ms: number): void;
}

const wrapped = new WeakSet<object>();
export const chunkingStats: ChunkingStats = { chunked: 0, dropped: 0 };

/**
 * Makes one y-webrtc connection send no message larger than a chunk. Small messages go out
 * unchanged, so stock y-webrtc peers keep working. Every y-webrtc peer opens a connection with
 * a sync step 1; ours tag it (CHUNKS_TAG), stock ones do not. That first message tells this
 * side whether the peer reassembles chunks; a stock peer gets large messages whole, as stock
 * y-webrtc would send them. A large message due before the peer's step 1 has arrived waits,
 * with everything sent after it, in order; a peer that never sends a step 1 is treated as
 * stock once the wait holds MAX_MESSAGE_BYTES, so the wait is bounded.
 *
 * Incoming chunk runs are reassembled (`Reassembler`) and handed to y-webrtc's own handler as
 * one message; garbage is dropped and never reaches the document.
 *
 * Must be applied before the connection opens (y-webrtc's 'peers' event is early enough).
 */
export function chunkConnection(
  peer: PeerLike,
  /** Sees every whole message first; false keeps it from y-webrtc (updateCheck.ts). */
  onMessage?: (message: Uint8Array) => boolean | void,
  /** Asked for every frame before anything else looks at it, and told how long handling took (floodGuard.ts). */
  guard?: FrameGuard,
): void {
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
  let queue: Uint8Array[] = [];
  let queued = 0;
  let nextId = 0;

  const sendNow = (message: Uint8Array) => {
    if (peerReassembles && needsChunking(message)) {
      chunkingStats.chunked++;
      for (const frame of splitMessage(message, nextId++ & 0x7fffffff)) send(frame);
    } else {
      send(message);
    }
  };
  const decide = (reassembles: boolean) => {
    if (peerReassembles !== null) return;
    peerReassembles = reassembles;
    const pending = queue;
    queue = [];
    queued = 0;
    for (const message of pending) sendNow(message);
  };

  peer.send = (data: Uint8Array) => {
    const message = tagStep1(data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer));
    if (peerReassembles !== null) return sendNow(message);
    if (queue.length === 0 && !needsChunking(message)) return send(message);
    queue.push(message);
    queued += message.byteLength;
    if (queued > MAX_MESSAGE_BYTES) decide(false);
  };

  const handlers = peer.listeners('data');
  peer.removeAllListeners('data');
  peer.on('data', (data: Uint8Array) => {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer);
    if (guard && !guard.admit(bytes.byteLength)) return;
    if (peerReassembles === null && isStep1(bytes)) decide(isTaggedStep1(bytes));
    const received = reassembler.push(bytes);
    if (received.kind === 'dropped') chunkingStats.dropped++;
    if (received.kind !== 'message') return;
    if (onMessage?.(received.message) === false) return;
    const started = performance.now();
    for (const handler of handlers) handler(received.message);
    guard?.spent(performance.now() - started);
  });
  peer.on('close', () => {
    queue = [];
    queued = 0;
    reassembler.reset();
  });
}

/** Applies `chunkConnection` to every connection of a y-webrtc room that has none yet. */
export function chunkRoomConnections<Conn extends { peer: unknown }>(
  room: { webrtcConns: Map<string, Conn> } | null,
  onMessage?: (message: Uint8Array, conn: Conn) => boolean | void,
  /** Makes the frame guard for a new connection (see chunkConnection). */
  frameGuard?: (conn: Conn) => FrameGuard,
): void {
  if (!room) return;
  for (const conn of room.webrtcConns.values()) {
    if (wrapped.has(conn.peer as object)) continue;
    chunkConnection(conn.peer as PeerLike, onMessage && ((message) => onMessage(message, conn)), frameGuard?.(conn));
  }
}

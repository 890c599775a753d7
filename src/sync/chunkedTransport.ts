import { messageYjsSyncStep2 as SYNC_STEP2 } from 'y-protocols/sync';
import { MAX_MESSAGE_BYTES, Reassembler, isStep1, isTaggedStep1, needsChunking, splitMessage, tagStep1 } from './chunking.ts';
import { MESSAGE_SYNC } from './syncMessage.ts';

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

/** The peer whose message y-webrtc is handling right now (synchronously), if any. */
let delivering: PeerLike | null = null;
/** A peer nothing is sent to for the moment (see withoutSendingTo). */
let silenced: PeerLike | null = null;

/** Peers this side has sent a sync step 2 (its state, or what the peer lacked) to, whole. */
const stateSent = new WeakSet<object>();

/**
 * Whether this side's state went out to `peer` as a sync step 2 over an open channel: as
 * y-webrtc's answer to the peer's step 1, or as ConferenceRoom's greeting.
 */
export function hasSentState(peer: object): boolean {
  return stateSent.has(peer);
}

function isStep2(message: Uint8Array): boolean {
  return message.byteLength >= 2 && message[0] === MESSAGE_SYNC && message[1] === SYNC_STEP2;
}

export function deliveringPeer(): PeerLike | null {
  return delivering;
}

/** Runs `send`, during which nothing goes out to `peer` (an update it sent itself, passed on). */
export function withoutSendingTo(peer: PeerLike, send: () => void): void {
  const before = silenced;
  silenced = peer;
  try {
    send();
  } finally {
    silenced = before;
  }
}

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
  const send = (data: Uint8Array): boolean => {
    try {
      original(data);
      return true;
    } catch {
      // The connection is going away; y-webrtc notices by itself.
      return false;
    }
  };
  const reassembler = new Reassembler();
  let peerReassembles: boolean | null = null;
  let queue: Uint8Array[] = [];
  let queued = 0;
  let nextId = 0;

  const sendNow = (message: Uint8Array) => {
    let sent = true;
    if (peerReassembles && needsChunking(message)) {
      chunkingStats.chunked++;
      for (const frame of splitMessage(message, nextId++ & 0x7fffffff)) sent = send(frame) && sent;
    } else {
      sent = send(message);
    }
    if (sent && isStep2(message)) stateSent.add(peer);
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
    if (silenced === peer) return;
    const message = tagStep1(data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer));
    if (peerReassembles !== null) return sendNow(message);
    if (queue.length === 0 && !needsChunking(message)) return sendNow(message);
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
    const outer = delivering;
    delivering = peer;
    try {
      for (const handler of handlers) handler(received.message);
    } finally {
      delivering = outer;
    }
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

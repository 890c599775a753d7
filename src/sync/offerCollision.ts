/**
 * When two devices start a WebRTC handshake to each other at the same moment (typical right
 * after a reload: the fresh page announces itself while the other announces because the old
 * connection closed), both send an offer. y-webrtc settles the collision by tokens: one side
 * drops the other's offer, the other answers it, on the connection that had made its own offer.
 * The browser rolls that offer back and the connection comes up, but simple-peer, which made a
 * data channel of its own for its offer, keeps sending and listening on that channel. The
 * offering side sends on its own channel too, which the answering side never listens to: both
 * report the connection open, and nothing ever arrives, not even who is at the table.
 *
 * Fix for the answering side: it gives up its own channel before answering and takes the
 * channel the offer brings, as a connection made for answering would. The offering side keeps
 * its channel and is not touched, so a stock y-webrtc peer that wins the collision meets us too.
 * (simple-peer 9's internals, pinned through y-webrtc: `_pc`, `_channel`, `_setupData`,
 * `_closingInterval`.)
 */

/** The part of a simple-peer instance this module works with. */
export interface CollidingPeer {
  initiator: boolean;
  signal(data: unknown): void;
  _pc: { signalingState: string; ondatachannel: ((event: { channel: unknown }) => void) | null };
  _channel: ChannelLike | null;
  _closingInterval?: ReturnType<typeof setInterval>;
  _setupData(event: { channel: unknown }): void;
}

interface ChannelLike {
  onmessage: unknown;
  onopen: unknown;
  onclose: unknown;
  onerror: unknown;
  onbufferedamountlow: unknown;
  close(): void;
}

const watched = new WeakSet<object>();

/** Makes one y-webrtc connection's peer answer a colliding offer on the channel that offer brings. */
export function answerCollidingOffers(peer: CollidingPeer): void {
  if (watched.has(peer) || !peer.initiator) return;
  watched.add(peer);
  const signal = peer.signal.bind(peer);
  peer.signal = (data: unknown) => {
    // Only a collision: an offer while this side's own offer is still unanswered.
    if (isOffer(data) && peer._pc.signalingState === 'have-local-offer' && peer._channel) {
      const own = peer._channel;
      own.onmessage = own.onopen = own.onclose = own.onerror = own.onbufferedamountlow = null;
      clearInterval(peer._closingInterval);
      own.close();
      peer._channel = null;
      peer._pc.ondatachannel = (event) => peer._setupData(event);
    }
    signal(data);
  };
}

function isOffer(data: unknown): boolean {
  const value = typeof data === 'string' ? safeParse(data) : data;
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'offer';
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Applies `answerCollidingOffers` to every connection of a y-webrtc room (on its 'peers' event). */
export function answerCollidingOffersIn(room: { webrtcConns: Map<string, { peer: unknown }> } | null): void {
  for (const conn of room?.webrtcConns.values() ?? []) answerCollidingOffers(conn.peer as CollidingPeer);
}

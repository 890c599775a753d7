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
 * channel the offer brings, as a connection made for answering would. Between two of our
 * devices that is all: the given-up channel never opens, the offering side keeps its own.
 *
 * A stock y-webrtc peer that answers a colliding offer of ours keeps its own channel, opened
 * beside ours, and listens to nothing else; ours hears of that channel ('datachannel', which a
 * connection that made the offer otherwise never gets) and moves over to it, so the two meet
 * anyway. If ours had already opened, y-webrtc's greeting (sync step 1, presence) is sent
 * again on the new channel.
 *
 * (simple-peer 9's internals, pinned through y-webrtc: `_pc`, `_channel`, `_connected`,
 * `_setupData`, `_onChannelOpen`, `_closingInterval`.)
 */

/** The part of a simple-peer instance this module works with. */
export interface CollidingPeer {
  initiator: boolean;
  signal(data: unknown): void;
  emit(event: 'connect'): void;
  _pc: { remoteDescription: unknown; ondatachannel: ((event: { channel: ChannelLike }) => void) | null } | null;
  _channel: ChannelLike | null;
  _connected: boolean;
  _closingInterval?: ReturnType<typeof setInterval>;
  _setupData(event: { channel: ChannelLike }): void;
  _onChannelOpen(): void;
}

export interface ChannelLike {
  readyState: string;
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
  const pc = peer._pc;
  // No connection object (its constructor failed): simple-peer ends this peer by itself.
  if (watched.has(peer) || !peer.initiator || !pc) return;
  watched.add(peer);
  pc.ondatachannel = (event) => takeChannel(peer, event.channel);
  const signal = peer.signal.bind(peer);
  peer.signal = (data: unknown) => {
    // Only a collision: an offer before this side's own offer was answered. That includes an
    // offer arriving while its own is still being made (no local description yet): keeping the
    // channel then would leave two, and each side would move to the other's.
    if (isOffer(data) && !pc.remoteDescription && peer._channel) dropOwnChannel(peer);
    signal(data);
  };
}

/** Detached first: simple-peer ends the whole connection when its channel closes. */
function dropOwnChannel(peer: CollidingPeer): void {
  const own = peer._channel;
  if (!own) return;
  own.onmessage = own.onopen = own.onclose = own.onerror = own.onbufferedamountlow = null;
  clearInterval(peer._closingInterval);
  own.close();
  peer._channel = null;
}

function takeChannel(peer: CollidingPeer, channel: ChannelLike): void {
  if (peer._channel === channel) return;
  const wasConnected = peer._connected;
  dropOwnChannel(peer);
  peer._setupData({ channel });
  if (channel.readyState === 'open') peer._onChannelOpen();
  if (wasConnected) peer.emit('connect');
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

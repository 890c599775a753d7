import { SignalingConn, type WebrtcProvider } from 'y-webrtc';

/**
 * y-webrtc encrypts each signaling message asynchronously and then sends it on whatever socket
 * its connection holds by then. Across a signaling restart that is a new socket still in
 * CONNECTING, and WebSocket#send throws inside a promise nobody catches. Such a message is
 * dropped here instead: when the socket opens, y-webrtc subscribes and announces every room
 * again, and dropStuckHandshakes clears the handshakes the dropped message belonged to.
 */
const OPEN = 1;
const send = SignalingConn.prototype.send;
SignalingConn.prototype.send = function (this: SignalingConn, message: unknown) {
  const socket = (this as unknown as { ws: { readyState: number } | null }).ws;
  if (socket && socket.readyState !== OPEN) return;
  send.call(this, message);
};

type Conn = { connected: boolean; destroy(): void };

/**
 * When a signaling socket (re)opens, every connection of the provider's room that never came
 * up is given up. Its offer, answer or candidates may have gone down with the old socket; kept,
 * it would sit in the room's list and make y-webrtc ignore the peer's fresh announce, for as
 * long as ICE takes to fail. The announce both sides send on reconnect starts a new one.
 */
const watching = new WeakMap<WebrtcProvider, () => void>();

export function dropStuckHandshakes(provider: WebrtcProvider): void {
  const onConnect = () => {
    const room = provider.room as unknown as { webrtcConns: Map<string, Conn> } | null;
    for (const conn of room?.webrtcConns.values() ?? []) {
      if (!conn.connected) conn.destroy();
    }
  };
  const conns = provider.signalingConns as unknown as { on(e: 'connect', f: () => void): void; off(e: 'connect', f: () => void): void }[];
  for (const conn of conns) conn.on('connect', onConnect);
  watching.set(provider, () => conns.forEach((conn) => conn.off('connect', onConnect)));
}

/** Signaling connections outlive providers (y-webrtc shares them): unhook before destroying one. */
export function stopDroppingStuckHandshakes(provider: WebrtcProvider): void {
  watching.get(provider)?.();
  watching.delete(provider);
}

/**
 * A handshake that has not connected after this long is given up. Two peers that announce at
 * the same moment both start one (y-webrtc settles the glare by tokens, but a lost or refused
 * offer can leave both waiting), and a signal lost with a signaling socket leaves one waiting
 * too. Given up, y-webrtc announces the room again and the next attempt starts clean. A
 * handshake takes 0.15–0.3 s on a LAN and a few seconds through a TURN relay; 8 s keeps a
 * stalled one from outlasting what a person waits for after a reload.
 */
export const HANDSHAKE_TIMEOUT_MS = 8_000;

const started = new WeakMap<object, number>();

/** Gives up the room's handshakes older than HANDSHAKE_TIMEOUT_MS; called on every refresh. */
export function giveUpStalledHandshakes(provider: WebrtcProvider, now = Date.now()): void {
  const room = provider.room as unknown as { webrtcConns: Map<string, Conn> } | null;
  for (const conn of room?.webrtcConns.values() ?? []) {
    if (conn.connected) continue;
    const since = started.get(conn);
    if (since === undefined) started.set(conn, now);
    else if (now - since > HANDSHAKE_TIMEOUT_MS) conn.destroy();
  }
}

import type * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';

/**
 * A y-webrtc room configured as the app configures its own (src/sync/conferenceRoom.ts):
 * same signaling server, password, no ICE servers, so the baseline differs only by the app.
 */
export function joinRoom(doc: Y.Doc, room: string, password: string): WebrtcProvider {
  const signaling = new URL('/signal', location.origin);
  signaling.protocol = 'ws:';
  return new WebrtcProvider(room, doc, {
    signaling: [signaling.href],
    password,
    maxConns: 32,
    filterBcConns: true,
    peerOpts: { config: { iceServers: [] } },
  });
}

export function peersOf(provider: WebrtcProvider | null): { connected: number; broadcast: number } {
  const room = provider?.room;
  if (!room) return { connected: 0, broadcast: 0 };
  return {
    connected: [...room.webrtcConns.values()].filter((c) => c.connected).length,
    broadcast: room.bcConns.size,
  };
}

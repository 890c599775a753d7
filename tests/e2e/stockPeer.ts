import * as Y from 'yjs';
import { WebSocket } from 'ws';
import wrtc from '@roamhq/wrtc';
import { WebrtcProvider } from 'y-webrtc';

/**
 * An unmodified y-webrtc client running in Node (real WebRTC through @roamhq/wrtc), as another
 * vendor's tool or a hostile client would connect. Only one per process: y-webrtc links
 * providers in one process over BroadcastChannel.
 */
export function stockPeer(roomId: string, key: string, signalingUrl: string): { doc: Y.Doc; provider: WebrtcProvider } {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const doc = new Y.Doc();
  const provider = new WebrtcProvider(roomId, doc, {
    signaling: [signalingUrl],
    password: key,
    peerOpts: { wrtc, config: { iceServers: [] } },
  });
  return { doc, provider };
}

export function connectedPeers(provider: WebrtcProvider): number {
  return [...(provider.room?.webrtcConns.values() ?? [])].filter((c) => c.connected).length;
}

/**
 * One replica in a process of its own, for the partitions test over real WebRTC: the app's
 * ConferenceRoom (y-webrtc with our chunking and greeting) in Node with @roamhq/wrtc, through
 * our signaling server. One per process: y-webrtc links providers in one process over
 * BroadcastChannel. Driven by the parent over IPC (webrtcDriver.ts); partitions are the
 * browser's offline/online events, which ConferenceRoom follows.
 */
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

const g = globalThis as Record<string, unknown>;
g.WebSocket ??= WebSocket;
g.RTCPeerConnection ??= wrtc.RTCPeerConnection;
g.RTCSessionDescription ??= wrtc.RTCSessionDescription;
g.RTCIceCandidate ??= wrtc.RTCIceCandidate;
// ConferenceRoom listens to the window's offline/online events.
const events = new EventTarget();
g.addEventListener = events.addEventListener.bind(events);
g.removeEventListener = events.removeEventListener.bind(events);

// A browser reports an error thrown in an event handler and carries on; Node would exit.
// y-webrtc throws so when a signal arrives for a connection that was just destroyed (offline).
let uncaught = 0;
process.on('uncaughtException', (error) => {
  uncaught++;
  if (process.env.RT_WEBRTC_VERBOSE) console.error('uncaught in peer', error);
});

const { ConferenceRoom } = await import('../../../../src/sync/conferenceRoom.ts');
const { readCase } = await import('../../../../src/case/read.ts');
const { collectionMap, richTextFragment } = await import('../../../../src/case/layout.ts');
const { canonical } = await import('./check.ts');
const { Ledger, ledgerToJson } = await import('./ledger.ts');
const { Chars, randomEdit } = await import('./ops.ts');
const { Rng } = await import('./random.ts');
const { Replica } = await import('./replica.ts');

type Command =
  | { id: number; op: 'reset'; roomId: string; key: string; url: string; index: number; seed: number; state: number[] }
  | { id: number; op: 'edit'; count: number }
  | { id: number; op: 'offline' | 'online' | 'close' | 'open' | 'state' | 'ledger' | 'exit' };

let replica: InstanceType<typeof Replica> | null = null;
let room: Awaited<ReturnType<typeof ConferenceRoom.join>> | null = null;
let joined: { roomId: string; key: string; url: string; index: number } | null = null;
let rng = new Rng(1);
let chars = new Chars();
let ledger = new Ledger();

/** Entities other replicas created are edited here too: they join this replica's ledger. */
function adoptForeign(r: InstanceType<typeof Replica>): void {
  for (const collection of ['goals', 'steps'] as const) {
    const known = new Set(ledger.entities.get(collection) ?? []);
    const ids: string[] = [];
    collectionMap(r.doc, collection).forEach((_v, id) => ids.push(id));
    for (const id of ids.sort()) if (!known.has(id)) ledger.created(collection, id);
  }
}

/**
 * RT_WEBRTC_STOCK=1: a plain y-webrtc provider instead of the app's ConferenceRoom (no chunking,
 * greeting or reconnect handling), to tell problems of our sync layer from y-webrtc's or wrtc's.
 */
async function join(): Promise<void> {
  const { roomId, key, url, index } = joined!;
  if (process.env.RT_WEBRTC_STOCK) {
    const { WebrtcProvider } = await import('y-webrtc');
    const provider = new WebrtcProvider(roomId, replica!.doc, { signaling: [url], password: key, peerOpts: { config: { iceServers: [] } } });
    room = {
      leave: async () => provider.destroy(),
      connections: () => ({
        webrtc: [...(provider.room?.webrtcConns.values() ?? [])].map((c) => ({ connected: c.connected, synced: c.synced })),
        broadcast: provider.room?.bcConns.size ?? 0,
      }),
    } as unknown as typeof room;
    return;
  }
  room = await ConferenceRoom.join(replica!.doc, { roomId, key }, [url], { signalingUrls: [url], iceServers: [] }, { name: `Peer ${index}`, role: 'partner' });
}

async function handle(cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'reset': {
      await room?.leave();
      replica?.caseDoc.destroy();
      rng = new Rng(cmd.seed * 31 + cmd.index);
      chars = new Chars(cmd.index * 5_000, 5_000);
      ledger = new Ledger();
      replica = new Replica(cmd.index, Uint8Array.from(cmd.state), 1 + rng.int(0x3fffffff));
      joined = cmd;
      await join();
      return null;
    }
    // The case closed and opened again on this device: the room is left and joined afresh.
    case 'close':
      await room?.leave();
      room = null;
      return null;
    case 'open':
      await join();
      return null;
    case 'edit':
      for (let i = 0; i < cmd.count; i++) {
        adoptForeign(replica!);
        randomEdit(rng, chars, ledger, replica!);
      }
      return null;
    case 'offline':
    case 'online':
      events.dispatchEvent(new Event(cmd.op));
      return null;
    case 'state': {
      if (!replica) return { sv: [], state: [], view: '', incrementalMatches: true, rich: '', peers: 0, handshakes: 0, broadcast: 0, uncaught };
      const doc = replica.doc;
      const fresh = canonical(readCase(doc));
      return {
        sv: [...Y.encodeStateVector(doc)],
        state: [...Y.encodeStateAsUpdate(doc)],
        view: fresh,
        incrementalMatches: canonical(replica!.caseDoc.view()) === fresh,
        rich: richTextFragment(doc, 'ausgangslage').toString(),
        peers: room?.connections().webrtc.filter((c) => c.connected).length ?? 0,
        handshakes: room?.connections().webrtc.filter((c) => !c.connected).length ?? 0,
        broadcast: room?.connections().broadcast ?? 0,
        uncaught,
      };
    }
    case 'ledger':
      return ledgerToJson(ledger);
    case 'exit':
      await room?.leave();
      setTimeout(() => process.exit(0), 50);
      return null;
  }
}

process.on('message', (cmd: Command) => {
  handle(cmd).then(
    (result) => process.send!({ id: cmd.id, ok: true, result }),
    (error: unknown) => process.send!({ id: cmd.id, ok: false, error: String(error instanceof Error ? error.stack : error) }),
  );
});
process.send!({ id: 0, ok: true, result: 'started' });

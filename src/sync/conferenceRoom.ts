import type * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import type { Awareness } from 'y-protocols/awareness';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import type { Role } from '../domain/roles.ts';
import { colourFor, participantsFrom, type Participant } from './presence.ts';
import type { RuntimeConfig } from './runtimeConfig.ts';

export interface ConnectionState {
  /** At least one signaling server is connected. */
  signaling: boolean;
  /** Peers with an open, synced WebRTC data channel. */
  peers: number;
}

export interface Me {
  name: string;
  role: Role;
}

type RoomListener = (participants: Participant[], connection: ConnectionState) => void;

// y-webrtc allows one provider per room per JavaScript context; a second one fails later
// inside a promise nobody can catch. This registry makes that impossible.
const open = new Map<string, ConferenceRoom>();

/**
 * A y-webrtc room for one case document. The room key is the y-webrtc password, so
 * signaling messages are end-to-end encrypted; data channels are DTLS-encrypted.
 */
export class ConferenceRoom {
  readonly roomId: string;
  readonly #provider: WebrtcProvider;
  #listeners = new Set<RoomListener>();
  #participants: Participant[] = [];
  #connection: ConnectionState = { signaling: false, peers: 0 };
  #poll: ReturnType<typeof setInterval>;

  private constructor(doc: Y.Doc, secret: RoomSecret, signalingUrls: string[], config: RuntimeConfig, me: Me) {
    this.roomId = secret.roomId;
    this.#provider = new WebrtcProvider(secret.roomId, doc, {
      signaling: signalingUrls,
      password: secret.key,
      maxConns: 32,
      filterBcConns: true,
      peerOpts: { config: { iceServers: config.iceServers } },
    });
    this.setMe(me);
    this.awareness.on('change', this.#refresh);
    this.#provider.on('peers', this.#refresh);
    this.#provider.on('synced', this.#refresh);
    this.#provider.on('status', this.#refresh);
    // Connection objects change state without an event of their own (see toolchain notes).
    this.#poll = setInterval(this.#refresh, 1000);
    this.#refresh();
  }

  static join(doc: Y.Doc, secret: RoomSecret, signalingUrls: string[], config: RuntimeConfig, me: Me): ConferenceRoom {
    const existing = open.get(secret.roomId);
    if (existing) {
      if (existing.#provider.doc !== doc) throw new Error('room already open for another document');
      existing.setMe(me);
      return existing;
    }
    const room = new ConferenceRoom(doc, secret, signalingUrls, config, me);
    open.set(secret.roomId, room);
    return room;
  }

  get awareness(): Awareness {
    return this.#provider.awareness;
  }

  setMe(me: Me): void {
    this.awareness.setLocalStateField('user', { name: me.name, role: me.role, color: colourFor(this.awareness.clientID) });
  }

  subscribe(listener: RoomListener): () => void {
    this.#listeners.add(listener);
    listener(this.#participants, this.#connection);
    return () => this.#listeners.delete(listener);
  }

  /** For diagnostics and tests: the real connection objects, not the events. */
  connections(): { webrtc: { connected: boolean; synced: boolean }[]; broadcast: number } {
    const room = this.#provider.room;
    if (!room) return { webrtc: [], broadcast: 0 };
    return {
      webrtc: [...room.webrtcConns.values()].map((c) => ({ connected: c.connected, synced: c.synced })),
      broadcast: room.bcConns.size,
    };
  }

  #refresh = (): void => {
    const participants = participantsFrom(
      this.awareness.getStates() as Map<number, Record<string, unknown>>,
      this.awareness.clientID,
    );
    const connection: ConnectionState = {
      signaling: this.#provider.signalingConns.some((c: { connected?: boolean }) => c.connected === true),
      peers: this.connections().webrtc.filter((c) => c.connected && c.synced).length,
    };
    const same =
      connection.signaling === this.#connection.signaling &&
      connection.peers === this.#connection.peers &&
      JSON.stringify(participants) === JSON.stringify(this.#participants);
    if (same) return;
    this.#participants = participants;
    this.#connection = connection;
    for (const listener of this.#listeners) listener(participants, connection);
  };

  leave(): void {
    clearInterval(this.#poll);
    this.awareness.off('change', this.#refresh);
    this.#listeners.clear();
    open.delete(this.roomId);
    this.#provider.destroy();
  }
}

/** Read-only view of open rooms, exposed on window for end-to-end tests and support. */
export function roomDiagnostics(): { roomId: string; webrtc: { connected: boolean; synced: boolean }[]; broadcast: number }[] {
  return [...open.values()].map((room) => ({ roomId: room.roomId, ...room.connections() }));
}

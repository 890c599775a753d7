import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import { Awareness } from 'y-protocols/awareness';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import type { Role } from '../domain/roles.ts';
import { colourFor, distinctColour, participantsFrom, type Participant, type PresenceUser } from './presence.ts';
import type { RuntimeConfig } from './runtimeConfig.ts';

export interface ConnectionState {
  /** At least one signaling server is connected. */
  signaling: boolean;
  /**
   * Peers with an open WebRTC data channel. (y-webrtc's per-connection `synced` flag is only
   * set while the whole room is unsynced, so after a reconnect it stays false: not usable here.)
   */
  peers: number;
}

export interface Me {
  name: string;
  role: Role;
  fingerprint?: string;
}

type RoomListener = (participants: Participant[], connection: ConnectionState) => void;

// y-webrtc allows one provider per room per JavaScript context; a second one fails later
// inside a promise nobody can catch. This registry makes that impossible.
const open = new Map<string, ConferenceRoom>();
// y-webrtc forgets a destroyed room only once its key promise settles; joining before that
// throws inside y-webrtc. Joins wait for a pending leave of the same room.
const leaving = new Map<string, Promise<void>>();

/**
 * A y-webrtc room for one case document. The room key is the y-webrtc password, so
 * signaling messages are end-to-end encrypted; data channels are DTLS-encrypted.
 * Kinds: `case` the shared case document, `scope` a further visibility scope's document
 * (confidential or one topic; only devices holding its key join), `lobby` an invite's lobby.
 */
export type RoomKind = 'case' | 'scope' | 'lobby';

export class ConferenceRoom {
  readonly roomId: string;
  readonly kind: RoomKind;
  #provider: WebrtcProvider;
  readonly #awareness: Awareness;
  readonly #makeProvider: () => WebrtcProvider;
  #listeners = new Set<RoomListener>();
  #participants: Participant[] = [];
  #connection: ConnectionState = { signaling: false, peers: 0 };
  #poll: ReturnType<typeof setInterval>;

  private constructor(
    doc: Y.Doc,
    secret: RoomSecret,
    signalingUrls: string[],
    config: RuntimeConfig,
    me: Me,
    kind: RoomKind,
  ) {
    this.roomId = secret.roomId;
    this.kind = kind;
    // One awareness for the room's life: a provider may be replaced (see #goOnline), the
    // people at the table and the editor's carets stay.
    this.#awareness = new Awareness(doc);
    this.#makeProvider = () =>
      new WebrtcProvider(secret.roomId, doc, {
        signaling: signalingUrls,
        password: secret.key,
        awareness: this.#awareness,
        maxConns: 32,
        filterBcConns: true,
        peerOpts: { config: { iceServers: config.iceServers } },
      });
    this.#provider = this.#makeProvider();
    this.setMe(me);
    this.awareness.on('change', this.#refresh);
    this.#watch(this.#provider);
    // Connection objects change state without an event of their own (see toolchain notes).
    this.#poll = setInterval(this.#refresh, 1000);
    // When the browser says it is offline, drop the peers explicitly and reconnect when it is
    // back: a half-dead channel would otherwise swallow edits until it times out.
    globalThis.addEventListener?.('offline', this.#goOffline);
    globalThis.addEventListener?.('online', this.#goOnline);
    this.#refresh();
  }

  #goOffline = (): void => {
    this.#provider.disconnect();
    this.#refresh();
  };

  /**
   * Back online: a fresh provider rather than reconnecting the old one. Reconnecting many
   * providers that share one signaling connection was unreliable (peers did not find each
   * other again, or connected without catching up); a fresh join is the path that always works.
   */
  #goOnline = (): void => {
    const old = this.#provider;
    old.destroy();
    void (async () => {
      await old.key;
      await Promise.resolve();
      if (!open.has(this.roomId) || this.#provider !== old) return;
      this.#provider = this.#makeProvider();
      this.#watch(this.#provider);
      if (this.#me) this.awareness.setLocalStateField('user', this.#me);
      this.#refresh();
    })();
  };

  #watch(provider: WebrtcProvider): void {
    provider.on('peers', this.#refresh);
    provider.on('synced', this.#refresh);
    provider.on('status', this.#refresh);
  }

  static async join(
    doc: Y.Doc,
    secret: RoomSecret,
    signalingUrls: string[],
    config: RuntimeConfig,
    me: Me,
    kind: RoomKind = 'case',
  ): Promise<ConferenceRoom> {
    await leaving.get(secret.roomId);
    const existing = open.get(secret.roomId);
    if (existing) {
      if (existing.#provider.doc !== doc) throw new Error('room already open for another document');
      existing.setMe(me);
      return existing;
    }
    const room = new ConferenceRoom(doc, secret, signalingUrls, config, me, kind);
    open.set(secret.roomId, room);
    return room;
  }

  get awareness(): Awareness {
    return this.#awareness;
  }

  #me: PresenceUser | null = null;

  setMe(me: Me): void {
    this.#me = {
      name: me.name,
      role: me.role,
      color: colourFor(this.awareness.clientID),
      ...(me.fingerprint ? { fingerprint: me.fingerprint } : {}),
    };
    this.awareness.setLocalStateField('user', this.#me);
  }

  /**
   * This participant as peers see them. Hand this to anything else that writes the awareness
   * field 'user' (Tiptap's CollaborationCaret does), or the role would be overwritten.
   */
  localUser(): PresenceUser {
    return this.#me!;
  }

  /** Who is here right now, validated. */
  present(): Participant[] {
    return this.#participants;
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

  #greeted = new WeakSet<object>();

  /**
   * Sends this device's whole state once to every channel that newly came up. y-webrtc's own
   * first sync exchange can be lost when a connection is re-established after going offline
   * (seen in tests: both sides connected, nothing merged until the next edit); a full state
   * update is idempotent and makes catching up independent of that handshake.
   */
  #greetNewChannels(): void {
    const room = this.#provider.room as unknown as {
      webrtcConns: Map<string, { connected: boolean }>;
      _docUpdateHandler?: (update: Uint8Array, origin: unknown) => void;
    } | null;
    if (!room?._docUpdateHandler) return;
    let fresh = false;
    for (const conn of room.webrtcConns.values()) {
      if (conn.connected && !this.#greeted.has(conn)) {
        this.#greeted.add(conn);
        fresh = true;
      }
    }
    if (fresh) room._docUpdateHandler(Y.encodeStateAsUpdate(this.#provider.doc), this);
  }

  #refresh = (): void => {
    this.#greetNewChannels();
    const participants = participantsFrom(
      this.awareness.getStates() as Map<number, Record<string, unknown>>,
      this.awareness.clientID,
    );
    const me = this.#me;
    if (me) {
      const colour = distinctColour(this.awareness.clientID, me.color, participants.filter((p) => !p.self));
      if (colour !== me.color) {
        this.#me = { ...me, color: colour };
        // Triggers 'change' and so another refresh with the new colour.
        this.awareness.setLocalStateField('user', this.#me);
        return;
      }
    }
    const connection: ConnectionState = {
      signaling: this.#provider.signalingConns.some((c: { connected?: boolean }) => c.connected === true),
      peers: this.connections().webrtc.filter((c) => c.connected).length,
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

  /** Disconnects; resolves when y-webrtc has fully let go of the room. */
  leave(): Promise<void> {
    const pending = leaving.get(this.roomId);
    if (pending) return pending;
    clearInterval(this.#poll);
    globalThis.removeEventListener?.('offline', this.#goOffline);
    globalThis.removeEventListener?.('online', this.#goOnline);
    this.awareness.off('change', this.#refresh);
    this.#listeners.clear();
    const provider = this.#provider;
    provider.destroy();
    const done = (async () => {
      await provider.key;
      await Promise.resolve();
    })().finally(() => {
      open.delete(this.roomId);
      leaving.delete(this.roomId);
    });
    leaving.set(this.roomId, done);
    return done;
  }
}

/** Read-only view of open rooms, exposed on window for end-to-end tests and support. */
export function roomDiagnostics(): {
  roomId: string;
  kind: RoomKind;
  webrtc: { connected: boolean; synced: boolean }[];
  broadcast: number;
}[] {
  return [...open.values()].map((room) => ({ roomId: room.roomId, kind: room.kind, ...room.connections() }));
}

// Support and end-to-end tests read connection state here; it exposes no keys or content.
(globalThis as { __runderTisch?: unknown }).__runderTisch = { rooms: roomDiagnostics };

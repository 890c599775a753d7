import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import './webrtcOnly.ts';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { chunkRoomConnections, hasSentState, type FrameGuard } from './chunkedTransport.ts';
import { answerCollidingOffersIn } from './offerCollision.ts';
import { FLOOD_COOLDOWN_MS, FloodBucket } from './floodGuard.ts';
import { updateFits } from './updateCheck.ts';
import { MESSAGE_SYNC, updateIn } from './syncMessage.ts';
import { dropStuckHandshakes, giveUpStalledHandshakes, stopDroppingStuckHandshakes } from './signalingReconnect.ts';
import { LINKS_FIELD } from './meshRelay.ts';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import type { Role } from '../domain/roles.ts';
import { colourFor, distinctColour, PresenceList, type Participant, type PresenceUser } from './presence.ts';
import type { RuntimeConfig } from './runtimeConfig.ts';

/** The part of a y-webrtc connection the flood guard needs. */
type PeerConn = { peer: unknown; remotePeerId: string; destroy(): void };

export interface ConnectionState {
  /** At least one signaling server is connected. */
  signaling: boolean;
  /**
   * Peers with an open WebRTC data channel. (y-webrtc's per-connection `synced` flag is only
   * set while the whole room is unsynced, so after a reconnect it stays false: not usable here.)
   */
  peers: number;
  /** Devices not listened to for a while: they sent far more than anyone at a table does (floodGuard.ts). */
  cutOff: number;
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

/**
 * Asked before the room connects, and again before each reconnect: resolves `false` when the
 * room must not connect (any more). Scope rooms use it to wait until the case room has synced
 * and any new key for their scope has been followed, so a device never syncs a scope with a
 * stale key (whoever lost the scope may still sit in the old room).
 */
export type JoinGate = () => Promise<boolean>;

/**
 * The default gate of a scope room: the latest case room has synced with a peer. Alone at the
 * table a scope room has nobody to talk to; and a late joiner's case arrives first, without
 * a dozen scope connections being set up at the same time.
 */
const afterCaseRoom: JoinGate = async () => {
  const caseRoom = [...open.values()].filter((r) => r.kind === 'case').at(-1);
  if (!caseRoom) return false;
  await caseRoom.whenSynced();
  // The case that just arrived is being laid out: the scope connections can wait for a pause.
  await new Promise<void>((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 1000 });
    else setTimeout(resolve, 0);
  });
  return true;
};

export class ConferenceRoom {
  readonly roomId: string;
  readonly kind: RoomKind;
  /** Null while the gate has not let the room connect yet. */
  #provider: WebrtcProvider | null = null;
  readonly #doc: Y.Doc;
  readonly #gate: JoinGate | null;
  /** Bumped whenever a pending connect must not go ahead (offline, leave, a newer connect). */
  #generation = 0;
  #left = false;
  #synced = deferred();
  readonly #awareness: Awareness;
  readonly #makeProvider: () => WebrtcProvider;
  #listeners = new Set<RoomListener>();
  #participants: Participant[] = [];
  #presence = new PresenceList();
  /** The presence list changed since listeners last heard of it. */
  #presenceChanged = false;
  #connection: ConnectionState = { signaling: false, peers: 0, cutOff: 0 };
  /** Peer ids (y-webrtc's) that flooded this device, and until when it does not listen to them. */
  #cutOff = new Map<string, number>();
  #poll: ReturnType<typeof setInterval>;

  private constructor(
    doc: Y.Doc,
    secret: RoomSecret,
    signalingUrls: string[],
    config: RuntimeConfig,
    me: Me,
    kind: RoomKind,
    gate: JoinGate | null,
  ) {
    this.roomId = secret.roomId;
    this.kind = kind;
    this.#doc = doc;
    this.#gate = gate;
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
    this.setMe(me);
    this.#presenceChanged = this.#presence.update(this.#states(), this.awareness.clientID, this.#states().keys());
    this.awareness.on('change', this.#onAwareness);
    this.#start();
    // Connection objects change state without an event of their own (see toolchain notes).
    this.#poll = setInterval(this.#refresh, 1000);
    // When the browser says it is offline, drop the peers explicitly and reconnect when it is
    // back: a half-dead channel would otherwise swallow edits until it times out.
    globalThis.addEventListener?.('offline', this.#goOffline);
    globalThis.addEventListener?.('online', this.#goOnline);
    this.#refresh();
  }

  /** Creates the provider, once the gate (if any) lets this room connect. */
  #start(): void {
    const generation = ++this.#generation;
    const begin = () => {
      if (this.#left || generation !== this.#generation || this.#provider) return;
      this.#provider = this.#makeProvider();
      this.#watch(this.#provider);
      if (this.#me) this.awareness.setLocalStateField('user', this.#me);
      this.#refresh();
    };
    if (!this.#gate) return begin();
    this.#gate().then(
      (go) => go && begin(),
      () => undefined,
    );
  }

  #goOffline = (): void => {
    this.#generation++;
    this.#synced = deferred();
    this.#provider?.disconnect();
    this.#refresh();
  };

  /**
   * Back online: a fresh provider rather than reconnecting the old one. Reconnecting many
   * providers that share one signaling connection was unreliable (peers did not find each
   * other again, or connected without catching up); a fresh join is the path that always works.
   */
  #goOnline = (): void => {
    const old = this.#provider;
    this.#provider = null;
    this.#generation++;
    this.#synced = deferred();
    if (old) destroyQuietly(old);
    void (async () => {
      await old?.key;
      await Promise.resolve();
      if (!open.has(this.roomId) || this.#left || this.#provider) return;
      this.#start();
    })();
  };

  #watch(provider: WebrtcProvider): void {
    // Every connection chunks large messages and answers a colliding offer on the offer's data
    // channel (offerCollision.ts); hooked when y-webrtc creates it, before it opens.
    provider.on('peers', () => {
      answerCollidingOffersIn(provider.room as unknown as { webrtcConns: Map<string, PeerConn> });
      chunkRoomConnections(provider.room as unknown as { webrtcConns: Map<string, PeerConn> }, this.#onPeerMessage, this.#frameGuard);
    });
    provider.on('peers', this.#refresh);
    provider.on('synced', this.#refresh);
    provider.on('status', this.#refresh);
    dropStuckHandshakes(provider);
  }

  static async join(
    doc: Y.Doc,
    secret: RoomSecret,
    signalingUrls: string[],
    config: RuntimeConfig,
    me: Me,
    kind: RoomKind = 'case',
    gate: JoinGate | null = null,
  ): Promise<ConferenceRoom> {
    await leaving.get(secret.roomId);
    const existing = open.get(secret.roomId);
    if (existing) {
      if (existing.#doc !== doc) throw new Error('room already open for another document');
      existing.setMe(me);
      return existing;
    }
    const room = new ConferenceRoom(doc, secret, signalingUrls, config, me, kind, gate ?? (kind === 'scope' ? afterCaseRoom : null));
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

  /**
   * Resolves once a peer has sent this device its state (a sync step 2) since the room last
   * (re)connected, or another tab of this device is in the room. Not before: with nobody
   * else here there is nothing to wait for.
   */
  whenSynced(): Promise<void> {
    return this.#synced.promise;
  }

  /**
   * Each connection gets its own budget. A peer over it is not listened to for a while: its
   * frames are dropped as they arrive, before anything decodes them. The channel stays open
   * (closed, both sides would announce and connect again at once, over and over); when the
   * time is up it is closed, and the fresh connection starts with a full sync and a new budget.
   */
  #frameGuard = (conn: PeerConn): FrameGuard => {
    const bucket = new FloodBucket();
    return {
      admit: (bytes) => {
        if (this.#cutOff.has(conn.remotePeerId)) return false;
        if (bucket.take(bytes)) return true;
        this.#cutOff.set(conn.remotePeerId, Date.now() + FLOOD_COOLDOWN_MS);
        queueMicrotask(this.#refresh);
        return false;
      },
      spent: (ms) => bucket.spent(ms),
    };
  };

  /** Ends the cut-offs whose time is up, by closing those connections (see #frameGuard). */
  #endCutOffs(): void {
    const now = Date.now();
    const room = this.#provider?.room as unknown as { webrtcConns: Map<string, PeerConn> } | null;
    for (const [id, until] of this.#cutOff) {
      if (until > now) continue;
      this.#cutOff.delete(id);
      room?.webrtcConns.get(id)?.destroy();
    }
  }

  /** A peer's update that would leave this document unable to load again is dropped (updateCheck.ts). */
  #onPeerMessage = (message: Uint8Array): boolean => {
    const found = updateIn(message);
    if (found === null) return true;
    if (found === 'malformed' || !updateFits(this.#doc, found.update)) return false;
    if (found.step2) this.#synced.resolve();
    return true;
  };

  /** Whether the gate has let this room connect (diagnostics). */
  get connecting(): boolean {
    return this.#provider !== null;
  }

  /** For diagnostics and tests: the real connection objects, not the events. */
  connections(): { webrtc: { connected: boolean; synced: boolean }[]; broadcast: number } {
    const room = this.#provider?.room;
    if (!room) return { webrtc: [], broadcast: 0 };
    return {
      webrtc: [...room.webrtcConns.values()].map((c) => ({ connected: c.connected, synced: c.synced })),
      broadcast: room.bcConns.size,
    };
  }

  #greeted = new WeakSet<object>();

  /**
   * Sends this device's whole state once to every channel that newly came up, and only to
   * those. y-webrtc's own first sync exchange can be lost when a connection is re-established
   * after going offline (seen in tests: both sides connected, nothing merged until the next
   * edit; also seen after a reload: y-webrtc answered the new peer's step 1, the answer never
   * arrived); a full state is idempotent and makes catching up independent of that handshake.
   * It is framed as a sync step 2, which stock y-webrtc applies like an update and which tells
   * the receiver (`whenSynced`) that a peer's state has arrived. A large state goes out in
   * chunks (chunkedTransport.ts). Where y-webrtc has already answered the peer's step 1 over
   * this channel, open as it was then, the peer has what it lacked and the greeting is left out.
   * (Some of those lost handshakes were probably colliding offers, offerCollision.ts.)
   */
  #greetNewChannels(): void {
    const room = this.#provider?.room as unknown as {
      webrtcConns: Map<string, { connected: boolean; peer: { send(data: Uint8Array): void } }>;
      bcConns: Set<string>;
    } | null;
    if (!room) return;
    // Another tab of this device is in the room: it holds the same keys and has synced.
    if (room.bcConns.size > 0) this.#synced.resolve();
    let greeting: Uint8Array | null = null;
    for (const conn of room.webrtcConns.values()) {
      if (!conn.connected || this.#greeted.has(conn)) continue;
      this.#greeted.add(conn);
      // y-webrtc has answered the peer's step 1 on this channel already: the peer has what it
      // lacked. (A late joiner got the whole case twice, and took it in twice.)
      if (hasSentState(conn.peer)) continue;
      if (!greeting) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.writeSyncStep2(encoder, this.#doc);
        greeting = encoding.toUint8Array(encoder);
      }
      try {
        conn.peer.send(greeting);
      } catch {
        // A closing channel; y-webrtc drops the connection by itself.
      }
    }
  }

  #states(): Map<number, Record<string, unknown>> {
    return this.awareness.getStates() as Map<number, Record<string, unknown>>;
  }

  /** Only the states the change names are read again (see PresenceList). */
  #onAwareness = (change: { added: number[]; updated: number[]; removed: number[] }): void => {
    const changed = [...change.added, ...change.updated, ...change.removed];
    if (this.#presence.update(this.#states(), this.awareness.clientID, changed)) this.#presenceChanged = true;
    this.#refresh();
  };

  #refresh = (): void => {
    if (this.#provider) giveUpStalledHandshakes(this.#provider);
    this.#endCutOffs();
    this.#greetNewChannels();
    const participants = this.#presence.list;
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
      signaling: (this.#provider?.signalingConns ?? []).some((c: { connected?: boolean }) => c.connected === true),
      peers: this.connections().webrtc.filter((c) => c.connected).length,
      cutOff: this.#cutOff.size,
    };
    // How many peers this device is linked to: lets everyone skip relaying in a full mesh (meshRelay.ts).
    const local = this.awareness.getLocalState();
    if (local && local[LINKS_FIELD] !== connection.peers) {
      this.awareness.setLocalStateField(LINKS_FIELD, connection.peers);
      return;
    }
    // A caret move changes no participant: listeners (the presence list on screen) hear nothing.
    const same =
      connection.signaling === this.#connection.signaling &&
      connection.peers === this.#connection.peers &&
      connection.cutOff === this.#connection.cutOff &&
      !this.#presenceChanged;
    if (same) return;
    this.#presenceChanged = false;
    this.#participants = participants;
    this.#connection = connection;
    for (const listener of this.#listeners) listener(participants, connection);
  };

  /** Disconnects; resolves when y-webrtc has fully let go of the room. */
  leave(): Promise<void> {
    const pending = leaving.get(this.roomId);
    if (pending) return pending;
    clearInterval(this.#poll);
    this.#left = true;
    this.#generation++;
    globalThis.removeEventListener?.('offline', this.#goOffline);
    globalThis.removeEventListener?.('online', this.#goOnline);
    this.awareness.off('change', this.#onAwareness);
    this.#listeners.clear();
    const provider = this.#provider;
    this.#provider = null;
    if (provider) destroyQuietly(provider);
    const done = (async () => {
      await provider?.key;
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
  connecting: boolean;
  webrtc: { connected: boolean; synced: boolean }[];
  broadcast: number;
}[] {
  return [...open.values()].map((room) => ({
    roomId: room.roomId,
    kind: room.kind,
    connecting: room.connecting,
    ...room.connections(),
  }));
}

// Support and end-to-end tests read connection state here; it exposes no keys or content.
(globalThis as { __runderTisch?: unknown }).__runderTisch = { rooms: roomDiagnostics };

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Destroys a provider without leaving a ghost: y-webrtc answers each of its connections
 * closing (which happens after destroy) by subscribing the room's topic again and announcing
 * the destroyed room's peer id, so a room joined again under the same id (back online, or the
 * case session's probe) meets peers busy connecting to that ghost. (Same as in rekeyBeacon.ts.)
 */
function destroyQuietly(provider: WebrtcProvider): void {
  stopDroppingStuckHandshakes(provider);
  provider.room?.webrtcConns.forEach((conn) =>
    (conn.peer as { removeAllListeners?: (event: string) => void }).removeAllListeners?.('close'),
  );
  provider.destroy();
}

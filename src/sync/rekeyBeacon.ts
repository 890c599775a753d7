import type * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import './webrtcOnly.ts';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import { chunkRoomConnections } from './chunkedTransport.ts';
import { answerCollidingOffersIn } from './offerCollision.ts';
import { onlyRoots } from './keyringOnly.ts';
import type { RuntimeConfig } from './runtimeConfig.ts';

/**
 * A y-webrtc connection to a case room that carries a small document of its own instead of
 * the case: only what the caller puts in (the keyring and the scope grants). Two uses:
 *
 * - a **beacon**: after a key rotation, a device that moved on stays in the old room with
 *   such a document, so a device that was offline during the rotation finds its new key there
 *   (wrapped for it alone; a removed device finds nothing for itself);
 * - a **probe**: a device that comes back first looks into its room this way and follows a
 *   rotation it missed, before it brings its case document (and its offline edits) into a
 *   room where a removed participant may be waiting.
 *
 * Whatever full peers in the room send lands in this document too; it is kept in memory only
 * and thrown away with the connection.
 */
export class RekeyBeacon {
  readonly roomId: string;
  readonly doc: Y.Doc;
  #provider: WebrtcProvider | null = null;
  readonly #make: () => WebrtcProvider;
  #closed = false;
  #syncedListeners = new Set<() => void>();
  #poll: ReturnType<typeof setInterval>;

  /**
   * `keep`: the root types a beacon takes in from peers (a host's beacon: the keyring and the
   * grants). A full peer's case content then never enters it, and the connection stays open
   * until that peer has what the beacon holds for it. A probe leaves it out: it reads the
   * keyring out of whatever a full peer sends and throws the rest away with itself.
   */
  constructor(doc: Y.Doc, secret: RoomSecret, signalingUrls: string[], config: RuntimeConfig, keep?: readonly string[]) {
    this.roomId = secret.roomId;
    this.doc = doc;
    const filter = keep ? onlyRoots(doc, keep) : undefined;
    this.#make = () => {
      const provider = new WebrtcProvider(secret.roomId, doc, {
        signaling: signalingUrls,
        password: secret.key,
        maxConns: 32,
        filterBcConns: true,
        peerOpts: { config: { iceServers: config.iceServers } },
      });
      // A probe receives a full peer's whole case state: a large case comes in chunks
      // (chunkedTransport.ts), as in the case room.
      provider.on('peers', () => {
        const room = provider.room as unknown as { webrtcConns: Map<string, { peer: unknown }> };
        answerCollidingOffersIn(room);
        chunkRoomConnections(room, filter);
      });
      return provider;
    };
    this.#provider = this.#make();
    // y-webrtc marks a connection synced once the peer's whole state arrived; no event of
    // its own for that per connection, so it is checked on every change and once a second.
    this.#poll = setInterval(this.#check, 250);
    doc.on('update', this.#check);
    globalThis.addEventListener?.('offline', this.#goOffline);
    globalThis.addEventListener?.('online', this.#goOnline);
  }

  /**
   * Every peer found in the room has sent its whole state (at least one did). All of them, not
   * the first: a removed device waiting in the old room could otherwise answer first with a
   * keyring that lacks its removal, before the host's beacon is heard.
   */
  get synced(): boolean {
    const room = this.#provider?.room;
    if (!room) return false;
    const conns = [...room.webrtcConns.values()];
    return conns.some((c) => c.connected && c.synced) && conns.every((c) => (c.connected && c.synced) || c.closed);
  }

  /** Resolves once every peer's whole state arrived (never, while nobody else is in the room). */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#syncedListeners.delete(done);
        resolve();
      };
      this.#syncedListeners.add(done);
    });
  }

  #check = (): void => {
    if (this.#syncedListeners.size === 0 || !this.synced) return;
    for (const listener of [...this.#syncedListeners]) listener();
  };

  #goOffline = (): void => {
    this.#provider?.disconnect();
  };

  /** Back online: a fresh provider, as ConferenceRoom does (reconnecting was unreliable). */
  #goOnline = (): void => {
    const old = this.#provider;
    this.#provider = null;
    if (old) destroyQuietly(old);
    void (async () => {
      await old?.key;
      await Promise.resolve();
      if (this.#closed || this.#provider) return;
      this.#provider = this.#make();
    })();
  };

  /** Disconnects; resolves when y-webrtc has let go of the room, so it can be joined again. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#poll);
    this.doc.off('update', this.#check);
    globalThis.removeEventListener?.('offline', this.#goOffline);
    globalThis.removeEventListener?.('online', this.#goOnline);
    this.#syncedListeners.clear();
    const provider = this.#provider;
    this.#provider = null;
    if (provider) destroyQuietly(provider);
    await provider?.key;
    await Promise.resolve();
  }
}

/**
 * Destroys a provider without a ghost. y-webrtc reacts to each of its connections closing
 * (which happens after destroy) by subscribing the room's topic again and announcing the
 * destroyed room's peer id; a room joined right after under the same id (the probe is
 * followed by the case room) then meets that ghost, and peers tried to sync with it instead
 * (seen in the offline test: connected, nothing exchanged). Closing connections silently
 * avoids that.
 */
function destroyQuietly(provider: WebrtcProvider): void {
  const conns = provider.room?.webrtcConns;
  conns?.forEach((conn) => (conn.peer as { removeAllListeners?: (event: string) => void }).removeAllListeners?.('close'));
  provider.destroy();
}

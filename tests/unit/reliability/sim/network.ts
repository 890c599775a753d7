import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Rng } from './random.ts';
import { REMOTE, type Replica } from './replica.ts';

/** One y-protocols sync message on its way from one replica to another. */
interface Message {
  from: number;
  to: number;
  bytes: Uint8Array;
  /** The connection it was sent on: a message of a connection that closed is lost. */
  link: number;
}

export interface Faults {
  drop: number;
  duplicate: number;
  /** A broken protocol for the negative test: connections open without the sync handshake. */
  noHandshake?: boolean;
}

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  lostWithLink: number;
  partitions: number;
  reconnects: number;
}

/**
 * An in-memory network between replicas, with y-webrtc's protocol: a connection opens with a
 * sync step 1 from both sides (answered with step 2), then every local update is sent to each
 * connected peer. Replicas in the same group that are both online are connected. Messages in
 * flight are delivered in any order and may be duplicated; a dropped message takes its
 * connection down with it (it reopens at once); a message on a connection that has closed
 * meanwhile is lost.
 */
export class Network {
  readonly queue: Message[] = [];
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, lostWithLink: 0, partitions: 0, reconnects: 0 };
  /** Group of each replica; connected = same group and both online. */
  group: number[];
  /** Connection number of each pair; bumped when the connection closes. */
  #links = new Map<string, number>();

  constructor(
    readonly replicas: Replica[],
    readonly handshake = true,
  ) {
    this.group = replicas.map(() => 0);
    for (const r of replicas) this.attach(r);
  }

  /** Wires a (re)loaded replica's updates to its peers. */
  attach(r: Replica): void {
    r.onLocalUpdate = (update) => {
      for (const peer of this.peersOf(r.index)) {
        const encoder = encoding.createEncoder();
        syncProtocol.writeUpdate(encoder, update);
        this.#send(r.index, peer, encoding.toUint8Array(encoder));
      }
    };
  }

  connected(a: number, b: number): boolean {
    return a !== b && this.replicas[a]!.online && this.replicas[b]!.online && this.group[a] === this.group[b];
  }

  peersOf(a: number): number[] {
    return this.replicas.map((_, b) => b).filter((b) => this.connected(a, b));
  }

  #key(a: number, b: number): string {
    return a < b ? `${a}-${b}` : `${b}-${a}`;
  }

  #send(from: number, to: number, bytes: Uint8Array): void {
    this.stats.sent++;
    this.queue.push({ from, to, bytes, link: this.#links.get(this.#key(from, to)) ?? 0 });
  }

  /** Both sides of a new connection send their state vector (sync step 1). */
  #open(a: number, b: number): void {
    this.stats.reconnects++;
    if (!this.handshake) return;
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const encoder = encoding.createEncoder();
      syncProtocol.writeSyncStep1(encoder, this.replicas[from]!.doc);
      this.#send(from, to, encoding.toUint8Array(encoder));
    }
  }

  #close(a: number, b: number): void {
    const key = this.#key(a, b);
    this.#links.set(key, (this.#links.get(key) ?? 0) + 1);
  }

  /**
   * Changes who is connected (`change` edits `group` and `online`): closed connections lose
   * what they carried, new ones open with a sync handshake.
   */
  reshape(change: () => void): void {
    const before = this.replicas.map((_, a) => this.replicas.map((_, b) => this.connected(a, b)));
    change();
    this.stats.partitions++;
    for (let a = 0; a < this.replicas.length; a++) {
      for (let b = a + 1; b < this.replicas.length; b++) {
        const now = this.connected(a, b);
        if (before[a]![b] && !now) this.#close(a, b);
        if (!before[a]![b] && now) this.#open(a, b);
      }
    }
  }

  /** A replica restarted: its connections close and open again. */
  restarted(index: number): void {
    for (const peer of this.peersOf(index)) {
      this.#close(index, peer);
      this.#open(index, peer);
    }
  }

  /** One connection breaks and comes back at once (what a dropped message means on WebRTC). */
  flap(a: number, b: number): void {
    if (!this.connected(a, b)) return;
    this.#close(a, b);
    this.#open(a, b);
  }

  /** A peer sends its state vector again to everyone connected (our app's greeting does so). */
  resync(a: number): void {
    for (const peer of this.peersOf(a)) {
      const encoder = encoding.createEncoder();
      syncProtocol.writeSyncStep1(encoder, this.replicas[a]!.doc);
      this.#send(a, peer, encoding.toUint8Array(encoder));
    }
  }

  /**
   * Delivers one message chosen at random (so in any order). With `faults`, it may be
   * duplicated (delivered and kept) or dropped (and its connection reset).
   */
  deliverOne(rng: Rng, faults: Faults | null): boolean {
    if (this.queue.length === 0) return false;
    const i = rng.int(this.queue.length);
    const message = this.queue[i]!;
    if (faults && rng.chance(faults.duplicate)) this.stats.duplicated++;
    else this.queue.splice(i, 1);
    if ((this.#links.get(this.#key(message.from, message.to)) ?? 0) !== message.link || !this.connected(message.from, message.to)) {
      this.stats.lostWithLink++;
      return true;
    }
    if (faults && rng.chance(faults.drop)) {
      // Data channels are reliable: a message is lost only with its connection, which the
      // peers then open again (y-webrtc reconnects), with a fresh handshake.
      this.stats.dropped++;
      this.flap(message.from, message.to);
      return true;
    }
    this.stats.delivered++;
    const to = this.replicas[message.to]!;
    const encoder = encoding.createEncoder();
    syncProtocol.readSyncMessage(decoding.createDecoder(message.bytes), encoder, to.doc, REMOTE, (error) => {
      throw error;
    });
    // A step 1 is answered with a step 2 on the same connection.
    if (encoding.length(encoder) > 0) this.#send(message.to, message.from, encoding.toUint8Array(encoder));
    return true;
  }
}

import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, MAX_MESSAGE_BYTES, MESSAGE_CHUNK, messageType, tagStep1 } from '../../../src/sync/chunking.ts';
import { chunkConnection, deliveringPeer, hasSentState, withoutSendingTo, type PeerLike } from '../../../src/sync/chunkedTransport.ts';

/** Messages by digest: comparing large byte arrays element by element is slow. */
const digests = (messages: Uint8Array[]) => messages.map((m) => createHash('sha256').update(m).digest('hex'));

/**
 * One end of a data channel, delivering in order and asynchronously, like a real channel. It
 * records what went over the wire and what reached its y-webrtc handler (`got`).
 */
class FakePeer extends EventEmitter {
  other!: FakePeer;
  wire: Uint8Array[] = [];
  got: Uint8Array[] = [];
  constructor() {
    super();
    this.on('data', (data: Uint8Array) => this.got.push(data));
  }
  send(data: Uint8Array): void {
    this.wire.push(data);
    const other = this.other;
    queueMicrotask(() => other.emit('data', data));
  }
}

/** Two ends; `ours` says which of them run our chunking (a stock y-webrtc end does not). */
function pair(ours: { a: boolean; b: boolean }): [FakePeer, FakePeer] {
  const a = new FakePeer();
  const b = new FakePeer();
  a.other = b;
  b.other = a;
  if (ours.a) chunkConnection(a as unknown as PeerLike);
  if (ours.b) chunkConnection(b as unknown as PeerLike);
  return [a, b];
}

const settle = async () => {
  for (let i = 0; i < 50; i++) await Promise.resolve();
};

/** Sync step 1 with an empty state vector: what every y-webrtc peer sends first. */
const STEP1 = Uint8Array.of(0, 0, 1, 0);

/** A sync update message (`0, 2, …`) of `size` bytes. */
function update(size: number, fill: number): Uint8Array {
  const out = new Uint8Array(size).fill(fill);
  out[0] = 0;
  out[1] = 2;
  return out;
}

describe('chunkConnection', () => {
  it('between two of our peers: small messages unchanged, large ones in chunks, all in order', async () => {
    const [a, b] = pair({ a: true, b: true });
    a.send(STEP1);
    b.send(STEP1);
    const small = update(100, 1);
    const big = update(4 * CHUNK_BYTES + 5, 2);
    const after = update(50, 3);
    a.send(small);
    a.send(big);
    a.send(after);
    await settle();
    expect(digests(b.got)).toEqual(digests([tagStep1(STEP1), small, big, after]));
    expect(Math.max(...a.wire.map((m) => m.byteLength))).toBeLessThanOrEqual(CHUNK_BYTES + 16);
    expect(a.wire.filter((m) => messageType(m) === MESSAGE_CHUNK)).toHaveLength(5);
  });

  it('a large message due before the peer has spoken waits, with what follows, until its step 1', async () => {
    const [a, b] = pair({ a: true, b: true });
    const big = update(2 * CHUNK_BYTES, 4);
    const after = update(30, 5);
    a.send(big);
    a.send(after);
    await settle();
    expect(a.wire).toEqual([]);
    b.send(STEP1);
    await settle();
    expect(digests(b.got)).toEqual(digests([big, after]));
    expect(a.wire.every((m) => m.byteLength <= CHUNK_BYTES + 16)).toBe(true);
  });

  it('a stock peer sees what stock y-webrtc sends (its step 1 tagged at the end), large messages whole', async () => {
    const [a, b] = pair({ a: true, b: false });
    a.send(STEP1);
    const big = update(2 * CHUNK_BYTES, 6);
    a.send(big);
    const messages = [update(10, 1), update(CHUNK_BYTES, 2), update(20, 3)];
    for (const m of messages) a.send(m);
    await settle();
    expect(digests(b.got)).toEqual(digests([tagStep1(STEP1)]));
    // The stock peer's untagged step 1 says: no chunks.
    b.send(STEP1);
    await settle();
    expect(digests(b.got)).toEqual(digests([tagStep1(STEP1), big, ...messages]));
    expect(digests(a.got)).toEqual(digests([STEP1]));
  });

  it('does not wait without bound for a peer that never sends a step 1', async () => {
    const [a, b] = pair({ a: true, b: false });
    const big = update(MAX_MESSAGE_BYTES / 2 + 1, 7);
    a.send(big);
    await settle();
    expect(b.got).toEqual([]);
    a.send(big);
    await settle();
    expect(b.got).toHaveLength(2);
  });

  it('drops malformed chunks instead of handing them on', async () => {
    // `a` is hostile: it writes raw frames.
    const [a, b] = pair({ a: false, b: true });
    a.send(Uint8Array.of(MESSAGE_CHUNK, 1, 0, 200, 0xff, 0xff, 0xff, 0xff, 0x0f));
    a.send(Uint8Array.of(MESSAGE_CHUNK));
    a.send(new Uint8Array(0));
    const fine = update(10, 6);
    a.send(fine);
    await settle();
    expect(digests(b.got)).toEqual(digests([fine]));
  });

  it('knows whether a sync step 2 went out whole, and not when the channel refused it', async () => {
    const [a, b] = pair({ a: true, b: true });
    a.send(update(10, 1));
    expect(hasSentState(a)).toBe(false);
    a.send(Uint8Array.of(0, 1, 2, 0, 0));
    expect(hasSentState(a)).toBe(true);
    expect(hasSentState(b)).toBe(false);
    // A channel that is closing throws; nothing counts as sent.
    const [c] = pair({ a: false, b: false });
    c.send = () => {
      throw new Error('InvalidStateError');
    };
    chunkConnection(c as unknown as PeerLike);
    c.send(Uint8Array.of(0, 1, 2, 0, 0));
    expect(hasSentState(c)).toBe(false);
    await settle();
  });

  it('sends nothing to the peer a message came from while it is passed on, and everything to the others', async () => {
    const [a, b] = pair({ a: false, b: true });
    const [c, d] = pair({ a: true, b: true });
    const during: unknown[] = [];
    // y-webrtc's handler on `a` (there before the chunking): passes what arrives on to every
    // peer, the sender too.
    a.on('data', () => {
      during.push(deliveringPeer());
      withoutSendingTo(deliveringPeer()!, () => {
        a.send(update(10, 3));
        c.send(update(10, 3));
      });
    });
    chunkConnection(a as unknown as PeerLike);
    b.send(update(10, 2));
    await settle();
    expect(during).toEqual([a]);
    expect(b.got).toEqual([]);
    expect(d.got).toHaveLength(1);
    expect(deliveringPeer()).toBeNull();
    // Afterwards `a` sends to `b` again.
    a.send(update(10, 4));
    await settle();
    expect(b.got).toHaveLength(1);
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, MESSAGE_CHUNK, messageType } from '../../../src/sync/chunking.ts';
import { chunkConnection, type PeerLike } from '../../../src/sync/chunkedTransport.ts';

/**
 * Two ends of a data channel, delivering in order (asynchronously, like a real channel). Each
 * records what went over the wire. `stock` makes the far end answer an unknown message type
 * with an empty message, as y-webrtc's readMessage does.
 */
class FakePeer extends EventEmitter {
  other!: FakePeer;
  wire: Uint8Array[] = [];
  /** What this end's y-webrtc handler got. */
  got: Uint8Array[] = [];
  constructor(readonly stock = false) {
    super();
    this.on('data', (data: Uint8Array) => {
      this.got.push(data);
      if (this.stock && ![0, 1, 3, 4].includes(data[0]!)) this.send(new Uint8Array(0));
    });
  }
  send(data: Uint8Array): void {
    this.wire.push(data);
    const other = this.other;
    queueMicrotask(() => other.emit('data', data));
  }
}

function pair(stockB = false): [FakePeer, FakePeer] {
  const a = new FakePeer();
  const b = new FakePeer(stockB);
  a.other = b;
  b.other = a;
  return [a, b];
}

const settle = async () => {
  for (let i = 0; i < 50; i++) await Promise.resolve();
};

function bytes(size: number, fill: number): Uint8Array {
  const out = new Uint8Array(size).fill(fill);
  out[0] = 0;
  return out;
}

describe('chunkConnection', () => {
  it('between two of our peers: small messages unchanged, large ones in chunks, all in order', async () => {
    const [a, b] = pair();
    chunkConnection(a as unknown as PeerLike);
    chunkConnection(b as unknown as PeerLike);
    const small = bytes(100, 1);
    const big = bytes(4 * CHUNK_BYTES + 5, 2);
    const after = bytes(50, 3);
    a.send(small);
    a.send(big);
    a.send(after);
    await settle();
    expect(b.got).toEqual([small, big, after]);
    expect(Math.max(...a.wire.map((m) => m.byteLength))).toBeLessThanOrEqual(CHUNK_BYTES + 16);
    expect(a.wire.filter((m) => messageType(m) === MESSAGE_CHUNK)).toHaveLength(5);
    // Once the peer is known, the next large message goes out at once.
    a.send(big);
    await settle();
    expect(b.got.at(-1)).toEqual(big);
  });

  it('with nothing large to send, a stock peer sees exactly what stock y-webrtc would send', async () => {
    const [a, b] = pair(true);
    chunkConnection(a as unknown as PeerLike);
    const messages = [bytes(10, 1), bytes(CHUNK_BYTES, 2), bytes(20, 3)];
    for (const m of messages) a.send(m);
    await settle();
    expect(b.got).toEqual(messages);
    expect(a.wire).toEqual(messages);
  });

  it('a stock peer gets a large message whole, after answering the question with nothing', async () => {
    const [a, b] = pair(true);
    chunkConnection(a as unknown as PeerLike);
    const big = bytes(2 * CHUNK_BYTES, 4);
    const after = bytes(30, 5);
    a.send(big);
    a.send(after);
    await settle();
    // The stock peer saw one unknown message (the question), then the two messages in order.
    expect(b.got.slice(1)).toEqual([big, after]);
    // The empty answer did not reach our y-webrtc handler.
    expect(a.got).toEqual([]);
  });

  it('drops malformed chunks instead of handing them on', async () => {
    const [a, b] = pair();
    chunkConnection(b as unknown as PeerLike);
    // `a` is hostile: raw frames, not through chunkConnection.
    a.send(Uint8Array.of(MESSAGE_CHUNK, 1, 0, 200, 0xff, 0xff, 0xff, 0xff, 0x0f));
    a.send(Uint8Array.of(MESSAGE_CHUNK));
    a.send(new Uint8Array(0));
    const fine = bytes(10, 6);
    a.send(fine);
    await settle();
    expect(b.got).toEqual([fine]);
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { chunkConnection, type PeerLike } from '../../../src/sync/chunkedTransport.ts';
import { FLOOD_LIMITS, FloodBucket } from '../../../src/sync/floodGuard.ts';

const limits = { burstMessages: 10, messagesPerSecond: 5, burstBytes: 1_000, bytesPerSecond: 100 };

describe('flood bucket', () => {
  it('admits a burst, then only what the rate refills', () => {
    let t = 0;
    const bucket = new FloodBucket(limits, () => t);
    for (let i = 0; i < 10; i++) expect(bucket.take(10)).toBe(true);
    expect(bucket.take(10)).toBe(false);
    t = 1_000; // one second: five more messages
    for (let i = 0; i < 5; i++) expect(bucket.take(10)).toBe(true);
    expect(bucket.take(10)).toBe(false);
  });

  it('counts bytes too: one large frame over the byte budget is refused, small ones go on', () => {
    let t = 0;
    const bucket = new FloodBucket(limits, () => t);
    expect(bucket.take(900)).toBe(true);
    expect(bucket.take(200)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    t = 2_000;
    expect(bucket.take(200)).toBe(true);
  });

  it("time spent handling the peer's messages earns it no new budget", () => {
    let t = 0;
    const bucket = new FloodBucket(limits, () => t);
    for (let i = 0; i < 10; i++) {
      expect(bucket.take(1)).toBe(true);
      // Each message keeps this device busy for half a second, the next one waits behind it.
      t += 500;
      bucket.spent(500);
    }
    expect(bucket.take(1)).toBe(false);
  });

  it('never holds more than the burst, however long the peer was quiet', () => {
    let t = 0;
    const bucket = new FloodBucket(limits, () => t);
    t = 3_600_000;
    for (let i = 0; i < 10; i++) expect(bucket.take(1)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });

  it('the default limits leave room for a whole large case arriving at once and a table typing', () => {
    const bucket = new FloodBucket(FLOOD_LIMITS, () => 0);
    // A 6 MB case in 64 KiB chunks, then a burst of keystroke updates.
    for (let i = 0; i < Math.ceil((6 * 1024 * 1024) / 65_536); i++) expect(bucket.take(65_536)).toBe(true);
    for (let i = 0; i < 200; i++) expect(bucket.take(80)).toBe(true);
  });
});

describe('frame check in the transport', () => {
  it('a refused frame never reaches y-webrtc; admitted ones do, in order', () => {
    const peer = new EventEmitter() as EventEmitter & PeerLike;
    (peer as unknown as { send: (d: Uint8Array) => void }).send = () => undefined;
    const got: number[] = [];
    peer.on('data', (d: Uint8Array) => got.push(d[3]!));
    let admit = true;
    chunkConnection(peer, undefined, { admit: () => admit, spent: () => undefined });
    const message = (n: number) => Uint8Array.of(0, 2, 1, n);
    peer.emit('data', message(1));
    admit = false;
    peer.emit('data', message(2));
    admit = true;
    peer.emit('data', message(3));
    expect(got).toEqual([1, 3]);
  });
});

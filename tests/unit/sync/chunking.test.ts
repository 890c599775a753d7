import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import {
  CHUNK_BYTES,
  MAX_MESSAGE_BYTES,
  MESSAGE_CHUNK,
  Reassembler,
  isTaggedStep1,
  messageType,
  splitMessage,
  tagStep1,
} from '../../../src/sync/chunking.ts';

/** Messages by digest: comparing large byte arrays element by element is slow. */
const digests = (messages: Uint8Array[]) => messages.map((m) => createHash('sha256').update(m).digest('hex'));

/** A deterministic message of `size` bytes that starts like a y-webrtc sync message. */
function message(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x & 0xff;
  }
  out[0] = 0;
  return out;
}

function varuints(...values: number[]): number[] {
  const encoder = encoding.createEncoder();
  for (const v of values) encoding.writeVarUint(encoder, v);
  return [...encoding.toUint8Array(encoder)];
}

/** A chunk frame with any header, for hostile input. */
function frame(header: number[], payloadSize: number): Uint8Array {
  const head = varuints(MESSAGE_CHUNK, ...header);
  const out = new Uint8Array(head.length + payloadSize);
  out.set(head);
  return out;
}

function receiveAll(r: Reassembler, frames: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of frames) {
    const got = r.push(f);
    if (got.kind === 'message') out.push(got.message);
  }
  return out;
}

describe('splitMessage', () => {
  it('leaves no frame larger than a chunk plus a small header', () => {
    const big = message(5 * CHUNK_BYTES + 17);
    const frames = splitMessage(big, 3);
    expect(frames).toHaveLength(6);
    for (const f of frames) expect(f.byteLength).toBeLessThanOrEqual(CHUNK_BYTES + 16);
    for (const f of frames) expect(messageType(f)).toBe(MESSAGE_CHUNK);
  });

  it('refuses messages that need no chunking, and messages beyond the limit', () => {
    expect(() => splitMessage(message(CHUNK_BYTES), 0)).toThrow();
    expect(() => splitMessage(new Uint8Array(MAX_MESSAGE_BYTES + 1), 0)).toThrow();
  });
});

describe('Reassembler', () => {
  it('puts a chunked message back together, byte for byte, and passes small ones through', () => {
    const r = new Reassembler();
    const small = message(100, 7);
    const big = message(3 * CHUNK_BYTES, 9);
    const exact = message(CHUNK_BYTES + 1, 11);
    const out = receiveAll(r, [small, ...splitMessage(big, 1), ...splitMessage(exact, 2), small]);
    expect(digests(out)).toEqual(digests([small, big, exact, small]));
    expect(r.dropped).toBe(0);
    expect(r.holding).toBe(0);
  });

  it('carries a real Yjs state of several hundred KiB between two documents', () => {
    const a = new Y.Doc();
    const text = a.getText('t');
    for (let i = 0; i < 400; i++) text.insert(text.length, `Absatz ${i}: ${'Hilfeplan und Zielvereinbarung '.repeat(30)}\n`);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep2(encoder, a);
    const wire = encoding.toUint8Array(encoder);
    expect(wire.byteLength).toBeGreaterThan(256 * 1024);

    const [whole] = receiveAll(new Reassembler(), splitMessage(wire, 0));
    const b = new Y.Doc();
    const decoder = decoding.createDecoder(whole!);
    expect(decoding.readVarUint(decoder)).toBe(0);
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), b, null);
    expect(b.getText('t').toString()).toBe(text.toString());
  });

  it('drops a run with a gap, a repeat or another message in between, and recovers with the next run', () => {
    const big = message(3 * CHUNK_BYTES, 5);
    const frames = splitMessage(big, 1);
    const r = new Reassembler();
    expect(receiveAll(r, [frames[0]!, frames[2]!])).toEqual([]);
    expect(receiveAll(r, [frames[0]!, frames[1]!, frames[1]!, frames[2]!])).toEqual([]);
    const small = message(10);
    expect(digests(receiveAll(r, [frames[0]!, small, frames[1]!, frames[2]!]))).toEqual(digests([small]));
    expect(r.dropped).toBeGreaterThanOrEqual(3);
    expect(digests(receiveAll(r, frames))).toEqual(digests([big]));
  });

  it('does not mix chunks of two messages', () => {
    const one = splitMessage(message(2 * CHUNK_BYTES, 1), 1);
    const two = splitMessage(message(2 * CHUNK_BYTES, 2), 2);
    const r = new Reassembler();
    expect(receiveAll(r, [one[0]!, two[1]!])).toEqual([]);
    expect(r.holding).toBe(0);
  });

  it('drops hostile headers without allocating what they claim', () => {
    const r = new Reassembler();
    const hostile = [
      // Claims 4 GiB in 2 chunks: count does not match, and far beyond the limit.
      frame([1, 0, 2, 2 ** 32], 10),
      // Claims the maximum, but the first chunk is short.
      frame([1, 0, Math.ceil(MAX_MESSAGE_BYTES / CHUNK_BYTES), MAX_MESSAGE_BYTES], 10),
      // Index beyond count.
      frame([1, 5, 2, 2 * CHUNK_BYTES], CHUNK_BYTES),
      // Count that does not fit the total.
      frame([1, 0, 9, 2 * CHUNK_BYTES], CHUNK_BYTES),
      // A "chunked" message small enough to have been sent whole.
      frame([1, 0, 2, 10], 5),
      // Negative-looking or overlong varuints.
      Uint8Array.of(MESSAGE_CHUNK, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
      // Truncated header.
      Uint8Array.of(MESSAGE_CHUNK, 1),
      // Empty, and a bare continuation byte.
      new Uint8Array(0),
      Uint8Array.of(0x80),
    ];
    for (const f of hostile) expect(r.push(f).kind).toBe('dropped');
    expect(r.dropped).toBe(hostile.length);
    expect(r.holding).toBe(0);
  });

  it('holds at most one partial message, growing only with chunks received', () => {
    const r = new Reassembler();
    const count = 10;
    const total = count * CHUNK_BYTES;
    // An endless stream of first chunks of claimed-large messages: each replaces the last.
    for (let id = 0; id < 50; id++) expect(r.push(frame([id, 0, count, total], CHUNK_BYTES)).kind).toBe('pending');
    expect(r.holding).toBe(CHUNK_BYTES);
    r.reset();
    expect(r.holding).toBe(0);
  });
});

describe('the step 1 tag', () => {
  function step1(doc: Y.Doc): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, doc);
    return encoding.toUint8Array(encoder);
  }

  it('marks a sync step 1 only, and is recognised only where it belongs', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'Hallo');
    const plain = step1(doc);
    const tagged = tagStep1(plain);
    expect(tagged.byteLength).toBe(plain.byteLength + 4);
    expect(isTaggedStep1(tagged)).toBe(true);
    expect(isTaggedStep1(plain)).toBe(false);
    // Tagging twice, or tagging anything else, changes nothing.
    expect(tagStep1(tagged)).toBe(tagged);
    const update = message(100);
    update[1] = 2;
    expect(tagStep1(update)).toBe(update);
    expect(isTaggedStep1(Uint8Array.of(0, 0, 200, 1, 2))).toBe(false);
  });

  it('is ignored by stock y-protocols, which answers a tagged step 1 with the whole state', () => {
    const stock = new Y.Doc();
    stock.getText('t').insert(0, 'Stand beim Stock-Client');
    const ours = new Y.Doc();
    const decoder = decoding.createDecoder(tagStep1(step1(ours)));
    expect(decoding.readVarUint(decoder)).toBe(0);
    const reply = encoding.createEncoder();
    syncProtocol.readSyncMessage(decoder, reply, stock, null);
    const answer = decoding.createDecoder(encoding.toUint8Array(reply));
    syncProtocol.readSyncMessage(answer, encoding.createEncoder(), ours, null);
    expect(ours.getText('t').toString()).toBe('Stand beim Stock-Client');
  });
});

import { z } from 'zod';

/**
 * Splitting large data-channel messages and putting them back together.
 *
 * Chromium refuses data-channel messages over 256 KiB (y-webrtc swallows the error, so the
 * peer waits forever), and a single large message holds up everything behind it on the
 * channel. No message we send is larger than CHUNK_BYTES plus a small header; larger ones
 * travel as a run of chunk frames, one after the other on the same ordered channel.
 *
 * Frames use y-webrtc's framing (a leading varuint message type) with a type y-webrtc does
 * not use; they go only to peers that said they reassemble (CHUNKS_TAG).
 */

/** Payload bytes per chunk: well below Chromium's limit, small enough not to stall a channel. */
export const CHUNK_BYTES = 60 * 1024;
/** The largest message we reassemble (a case's whole state in one sync message). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
export const MAX_CHUNKS = Math.ceil(MAX_MESSAGE_BYTES / CHUNK_BYTES);

/** y-webrtc uses message types 0, 1, 3 and 4; this one is ours. */
export const MESSAGE_CHUNK = 80;

const ChunkHeader = z
  .object({
    id: z.number().int().min(0).max(0x7fffffff),
    index: z.number().int().min(0),
    count: z.number().int().min(2).max(MAX_CHUNKS),
    total: z.number().int().min(CHUNK_BYTES + 1).max(MAX_MESSAGE_BYTES),
  })
  .refine((h) => h.index < h.count, 'index beyond count')
  .refine((h) => h.count === Math.ceil(h.total / CHUNK_BYTES), 'count does not match total');
type ChunkHeader = z.infer<typeof ChunkHeader>;

// --- varuints, as lib0 writes them (7 bits per byte, little end first) ----------------------

function writeVarUint(out: number[], value: number): void {
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** [value, next offset], or null when the bytes end early or the number is too long. */
function readVarUint(bytes: Uint8Array, offset: number): [number, number] | null {
  let value = 0;
  let factor = 1;
  for (let i = offset; i < bytes.length && i < offset + 5; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * factor;
    if (byte < 0x80) return [value, i + 1];
    factor *= 128;
  }
  return null;
}

/** The leading message type of a y-webrtc-framed message, or null for an empty or broken one. */
export function messageType(bytes: Uint8Array): number | null {
  return readVarUint(bytes, 0)?.[0] ?? null;
}

/**
 * Appended to every sync step 1 we send. y-protocols reads a step 1's state vector and ignores
 * whatever follows, so stock peers are unaffected; our peers learn from the first message of
 * a connection that the other side reassembles chunks, and can answer a large state at once.
 */
export const CHUNKS_TAG = Uint8Array.of(0x72, 0x74, 0x63, 0x31);

/** A y-webrtc sync step 1 (`0, 0, state vector`), with or without our tag after it. */
function step1End(bytes: Uint8Array): number | null {
  if (bytes[0] !== 0 || bytes[1] !== 0) return null;
  const length = readVarUint(bytes, 2);
  if (!length) return null;
  const end = length[1] + length[0];
  return end <= bytes.length ? end : null;
}

/** Whether `message` is a sync step 1 (tagged or not): the first message of every y-webrtc peer. */
export function isStep1(message: Uint8Array): boolean {
  return step1End(message) !== null;
}

export function tagStep1(message: Uint8Array): Uint8Array {
  const end = step1End(message);
  if (end === null || end !== message.length) return message;
  const tagged = new Uint8Array(message.length + CHUNKS_TAG.length);
  tagged.set(message);
  tagged.set(CHUNKS_TAG, message.length);
  return tagged;
}

/** Whether `message` is a sync step 1 from a peer that reassembles chunks. */
export function isTaggedStep1(message: Uint8Array): boolean {
  const end = step1End(message);
  return end !== null && message.length === end + CHUNKS_TAG.length && CHUNKS_TAG.every((b, i) => message[end + i] === b);
}

export function needsChunking(message: Uint8Array): boolean {
  return message.byteLength > CHUNK_BYTES;
}

/** The chunk frames of `message` (which must need chunking), in sending order. */
export function splitMessage(message: Uint8Array, id: number): Uint8Array[] {
  if (!needsChunking(message)) throw new Error('message is small enough to send as is');
  if (message.byteLength > MAX_MESSAGE_BYTES) throw new Error('message too large');
  const count = Math.ceil(message.byteLength / CHUNK_BYTES);
  const frames: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const header: number[] = [];
    for (const value of [MESSAGE_CHUNK, id, index, count, message.byteLength]) writeVarUint(header, value);
    const payload = message.subarray(index * CHUNK_BYTES, Math.min((index + 1) * CHUNK_BYTES, message.byteLength));
    const frame = new Uint8Array(header.length + payload.byteLength);
    frame.set(header);
    frame.set(payload, header.length);
    frames.push(frame);
  }
  return frames;
}

function readHeader(frame: Uint8Array): { header: ChunkHeader; payload: Uint8Array } | null {
  const values: number[] = [];
  let offset = 0;
  for (let i = 0; i < 5; i++) {
    const read = readVarUint(frame, offset);
    if (!read) return null;
    values.push(read[0]);
    offset = read[1];
  }
  const [type, id, index, count, total] = values;
  if (type !== MESSAGE_CHUNK) return null;
  const header = ChunkHeader.safeParse({ id, index, count, total });
  return header.success ? { header: header.data, payload: frame.subarray(offset) } : null;
}

export type Received =
  /** A whole message to hand on: a small one as it came, or a reassembled one. */
  | { kind: 'message'; message: Uint8Array }
  /** A chunk was taken in; the message is not complete yet. */
  | { kind: 'pending' }
  /** Thrown away (and any partial message with it): never handed on. */
  | { kind: 'dropped'; reason: string };

/**
 * Reassembles chunked messages of one connection. The sender writes a message's chunks one
 * after the other on an ordered, reliable channel, so anything else (a gap, a repeat, another
 * message in between, a size that does not add up) is garbage: the partial message is dropped
 * and nothing of it reaches the document. At most one partial message is held, never more
 * than MAX_MESSAGE_BYTES, and memory grows with the chunks actually received, not with what a
 * header claims.
 */
export class Reassembler {
  #current: { header: ChunkHeader; parts: Uint8Array[]; bytes: number } | null = null;
  #dropped = 0;

  /** Messages and chunks thrown away so far (for diagnostics). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes held for the message in progress. */
  get holding(): number {
    return this.#current?.bytes ?? 0;
  }

  push(data: Uint8Array): Received {
    const type = messageType(data);
    if (type === null) return this.#drop('empty or unreadable message');
    if (type !== MESSAGE_CHUNK) {
      if (this.#current) {
        // A message in the middle of a chunk run: the run cannot be completed any more.
        this.#current = null;
        this.#dropped++;
      }
      return { kind: 'message', message: data };
    }
    const frame = readHeader(data);
    if (!frame) return this.#drop('malformed chunk header');
    const { header, payload } = frame;
    const expected = header.index < header.count - 1 ? CHUNK_BYTES : header.total - CHUNK_BYTES * (header.count - 1);
    if (payload.byteLength !== expected) return this.#drop('chunk of the wrong size');
    const current = this.#current;
    if (header.index === 0) {
      if (current) this.#dropped++;
      this.#current = { header, parts: [payload.slice()], bytes: payload.byteLength };
      return { kind: 'pending' };
    }
    if (
      !current ||
      current.header.id !== header.id ||
      current.header.count !== header.count ||
      current.header.total !== header.total ||
      current.parts.length !== header.index
    ) {
      return this.#drop('chunk out of sequence');
    }
    current.parts.push(payload.slice());
    current.bytes += payload.byteLength;
    if (current.parts.length < header.count) return { kind: 'pending' };
    this.#current = null;
    const message = new Uint8Array(header.total);
    let offset = 0;
    for (const part of current.parts) {
      message.set(part, offset);
      offset += part.byteLength;
    }
    return { kind: 'message', message };
  }

  /** Forgets a partial message (the connection closed). */
  reset(): void {
    this.#current = null;
  }

  #drop(reason: string): Received {
    this.#current = null;
    this.#dropped++;
    return { kind: 'dropped', reason };
  }
}

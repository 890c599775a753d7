import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

/** y-webrtc's message type for document sync (its `messageSync`). */
export const MESSAGE_SYNC = 0;

/**
 * The document update a y-webrtc message carries: a sync step 2 (a peer's whole state, or what
 * this side lacks) or a single update. `null` for every other message (sync step 1, awareness);
 * `'malformed'` when the bytes do not read as one.
 */
export function updateIn(message: Uint8Array): { update: Uint8Array; step2: boolean } | null | 'malformed' {
  if (message[0] !== MESSAGE_SYNC) return null;
  const type = message[1];
  if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) return null;
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    return { update: decoding.readVarUint8Array(decoder), step2: type === syncProtocol.messageYjsSyncStep2 };
  } catch {
    return 'malformed';
  }
}

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * y-webrtc's room encryption (src/crypto.js there, not exported): PBKDF2 of the password salted
 * with the room name, AES-GCM; a sealed signal is the lib0 encoding of the string 'AES-GCM', the
 * iv and the ciphertext, published as base64.
 */

export interface Envelope {
  iv: Uint8Array<ArrayBuffer>;
  cipher: Uint8Array<ArrayBuffer>;
}

/** The envelope in `base64`, or null if it is anything else (plain text, other bytes, extra bytes). */
export function readEnvelope(base64: string): Envelope | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  try {
    const decoder = decoding.createDecoder(new Uint8Array(Buffer.from(base64, 'base64')));
    if (decoding.readVarString(decoder) !== 'AES-GCM') return null;
    const iv = decoding.readVarUint8Array(decoder);
    const cipher = decoding.readVarUint8Array(decoder);
    return decoding.hasContent(decoder) ? null : { iv, cipher };
  } catch {
    return null;
  }
}

/** Base64 of an envelope with the given bytes (for tests of what reads envelopes). */
export function writeEnvelope({ iv, cipher }: Envelope): string {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, 'AES-GCM');
  encoding.writeVarUint8Array(encoder, iv);
  encoding.writeVarUint8Array(encoder, cipher);
  return Buffer.from(encoding.toUint8Array(encoder)).toString('base64');
}

export async function deriveRoomKey(password: string, roomName: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: new TextEncoder().encode(roomName), iterations: 100000, hash: 'SHA-256' },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt'],
  );
}

/** The signal sealed in `base64`, opened with the room's key. */
export async function openSignal(base64: string, key: CryptoKey): Promise<unknown> {
  const envelope = readEnvelope(base64);
  if (!envelope) throw new Error('not an AES-GCM envelope');
  const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: envelope.iv }, key, envelope.cipher));
  return decoding.readAny(decoding.createDecoder(plain));
}

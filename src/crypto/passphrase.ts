import { bufferSource, concatBytes, randomBytes, utf8 } from './bytes.ts';

/** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
export const PBKDF2_ITERATIONS = 600_000;

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A non-extractable AES-GCM-256 key from a passphrase (PBKDF2-SHA256). The passphrase is
 * NFC-normalised first, so "ü" typed as one or as two code points gives the same key.
 */
export async function deriveKey(passphrase: string, salt: Uint8Array, iterations = PBKDF2_ITERATIONS): Promise<CryptoKey> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new Error('deriveKey: iterations must be a positive integer');
  const base = await crypto.subtle.importKey('raw', utf8(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: bufferSource(salt), iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** AES-GCM with a fresh random IV; the result is IV (12 bytes) ‖ ciphertext+tag. */
export async function encryptBytes(key: CryptoKey, plain: Uint8Array, aad?: Uint8Array): Promise<Uint8Array> {
  const iv = randomBytes(IV_BYTES);
  const params: AesGcmParams = { name: 'AES-GCM', iv: bufferSource(iv) };
  if (aad) params.additionalData = bufferSource(aad);
  const ct = await crypto.subtle.encrypt(params, key, bufferSource(plain));
  return concatBytes(iv, new Uint8Array(ct));
}

/** Reverses encryptBytes; throws on a wrong key, wrong AAD or altered data. */
export async function decryptBytes(key: CryptoKey, data: Uint8Array, aad?: Uint8Array): Promise<Uint8Array> {
  if (data.length < IV_BYTES + TAG_BYTES) throw new Error('decryptBytes: data too short');
  const params: AesGcmParams = { name: 'AES-GCM', iv: bufferSource(data.slice(0, IV_BYTES)) };
  if (aad) params.additionalData = bufferSource(aad);
  try {
    return new Uint8Array(await crypto.subtle.decrypt(params, key, bufferSource(data.subarray(IV_BYTES))));
  } catch {
    throw new Error('decryptBytes: cannot decrypt (wrong key, wrong associated data, or altered data)');
  }
}

import { z } from 'zod';
import { bufferSource, fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.ts';
import type { DeviceIdentity } from './identity.ts';

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+$/);

/** A small secret encrypted for one device's ECDH key (ECIES-style, P-256 + HKDF + AES-GCM). */
export const WrappedSecret = z.object({
  v: z.literal(1),
  /** The sender's ephemeral ECDH public key, SPKI. */
  epk: Base64Url.max(200),
  /** 12-byte AES-GCM IV. */
  iv: Base64Url.length(16),
  /** Ciphertext with the 16-byte tag. */
  ct: Base64Url.max(100_000),
});
export type WrappedSecret = z.infer<typeof WrappedSecret>;

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** ECDH shared secret → HKDF-SHA256 (salt = ephemeral public key, info = context) → AES-GCM-256. */
async function messageKey(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  epk: Uint8Array,
  context: string,
  usage: 'encrypt' | 'decrypt',
): Promise<CryptoKey> {
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: bufferSource(epk), info: utf8(context) },
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

/**
 * Encrypts `secret` so that only the holder of the private key to `recipientAgreeKey`
 * (base64url SPKI, ECDH P-256) can read it, and only for the same `context`, which is bound
 * both into the key (HKDF info) and into the ciphertext (AES-GCM additional data).
 */
export async function wrapSecret(recipientAgreeKey: string, secret: Uint8Array, context: string): Promise<WrappedSecret> {
  let recipient: CryptoKey;
  try {
    recipient = await crypto.subtle.importKey('spki', bufferSource(fromBase64Url(recipientAgreeKey)), ECDH, false, []);
  } catch {
    throw new Error('wrapSecret: the recipient key is not a valid ECDH P-256 public key');
  }
  const ephemeral = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
  const epk = new Uint8Array(await crypto.subtle.exportKey('spki', ephemeral.publicKey));
  const key = await messageKey(ephemeral.privateKey, recipient, epk, context, 'encrypt');
  const iv = randomBytes(12);
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: bufferSource(iv), additionalData: utf8(context) },
    key,
    bufferSource(secret),
  );
  return { v: 1, epk: toBase64Url(epk), iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) };
}

/** Decrypts a wrapped secret; throws if it is not for this device, not for `context`, or was altered. */
export async function unwrapSecret(identity: DeviceIdentity, wrapped: WrappedSecret, context: string): Promise<Uint8Array> {
  const parsed = WrappedSecret.safeParse(wrapped);
  if (!parsed.success) throw new Error('unwrapSecret: malformed wrapped secret');
  try {
    const epk = fromBase64Url(parsed.data.epk);
    const sender = await crypto.subtle.importKey('spki', bufferSource(epk), ECDH, false, []);
    const key = await messageKey(identity.agreement.privateKey, sender, epk, context, 'decrypt');
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bufferSource(fromBase64Url(parsed.data.iv)), additionalData: utf8(context) },
      key,
      bufferSource(fromBase64Url(parsed.data.ct)),
    );
    return new Uint8Array(plain);
  } catch {
    throw new Error('unwrapSecret: cannot decrypt (not for this device, wrong context, or tampered with)');
  }
}

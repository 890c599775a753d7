import { z } from 'zod';
import { bufferSource, fromBase64Url, toBase64Url, utf8 } from './bytes.ts';
import { canonicalJson, sha256 } from './canonical.ts';

/** Base64url SPKI public keys of one device: ECDSA P-256 to sign, ECDH P-256 to agree keys. */
export interface PublicKeys {
  sign: string;
  agree: string;
}

/**
 * This device's key pairs. The private keys are non-extractable CryptoKeys: they can be used
 * and stored (IndexedDB clones CryptoKeys) but their bytes can never be read by script.
 */
export interface DeviceIdentity {
  signing: CryptoKeyPair;
  agreement: CryptoKeyPair;
  publicKeys: PublicKeys;
}

/** A P-256 SPKI is 91 bytes (122 characters); the bounds only keep garbage out. */
const SpkiBase64Url = z
  .string()
  .min(60)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/);

export const PublicKeysSchema = z.object({ sign: SpkiBase64Url, agree: SpkiBase64Url });

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const SIGNATURE = { name: 'ECDSA', hash: 'SHA-256' } as const;

async function exportSpki(key: CryptoKey): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.exportKey('spki', key)));
}

export async function generateDeviceIdentity(): Promise<DeviceIdentity> {
  // extractable: false applies to the private keys; public keys are always exportable.
  const signing = await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']);
  const agreement = await crypto.subtle.generateKey(ECDH, false, ['deriveBits', 'deriveKey']);
  const publicKeys = { sign: await exportSpki(signing.publicKey), agree: await exportSpki(agreement.publicKey) };
  return { signing, agreement, publicKeys };
}

/**
 * What people compare to tell devices apart: SHA-256 over the canonical JSON of the public
 * keys, first 10 bytes as upper-case hex in 5 groups of 4, e.g. "3F9A 12C4 77B0 E2D1 0A5C".
 */
export async function fingerprint(keys: PublicKeys): Promise<string> {
  const digest = await sha256(utf8(canonicalJson({ sign: keys.sign, agree: keys.agree })));
  const hex = Array.from(digest.subarray(0, 10), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

/** ECDSA P-256 / SHA-256 signature (IEEE P1363, 64 bytes) as base64url. */
export async function signBytes(identity: DeviceIdentity, bytes: Uint8Array): Promise<string> {
  const signature = await crypto.subtle.sign(SIGNATURE, identity.signing.privateKey, bufferSource(bytes));
  return toBase64Url(new Uint8Array(signature));
}

/** True only for a valid signature; malformed keys or signatures give false, never an exception. */
export async function verifyBytes(publicSignKey: string, bytes: Uint8Array, signature: string): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('spki', bufferSource(fromBase64Url(publicSignKey)), ECDSA, false, ['verify']);
    const sig = fromBase64Url(signature);
    if (sig.length !== 64) return false;
    return await crypto.subtle.verify(SIGNATURE, key, bufferSource(sig), bufferSource(bytes));
  } catch {
    return false;
  }
}

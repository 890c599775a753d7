import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/crypto/bytes.ts';
import {
  fingerprint,
  generateDeviceIdentity,
  PublicKeysSchema,
  signBytes,
  verifyBytes,
} from '../../../src/crypto/identity.ts';

describe('device identity', () => {
  it('has P-256 public keys as base64url SPKI that the schema accepts', async () => {
    const id = await generateDeviceIdentity();
    expect(PublicKeysSchema.parse(id.publicKeys)).toEqual(id.publicKeys);
    expect(id.publicKeys.sign).toMatch(/^[A-Za-z0-9_-]{122}$/);
    expect(id.publicKeys.agree).toMatch(/^[A-Za-z0-9_-]{122}$/);
    expect(id.signing.privateKey.algorithm.name).toBe('ECDSA');
    expect(id.agreement.privateKey.algorithm.name).toBe('ECDH');
  });

  it('keeps the private keys non-extractable', async () => {
    const id = await generateDeviceIdentity();
    expect(id.signing.privateKey.extractable).toBe(false);
    expect(id.agreement.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', id.signing.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', id.signing.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('pkcs8', id.agreement.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', id.agreement.privateKey)).rejects.toThrow();
  });

  it('schema rejects junk keys', () => {
    expect(PublicKeysSchema.safeParse({ sign: 'abc', agree: 'abc' }).success).toBe(false);
    expect(PublicKeysSchema.safeParse({ sign: '+'.repeat(100), agree: 'A'.repeat(100) }).success).toBe(false);
    expect(PublicKeysSchema.safeParse({ sign: 'A'.repeat(201), agree: 'A'.repeat(100) }).success).toBe(false);
    expect(PublicKeysSchema.safeParse({ sign: 'A'.repeat(100) }).success).toBe(false);
  });

  it('fingerprints are stable, formatted, and differ per identity', async () => {
    const a = await generateDeviceIdentity();
    const b = await generateDeviceIdentity();
    const fa = await fingerprint(a.publicKeys);
    expect(fa).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);
    expect(await fingerprint({ agree: a.publicKeys.agree, sign: a.publicKeys.sign })).toBe(fa);
    expect(await fingerprint(b.publicKeys)).not.toBe(fa);
    // Swapping the roles of the keys is a different identity.
    expect(await fingerprint({ sign: a.publicKeys.agree, agree: a.publicKeys.sign })).not.toBe(fa);
  });

  it('fingerprint is SHA-256 over the canonical JSON of the keys', async () => {
    const keys = { sign: 'S'.repeat(80), agree: 'A'.repeat(80) };
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', utf8(`{"agree":"${keys.agree}","sign":"${keys.sign}"}`)),
    );
    const hex = Array.from(digest.subarray(0, 10), (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
    expect(await fingerprint(keys)).toBe(hex.match(/.{4}/g)!.join(' '));
  });

  it('signs and verifies; rejects tampered messages, other keys and malformed input', async () => {
    const id = await generateDeviceIdentity();
    const other = await generateDeviceIdentity();
    const message = utf8('Hauptziel: Ausbildung');
    const sig = await signBytes(id, message);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(await verifyBytes(id.publicKeys.sign, message, sig)).toBe(true);

    const tampered = message.slice();
    tampered[0]! ^= 1;
    expect(await verifyBytes(id.publicKeys.sign, tampered, sig)).toBe(false);
    expect(await verifyBytes(other.publicKeys.sign, message, sig)).toBe(false);
    // An ECDH key is not a signing key.
    expect(await verifyBytes(id.publicKeys.agree, message, sig)).toBe(false);
    expect(await verifyBytes('not a key!', message, sig)).toBe(false);
    expect(await verifyBytes('AAAA', message, sig)).toBe(false);
    expect(await verifyBytes(id.publicKeys.sign, message, 'AAAA')).toBe(false);
    expect(await verifyBytes(id.publicKeys.sign, message, '***')).toBe(false);
    expect(await verifyBytes(id.publicKeys.sign, message, '')).toBe(false);
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect(await verifyBytes(id.publicKeys.sign, message, flipped)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { fromBase64Url, randomBytes, toBase64Url } from '../../../src/crypto/bytes.ts';
import { generateDeviceIdentity } from '../../../src/crypto/identity.ts';
import { unwrapSecret, wrapSecret, WrappedSecret } from '../../../src/crypto/wrap.ts';

const CONTEXT = 'runder-tisch/room-key/v1/case-123';

describe('wrapSecret / unwrapSecret', () => {
  it('round-trips a secret for its recipient', async () => {
    const bob = await generateDeviceIdentity();
    const secret = randomBytes(32);
    const wrapped = await wrapSecret(bob.publicKeys.agree, secret, CONTEXT);
    expect(WrappedSecret.parse(wrapped)).toEqual(wrapped);
    expect(wrapped.v).toBe(1);
    expect(fromBase64Url(wrapped.iv)).toHaveLength(12);
    expect(Array.from(await unwrapSecret(bob, wrapped, CONTEXT))).toEqual(Array.from(secret));
  });

  it('uses a fresh ephemeral key and IV every time', async () => {
    const bob = await generateDeviceIdentity();
    const secret = randomBytes(32);
    const a = await wrapSecret(bob.publicKeys.agree, secret, CONTEXT);
    const b = await wrapSecret(bob.publicKeys.agree, secret, CONTEXT);
    expect(a.epk).not.toBe(b.epk);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('fails for another recipient', async () => {
    const bob = await generateDeviceIdentity();
    const eve = await generateDeviceIdentity();
    const wrapped = await wrapSecret(bob.publicKeys.agree, randomBytes(32), CONTEXT);
    await expect(unwrapSecret(eve, wrapped, CONTEXT)).rejects.toThrow(/cannot decrypt/);
  });

  it('fails for another context', async () => {
    const bob = await generateDeviceIdentity();
    const wrapped = await wrapSecret(bob.publicKeys.agree, randomBytes(32), CONTEXT);
    await expect(unwrapSecret(bob, wrapped, `${CONTEXT}x`)).rejects.toThrow(/cannot decrypt/);
  });

  it('fails when a ciphertext, IV or ephemeral-key byte is flipped', async () => {
    const bob = await generateDeviceIdentity();
    const wrapped = await wrapSecret(bob.publicKeys.agree, randomBytes(32), CONTEXT);
    const flip = (text: string, index: number) => {
      const bytes = fromBase64Url(text);
      bytes[index]! ^= 0x01;
      return toBase64Url(bytes);
    };
    await expect(unwrapSecret(bob, { ...wrapped, ct: flip(wrapped.ct, 0) }, CONTEXT)).rejects.toThrow(/cannot decrypt/);
    await expect(unwrapSecret(bob, { ...wrapped, ct: flip(wrapped.ct, 40) }, CONTEXT)).rejects.toThrow(/cannot decrypt/);
    await expect(unwrapSecret(bob, { ...wrapped, iv: flip(wrapped.iv, 3) }, CONTEXT)).rejects.toThrow(/cannot decrypt/);
    await expect(unwrapSecret(bob, { ...wrapped, epk: flip(wrapped.epk, 80) }, CONTEXT)).rejects.toThrow(/cannot decrypt/);
  });

  it('rejects malformed input with an Error', async () => {
    const bob = await generateDeviceIdentity();
    await expect(wrapSecret('nonsense', randomBytes(32), CONTEXT)).rejects.toThrow(/recipient key/);
    // (A P-256 SPKI does not say whether it is meant for ECDSA or ECDH, so a signing key is
    // accepted here; the schema of whoever publishes keys keeps the roles apart.)
    const wrapped = await wrapSecret(bob.publicKeys.agree, randomBytes(32), CONTEXT);
    await expect(unwrapSecret(bob, { ...wrapped, v: 2 } as unknown as WrappedSecret, CONTEXT)).rejects.toThrow(/malformed/);
    await expect(unwrapSecret(bob, { ...wrapped, iv: 'AAAA' }, CONTEXT)).rejects.toThrow(/malformed/);
  });
});

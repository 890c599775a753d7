import { describe, expect, it } from 'vitest';
import { randomBytes, utf8 } from '../../../src/crypto/bytes.ts';
import { decryptBytes, deriveKey, encryptBytes, PBKDF2_ITERATIONS } from '../../../src/crypto/passphrase.ts';

// Correctness does not depend on the work factor: a small count keeps these tests fast.
const FAST = 1_000;

describe('passphrase keys', () => {
  it('defaults to at least 600,000 PBKDF2 iterations', () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
  });

  it('uses the default iteration count when none is given', async () => {
    const salt = randomBytes(16);
    const slow = await deriveKey('Geheimnis', salt);
    const explicit = await deriveKey('Geheimnis', salt, PBKDF2_ITERATIONS);
    const fast = await deriveKey('Geheimnis', salt, FAST);
    const data = await encryptBytes(slow, utf8('x'));
    expect(new TextDecoder().decode(await decryptBytes(explicit, data))).toBe('x');
    await expect(decryptBytes(fast, data)).rejects.toThrow();
  });

  it('round-trips with the right passphrase, salt and AAD', async () => {
    const salt = randomBytes(16);
    const key = await deriveKey('Sonnenblume 7', salt, FAST);
    const plain = utf8('Jonas B., 7.400 Euro Schulden');
    const data = await encryptBytes(key, plain, utf8('case/shared'));
    expect(data.length).toBe(12 + plain.length + 16); // IV ‖ ciphertext ‖ tag
    const again = await deriveKey('Sonnenblume 7', salt, FAST);
    expect(new TextDecoder().decode(await decryptBytes(again, data, utf8('case/shared')))).toBe('Jonas B., 7.400 Euro Schulden');
  });

  it('fails with a wrong passphrase, salt, iteration count or AAD, or altered data', async () => {
    const salt = randomBytes(16);
    const key = await deriveKey('richtig', salt, FAST);
    const data = await encryptBytes(key, utf8('geheim'), utf8('a'));
    await expect(decryptBytes(await deriveKey('falsch', salt, FAST), data, utf8('a'))).rejects.toThrow(/cannot decrypt/);
    await expect(decryptBytes(await deriveKey('richtig', randomBytes(16), FAST), data, utf8('a'))).rejects.toThrow();
    await expect(decryptBytes(await deriveKey('richtig', salt, FAST + 1), data, utf8('a'))).rejects.toThrow();
    await expect(decryptBytes(key, data, utf8('b'))).rejects.toThrow();
    await expect(decryptBytes(key, data)).rejects.toThrow();
    const altered = data.slice();
    altered[20]! ^= 1;
    await expect(decryptBytes(key, altered, utf8('a'))).rejects.toThrow();
    await expect(decryptBytes(key, new Uint8Array(10))).rejects.toThrow(/too short/);
  });

  it('uses a fresh IV per encryption and a non-extractable key', async () => {
    const key = await deriveKey('x', randomBytes(16), FAST);
    const a = await encryptBytes(key, utf8('same'));
    const b = await encryptBytes(key, utf8('same'));
    expect(a.slice(0, 12)).not.toEqual(b.slice(0, 12));
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });

  it('treats composed and decomposed umlauts as the same passphrase', async () => {
    const salt = randomBytes(16);
    const data = await encryptBytes(await deriveKey('Grüße', salt, FAST), utf8('ok'));
    const decomposed = 'Gru\u0308ße';
    expect(new TextDecoder().decode(await decryptBytes(await deriveKey(decomposed, salt, FAST), data))).toBe('ok');
  });

  it('rejects a nonsensical iteration count', async () => {
    await expect(deriveKey('x', randomBytes(16), 0)).rejects.toThrow(/iterations/);
  });
});

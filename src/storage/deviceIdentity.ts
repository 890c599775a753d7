import { z } from 'zod';
import { generateDeviceIdentity, PublicKeysSchema, type DeviceIdentity } from '../crypto/identity.ts';
import type { RunderTischDb } from './db.ts';

/** Settings key of this device's identity. */
export const DEVICE_IDENTITY_KEY = 'deviceIdentity';

const Key = z.custom<CryptoKey>((value) => typeof CryptoKey !== 'undefined' && value instanceof CryptoKey, 'not a CryptoKey');
const KeyPair = z.object({ publicKey: Key, privateKey: Key });

/**
 * The stored row: the CryptoKey objects themselves (IndexedDB structured-clones them, the
 * private keys stay non-extractable), so the key bytes are never visible to script.
 */
const StoredIdentity = z.object({
  v: z.literal(1),
  signing: KeyPair,
  agreement: KeyPair,
  publicKeys: PublicKeysSchema,
  createdAt: z.number(),
});

function parseStored(value: unknown): DeviceIdentity | undefined {
  const parsed = StoredIdentity.safeParse(value);
  if (!parsed.success) return undefined;
  const { signing, agreement, publicKeys } = parsed.data;
  if (signing.privateKey.algorithm.name !== 'ECDSA' || agreement.privateKey.algorithm.name !== 'ECDH') return undefined;
  return { signing, agreement, publicKeys };
}

const cache = new WeakMap<RunderTischDb, Promise<DeviceIdentity>>();

/**
 * This device's identity, created on first use and the same on every later call. Concurrent
 * calls in this page share one promise; two tabs racing on first use are settled by an
 * IndexedDB read-write transaction (get-or-put), so both end up with the same stored identity.
 * A stored row that no longer validates is kept under a quarantine key, never deleted.
 */
export function loadOrCreateDeviceIdentity(db: RunderTischDb): Promise<DeviceIdentity> {
  let promise = cache.get(db);
  if (!promise) {
    promise = loadOrCreate(db);
    cache.set(db, promise);
    // A failure (e.g. storage unavailable) must not stick: the next call tries again.
    promise.catch(() => {
      if (cache.get(db) === promise) cache.delete(db);
    });
  }
  return promise;
}

async function loadOrCreate(db: RunderTischDb): Promise<DeviceIdentity> {
  const existing = parseStored((await db.settings.get(DEVICE_IDENTITY_KEY))?.value);
  if (existing) return existing;
  // Key generation is not IndexedDB work, so it happens before the transaction (an IndexedDB
  // transaction commits as soon as it waits for anything else).
  const fresh = await generateDeviceIdentity();
  return db.transaction('rw', db.settings, async () => {
    const row = await db.settings.get(DEVICE_IDENTITY_KEY);
    if (row) {
      const stored = parseStored(row.value);
      if (stored) return stored; // another tab won the race
      await db.settings.put({ key: `${DEVICE_IDENTITY_KEY}.unreadable.${Date.now()}`, value: row.value });
    }
    await db.settings.put({ key: DEVICE_IDENTITY_KEY, value: { v: 1, ...fresh, createdAt: Date.now() } });
    return fresh;
  });
}

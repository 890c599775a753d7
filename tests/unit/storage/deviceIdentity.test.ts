import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/crypto/bytes.ts';
import { signBytes, verifyBytes } from '../../../src/crypto/identity.ts';
import { unwrapSecret, wrapSecret } from '../../../src/crypto/wrap.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { DEVICE_IDENTITY_KEY, loadOrCreateDeviceIdentity } from '../../../src/storage/deviceIdentity.ts';

let dbs: RunderTischDb[] = [];
function freshDb(name = `test-${crypto.randomUUID()}`): RunderTischDb {
  const db = new RunderTischDb(name);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs) db.close();
  for (const name of new Set(dbs.map((db) => db.name))) await Dexie.delete(name);
  dbs = [];
});

// fake-indexeddb clones values with the platform structuredClone, which in Node clones
// CryptoKey objects (as Chromium's IndexedDB does), so the real code path runs here.
describe('loadOrCreateDeviceIdentity (fake-indexeddb)', () => {
  it('creates one identity and returns the same one on every call', async () => {
    const db = freshDb();
    const a = await loadOrCreateDeviceIdentity(db);
    const b = await loadOrCreateDeviceIdentity(db);
    expect(b).toBe(a);
    expect((await db.settings.get(DEVICE_IDENTITY_KEY))?.value).toMatchObject({ v: 1, publicKeys: a.publicKeys });
  });

  it('concurrent first calls create only one identity', async () => {
    const db = freshDb();
    const all = await Promise.all([loadOrCreateDeviceIdentity(db), loadOrCreateDeviceIdentity(db), loadOrCreateDeviceIdentity(db)]);
    expect(new Set(all.map((id) => id.publicKeys.sign)).size).toBe(1);
  });

  it('two database connections (tabs) racing on first use agree on one identity', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const tabA = freshDb(name);
    const tabB = freshDb(name);
    const [a, b] = await Promise.all([loadOrCreateDeviceIdentity(tabA), loadOrCreateDeviceIdentity(tabB)]);
    expect(b.publicKeys).toEqual(a.publicKeys);
  });

  it('survives a reopen: the stored keys still sign and unwrap, and stay non-extractable', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const first = freshDb(name);
    const created = await loadOrCreateDeviceIdentity(first);
    first.close();
    const reopened = freshDb(name);
    const loaded = await loadOrCreateDeviceIdentity(reopened);
    expect(loaded).not.toBe(created);
    expect(loaded.publicKeys).toEqual(created.publicKeys);
    expect(loaded.signing.privateKey).toBeInstanceOf(CryptoKey);
    expect(loaded.signing.privateKey.extractable).toBe(false);
    expect(loaded.agreement.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', loaded.signing.privateKey)).rejects.toThrow();

    const message = utf8('hello');
    expect(await verifyBytes(created.publicKeys.sign, message, await signBytes(loaded, message))).toBe(true);
    const wrapped = await wrapSecret(created.publicKeys.agree, utf8('room key'), 'ctx');
    expect(new TextDecoder().decode(await unwrapSecret(loaded, wrapped, 'ctx'))).toBe('room key');
  });

  it('keeps an unreadable stored identity aside instead of deleting it', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const first = freshDb(name);
    await first.settings.put({ key: DEVICE_IDENTITY_KEY, value: { v: 1, broken: true } });
    const id = await loadOrCreateDeviceIdentity(first);
    const rows = await first.settings.toArray();
    expect(rows.find((r) => r.key === DEVICE_IDENTITY_KEY)?.value).toMatchObject({ publicKeys: id.publicKeys });
    expect(rows.find((r) => r.key.startsWith(`${DEVICE_IDENTITY_KEY}.unreadable.`))?.value).toEqual({ v: 1, broken: true });
  });
});

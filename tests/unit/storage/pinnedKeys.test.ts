import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDeviceIdentity } from '../../../src/crypto/identity.ts';
import { deleteCaseLocally } from '../../../src/storage/caseIndex.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { localDocKey } from '../../../src/storage/localRecords.ts';
import { loadPins, pinKeys } from '../../../src/storage/pinnedKeys.ts';
import { VaultLockedError } from '../../../src/storage/vault.ts';

const caseId = '5b7c6f0e-2d4b-4c8a-9d7e-0f1a2b3c4d5e';
const alice = '11111111-1111-4111-8111-111111111111';
const bob = '22222222-2222-4222-8222-222222222222';

let dbs: RunderTischDb[] = [];
function openDb(): RunderTischDb {
  const db = new RunderTischDb(`test-${crypto.randomUUID()}`, { vault: { iterations: 1_000 } });
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs) db.close();
  for (const name of new Set(dbs.map((db) => db.name))) await Dexie.delete(name);
  dbs = [];
});

const key = async () => (await generateDeviceIdentity()).publicKeys.sign;
const pinned = async (db: RunderTischDb) => new Map([...(await loadPins(db, caseId))].map(([id, p]) => [id, p.signKey]));

describe('pinned signing keys', () => {
  it('trust on first use: the first key seen stays, a later different one does not replace it', async () => {
    const db = openDb();
    const [k1, k2, k3] = [await key(), await key(), await key()];
    await pinKeys(db, caseId, [{ participantId: alice, signKey: k1 }]);
    await pinKeys(db, caseId, [{ participantId: alice, signKey: k2 }, { participantId: bob, signKey: k3 }]);
    expect(await pinned(db)).toEqual(new Map([[alice, k1], [bob, k3]]));
    // Pins are per case.
    expect((await loadPins(db, '6c8d7a1f-3e5c-4d9b-8e8f-1a2b3c4d5e6f')).size).toBe(0);
  });

  it('a key received through admission is authoritative: it wins over one seen in the document, and stays', async () => {
    const db = openDb();
    const [seen, admitted, later] = [await key(), await key(), await key()];
    await pinKeys(db, caseId, [{ participantId: alice, signKey: seen }]);
    await pinKeys(db, caseId, [{ participantId: alice, signKey: admitted }], 'admission');
    await pinKeys(db, caseId, [{ participantId: alice, signKey: later }], 'admission');
    await pinKeys(db, caseId, [{ participantId: alice, signKey: later }]);
    const pins = await loadPins(db, caseId);
    expect(pins.get(alice)).toMatchObject({ signKey: admitted, source: 'admission' });
  });

  it('ignores malformed input and stored rows that do not validate', async () => {
    const db = openDb();
    const k = await key();
    await pinKeys(db, caseId, [{ participantId: 'not-an-id', signKey: k }, { participantId: bob, signKey: 'short' }]);
    expect((await loadPins(db, caseId)).size).toBe(0);
    await db.updates.add({ docKey: localDocKey(caseId, 'pins'), update: new TextEncoder().encode('{"v":1,"participantId":"x"}') });
    await db.updates.add({ docKey: localDocKey(caseId, 'pins'), update: new Uint8Array([1, 2, 3]) });
    await pinKeys(db, caseId, [{ participantId: alice, signKey: k }]);
    expect(await pinned(db)).toEqual(new Map([[alice, k]]));
  });

  it('with a device passphrase the pins are sealed, survive a passphrase change, and cannot be read while locked', async () => {
    const db = openDb();
    await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    const k = await key();
    await pinKeys(db, caseId, [{ participantId: alice, signKey: k }]);
    const rows = await db.updates.where('docKey').equals(localDocKey(caseId, 'pins')).toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.update).toBeUndefined();
    expect(new TextDecoder().decode(rows[0]!.sealed)).not.toContain(alice);
    await db.vault.setPassphrase('Sonnenblume 42', 'Tulpe 17 Tulpe');
    expect(await pinned(db)).toEqual(new Map([[alice, k]]));
    await db.vault.lock();
    await expect(loadPins(db, caseId)).rejects.toBeInstanceOf(VaultLockedError);
    // The same database opened anew (a reload) needs the passphrase too.
    const again = new RunderTischDb(db.name);
    dbs.push(again);
    expect(await again.vault.unlock('Tulpe 17 Tulpe')).toBe(true);
    expect((await loadPins(again, caseId)).get(alice)?.signKey).toBe(k);
  });

  it('go with the case when it is deleted from this device', async () => {
    const db = openDb();
    await pinKeys(db, caseId, [{ participantId: alice, signKey: await key() }]);
    await deleteCaseLocally(db, caseId);
    expect((await loadPins(db, caseId)).size).toBe(0);
  });
});

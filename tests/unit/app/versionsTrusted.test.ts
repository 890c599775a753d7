import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentHash, proposeVersion, readAgreement, respond, statementBytes } from '../../../src/app/agreement.ts';
import { restoreVersion, trustedVersions } from '../../../src/app/trustedVersions.ts';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { rawVersionEntry, writeRawVersionEntry } from '../../../src/case/versions.ts';
import { fingerprint, generateDeviceIdentity, signBytes, type DeviceIdentity } from '../../../src/crypto/identity.ts';
import type { FrozenVersion } from '../../../src/domain/versions.ts';
import { collectBackup } from '../../../src/app/backup.ts';
import { putCase } from '../../../src/storage/caseIndex.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { loadKeptVersions } from '../../../src/storage/frozenVersions.ts';
import { pinKeys } from '../../../src/storage/pinnedKeys.ts';
import { person, type Person } from '../fixtures/people.ts';

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

/** A case with version 1 agreed by case manager, client and the partner carrying a step. */
async function agreedCase() {
  const shared = new Y.Doc();
  CaseDocument.initialize(shared, { displayName: 'Jonas B.', team: 'U25' });
  const c = new CaseDocument(shared, [['confidential', new Y.Doc()]]);
  const org = c.add('partners', { texts: { organisation: 'Schuldnerberatung Nord' }, fields: { type: 'schuldnerberatung', cooperation: 'individuell' } });
  const people = [await person(c, 'Frau Wagner', 'fallmanager'), await person(c, 'Jonas', 'klient'), await person(c, 'Herr Kaya', 'partner', org)];
  const goal = c.addGoal('haupt', 'Ausbildung beginnen');
  const step = c.addStep('Schulden ordnen', goal);
  c.updateStep(step, { partnerId: org, due: '2027-01-15' });
  await proposeVersion(c, people[0]!.id);
  for (const p of people) await respond(c, p.identity, p.id, readAgreement(c).pending!, 'accept');
  const caseId = c.view().meta!.caseId;
  expect(readAgreement(c).frozen).toHaveLength(1);
  return { c, shared, people, caseId };
}

/**
 * What a peer holding the room key can do: give every participant a key of its own in the
 * document, and rewrite version 1 with a changed goal, a matching hash and fresh signatures.
 */
async function forgeEverything(c: CaseDocument, people: Person[]): Promise<void> {
  const original = structuredClone(readAgreement(c).frozen[0]!);
  const forgedKeys = new Map<string, DeviceIdentity>();
  for (const p of people) {
    const identity = await generateDeviceIdentity();
    forgedKeys.set(p.id, identity);
    c.update('participants', p.id, { signKey: identity.publicKeys.sign, agreeKey: identity.publicKeys.agree, fingerprint: await fingerprint(identity.publicKeys) });
  }
  const forged: FrozenVersion = structuredClone(original);
  forged.content.goals[0]!.title = 'Keine Ausbildung, sofort irgendein Job';
  forged.hash = await contentHash(forged.content);
  forged.signatures = await Promise.all(
    forged.signatures.map(async (s) => {
      const identity = forgedKeys.get(s.participantId)!;
      const signature = await signBytes(identity, statementBytes(forged.content.caseId, forged.number, s.participantId, forged.hash));
      return { ...s, hash: forged.hash, signKey: identity.publicKeys.sign, signature };
    }),
  );
  writeRawVersionEntry(c.doc, 'frozen:1', forged);
}

describe('agreed versions this device can rely on', () => {
  it('keeps a verified version and shows that copy, with a warning, once the shared one is altered; one click puts it back', async () => {
    const { c, caseId } = await agreedCase();
    const db = openDb();
    const first = await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    expect(first.versions).toMatchObject([{ number: 1, source: 'shared', altered: false, check: { ok: true } }]);
    expect([...(await loadKeptVersions(db, caseId)).keys()]).toEqual([1]);
    const intact = structuredClone(rawVersionEntry(c.doc, 'frozen:1'));

    const tampered = structuredClone(intact) as FrozenVersion;
    tampered.content.goals[0]!.title = 'Ausbildung abbrechen';
    writeRawVersionEntry(c.doc, 'frozen:1', tampered);
    const after = await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    expect(after.versions).toHaveLength(1);
    const shown = after.versions[0]!;
    expect(shown).toMatchObject({ source: 'kept', altered: true, check: { ok: true } });
    expect(shown.version.content.goals[0]!.title).toBe('Ausbildung beginnen');
    // The altered entry was not taken over: the kept copy is still the first one.
    expect((await loadKeptVersions(db, caseId)).get(1)?.content.goals[0]!.title).toBe('Ausbildung beginnen');

    restoreVersion(c, shown);
    expect(rawVersionEntry(c.doc, 'frozen:1')).toEqual(intact);
    expect((await trustedVersions(caseId, readAgreement(c), c.view().participants, db)).versions[0]).toMatchObject({ source: 'shared', altered: false });
  });

  it('a damaged or removed shared entry is replaced on screen by the kept copy', async () => {
    const { c, caseId } = await agreedCase();
    const db = openDb();
    await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    writeRawVersionEntry(c.doc, 'frozen:1', { number: 1, nonsense: true });
    const damaged = await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    expect(readAgreement(c).damaged).toEqual([1]);
    expect(damaged.damaged).toEqual([]);
    expect(damaged.versions[0]).toMatchObject({ number: 1, source: 'kept', altered: true, check: { ok: true } });
    c.doc.transact(() => c.doc.getMap('versions').delete('frozen:1'));
    const removed = await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    expect(removed.versions[0]).toMatchObject({ number: 1, source: 'kept', altered: true });
  });

  it('keys and signatures rewritten together fail against the pinned keys: "Schlüssel geändert"', async () => {
    const { c, people, caseId } = await agreedCase();
    const db = openDb();
    await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    await forgeEverything(c, people);

    // Without pins (a device that never saw the case before) the forgery would look valid.
    const naive = await trustedVersions(caseId, readAgreement(c), c.view().participants, openDb());
    expect(naive.versions[0]!.check.ok).toBe(true);

    const mine = await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    expect(mine.keyChanged.sort()).toEqual(people.map((p) => p.id).sort());
    const shown = mine.versions[0]!;
    expect(shown).toMatchObject({ source: 'kept', altered: true });
    expect(shown.version.content.goals[0]!.title).toBe('Ausbildung beginnen');
    // The kept copy's signatures are still valid under the pinned keys, but the changed keys are flagged.
    expect(shown.check.signatures.every((s) => s.ok && s.keyChanged)).toBe(true);
    expect(shown.check.ok).toBe(true);
    // The forged shared entry itself fails, every signer flagged.
    const { verifyVersion } = await import('../../../src/app/agreement.ts');
    const forgedCheck = await verifyVersion(readAgreement(c).frozen[0]!, c.view().participants, mine.pins);
    expect(forgedCheck.ok).toBe(false);
    expect(forgedCheck.keyChanged.sort()).toEqual(people.map((p) => p.id).sort());
    expect(forgedCheck.signatures.every((s) => !s.ok)).toBe(true);
  });

  it('a key pinned on admission outranks the key the document named first', async () => {
    const { c, people, caseId } = await agreedCase();
    const db = openDb();
    const client = people[1]!;
    // The document named a different key for the client before this device looked...
    const impostor = await generateDeviceIdentity();
    const real = client.identity.publicKeys.sign;
    c.update('participants', client.id, { signKey: impostor.publicKeys.sign });
    await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    // ...but the host received the real one from the client's device in the lobby.
    await pinKeys(db, caseId, [{ participantId: client.id, signKey: real }], 'admission');
    const check = await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    expect(check.pins.get(client.id)).toBe(real);
    expect(check.keyChanged).toEqual([client.id]);
    expect(check.versions[0]!.check.signatures.find((s) => s.participantId === client.id)).toMatchObject({ ok: true, keyChanged: true });
  });

  it('local copies are sealed by the device passphrase and never go into a backup', async () => {
    const { c, caseId } = await agreedCase();
    const db = openDb();
    await db.vault.setPassphrase(undefined, 'Sonnenblume 42');
    await putCase(db, { id: caseId, displayName: 'Jonas B.', team: 'U25', createdAt: 1, updatedAt: 2 });
    await trustedVersions(caseId, readAgreement(c), c.view().participants, db);
    const rows = await db.updates.where('docKey').startsWith(`${caseId}/local:`).toArray();
    expect(rows.length).toBe(4); // three pinned keys, one kept version
    for (const row of rows) {
      expect(row.update).toBeUndefined();
      expect(new TextDecoder().decode(row.sealed)).not.toContain('Ausbildung');
    }
    expect((await loadKeptVersions(db, caseId)).get(1)?.content.goals[0]!.title).toBe('Ausbildung beginnen');
    const backup = await collectBackup(db, [caseId]);
    expect(Object.keys(backup.cases[0]!.docs)).toEqual(['shared']);
  });
});

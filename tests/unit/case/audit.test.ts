import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AUDIT_WRITE, AuditRecorder, readAudit, readAuditDoc, readAuditOf, type AuditSigner } from '../../../src/case/audit.ts';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { ROOT } from '../../../src/case/layout.ts';
import { utf8 } from '../../../src/crypto/bytes.ts';
import { canonicalJson } from '../../../src/crypto/canonical.ts';
import { fingerprint, generateDeviceIdentity, signBytes, type DeviceIdentity } from '../../../src/crypto/identity.ts';
import { actionOf, COALESCE_MS, coalesces } from '../../../src/domain/audit.ts';

const MIN = 60_000;

async function device(name: string, role: 'fallmanager' | 'klient' = 'fallmanager') {
  const identity = await generateDeviceIdentity();
  const fp = await fingerprint(identity.publicKeys);
  const signer: AuditSigner = {
    fingerprint: fp,
    keys: identity.publicKeys,
    sign: (bytes) => signBytes(identity, bytes),
    who: () => ({ name, role }),
  };
  return { identity, fp, signer };
}

/** A case document with a clock the test moves, and the recorder of one device on it. */
function table(signer: AuditSigner, doc = new Y.Doc(), scopes: [ 'confidential', Y.Doc][] = []) {
  const clock = { now: Date.UTC(2026, 10, 23, 9, 0) };
  const caseDoc = new CaseDocument(doc, scopes);
  const recorder = new AuditRecorder(caseDoc, signer, () => clock.now);
  return { caseDoc, recorder, clock };
}

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('audit rules', () => {
  it('maps observed changes to actions', () => {
    const base = { collection: 'goals' as const, entityId: crypto.randomUUID() };
    expect(actionOf({ ...base, presence: 'added', fields: [] })).toBe('created');
    expect(actionOf({ ...base, presence: 'same', fields: ['deletedAt'], deletedAtSet: true })).toBe('removed');
    expect(actionOf({ ...base, presence: 'same', fields: ['deletedAt'], deletedAtSet: false })).toBe('restored');
    expect(actionOf({ ...base, presence: 'same', fields: ['order'] })).toBe('moved');
    expect(actionOf({ ...base, presence: 'same', fields: ['title'] })).toBe('changed');
  });

  it('coalesces only plain changes of the same fields of one item within the window', () => {
    const last = { collection: 'goals' as const, entityId: 'x', action: 'changed' as const, fields: ['title'], until: 1_000 };
    const next = { collection: 'goals' as const, entityId: 'x', action: 'changed' as const, fields: ['title'] };
    expect(coalesces(last, next, 1_000 + COALESCE_MS - 1)).toBe(true);
    expect(coalesces(last, next, 1_000 + COALESCE_MS)).toBe(false);
    expect(coalesces(last, { ...next, fields: ['indicator'] }, 2_000)).toBe(false);
    expect(coalesces(last, { ...next, entityId: 'y' }, 2_000)).toBe(false);
    expect(coalesces({ ...last, action: 'created' }, next, 2_000)).toBe(false);
  });
});

describe('audit trail', () => {
  it('attributes each edit to the device and person who made it, verified, on both sides', async () => {
    const anna = await device('Frau Aydin');
    const jonas = await device('Jonas', 'klient');
    const a = table(anna.signer);
    const b = table(jonas.signer);
    const goal = a.caseDoc.addGoal('haupt', 'Ausbildung');
    await a.recorder.settled();
    sync(a.caseDoc.doc, b.caseDoc.doc);
    b.clock.now += MIN;
    b.caseDoc.goalText(goal, 'clientWords').set('Ich will Tischler werden');
    await b.recorder.settled();
    sync(a.caseDoc.doc, b.caseDoc.doc);
    // Remote changes are not recorded by the receiving device.
    await a.recorder.settled();

    for (const side of [a, b]) {
      const trail = await readAuditOf(side.caseDoc, goal);
      expect(trail.map((r) => [r.verified, r.claim?.action, r.claim?.name, r.claim?.fingerprint, r.claim?.fields])).toEqual([
        [true, 'changed', 'Jonas', jonas.fp, ['clientWords']],
        [true, 'created', 'Frau Aydin', anna.fp, []],
      ]);
    }
  });

  it('coalesces typing into one entry and starts new ones for a pause, another field, remove, restore, move', async () => {
    const anna = await device('Frau Aydin');
    const { caseDoc, recorder, clock } = table(anna.signer);
    const goal = caseDoc.addGoal('haupt', '');
    const other = caseDoc.addGoal('teil', 'Zweites Ziel');
    const title = caseDoc.goalText(goal, 'title');
    for (const text of ['A', 'Au', 'Aus', 'Ausbildung']) {
      clock.now += 20_000;
      title.set(text);
      await recorder.settled();
    }
    const typed = (await readAuditOf(caseDoc, goal)).filter((r) => r.claim?.action === 'changed');
    expect(typed).toHaveLength(1);
    expect(typed[0]!.claim!.until - typed[0]!.claim!.at).toBe(60_000);
    expect(typed[0]!.verified).toBe(true);

    clock.now += COALESCE_MS + 1;
    title.set('Ausbildung 2027');
    clock.now += 1_000;
    caseDoc.goalText(goal, 'indicator').set('Vertrag unterschrieben');
    clock.now += 1_000;
    caseDoc.removeGoal(goal);
    clock.now += 1_000;
    caseDoc.restoreGoal(goal);
    clock.now += 1_000;
    caseDoc.moveGoal(goal, 1);
    await recorder.settled();
    const actions = (await readAuditOf(caseDoc, goal)).map((r) => `${r.claim?.action}:${r.claim?.fields.join(',')}`);
    expect(actions).toEqual(['moved:order', 'restored:deletedAt', 'removed:deletedAt', 'changed:indicator', 'changed:title', 'changed:title', 'created:']);
    expect((await readAuditOf(caseDoc, other)).map((r) => r.claim?.action)).toEqual(['created']);
  });

  it('rewrites a coalesced entry at most every few seconds while someone types fast', async () => {
    const anna = await device('Frau Aydin');
    const { caseDoc, recorder, clock } = table(anna.signer);
    const goal = caseDoc.addGoal('haupt', '');
    await recorder.settled();
    let writes = 0;
    caseDoc.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === AUDIT_WRITE) writes++;
    });
    const title = caseDoc.goalText(goal, 'title');
    let text = '';
    for (const char of 'Ausbildung') {
      clock.now += 100;
      text += char;
      title.set(text);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(writes).toBe(1); // the first keystroke; the rest wait for the next rewrite
    await recorder.settled();
    expect(writes).toBe(2);
    const typed = (await readAuditOf(caseDoc, goal)).filter((r) => r.claim?.action === 'changed');
    expect(typed.map((r) => [r.verified, r.claim!.until - r.claim!.at])).toEqual([[true, 900]]);
  });

  it('writes the entry of a restricted item into its scope document, never into the shared one', async () => {
    const anna = await device('Frau Aydin');
    const shared = new Y.Doc();
    const secret = new Y.Doc();
    const { caseDoc, recorder } = table(anna.signer, shared, [['confidential', secret]]);
    const item = caseDoc.add('assessment', { texts: { clientView: 'Räumungsklage' }, fields: { domain: 'wohnen', kind: 'bedarf' } }, 'confidential');
    caseDoc.text('assessment', item, 'professionalView').set('Vermieter Krüger');
    const open = caseDoc.add('assessment', { fields: { domain: 'qualifikation', kind: 'ressource' } });
    await recorder.settled();
    caseDoc.setVisibility('assessment', open, { kind: 'confidential' });
    await recorder.settled();
    expect((await readAuditDoc(shared)).filter((r) => r.claim?.entityId === item)).toEqual([]);
    expect((await readAuditDoc(secret)).filter((r) => r.claim?.entityId === item).map((r) => r.claim?.action).sort()).toEqual(['changed', 'created']);
    // The move to the confidential scope is one entry, where the item now lives.
    expect((await readAuditDoc(secret)).filter((r) => r.claim?.entityId === open).map((r) => [r.claim?.action, r.claim?.fields])).toEqual([['moved', ['visibility']]]);
    // Its history from before the move stays where it was written; the move leaves no trace there.
    expect((await readAuditDoc(shared)).filter((r) => r.claim?.entityId === open).map((r) => r.claim?.action)).toEqual(['created']);
    expect(JSON.stringify(shared.getMap(ROOT.audit).toJSON())).not.toContain(item);
  });

  it('shows forged, altered and malformed entries as not confirmed, without failing', async () => {
    const anna = await device('Frau Aydin');
    const mallory = await device('Mallory');
    const { caseDoc, recorder } = table(anna.signer);
    const goal = caseDoc.addGoal('haupt', 'Ausbildung');
    await recorder.settled();
    const audit = caseDoc.doc.getMap(ROOT.audit);
    const genuine = [...audit.values()][0] as { claim: Record<string, unknown>; sig: string };

    // 1. Mallory signs an entry in Anna's name with Mallory's own key.
    const forgedClaim = { ...genuine.claim, key: `${anna.fp}/${crypto.randomUUID()}`, action: 'removed', until: (genuine.claim['until'] as number) + 1 };
    const forgedSig = await signBytes(mallory.identity as DeviceIdentity, utf8(canonicalJson(forgedClaim)));
    // 2. Anna's real entry with the name changed afterwards.
    const altered = { ...genuine, claim: { ...genuine.claim, key: `${anna.fp}/${crypto.randomUUID()}`, name: 'Jemand anderes' } };
    caseDoc.doc.transact(() => {
      audit.set(forgedClaim.key as string, { claim: forgedClaim, sig: forgedSig });
      audit.set(altered.claim.key as string, altered);
      audit.set('junk-1', 'kein Eintrag');
      audit.set('junk-2', { claim: { v: 1, entityId: goal }, sig: 42 });
      audit.set('junk-3', null);
    });
    const records = await readAudit(caseDoc);
    expect(records).toHaveLength(6);
    const verified = records.filter((r) => r.verified);
    expect(verified.map((r) => r.key)).toEqual([genuine.claim['key']]);
    expect(records.find((r) => r.key === forgedClaim.key)?.claim?.action).toBe('removed');
    expect(records.find((r) => r.key === forgedClaim.key)?.verified).toBe(false);

    // 3. Mallory replaces Anna's public keys with her own: Anna's entries are no longer
    //    confirmed (a denial, visible as such), and Mallory's forgery is still not confirmed.
    caseDoc.doc.getMap(ROOT.auditDevices).set(anna.fp, mallory.identity.publicKeys);
    const after = await readAudit(caseDoc);
    expect(after.filter((r) => r.verified)).toEqual([]);
  });
});

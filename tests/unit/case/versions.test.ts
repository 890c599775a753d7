import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { rootMap } from '../../../src/case/layout.ts';
import { readVersions, writeRawVersionEntry } from '../../../src/case/versions.ts';
import { freezeIfAgreed, proposeVersion, readAgreement, respond, verifyVersion } from '../../../src/app/agreement.ts';
import { generateDeviceIdentity, type DeviceIdentity } from '../../../src/crypto/identity.ts';
import { person } from '../fixtures/people.ts';

async function table() {
  const shared = new Y.Doc();
  CaseDocument.initialize(shared, { displayName: 'Jonas B.', team: 'U25' });
  const confidential = new Y.Doc();
  const c = new CaseDocument(shared, [['confidential', confidential]]);
  const org = c.add('partners', { texts: { organisation: 'Schuldnerberatung Nord' }, fields: { type: 'schuldnerberatung', cooperation: 'individuell' } });
  const fm = await person(c, 'Frau Wagner', 'fallmanager');
  const kl = await person(c, 'Jonas', 'klient');
  const pa = await person(c, 'Herr Kaya', 'partner', org);
  const goal = c.addGoal('haupt', 'Ausbildung beginnen');
  c.goalText(goal, 'clientWords').set('Ich will Mechatroniker werden');
  const step = c.addStep('Schulden ordnen', goal);
  c.updateStep(step, { partnerId: org, due: '2027-01-15' });
  return { shared, confidential, c, fm, kl, pa, goal, step };
}

const sign = (c: CaseDocument, who: { id: string; identity: DeviceIdentity }, kind: 'accept' | 'bedenkzeit' | 'decline', reason = '') =>
  respond(c, who.identity, who.id, readAgreement(c).pending!, kind, reason);

describe('agreed versions in the case document', () => {
  it('freezes after client, case manager and the partner with a step accepted; signatures verify', async () => {
    const { c, fm, kl, pa } = await table();
    const proposal = await proposeVersion(c, fm.id);
    expect(proposal.number).toBe(1);
    await sign(c, fm, 'accept');
    await sign(c, kl, 'bedenkzeit');
    await sign(c, pa, 'accept');
    expect(readAgreement(c).frozen).toEqual([]);
    await sign(c, kl, 'accept');
    const state = readAgreement(c);
    expect(state.frozen.map((f) => f.number)).toEqual([1]);
    expect(state.pending).toBeNull();
    expect(state.nextNumber).toBe(2);
    const check = await verifyVersion(state.frozen[0]!, c.view().participants);
    expect(check).toMatchObject({ ok: true, contentOk: true, complete: true });
    expect(check.signatures.map((s) => s.ok)).toEqual([true, true, true]);
  });

  it('a goal text changed in the stored snapshot shows as invalid, with or without a new hash', async () => {
    const { c, shared, fm, kl, pa } = await table();
    await proposeVersion(c, fm.id);
    for (const p of [fm, kl, pa]) await sign(c, p, 'accept');
    const frozen = readAgreement(c).frozen[0]!;
    const tampered = structuredClone(frozen);
    tampered.content.goals[0]!.title = 'Ausbildung abbrechen';
    writeRawVersionEntry(shared, 'frozen:1', tampered);
    const read = readAgreement(c).frozen[0]!;
    expect(read.content.goals[0]!.title).toBe('Ausbildung abbrechen');
    expect(await verifyVersion(read, c.view().participants)).toMatchObject({ ok: false, contentOk: false });
    // Recomputing the hash does not help: the signatures were made over the old one.
    const { contentHash } = await import('../../../src/app/agreement.ts');
    const rehashed = { ...tampered, hash: await contentHash(tampered.content) };
    rehashed.signatures = rehashed.signatures.map((s) => ({ ...s, hash: rehashed.hash }));
    const check = await verifyVersion(rehashed, c.view().participants);
    expect(check.contentOk).toBe(true);
    expect(check.ok).toBe(false);
    expect(check.signatures.every((s) => !s.ok)).toBe(true);
  });

  it('a signature by a key that is not the participant’s registered key is invalid', async () => {
    const { c, fm, kl, pa } = await table();
    await proposeVersion(c, fm.id);
    const impostor = { id: kl.id, identity: await generateDeviceIdentity() };
    for (const p of [fm, impostor, pa]) await sign(c, p, 'accept');
    // Not frozen: the client's acceptance does not verify against the registered key.
    expect(readAgreement(c).frozen).toEqual([]);
    expect(await freezeIfAgreed(c)).toBeNull();
  });

  it('a Bedenkzeit or decline is signed too; one written for someone else does not verify', async () => {
    const { c, fm, kl, pa } = await table();
    const { verifyResponse } = await import('../../../src/app/agreement.ts');
    await proposeVersion(c, fm.id);
    await sign(c, kl, 'decline', 'Zu früh für mich');
    const own = readAgreement(c).responses.find((r) => r.participantId === kl.id)!;
    expect(own).toMatchObject({ kind: 'decline', reason: 'Zu früh für mich' });
    expect(await verifyResponse(c.view().meta!.caseId, own, c.view().participants)).toBe(true);
    // The partner's device writes a "decline" in the client's name, signed with its own key.
    const forged = await (async () => {
      const p = readAgreement(c).pending!;
      await respond(c, pa.identity, kl.id, p, 'decline', 'Ich will doch nicht');
      return readAgreement(c).responses.find((r) => r.participantId === kl.id)!;
    })();
    expect(forged).toMatchObject({ reason: 'Ich will doch nicht' });
    expect(await verifyResponse(c.view().meta!.caseId, forged, c.view().participants)).toBe(false);
    // Changing the reason of a real answer breaks its signature.
    if (own.kind !== 'decline') throw new Error('expected a decline');
    expect(await verifyResponse(c.view().meta!.caseId, { ...own, reason: 'Anders gesagt' }, c.view().participants)).toBe(false);
  });

  it('copies nothing confidential into the shared document, and counts what it left out', async () => {
    const { c, shared, fm } = await table();
    const secret = c.add('goals', { texts: { title: 'Räumungsklage abwenden' }, fields: { level: 'teil', status: 'offen' } }, 'confidential');
    expect(c.scopeOf(secret)).toBe('confidential');
    const proposal = await proposeVersion(c, fm.id);
    expect(proposal.content.withheld).toBe(1);
    expect(proposal.content.goals.map((g) => g.title)).toEqual(['Ausbildung beginnen']);
    expect(JSON.stringify(rootMap(shared, 'versions').toJSON())).not.toContain('Räumungsklage');
  });

  it('quarantines malformed entries and never crashes on them', async () => {
    const { c, shared, fm } = await table();
    await proposeVersion(c, fm.id);
    writeRawVersionEntry(shared, 'frozen:7', { number: 7, hello: 'world' });
    writeRawVersionEntry(shared, 'nonsense', 42);
    writeRawVersionEntry(shared, 'response:1:00000000-0000-4000-8000-000000000009', 'x'.repeat(5000));
    const state = readVersions(shared);
    expect(state.proposals).toHaveLength(1);
    expect(state.frozen).toEqual([]);
    expect(state.damaged).toEqual([7]);
    // A damaged frozen version still takes its number.
    expect(readAgreement(c).nextNumber).toBe(8);
    expect(state.quarantine.map((q) => q.where).sort()).toEqual(['versions/frozen:7', 'versions/nonsense', 'versions/response:1:00000000-0000-4000-8000-000000000009']);
  });

  it('refuses to sign content that does not match its hash', async () => {
    const { c, fm } = await table();
    const p = await proposeVersion(c, fm.id);
    const bad = { ...p, content: { ...p.content, situation: 'anders' } };
    await expect(respond(c, fm.identity, fm.id, bad, 'accept')).rejects.toThrow(/hash/);
  });

  it('the next proposal after a frozen version gets the next number; a frozen version is never replaced', async () => {
    const { c, fm, kl, pa } = await table();
    await proposeVersion(c, fm.id);
    for (const p of [fm, kl, pa]) await sign(c, p, 'accept');
    const second = await proposeVersion(c, fm.id);
    expect(second.number).toBe(2);
    expect(readAgreement(c).pending?.number).toBe(2);
  });
});

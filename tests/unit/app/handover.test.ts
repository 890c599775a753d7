import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  acknowledgeTransfer,
  checkReceivedCopy,
  confirmReceipt,
  entryHash,
  handoverStatus,
  offerCase,
  releaseCase,
  startHandover,
  transferCase,
  type HandoverActor,
} from '../../../src/app/handover.ts';
import { caseSnapshot, checkCopy, manifestOf } from '../../../src/app/handoverProof.ts';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { addItem, itemField, messageField, readHandover, setTakeover, writeProtocol } from '../../../src/case/handover.ts';
import { canonicalJson } from '../../../src/crypto/canonical.ts';
import { utf8 } from '../../../src/crypto/bytes.ts';
import { fingerprint, generateDeviceIdentity, signBytes } from '../../../src/crypto/identity.ts';
import { signedByHost } from '../../../src/app/rotation.ts';
import { person } from '../fixtures/people.ts';

function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** Scenario C on two devices: Herr Schmitt (outgoing, host), Frau Nowak (incoming), Dennis. */
async function handoverTable() {
  const shared = new Y.Doc();
  CaseDocument.initialize(shared, { displayName: 'Dennis K.', team: 'U25' });
  const confidentialA = new Y.Doc();
  const a = new CaseDocument(shared, [['confidential', confidentialA]]);
  const schmitt = await person(a, 'Herr Schmitt', 'fallmanager');
  const nowakIdentity = await generateDeviceIdentity();
  const nowakFp = await fingerprint(nowakIdentity.publicKeys);
  const nowakId = a.add('participants', {
    fields: { name: 'Frau Nowak', role: 'nachfolge', organisation: '', signKey: nowakIdentity.publicKeys.sign, agreeKey: nowakIdentity.publicKeys.agree, fingerprint: nowakFp },
  });
  const goal = a.addGoal('haupt', 'AGH auf 6 Stunden am Tag');
  a.addStep('Geldstrafen zusammenführen', goal);
  const secret = a.addGoal('teil', 'Vertraulich: Schulden');
  a.setVisibility('goals', secret, { kind: 'confidential' });
  const b = new CaseDocument(new Y.Doc(), [['confidential', new Y.Doc()]]);
  exchange(a.doc, b.doc);
  exchange(confidentialA, b.scopeDoc('confidential')!);
  const out: HandoverActor = { caseDoc: a, identity: schmitt.identity, fingerprint: await fingerprint(schmitt.identity.publicKeys), participantId: schmitt.id };
  const inc: HandoverActor = { caseDoc: b, identity: nowakIdentity, fingerprint: nowakFp, participantId: nowakId };
  const sync = () => {
    exchange(a.doc, b.doc);
    exchange(confidentialA, b.scopeDoc('confidential')!);
  };
  return { a, b, out, inc, sync, confidentialA };
}

describe('snapshot hashes', () => {
  it('are the same for two documents that received the same updates in different orders', () => {
    const updates: Uint8Array[] = [];
    for (let i = 0; i < 3; i++) {
      const d = new Y.Doc();
      d.on('update', (u: Uint8Array) => updates.push(u));
      d.getMap('goals').set(`g${i}`, `Ziel ${i}`);
      d.getText('t').insert(0, `abc${i}`);
      d.getText('t').delete(1, 1);
    }
    const forward = new Y.Doc();
    const backward = new Y.Doc();
    updates.forEach((u) => Y.applyUpdate(forward, u));
    [...updates].reverse().forEach((u) => Y.applyUpdate(backward, u));
    expect(Y.encodeSnapshot(Y.snapshot(forward))).toEqual(Y.encodeSnapshot(Y.snapshot(backward)));
    expect(caseSnapshot(forward)).toEqual(caseSnapshot(backward));
  });
});

describe('receipt proof', () => {
  it('an equal copy passes; the offer and the receipt written later do not break it', async () => {
    const t = await handoverTable();
    startHandover(t.out);
    t.sync();
    const offer = await offerCase(t.out, t.inc.participantId);
    t.sync();
    expect(await checkReceivedCopy(t.b, offer)).toEqual({ ok: true, problems: [] });
    await confirmReceipt(t.inc);
    t.sync();
    // Text typed into the record afterwards lives in the handover map: still equal.
    messageField(t.a.doc).set('Bitte keine Termine vor 10 Uhr.');
    t.sync();
    expect((await checkReceivedCopy(t.b, offer)).ok).toBe(true);
    const status = await handoverStatus(t.a);
    expect(status.stage).toBe('received');
  });

  it('a copy missing one update fails', async () => {
    const t = await handoverTable();
    startHandover(t.out);
    t.sync();
    t.a.addStep('Schuldnerberatung weiterführen');
    const offer = await offerCase(t.out, t.inc.participantId);
    // Only the offer reaches the incoming copy, not the step written before it.
    const partial = new Y.Doc();
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(t.b.doc));
    const offerOnly = new Y.Doc();
    offerOnly.getMap('handover').set('offer', readHandover(t.a.doc).offer);
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(offerOnly));
    const check = await checkCopy(offer, new Map([['shared', partial], ['confidential', t.b.scopeDoc('confidential')!]]));
    expect(check.ok).toBe(false);
    expect(check.problems).toContainEqual({ scope: 'shared', problem: 'behind' });
    // A scope document the copy does not hold at all is missing.
    const noScope = await checkCopy(offer, new Map([['shared', t.b.doc]]));
    expect(noScope.problems).toContainEqual({ scope: 'confidential', problem: 'missing' });
  });

  it('a tampered copy fails: an extra change, or other content under the same state vector', async () => {
    const t = await handoverTable();
    const offer = await offerCase(t.out, t.inc.participantId);
    t.sync();
    t.b.goalText(t.b.view().goals[0]!.id, 'title').set('Heimlich geändert');
    expect((await checkReceivedCopy(t.b, offer)).problems).toContainEqual({ scope: 'shared', problem: 'extra' });

    // A forger writing as the same Yjs client: same state vector, different content.
    const original = new Y.Doc();
    original.clientID = 4242;
    original.getMap('plan').set('nextReview', '2027-01-01');
    const forged = new Y.Doc();
    forged.clientID = 4242;
    forged.getMap('plan').set('nextReview', '2027-09-09');
    const manifest = await manifestOf('shared', original);
    expect((await checkCopy({ docs: [manifest] }, new Map([['shared', forged]]))).ok).toBe(false);
    expect((await checkCopy({ docs: [manifest] }, new Map([['shared', original]]))).ok).toBe(true);
  });

  it('a receipt with a forged signature is not valid', async () => {
    const t = await handoverTable();
    const offer = await offerCase(t.out, t.inc.participantId);
    t.sync();
    const forger = await generateDeviceIdentity();
    const unsigned = {
      v: 1 as const,
      caseId: offer.caseId,
      at: Date.now(),
      participantId: t.inc.participantId,
      offerHash: await entryHash(offer),
      signKey: t.inc.identity.publicKeys.sign,
      by: t.inc.fingerprint,
    };
    const sig = await signBytes(forger, utf8(canonicalJson(unsigned)));
    writeProtocol(t.a.doc, 'receipt', { ...unsigned, sig });
    const status = await handoverStatus(t.a);
    expect(status.receiptOk).toBe(false);
    expect(status.stage).toBe('offered');
    await expect(transferCase(t.out)).rejects.toThrow();
  });

  it('a receipt for an older offer does not count once the case changed and was offered again', async () => {
    const t = await handoverTable();
    await offerCase(t.out, t.inc.participantId);
    t.sync();
    await confirmReceipt(t.inc);
    t.sync();
    t.a.addStep('Neu nach dem Angebot');
    // The outgoing device notices its own copy no longer matches its offer, and offers again.
    expect((await checkReceivedCopy(t.a, readHandover(t.a.doc).offer!)).ok).toBe(false);
    await offerCase(t.out, t.inc.participantId);
    expect((await handoverStatus(t.a)).stage).toBe('offered');
  });
});

describe('transfer and release', () => {
  it('passes the host role to the incoming case manager, then chains acknowledgement and release', async () => {
    const t = await handoverTable();
    startHandover(t.out);
    // Only an incoming case manager at the table can be offered the case.
    await expect(offerCase(t.out, t.out.participantId)).rejects.toThrow();
    await offerCase(t.out, t.inc.participantId);
    t.sync();
    await expect(transferCase(t.out)).rejects.toThrow();
    await confirmReceipt(t.inc);
    t.sync();
    // The incoming case manager is no host before the transfer: her keyring entries do not count.
    const entry = { by: t.inc.fingerprint, sig: await signBytes(t.inc.identity, utf8('x')) };
    expect(await signedByHost(entry, t.a.view().participants)).toBe(false);
    const transfer = await transferCase(t.out);
    t.sync();
    expect(t.b.view().participants.find((p) => p.id === t.inc.participantId)?.role).toBe('fallmanager');
    expect(t.b.view().meta?.team).toBe('Ü25');
    expect((await handoverStatus(t.b)).stage).toBe('transferred');
    await acknowledgeTransfer(t.inc, transfer);
    t.sync();
    expect((await handoverStatus(t.a)).stage).toBe('acknowledged');
    await releaseCase(t.out, transfer);
    t.sync();
    expect((await handoverStatus(t.b)).stage).toBe('released');
    // A release signed by the wrong device does not count.
    await releaseCase(t.inc, transfer);
    expect((await handoverStatus(t.b)).releaseOk).toBe(false);
  });
});

describe('handover record', () => {
  it('is written together: items, take-overs and the client message merge between copies', async () => {
    const t = await handoverTable();
    startHandover(t.out);
    t.sync();
    const id = addItem(t.a.doc, 'ends', 'Aufsuchende Jugendhilfe (Frau Brandt)');
    t.sync();
    itemField(t.b.doc, id, 'replacement').set('Sozialpsychiatrischer Dienst');
    messageField(t.b.doc).set('Ich möchte per Du bleiben.');
    const step = t.a.view().steps[0]!.id;
    setTakeover(t.a.doc, step, t.inc.participantId);
    t.sync();
    const state = readHandover(t.a.doc);
    expect(state.items).toMatchObject([{ id, kind: 'ends', text: 'Aufsuchende Jugendhilfe (Frau Brandt)', replacement: 'Sozialpsychiatrischer Dienst' }]);
    expect(state.message).toBe('Ich möchte per Du bleiben.');
    expect(state.takeovers.get(step)?.participantId).toBe(t.inc.participantId);
    // A broken entry from a peer is quarantined, not read.
    t.a.doc.getMap('handover').set('offer', { v: 1, nonsense: true });
    expect(readHandover(t.a.doc).quarantine.map((q) => q.where)).toContain('handover/offer');
  });
});

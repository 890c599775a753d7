import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCase } from '../../../src/app/createCase.ts';
import { buildLocalReport } from '../../../src/app/report.ts';
import { AuditRecorder, type AuditSigner } from '../../../src/case/audit.ts';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { fingerprint, generateDeviceIdentity, signBytes } from '../../../src/crypto/identity.ts';
import { reportJson } from '../../../src/domain/report.ts';
import { scopeDocKey, sharedDocKey } from '../../../src/storage/caseRecord.ts';
import type { RunderTischDb } from '../../../src/storage/db.ts';
import { DocPersistence } from '../../../src/storage/docPersistence.ts';
import { freshDb } from '../fixtures/freshDb.ts';

const DAY = 24 * 60 * 60 * 1000;

async function signer(): Promise<AuditSigner> {
  const identity = await generateDeviceIdentity();
  return {
    fingerprint: await fingerprint(identity.publicKeys),
    keys: identity.publicKeys,
    sign: (bytes) => signBytes(identity, bytes),
    who: () => ({ name: 'Frau Aydin', role: 'fallmanager' }),
  };
}

/** Opens a stored case as a session would (shared and confidential), records audit entries on a test clock. */
async function edit(db: RunderTischDb, caseId: string, clock: { now: number }, fn: (c: CaseDocument) => void): Promise<void> {
  const shared = new Y.Doc();
  const secret = new Y.Doc();
  const p1 = await DocPersistence.open(db, sharedDocKey(caseId), shared);
  const p2 = await DocPersistence.open(db, scopeDocKey(caseId, 'confidential'), secret);
  const c = new CaseDocument(shared, [['confidential', secret]]);
  const recorder = new AuditRecorder(c, await signer(), () => clock.now);
  fn(c);
  await recorder.settled();
  recorder.stop();
  await p1.whenSaved();
  await p2.whenSaved();
  p1.destroy();
  p2.destroy();
  c.destroy();
}

/** Each step in its own task, so the recorder sees separate edits at the clock's times. */
async function editSteps(db: RunderTischDb, caseId: string, clock: { now: number }, steps: ((c: CaseDocument) => void)[]): Promise<void> {
  const shared = new Y.Doc();
  const secret = new Y.Doc();
  const p1 = await DocPersistence.open(db, sharedDocKey(caseId), shared);
  const p2 = await DocPersistence.open(db, scopeDocKey(caseId, 'confidential'), secret);
  const c = new CaseDocument(shared, [['confidential', secret]]);
  const recorder = new AuditRecorder(c, await signer(), () => clock.now);
  for (const step of steps) {
    step(c);
    await recorder.settled();
  }
  recorder.stop();
  await p1.whenSaved();
  await p2.whenSaved();
  p1.destroy();
  p2.destroy();
  c.destroy();
}

describe('report across the cases of this device', () => {
  it('reads every case without changing storage, dates goals by the audit trail, counts unreadable cases, and blocks on a name', async () => {
    const db = freshDb();
    const clock = { now: Date.now() };
    const lena = await createCase(db, { displayName: 'Lena Müller', team: 'U25' });
    let goalId = '';
    let gapId = '';
    await editSteps(db, lena, clock, [
      (c) => {
        c.add('partners', { texts: { organisation: 'Caritas Schuldnerberatung', contact: 'Herr Wolff' }, fields: { type: 'schuldnerberatung', cooperation: 'koordiniert' } });
        c.add('participants', { fields: { name: 'Lena Müller', role: 'klient', organisation: '' } });
        const need = c.add('assessment', { texts: { clientView: 'Lena will raus aus der WG' }, fields: { domain: 'wohnen', kind: 'bedarf' } }, 'confidential');
        goalId = c.addGoal('teil', 'Eigene Wohnung für Lena');
        c.linkNeed(goalId, need, true);
        gapId = c.addStep('Wohnplatz suchen', goalId);
        c.updateStep(gapId, { gap: true });
        c.stepText(gapId, 'gapDescription').set('betreutes Wohnen U25 fehlt');
        c.stepText(gapId, 'who').set('Lena selbst');
      },
      (c) => {
        clock.now += 12 * DAY + 5_000;
        c.updateGoal(goalId, { status: 'erreicht' });
      },
    ]);

    const jonas = await createCase(db, { displayName: 'Jonas B.', team: 'Ü25' });
    await edit(db, jonas, clock, (c) => {
      const goal = c.addGoal('haupt', 'Ausbildung');
      c.updateGoal(goal, { status: 'in_arbeit' });
      c.addStep('Bewerbung');
    });
    const closed = await createCase(db, { displayName: 'Kai Nowak', team: 'U25' });
    await edit(db, closed, clock, (c) => {
      const goal = c.addGoal('haupt', 'Arbeit');
      c.closure.start();
      c.closure.setReason('ausbildung');
      c.closure.setAttainment(goal, 'erreicht', 'Vertrag');
      c.closure.close({ on: '2026-11-24', retentionUntil: '2027-05-24' }, [goal]);
    });
    // A record this device cannot read (e.g. written under another passphrase).
    await db.cases.put({ id: crypto.randomUUID(), updatedAt: 1, sealed: new Uint8Array([1, 2, 3]) });

    const rowsBefore = await db.updates.count();
    const result = await buildLocalReport(db, clock.now + DAY);
    expect(await db.updates.count()).toBe(rowsBefore);

    const { report } = result;
    expect(report.cases).toBe(3);
    expect(report.skipped).toBe(1);
    expect(report.caseRows.map((r) => [r.case, r.team, r.partners, r.goals, r.gaps, r.closed])).toEqual([
      [1, 'U25', 1, 1, 1, false],
      [2, 'Ü25', 0, 1, 0, false],
      [3, 'U25', 0, 1, 0, true],
    ]);
    // Open: to the report's moment (12 days of the test clock and one more); closed: to its closure.
    expect(report.caseRows.map((r) => r.durationDays)).toEqual([13, 13, 0]);
    expect(report.gaps).toEqual([{ case: 1, gap: 1, domains: ['wohnen'], description: 'betreutes Wohnen U25 fehlt' }]);
    expect(report.goalsByDomainStatus).toEqual([
      { domain: 'wohnen', status: 'erreicht', goals: 1 },
      { domain: 'ohne_bereich', status: 'offen', goals: 1 },
      { domain: 'ohne_bereich', status: 'in_arbeit', goals: 1 },
    ]);
    expect(report.timeToGoal).toEqual([{ case: 1, goal: 1, level: 'teil', domains: ['wohnen'], days: 12 }]);
    expect(result.findings).toEqual([]);
    expect(result.cases.map((c) => c.caseId)).toEqual([lena, jonas, closed]);
    const json = reportJson(report);
    for (const word of ['Lena', 'Müller', 'Wolff', 'Jonas', 'Aydin', 'WG', 'Kai', 'Nowak', 'Vertrag', lena, jonas, closed, goalId]) expect(json).not.toContain(word);

    // A name slips into the gap description: blocked, and the finding says where.
    await edit(db, lena, clock, (c) => c.stepText(gapId, 'gapDescription').set('betreutes Wohnen U25 fehlt, Frau MÜLLER wartet'));
    const blocked = await buildLocalReport(db, clock.now + DAY);
    expect(blocked.findings).toEqual([{ where: { part: 'gap', case: 1, gap: 1 }, name: 'Müller' }]);
    expect(blocked.cases[0]).toMatchObject({ number: 1, caseId: lena, displayName: 'Lena Müller' });
  });
});

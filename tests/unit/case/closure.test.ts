import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { CaseClosedError, readClosure } from '../../../src/case/closure.ts';
import { rootMap } from '../../../src/case/layout.ts';
import { createCase } from '../../../src/app/createCase.ts';
import { RetentionError, deleteClosedCase } from '../../../src/app/closedCaseDeletion.ts';
import { appendLocalRecords, localDocKey } from '../../../src/storage/localRecords.ts';
import { freshDb } from '../fixtures/freshDb.ts';

function scopedCase() {
  const shared = new Y.Doc();
  CaseDocument.initialize(shared, { displayName: 'Jonas B.', team: 'U25' });
  const health = new Y.Doc();
  const confidential = new Y.Doc();
  const c = new CaseDocument(shared, [
    ['topic:gesundheit', health],
    ['confidential', confidential],
  ]);
  const goal = c.addGoal('haupt', 'Ausbildung beginnen');
  const partner = c.add('partners', { texts: { organisation: 'Schuldnerberatung Nord' }, fields: { type: 'schuldnerberatung', cooperation: 'individuell' } });
  const client = c.add('participants', { fields: { name: 'Jonas', role: 'klient', organisation: '' } });
  return { c, shared, health, confidential, goal, partner, client };
}

const closeInput = { on: '2026-11-24', retentionUntil: '2027-05-24' };
const text = (doc: Y.Doc) => JSON.stringify(doc.toJSON());

describe('closure in the case document', () => {
  it('records reason, attainment, feedback both ways, the client feedback and aftercare, then closes', () => {
    const { c, shared, confidential, goal, partner, client } = scopedCase();
    expect(() => c.closure.close(closeInput, [goal])).toThrow(/incomplete: notStarted, reason, attainment/);
    c.closure.start();
    c.closure.setReason('ausbildung');
    c.closure.setAttainment(goal, 'teilweise', 'Vertrag unterschrieben, Beginn im Februar');
    c.closure.setPartnerFeedback(partner, 'vomPartner', 'Absprachen gut erreichbar');
    c.closure.setPartnerFeedback(partner, 'anPartner', 'Schnelle Termine, danke');
    c.closure.setClientFeedback({ participantId: client, answers: { ernstGenommen: 'ja', planGeholfen: 'teils' }, better: 'Mehr Zeit beim Termin' });
    c.closure.aftercare().set('Anruf nach drei Monaten');
    // The client's words stay with the case manager and the client (confidential document).
    expect(text(confidential)).toContain('Mehr Zeit beim Termin');
    expect(text(shared)).not.toContain('Mehr Zeit beim Termin');
    c.closure.close(closeInput, [goal]);
    const closure = c.closure.read();
    expect(closure.closed).toMatchObject(closeInput);
    expect(closure.reason?.reason).toBe('ausbildung');
    expect(closure.attainments[goal]?.attainment).toBe('teilweise');
    expect(closure.partnerFeedback.map((f) => [f.direction, f.text])).toEqual(
      [['anPartner', 'Schnelle Termine, danke'], ['vomPartner', 'Absprachen gut erreichbar']].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect(closure.feedback).toMatchObject([{ participantId: client, answers: { ernstGenommen: 'ja', planGeholfen: 'teils' }, better: 'Mehr Zeit beim Termin' }]);
    expect(closure.aftercare).toBe('Anruf nach drei Monaten');
    // The shared part alone: what the case list needs.
    expect(readClosure(shared).closed?.retentionUntil).toBe('2027-05-24');
  });

  it('keeps the note on a restricted goal in that goal’s document', () => {
    const { c, shared, health } = scopedCase();
    const goal = c.add('goals', { texts: { title: 'Therapie beginnen' }, fields: { level: 'teil', status: 'offen' } }, 'topic:gesundheit');
    c.closure.start();
    c.closure.setAttainment(goal, 'erreicht', 'Therapieplatz seit März');
    expect(text(health)).toContain('Therapieplatz seit März');
    expect(text(shared)).not.toContain('Therapieplatz');
    expect(c.closure.read().attainments[goal]?.note).toBe('Therapieplatz seit März');
  });

  it('refuses every write to a closed case, through the whole case API', () => {
    const { c, shared, goal, partner, client } = scopedCase();
    const step = c.addStep('Bewerbung schreiben', goal);
    c.closure.start();
    c.closure.setReason('arbeitsaufnahme');
    c.closure.setAttainment(goal, 'erreicht');
    c.closure.close(closeInput, [goal]);
    const before = Y.encodeStateVector(shared);
    const refused = [
      () => c.addGoal('teil', 'Neu'),
      () => c.updateGoal(goal, { status: 'erreicht' }),
      () => c.goalText(goal, 'title').set('Anders'),
      () => c.removeStep(step),
      () => c.restoreStep(step),
      () => c.moveGoal(goal, 0),
      () => c.linkNeed(goal, partner, true),
      () => c.setPlan({ nextReview: '2027-01-01' }),
      () => c.setDomainStatus('wohnen', 'betrachtet'),
      () => c.setAcceptance(goal, client, 'zugestimmt'),
      () => c.setDisplayName('Anderer Name'),
      () => c.setVisibility('goals', goal, { kind: 'confidential' }),
      () => c.transact(() => undefined),
      () => c.closure.setReason('umzug'),
      () => c.closure.setAttainment(goal, 'nicht_erreicht'),
      () => c.closure.setPartnerFeedback(partner, 'anPartner', 'Nachtrag'),
      () => c.closure.setClientFeedback({ participantId: client, answers: {}, better: 'Nachtrag' }),
      () => c.closure.aftercare().set('Nachtrag'),
      () => c.closure.close(closeInput, [goal]),
    ];
    for (const write of refused) expect(write).toThrow(CaseClosedError);
    expect(Y.encodeStateVector(shared)).toEqual(before);
    expect(c.view().goals.map((g) => g.title)).toEqual(['Ausbildung beginnen']);
    // The table's mechanics go on: a person can still be removed from the room of a closed case.
    c.update('participants', client, { removedAt: Date.now() });
  });

  it('closes on a peer when the closure arrives from another device', () => {
    const a = scopedCase();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.shared));
    const other = new CaseDocument(b);
    a.c.closure.start();
    a.c.closure.setReason('umzug');
    a.c.closure.setAttainment(a.goal, 'nicht_erreicht');
    a.c.closure.close(closeInput, [a.goal]);
    expect(() => other.addGoal('teil', 'x')).not.toThrow();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.shared));
    expect(other.closure.isClosed()).toBe(true);
    expect(() => other.addGoal('teil', 'y')).toThrow(CaseClosedError);
  });

  it('quarantines malformed remote closure data and does not count it', () => {
    const { c, shared, goal, client } = scopedCase();
    Y.transact(shared, () => {
      const map = rootMap(shared, 'closure');
      map.set('closed', { at: 'gestern', on: '2026-11-24', retentionUntil: '2027-01-01' });
      map.set('reason', { reason: 'weil', at: 1 });
      map.set(`attainment:${goal}`, { goalId: client, attainment: 'erreicht', note: '', at: 1 });
      map.set('feedback:kein-teilnehmer', { x: 1 });
      map.set('aftercare', 'kein Y.Text');
      map.set('surprise', 42);
    }, 'remote');
    const closure = c.closure.read();
    expect(closure.closed).toBeUndefined();
    expect(closure.reason).toBeUndefined();
    expect(closure.attainments).toEqual({});
    expect(closure.quarantine.map((q) => q.where).sort()).toEqual(
      ['closure/aftercare', `closure/attainment:${goal}`, 'closure/closed', 'closure/feedback:kein-teilnehmer', 'closure/reason', 'closure/surprise'].sort(),
    );
    expect(closure.quarantine.find((q) => q.where === `closure/attainment:${goal}`)?.reason).toBe('entry does not match its key');
    // A broken `closed` entry does not lock the case.
    expect(c.closure.isClosed()).toBe(false);
    expect(() => c.addGoal('teil', 'geht noch')).not.toThrow();
  });

  it('hands subscribers the same object until the closure changes', () => {
    const { c } = scopedCase();
    const seen: unknown[] = [];
    const stop = c.closure.subscribe((s) => seen.push(s));
    c.addGoal('teil', 'Etwas anderes');
    expect(seen).toHaveLength(1);
    c.closure.start();
    expect(seen).toHaveLength(2);
    stop();
  });
});

describe('deleting the local copy of a closed case', () => {
  async function storedCase(db: ReturnType<typeof freshDb>) {
    const caseId = await createCase(db, { displayName: 'Lea K.', team: 'U25' });
    await appendLocalRecords(db, localDocKey(caseId, 'pins'), [{ pinned: true }]);
    const c = new CaseDocument(new Y.Doc());
    let closedSessions = 0;
    const session = { caseDoc: c, record: { id: caseId }, close: async () => void closedSessions++ } as unknown as Parameters<typeof deleteClosedCase>[1];
    const rows = () => db.updates.where('docKey').startsWith(`${caseId}/`).count();
    return { caseId, c, session, rows, sessions: () => closedSessions };
  }

  it('is refused for an open case and before the retention date; from that day everything of the case goes, nothing else', async () => {
    const db = freshDb();
    const other = await createCase(db, { displayName: 'Anderer Fall', team: 'Ü25' });
    const { caseId, c, session, rows, sessions } = await storedCase(db);
    await expect(deleteClosedCase(db, session, '2099-01-01')).rejects.toThrow(RetentionError);
    c.closure.start();
    c.closure.setReason('umzug');
    c.closure.close(closeInput, []);
    await expect(deleteClosedCase(db, session, '2027-05-23')).rejects.toThrow(/kept until 2027-05-24/);
    expect(sessions()).toBe(0);
    expect(await db.cases.get(caseId)).toBeDefined();
    expect(await rows()).toBeGreaterThanOrEqual(2);

    await deleteClosedCase(db, session, '2027-05-24');
    expect(sessions()).toBe(1);
    expect(await db.cases.get(caseId)).toBeUndefined();
    expect(await rows()).toBe(0);
    expect(await db.cases.get(other)).toBeDefined();
    expect(await db.updates.where('docKey').startsWith(`${other}/`).count()).toBeGreaterThan(0);
  });
});

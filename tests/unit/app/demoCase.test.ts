import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO, isoDateIn, loadDemoCase } from '../../../src/app/demoCase.ts';
import { readCase } from '../../../src/case/read.ts';
import { getCase } from '../../../src/storage/caseIndex.ts';
import { sharedDocKey } from '../../../src/storage/caseRecord.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { DocPersistence } from '../../../src/storage/docPersistence.ts';
import { freshDb } from '../fixtures/freshDb.ts';

/** Reads the case back from storage, as a page reload would. */
async function reopen(db: RunderTischDb, caseId: string) {
  const doc = new Y.Doc();
  const persistence = await DocPersistence.open(db, sharedDocKey(caseId), doc);
  const view = readCase(doc);
  const text = doc.getXmlFragment('ausgangslage').toString();
  persistence.destroy();
  return { view, text, corrupt: persistence.corruptRows };
}

describe('isoDateIn', () => {
  it('counts calendar days in local time, across month ends', () => {
    expect(isoDateIn(14, new Date(2026, 10, 23))).toBe('2026-12-07');
    expect(isoDateIn(56, new Date(2026, 0, 31, 23, 30))).toBe('2026-03-28');
    expect(isoDateIn(0, new Date(2027, 1, 28, 0, 5))).toBe('2027-02-28');
  });
});

describe('loadDemoCase (scenario A)', () => {
  it('stores a case that validates completely, with nothing quarantined', async () => {
    const db = freshDb();
    const today = new Date(2026, 10, 23, 10, 0);
    const caseId = await loadDemoCase(db, today);

    const record = await getCase(db, caseId);
    expect(record).toMatchObject({ id: caseId, displayName: 'Jonas B.', team: 'U25' });

    const { view, text, corrupt } = await reopen(db, caseId);
    expect(corrupt).toEqual([]);
    expect(view.quarantine).toEqual([]);
    expect(view.meta).toMatchObject({ caseId, displayName: 'Jonas B.', team: 'U25' });
    expect(text).toContain('Kfz-Mechatroniker');

    // People and organisations
    expect(view.participants.map((p) => [p.name, p.role])).toEqual([
      ['Frau Aydin', 'fallmanager'],
      ['Jonas B.', 'klient'],
      ['Herr Wolff', 'partner'],
      ['Frau Lindqvist', 'partner'],
      ['Herr Petrov', 'partner'],
    ]);
    const partnerOf = (name: string) =>
      view.partners.find((p) => p.id === view.participants.find((x) => x.name === name)?.partnerId);
    expect(partnerOf('Herr Wolff')).toMatchObject({ type: 'schuldnerberatung', cooperation: 'koordiniert' });
    expect(partnerOf('Frau Lindqvist')?.type).toBe('bildungstraeger');
    expect(partnerOf('Herr Petrov')?.type).toBe('suchtberatung');

    // Assessment: several domains looked at, needs and resources with both views
    const needs = view.assessment.filter((a) => a.kind === 'bedarf');
    const resources = view.assessment.filter((a) => a.kind === 'ressource');
    expect(new Set(needs.map((n) => n.domain))).toEqual(
      new Set(['qualifikation', 'finanzen', 'wohnen', 'gesundheit', 'familie']),
    );
    expect(resources.length).toBeGreaterThanOrEqual(2);
    for (const item of view.assessment) {
      expect(item.clientView).not.toBe('');
      expect(item.professionalView).not.toBe('');
      expect(view.domains[item.domain]).toBe('betrachtet');
    }
    expect(needs.find((n) => n.domain === 'finanzen')?.professionalView).toContain('7.400');

    // Goals: Hauptziel and the four Teilziele, each need answered by a goal or set aside with a reason
    const [main, ...subs] = view.goals;
    expect(main).toMatchObject({ level: 'haupt', title: 'Ausbildung als Kfz-Mechatroniker', due: '2027-08-31' });
    expect(subs.map((g) => [g.level, g.title, g.due])).toEqual([
      ['teil', 'Hauptschulabschluss an der Abendschule', '2027-07-31'],
      ['teil', 'Schuldenregulierung begonnen', '2027-03-31'],
      ['teil', 'Eigene Wohnung', '2027-02-28'],
      ['teil', 'Konsum reduzieren', isoDateIn(182, today)],
    ]);
    for (const g of view.goals) {
      expect(g.clientWords).not.toBe('');
      expect(g.indicator).not.toBe('');
    }
    for (const n of needs) {
      const linked = view.goals.some((g) => g.needs[n.id]);
      expect(linked || (n.disposition !== 'im_plan' && n.dispositionReason !== '')).toBe(true);
    }
    const cannabis = subs[3]!;
    expect(cannabis.clientWords).toBe('nicht mehr jeden Tag kiffen');
    expect(cannabis.indicator).toBe(DEMO.agreedIndicator);

    // Dissent: recorded, resolved, still visible
    expect(view.dissents).toHaveLength(1);
    const dissent = view.dissents[0]!;
    const jonas = view.participants.find((p) => p.role === 'klient')!;
    expect(dissent).toMatchObject({ goalId: cannabis.id, participantId: jonas.id });
    expect(dissent.text).toContain(DEMO.rejectedIndicator);
    expect(dissent.resolution).toContain(DEMO.agreedIndicator);
    expect(dissent.resolvedAt).toBeTypeOf('number');

    // Steps with responsibilities
    const byWho = Object.fromEntries(view.steps.map((s) => [s.who, s]));
    expect(byWho['Jonas']).toMatchObject({
      responsible: 'klient',
      ownActivity: true,
      due: isoDateIn(14, today),
      goalId: subs[1]!.id,
    });
    expect(byWho['Herr Wolff']).toMatchObject({ responsible: 'partner', partnerId: partnerOf('Herr Wolff')!.id });
    expect(byWho['Herr Wolff']!.what).toMatch(/Schuldenakte/);
    expect(byWho['Frau Lindqvist']!.what).toMatch(/Abendschule/);
    expect(byWho['Herr Petrov']!.what).toMatch(/zwei Termine/);
    const aydinSteps = view.steps.filter((s) => s.who === 'Frau Aydin');
    expect(aydinSteps.some((s) => /Lernmaterial/.test(s.what) && s.responsible === 'fallmanager')).toBe(true);

    // The gap
    const gaps = view.steps.filter((s) => s.gap);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.gapDescription).toContain(DEMO.gapDescription);
    expect(gaps[0]!.goalId).toBe(subs[2]!.id);

    // Review, reporting back, acceptance
    expect(view.plan).toEqual({ nextReview: isoDateIn(56, today), reviewMode: 'fallkonferenz' });
    expect(view.infoFlows).toHaveLength(1);
    expect(view.infoFlows[0]).toMatchObject({ partnerId: partnerOf('Herr Wolff')!.id, when: 'monatlich, telefonisch' });
    const mine = view.acceptances.filter((a) => a.participantId === jonas.id);
    expect(mine).toHaveLength(5);
    expect(mine.filter((a) => a.state === 'bedenkzeit').map((a) => a.goalId)).toEqual([subs[2]!.id]);
  });

  it('makes a separate case each time', async () => {
    const db = freshDb();
    const a = await loadDemoCase(db);
    const b = await loadDemoCase(db);
    expect(a).not.toBe(b);
    expect(await db.cases.count()).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { collectionMap, richTextFragment, rootMap } from '../../../src/case/layout.ts';
import { readCase } from '../../../src/case/read.ts';
import type { ScopeId } from '../../../src/domain/visibility.ts';

/** Two replicas of the shared document and one scope document each, as two devices hold them. */
function devices() {
  const make = () => {
    const shared = new Y.Doc();
    const health = new Y.Doc();
    return { shared, health, scopes: [['topic:gesundheit', health]] as [ScopeId, Y.Doc][] };
  };
  const a = make();
  CaseDocument.initialize(a.shared, { displayName: 'Jonas B.', team: 'U25' });
  const b = make();
  const caseA = new CaseDocument(a.shared, a.scopes);
  const caseB = new CaseDocument(b.shared, b.scopes);
  const sync = () => {
    for (const [x, y] of [
      [a.shared, b.shared],
      [a.health, b.health],
    ] as const) {
      Y.applyUpdate(y, Y.encodeStateAsUpdate(x, Y.encodeStateVector(y)));
      Y.applyUpdate(x, Y.encodeStateAsUpdate(y, Y.encodeStateVector(x)));
    }
  };
  sync();
  return { a, b, caseA, caseB, sync };
}

/** The incrementally maintained view must equal a fresh read of the same documents. */
function expectFresh(c: CaseDocument, shared: Y.Doc, scopes: [ScopeId, Y.Doc][]) {
  expect(c.view()).toEqual(readCase(shared, scopes));
}

describe('incremental reads of the case view', () => {
  it('equal a fresh read after every kind of change, local and remote', () => {
    const { a, b, caseA, caseB, sync } = devices();
    const views: unknown[] = [];
    caseB.subscribe((v) => views.push(v));
    const goal = caseA.addGoal('teil', 'Wohnung');
    const step = caseA.addStep('Mietangebote sammeln', goal);
    const need = caseA.add('assessment', { fields: { domain: 'gesundheit', kind: 'bedarf' } }, 'topic:gesundheit');
    sync();
    const changes: (() => void)[] = [
      () => caseA.goalText(goal, 'title').set('Eigene Wohnung'),
      () => caseB.updateStep(step, { due: '2027-01-31', status: 'in_arbeit' }),
      () => caseA.linkNeed(goal, need, true),
      () => caseB.setAcceptance(goal, '6f1e4f7e-3d2b-4b52-a39e-1bd4f6ad9d8e', 'zugestimmt'),
      () => caseA.setPlan({ nextReview: '2027-03-01' }),
      () => caseA.setDomainStatus('wohnen', 'betrachtet'),
      () => caseB.removeStep(step),
      () => caseA.restoreStep(step),
      () => caseA.moveStep(caseA.addStep('Schufa-Auskunft'), 0),
      () => caseB.setVisibility('assessment', need, { kind: 'all' }),
      () => caseA.setDisplayName('Jonas Berger'),
      // Foreign data that does not validate, and its repair.
      () => b.shared.transact(() => (collectionMap(b.shared, 'goals').get(goal) as Y.Map<unknown>).set('status', 'weltherrschaft')),
      () => caseA.updateGoal(goal, { status: 'offen' }),
      () => b.shared.transact(() => collectionMap(b.shared, 'steps').set('not-an-entity', 42)),
      () => caseA.linkNeed(goal, need, false),
    ];
    for (const change of changes) {
      change();
      expectFresh(caseA, a.shared, a.scopes);
      expectFresh(caseB, b.shared, b.scopes);
      sync();
      expectFresh(caseA, a.shared, a.scopes);
      expectFresh(caseB, b.shared, b.scopes);
    }
    expect(caseB.view().quarantine.map((q) => q.where)).toEqual(['steps/not-an-entity']);
    expect(views.at(-1)).toBe(caseB.view());
  });

  it('keeps unchanged entities, lists and singletons identical', () => {
    const { caseA } = devices();
    const g1 = caseA.addGoal('teil', 'eins');
    caseA.addGoal('teil', 'zwei');
    caseA.addStep('Schritt');
    caseA.setAcceptance(g1, '6f1e4f7e-3d2b-4b52-a39e-1bd4f6ad9d8e', 'bedenkzeit');
    const before = caseA.view();
    caseA.goalText(g1, 'title').set('eins!');
    const after = caseA.view();
    expect(after).not.toBe(before);
    expect(after.goals[0]).not.toBe(before.goals[0]);
    expect(after.goals[0]?.title).toBe('eins!');
    expect(after.goals[1]).toBe(before.goals[1]);
    expect(after.steps).toBe(before.steps);
    expect(after.acceptances).toBe(before.acceptances);
    expect(after.meta).toBe(before.meta);
    expect(after.removed).toBe(before.removed);
    expect(after.scopes).toBe(before.scopes);
    expect(after.quarantine).toBe(before.quarantine);
  });

  it('does not read or notify for typing in the rich text; other roots notify with the same view', () => {
    const { a, caseA } = devices();
    const seen: unknown[] = [];
    caseA.subscribe((v) => seen.push(v));
    const fragment = richTextFragment(a.shared, 'ausgangslage');
    const paragraph = new Y.XmlElement('paragraph');
    a.shared.transact(() => fragment.insert(0, [paragraph]));
    a.shared.transact(() => paragraph.insert(0, [new Y.XmlText('Jonas wohnt bei seiner Mutter.')]));
    expect(seen).toHaveLength(1);
    a.shared.transact(() => rootMap(a.shared, 'keyring').set('1', { epoch: 1 }));
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    caseA.addGoal('haupt', 'Ausbildung');
    expect(seen).toHaveLength(3);
    expect(seen[2]).not.toBe(seen[1]);
  });

  it('reads everything again when a scope document comes or goes', () => {
    const { a, caseA } = devices();
    const confidential = new Y.Doc();
    const foreign = new CaseDocument(confidential);
    // Written while the case does not follow this document yet.
    foreign.add('decisions', { texts: { text: 'Vertraulich' } });
    caseA.addScope('confidential', confidential);
    expect(caseA.view().decisions.map((d) => d.text)).toEqual(['Vertraulich']);
    caseA.removeScope('confidential');
    foreign.text('decisions', foreign.view().decisions[0]!.id, 'text').set('geändert, ungesehen');
    caseA.addScope('confidential', confidential);
    expect(caseA.view().decisions.map((d) => d.text)).toEqual(['geändert, ungesehen']);
    expectFresh(caseA, a.shared, [...a.scopes, ['confidential', confidential]]);
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { COLLECTIONS, COLLECTION_NAMES } from '../../../src/case/collections.ts';
import { collectionMap, rootMap } from '../../../src/case/layout.ts';
import { readCase } from '../../../src/case/read.ts';

function newCase() {
  const doc = new Y.Doc();
  CaseDocument.initialize(doc, { displayName: 'Jonas B.', team: 'U25' });
  return new CaseDocument(doc);
}

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** A valid initial entity per collection: what each form creates. */
const SAMPLES: { [C in keyof typeof COLLECTIONS]: Parameters<CaseDocument['add']>[1] } = {
  assessment: { fields: { domain: 'finanzen', kind: 'bedarf' }, texts: { clientView: 'Ich habe Schulden' } },
  goals: { fields: { level: 'teil', status: 'offen' }, texts: { title: 'Schulden regulieren' } },
  steps: { fields: { status: 'offen', ownActivity: true }, texts: { what: 'Briefe sammeln' } },
  partners: { fields: { type: 'schuldnerberatung', cooperation: 'koordiniert' }, texts: { organisation: 'Caritas' } },
  participants: { fields: { name: 'Herr Wolff', role: 'partner', organisation: 'Caritas' } },
  dissents: { texts: { text: 'Drogentest passt nicht' } },
  infoFlows: { texts: { what: 'Stand der Schuldnerakte', when: 'monatlich' } },
  agenda: { fields: { done: false }, texts: { title: 'Fortschritt je Ziel' } },
  decisions: { texts: { text: 'Abendschule ab Februar' } },
  tasks: { fields: { done: false, due: '2026-12-01' }, texts: { what: 'Platz reservieren', who: 'Frau Lindqvist' } },
  consents: {
    fields: { partnerId: '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', validFrom: '2026-03-01', form: 'schriftlich' },
    texts: { note: 'Beim Erstgespräch unterschrieben' },
  },
};

describe('every collection', () => {
  for (const name of COLLECTION_NAMES) {
    it(`${name}: add, read back through a second replica, patch, soft-delete, restore`, () => {
      const a = newCase();
      const id = a.add(name, SAMPLES[name] as never);
      const b = new Y.Doc();
      sync(a.doc, b);
      const entity = readCase(b)[name].find((e) => e.id === id);
      expect(entity).toBeDefined();
      for (const [field, value] of Object.entries(SAMPLES[name]?.texts ?? {})) {
        expect((entity as Record<string, unknown>)[field]).toBe(value);
      }
      expect(readCase(b).quarantine).toEqual([]);
      a.remove(name, id);
      expect(a.view()[name].some((e) => e.id === id)).toBe(false);
      expect(a.view().removed[name].some((e) => e.id === id)).toBe(true);
      a.restore(name, id);
      expect(a.view()[name].some((e) => e.id === id)).toBe(true);
    });
  }

  it('text fields are collaborative: concurrent edits to one field merge', () => {
    const a = newCase();
    const id = a.add('decisions', { texts: { text: 'Abendschule' } });
    const b = new CaseDocument(new Y.Doc());
    sync(a.doc, b.doc);
    a.text('decisions', id, 'text').set('Abendschule ab Februar');
    b.text('decisions', id, 'text').set('Jonas besucht die Abendschule');
    sync(a.doc, b.doc);
    expect(a.view().decisions[0]?.text).toBe('Jonas besucht die Abendschule ab Februar');
  });
});

describe('writes are validated before anything changes', () => {
  it.each([
    ['assessment', { fields: { domain: 'mond', kind: 'bedarf' } }],
    ['goals', { fields: { level: 'teil' } }],
    ['steps', { fields: { status: 'offen', cost: -5 } }],
    ['partners', { fields: { type: 'geheimdienst', cooperation: 'koordiniert' } }],
    ['participants', { fields: { name: '  ', role: 'klient' } }],
    ['tasks', { fields: { done: false, due: '2026-02-30' } }],
    ['goals', { fields: { level: 'teil', status: 'offen', id: 'x' } }],
  ] as const)('%s %j', (name, init) => {
    const c = newCase();
    const before = Y.encodeStateVector(c.doc);
    expect(() => c.add(name, init as never)).toThrow();
    expect(Y.encodeStateVector(c.doc)).toEqual(before);
  });

  it('patches reject unknown and text fields', () => {
    const c = newCase();
    const id = c.add('steps', SAMPLES.steps as never);
    expect(() => c.update('steps', id, { what: 'x' } as never)).toThrow();
    expect(() => c.update('steps', id, { responsible: 'chef' } as never)).toThrow();
    c.update('steps', id, { responsible: 'klient', gap: true, cost: 120.5 });
    expect(c.view().steps[0]).toMatchObject({ responsible: 'klient', gap: true, cost: 120.5 });
    c.update('steps', id, { cost: null });
    expect(c.view().steps[0]?.cost).toBeUndefined();
  });
});

describe('needs linked to goals', () => {
  it('is a set: links made concurrently on two devices all survive, unlinking works', () => {
    const a = newCase();
    const goal = a.addGoal('teil', 'Schulden regulieren');
    const n1 = a.add('assessment', { fields: { domain: 'finanzen', kind: 'bedarf' } });
    const n2 = a.add('assessment', { fields: { domain: 'recht', kind: 'bedarf' } });
    const b = new CaseDocument(new Y.Doc());
    sync(a.doc, b.doc);
    a.linkNeed(goal, n1, true);
    b.linkNeed(goal, n2, true);
    sync(a.doc, b.doc);
    expect(Object.keys(a.view().goals[0]!.needs).sort()).toEqual([n1, n2].sort());
    a.linkNeed(goal, n1, false);
    expect(Object.keys(a.view().goals[0]!.needs)).toEqual([n2]);
  });
});

describe('acceptance, domains and plan', () => {
  it('keeps one answer per participant and goal; a later answer replaces the earlier one', () => {
    const c = newCase();
    const goal = c.addGoal('teil', 'Konsum reduzieren');
    const jonas = c.add('participants', { fields: { name: 'Jonas', role: 'klient', organisation: '' } });
    c.setAcceptance(goal, jonas, 'bedenkzeit');
    expect(c.view().acceptances).toMatchObject([{ goalId: goal, participantId: jonas, state: 'bedenkzeit' }]);
    c.setAcceptance(goal, jonas, 'zugestimmt');
    expect(c.view().acceptances).toHaveLength(1);
    expect(c.view().acceptances[0]?.state).toBe('zugestimmt');
    expect(() => c.setAcceptance(goal, jonas, 'vielleicht' as never)).toThrow();
  });

  it('marks domains, including a declined one, and sets and clears plan settings', () => {
    const c = newCase();
    c.setDomainStatus('gesundheit', 'abgelehnt');
    c.setDomainStatus('finanzen', 'betrachtet');
    expect(c.view().domains).toMatchObject({ gesundheit: 'abgelehnt', finanzen: 'betrachtet', wohnen: 'offen' });
    expect(() => c.setDomainStatus('astrologie' as never, 'betrachtet')).toThrow();
    c.setPlan({ nextReview: '2027-01-18', reviewMode: 'fallkonferenz' });
    expect(c.view().plan).toEqual({ nextReview: '2027-01-18', reviewMode: 'fallkonferenz' });
    c.setPlan({ nextReview: null });
    expect(c.view().plan).toEqual({ reviewMode: 'fallkonferenz' });
    expect(() => c.setPlan({ nextReview: 'bald' })).toThrow();
  });
});

describe('malformed data in the new collections', () => {
  it('is quarantined item by item; the rest of the case still reads', () => {
    const c = newCase();
    const ok = c.add('partners', SAMPLES.partners as never);
    c.doc.transact(() => {
      collectionMap(c.doc, 'partners').set('b', 'no entity');
      rootMap(c.doc, 'domains').set('finanzen', 'vielleicht');
      rootMap(c.doc, 'acceptances').set('x:y', { state: 'zugestimmt' });
      rootMap(c.doc, 'plan').set('reviewMode', 'brieftaube');
    });
    const view = c.view();
    expect(view.partners.map((p) => p.id)).toEqual([ok]);
    expect(view.quarantine.map((q) => q.where).sort()).toEqual(['acceptances/x:y', 'domains/finanzen', 'partners/b', 'plan']);
    expect(view.domains.finanzen).toBe('offen');
    expect(view.plan).toEqual({});
  });

  it('reads entries written by an older version without the newer fields', () => {
    const c = newCase();
    c.doc.transact(() => {
      const old = new Y.Map<unknown>();
      collectionMap(c.doc, 'steps').set('0b6a5f1e-2c3d-4e5f-8a7b-9c0d1e2f3a4b', old);
      for (const [k, v] of Object.entries({ id: '0b6a5f1e-2c3d-4e5f-8a7b-9c0d1e2f3a4b', what: 'alt', who: '', status: 'offen', order: 'a0', createdAt: 1 })) {
        old.set(k, v);
      }
    });
    expect(c.view().steps[0]).toMatchObject({ what: 'alt', ownActivity: false, gap: false, criterion: '' });
    expect(c.view().quarantine).toEqual([]);
  });
});

describe('order', () => {
  it('keeps insertion order for several adds in one transaction', () => {
    const c = newCase();
    const ids: string[] = [];
    c.transact(() => {
      for (const title of ['eins', 'zwei', 'drei', 'vier']) ids.push(c.add('agenda', { fields: { done: false }, texts: { title } }));
    });
    expect(c.view().agenda.map((a) => a.id)).toEqual(ids);
  });
});

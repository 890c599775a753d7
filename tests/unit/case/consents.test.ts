import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { readCase } from '../../../src/case/read.ts';
import { hasValidConsent, mayAdmitPartner } from '../../../src/domain/consent.ts';

function newCase() {
  const doc = new Y.Doc();
  CaseDocument.initialize(doc, { displayName: 'Jonas B.', team: 'U25' });
  return new CaseDocument(doc);
}

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function withPartner() {
  const c = newCase();
  const partnerId = c.add('partners', { fields: { type: 'schuldnerberatung', cooperation: 'koordiniert' }, texts: { organisation: 'Caritas' } });
  return { c, partnerId };
}

const TODAY = '2026-03-15';

describe('consents collection', () => {
  it('adds a consent with its topics empty, a note, and reads it back on another replica', () => {
    const { c, partnerId } = withPartner();
    const id = c.add('consents', { fields: { partnerId, validFrom: '2026-03-01', form: 'schriftlich' }, texts: { note: 'unterschrieben' } });
    const b = new Y.Doc();
    sync(c.doc, b);
    const view = readCase(b);
    expect(view.quarantine).toEqual([]);
    expect(view.consents).toMatchObject([{ id, partnerId, validFrom: '2026-03-01', form: 'schriftlich', topics: {}, note: 'unterschrieben' }]);
    // The topics map exists from the start, so concurrent first toggles cannot replace each other.
    expect((c.doc.getMap('consents').get(id) as Y.Map<unknown>).get('topics')).toBeInstanceOf(Y.Map);
  });

  it('toggles topics; toggles made concurrently on two replicas all survive', () => {
    const { c: a, partnerId } = withPartner();
    const id = a.add('consents', { fields: { partnerId, validFrom: '2026-03-01', form: 'muendlich' } });
    const b = new CaseDocument(new Y.Doc());
    sync(a.doc, b.doc);
    a.toggleInSet('consents', id, 'topics', 'finanzen', true);
    a.toggleInSet('consents', id, 'topics', 'austausch', true);
    b.toggleInSet('consents', id, 'topics', 'wohnen', true);
    b.toggleInSet('consents', id, 'topics', 'finanzielles', true);
    sync(a.doc, b.doc);
    for (const replica of [a, b]) {
      expect(Object.keys(replica.view().consents[0]!.topics).sort()).toEqual(['austausch', 'finanzen', 'finanzielles', 'wohnen']);
    }
    a.toggleInSet('consents', id, 'topics', 'finanzen', false);
    sync(a.doc, b.doc);
    expect(Object.keys(b.view().consents[0]!.topics).sort()).toEqual(['austausch', 'finanzielles', 'wohnen']);
  });

  it('makes the partner admissible once a topic is released, and not after revoking', () => {
    const { c, partnerId } = withPartner();
    const id = c.add('consents', { fields: { partnerId, validFrom: '2026-03-01', form: 'schriftlich' } });
    const partner = { role: 'partner' as const, partnerId };
    expect(hasValidConsent(c.view().consents, partnerId, TODAY)).toBe(true);
    expect(mayAdmitPartner(partner, c.view().consents, TODAY)).toBe(false);
    c.toggleInSet('consents', id, 'topics', 'finanzen', true);
    expect(mayAdmitPartner(partner, c.view().consents, TODAY)).toBe(true);

    c.update('consents', id, { revokedAt: 1_773_500_000_000 });
    const revoked = c.view().consents[0]!;
    expect(revoked.revokedAt).toBe(1_773_500_000_000);
    // A revoked consent stays on record with what it released.
    expect(revoked.topics).toEqual({ finanzen: true });
    expect(hasValidConsent(c.view().consents, partnerId, TODAY)).toBe(false);
    expect(mayAdmitPartner(partner, c.view().consents, TODAY)).toBe(false);
  });

  it('sets and clears the end date', () => {
    const { c, partnerId } = withPartner();
    const id = c.add('consents', { fields: { partnerId, validFrom: '2026-03-01', validUntil: '2026-12-31', form: 'schriftlich' } });
    expect(c.view().consents[0]?.validUntil).toBe('2026-12-31');
    c.update('consents', id, { validUntil: null });
    expect(c.view().consents[0]?.validUntil).toBeUndefined();
  });

  describe('validation rejects bad input without writing', () => {
    it.each([
      ['no start date', { partnerId: '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', form: 'schriftlich' }],
      ['impossible start date', { partnerId: '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', validFrom: '2026-02-30', form: 'schriftlich' }],
      ['end not a date', { partnerId: '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', validFrom: '2026-03-01', validUntil: 'bald', form: 'schriftlich' }],
      ['unknown form', { partnerId: '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', validFrom: '2026-03-01', form: 'per Handschlag' }],
      ['no partner', { validFrom: '2026-03-01', form: 'schriftlich' }],
      ['topics smuggled in as a scalar', { partnerId: '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', validFrom: '2026-03-01', form: 'schriftlich', topics: { gesundheit: true } }],
    ])('add: %s', (_, fields) => {
      const c = newCase();
      const before = Y.encodeStateVector(c.doc);
      expect(() => c.add('consents', { fields } as never)).toThrow();
      expect(Y.encodeStateVector(c.doc)).toEqual(before);
    });

    it('update and toggle: bad dates, unknown topics, unknown fields', () => {
      const { c, partnerId } = withPartner();
      const id = c.add('consents', { fields: { partnerId, validFrom: '2026-03-01', form: 'schriftlich' } });
      const before = Y.encodeStateVector(c.doc);
      expect(() => c.update('consents', id, { validFrom: '01.03.2026' })).toThrow();
      expect(() => c.update('consents', id, { validUntil: '2026-13-01' })).toThrow();
      expect(() => c.update('consents', id, { revokedAt: -5 })).toThrow();
      expect(() => c.update('consents', id, { note: 'x' } as never)).toThrow();
      expect(() => c.toggleInSet('consents', id, 'topics', 'astrologie', true)).toThrow();
      expect(() => c.toggleInSet('consents', id, 'note' as never, 'finanzen', true)).toThrow();
      expect(Y.encodeStateVector(c.doc)).toEqual(before);
      expect(c.view().consents[0]).toMatchObject({ validFrom: '2026-03-01', topics: {} });
    });
  });

  it('toggleInSet validates the keys of other set fields too: goal needs must be ids', () => {
    const c = newCase();
    const goal = c.addGoal('teil', 'Schulden regulieren');
    const before = Y.encodeStateVector(c.doc);
    expect(() => c.linkNeed(goal, 'keine-id', true)).toThrow();
    expect(() => c.toggleInSet('goals', goal, 'needs', 'finanzen', true)).toThrow();
    expect(Y.encodeStateVector(c.doc)).toEqual(before);
  });

  it('a consent entry with an unknown topic is quarantined, not dropped', () => {
    const { c, partnerId } = withPartner();
    const id = c.add('consents', { fields: { partnerId, validFrom: '2026-03-01', form: 'schriftlich' } });
    const entity = c.doc.getMap('consents').get(id) as Y.Map<unknown>;
    c.doc.transact(() => (entity.get('topics') as Y.Map<unknown>).set('astrologie', true));
    const view = readCase(c.doc);
    expect(view.consents).toEqual([]);
    expect(view.quarantine.map((q) => q.where)).toEqual([`consents/${id}`]);
  });
});

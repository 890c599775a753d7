import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { collectionMap } from '../../../src/case/layout.ts';
import { readCase, scopeIn } from '../../../src/case/read.ts';

function scopedCase() {
  const shared = new Y.Doc();
  CaseDocument.initialize(shared, { displayName: 'Jonas B.', team: 'U25' });
  const health = new Y.Doc();
  const confidential = new Y.Doc();
  const c = new CaseDocument(shared, [
    ['topic:gesundheit', health],
    ['confidential', confidential],
  ]);
  return { c, shared, health, confidential };
}

const allText = (doc: Y.Doc) => JSON.stringify(doc.toJSON()) + new TextDecoder('latin1').decode(Y.encodeStateAsUpdate(doc));

describe('scoped case documents', () => {
  it('adds to the chosen scope and merges all held scopes into one view', () => {
    const { c, shared, health, confidential } = scopedCase();
    const a = c.add('assessment', { texts: { clientView: 'Rückenschmerzen' }, fields: { domain: 'gesundheit', kind: 'bedarf' } }, 'topic:gesundheit');
    const b = c.add('assessment', { texts: { clientView: 'Führerschein' }, fields: { domain: 'qualifikation', kind: 'ressource' } });
    const n = c.add('decisions', { texts: { text: 'Vertraulicher Vermerk' } }, 'confidential');
    const view = c.view();
    expect(view.assessment.map((i) => i.id)).toEqual([a, b]);
    expect(view.decisions.map((d) => d.id)).toEqual([n]);
    expect(c.scopeOf(a)).toBe('topic:gesundheit');
    expect(c.scopeOf(b)).toBe('shared');
    expect(scopeIn(view, n)).toBe('confidential');
    expect(collectionMap(health, 'assessment').has(a)).toBe(true);
    expect(collectionMap(shared, 'assessment').has(a)).toBe(false);
    expect(collectionMap(confidential, 'decisions').has(n)).toBe(true);
    expect(allText(shared)).not.toContain('Rückenschmerzen');
    expect(allText(shared)).not.toContain('Vertraulicher');
  });

  it('routes updates, texts, removal and moves to the document that holds the entity', () => {
    const { c, health, shared } = scopedCase();
    const a = c.add('assessment', { fields: { domain: 'gesundheit', kind: 'bedarf' } }, 'topic:gesundheit');
    c.update('assessment', a, { disposition: 'zurueckgestellt' });
    c.text('assessment', a, 'professionalView').set('Attest liegt vor');
    c.remove('assessment', a);
    expect(c.view().removed.assessment[0]).toMatchObject({ id: a, disposition: 'zurueckgestellt', professionalView: 'Attest liegt vor' });
    c.restore('assessment', a);
    c.move('assessment', a, 0);
    expect(c.view().assessment.map((i) => i.id)).toEqual([a]);
    expect(readCase(health).assessment[0]?.professionalView).toBe('Attest liegt vor');
    expect(collectionMap(shared, 'assessment').size).toBe(0);
    const g = c.add('goals', { texts: { title: 'Ziel' }, fields: { level: 'haupt', status: 'offen' } }, 'confidential');
    c.linkNeed(g, a, true);
    expect(c.view().goals[0]?.needs).toEqual({ [a]: true });
  });

  it('orders new entities after those of every scope', () => {
    const { c } = scopedCase();
    const a = c.add('agenda', { texts: { title: 'eins' }, fields: { done: false } }, 'confidential');
    const b = c.add('agenda', { texts: { title: 'zwei' }, fields: { done: false } });
    expect(c.view().agenda.map((x) => x.id)).toEqual([a, b]);
  });

  it('setVisibility moves content, text included, and leaves no current state behind', () => {
    const { c, shared, health } = scopedCase();
    const a = c.add('assessment', { texts: { clientView: 'Therapie seit März' }, fields: { domain: 'gesundheit', kind: 'bedarf' } });
    c.text('assessment', a, 'divergence').set('unklar');
    const before = c.view().assessment[0];
    c.setVisibility('assessment', a, { kind: 'topic', topic: 'gesundheit' });
    expect(c.scopeOf(a)).toBe('topic:gesundheit');
    expect(c.view().assessment).toEqual([before]);
    expect(collectionMap(shared, 'assessment').has(a)).toBe(false);
    // A fresh replica of the shared scope gets none of it.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(shared));
    expect(allText(replica)).not.toContain('Therapie');
    expect(readCase(replica).assessment).toEqual([]);
    expect(readCase(health).assessment[0]?.clientView).toBe('Therapie seit März');
    // Edits after the move land in the new scope.
    c.text('assessment', a, 'clientView').set('Therapie seit April');
    expect(readCase(health).assessment[0]?.clientView).toBe('Therapie seit April');
    c.setVisibility('assessment', a, { kind: 'confidential' });
    expect(c.scopeOf(a)).toBe('confidential');
    expect(collectionMap(health, 'assessment').has(a)).toBe(false);
    c.setVisibility('assessment', a, { kind: 'all' });
    expect(c.scopeOf(a)).toBe('shared');
    expect(c.view().assessment[0]?.clientView).toBe('Therapie seit April');
  });

  it('keeps set fields when moving', () => {
    const { c } = scopedCase();
    const need = c.add('assessment', { fields: { domain: 'recht', kind: 'bedarf' } });
    const goal = c.addGoal('haupt', 'Ziel');
    c.linkNeed(goal, need, true);
    c.setVisibility('goals', goal, { kind: 'confidential' });
    expect(c.view().goals[0]?.needs).toEqual({ [need]: true });
  });

  it('refuses scopes this device does not hold, and shows a scope once it is added', () => {
    const shared = new Y.Doc();
    const c = new CaseDocument(shared);
    expect(() => c.add('decisions', {}, 'confidential')).toThrow();
    const id = c.add('decisions', { texts: { text: 'x' } });
    expect(() => c.setVisibility('decisions', id, { kind: 'confidential' })).toThrow();
    const seen: string[][] = [];
    c.onScopes((s) => seen.push(s));
    const conf = new Y.Doc();
    const other = new CaseDocument(conf);
    const hidden = other.add('decisions', { texts: { text: 'geheim' } });
    c.addScope('confidential', conf);
    expect(c.view().decisions.map((d) => d.id).sort()).toEqual([id, hidden].sort());
    expect(seen.at(-1)).toEqual(['shared', 'confidential']);
    c.removeScope('confidential');
    expect(c.view().decisions.map((d) => d.id)).toEqual([id]);
  });

  it('shows a concurrently moved entity once, from the more restricted scope', () => {
    const { c, shared, confidential } = scopedCase();
    const a = c.add('decisions', { texts: { text: 'x' } });
    Y.applyUpdate(confidential, Y.encodeStateAsUpdate(shared));
    expect(c.view().decisions.filter((d) => d.id === a)).toHaveLength(1);
    expect(c.scopeOf(a)).toBe('confidential');
  });

  it('readCase on a single document is unchanged apart from the scopes lookup', () => {
    const { c, shared } = scopedCase();
    const a = c.add('decisions', { texts: { text: 'x' } });
    expect(readCase(shared).scopes).toEqual({ [a]: 'shared' });
  });
});

describe('scope helpers', () => {
  it('maps scopes back to visibilities and starts intimate domains in their topic', async () => {
    const { visibilityOfScope, defaultScopeFor } = await import('../../../src/case/scopes.ts');
    const { scopeOf, SCOPE_IDS } = await import('../../../src/domain/visibility.ts');
    for (const scope of SCOPE_IDS) expect(scopeOf(visibilityOfScope(scope))).toBe(scope);
    expect(defaultScopeFor('gesundheit', SCOPE_IDS)).toBe('topic:gesundheit');
    expect(defaultScopeFor('recht', SCOPE_IDS)).toBe('topic:recht');
    expect(defaultScopeFor('familie', SCOPE_IDS)).toBe('topic:familie');
    expect(defaultScopeFor('finanzen', SCOPE_IDS)).toBe('shared');
    // A device without the topic's key writes where it can: the shared scope.
    expect(defaultScopeFor('gesundheit', ['shared', 'topic:finanzen'])).toBe('shared');
  });
});

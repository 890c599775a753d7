import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import { goalsMap } from '../../../src/case/layout.ts';

function newCase() {
  const doc = new Y.Doc();
  CaseDocument.initialize(doc, { displayName: 'Jonas B.', team: 'U25', birthMonth: '2003-04' });
  return new CaseDocument(doc);
}

/** Two replicas exchanging their full state, as a sync round does. */
function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('CaseDocument', () => {
  it('initializes metadata that validates', () => {
    const c = newCase();
    const meta = c.view().meta;
    expect(meta).toMatchObject({ displayName: 'Jonas B.', team: 'U25', birthMonth: '2003-04', schemaVersion: 1 });
    expect(meta?.caseId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects invalid new-case input and writes nothing', () => {
    const doc = new Y.Doc();
    expect(() => CaseDocument.initialize(doc, { displayName: '   ', team: 'U25' })).toThrow();
    expect(() => CaseDocument.initialize(doc, { displayName: 'x', team: 'X' as never })).toThrow();
    expect(() => CaseDocument.initialize(doc, { displayName: 'x', team: 'U25', birthMonth: '2003-13' })).toThrow();
    expect(doc.getMap('meta').size).toBe(0);
  });

  it('creates, reads and updates goals', () => {
    const c = newCase();
    const main = c.addGoal('haupt', 'Ausbildung als Kfz-Mechatroniker');
    const sub = c.addGoal('teil');
    c.goalText(sub, 'title').set('Hauptschulabschluss');
    c.goalText(sub, 'clientWords').set('Ich will den Abschluss');
    c.updateGoal(sub, { due: '2027-07-31', status: 'in_arbeit' });
    const goals = c.view().goals;
    expect(goals.map((g) => [g.id, g.level, g.title])).toEqual([
      [main, 'haupt', 'Ausbildung als Kfz-Mechatroniker'],
      [sub, 'teil', 'Hauptschulabschluss'],
    ]);
    expect(goals[1]).toMatchObject({ due: '2027-07-31', status: 'in_arbeit', clientWords: 'Ich will den Abschluss' });
    c.updateGoal(sub, { due: null });
    expect(c.view().goals[1]?.due).toBeUndefined();
  });

  it('rejects invalid patches without changing the goal', () => {
    const c = newCase();
    const id = c.addGoal('teil', 'x');
    expect(() => c.updateGoal(id, { due: '31.12.2026' })).toThrow();
    expect(() => c.updateGoal(id, { status: 'fertig' as never })).toThrow();
    expect(() => c.updateGoal(id, { title: 'sneaky' } as never)).toThrow();
    expect(c.view().goals[0]).toMatchObject({ title: 'x', status: 'offen' });
    expect(c.view().goals[0]?.due).toBeUndefined();
  });

  it('creates, reads, updates and reorders steps', () => {
    const c = newCase();
    const goal = c.addGoal('teil', 'Schulden');
    const a = c.addStep('Gläubigerbriefe sammeln', goal);
    const b = c.addStep('Schuldnerakte anlegen');
    c.stepText(b, 'who').set('Herr Wolff');
    c.updateStep(b, { due: '2026-12-07', status: 'erledigt' });
    c.moveStep(b, 0);
    expect(c.view().steps.map((s) => s.id)).toEqual([b, a]);
    expect(c.view().steps[0]).toMatchObject({ who: 'Herr Wolff', due: '2026-12-07', status: 'erledigt' });
    expect(c.view().steps[1]).toMatchObject({ goalId: goal, what: 'Gläubigerbriefe sammeln' });
  });

  it('soft-deletes so a concurrent edit on another replica survives', () => {
    const a = newCase();
    const bDoc = new Y.Doc();
    sync(a.doc, bDoc);
    const b = new CaseDocument(bDoc);
    const id = a.addGoal('teil', 'Eigene Wohnung');
    sync(a.doc, bDoc);
    a.removeGoal(id);
    b.goalText(id, 'indicator').set('Mietvertrag unterschrieben');
    sync(a.doc, bDoc);
    expect(a.view().goals).toHaveLength(0);
    expect(a.view().removedGoals[0]).toMatchObject({ indicator: 'Mietvertrag unterschrieben' });
    a.restoreGoal(id);
    expect(a.view().goals[0]?.title).toBe('Eigene Wohnung');
  });

  it('merges concurrent edits of the same text field character by character', () => {
    const a = newCase();
    const id = a.addGoal('teil', 'Konsum reduzieren');
    const bDoc = new Y.Doc();
    sync(a.doc, bDoc);
    const b = new CaseDocument(bDoc);
    a.goalText(id, 'title').set('Cannabis-Konsum reduzieren');
    b.goalText(id, 'title').set('Konsum reduzieren (täglich)');
    sync(a.doc, bDoc);
    expect(a.view().goals[0]?.title).toBe('Cannabis-Konsum reduzieren (täglich)');
    expect(b.view().goals[0]?.title).toBe(a.view().goals[0]?.title);
  });

  it('notifies subscribers once per change with a fresh view', () => {
    const c = newCase();
    const seen: number[] = [];
    const stop = c.subscribe((v) => seen.push(v.goals.length));
    c.addGoal('teil');
    c.addGoal('teil');
    stop();
    c.addGoal('teil');
    expect(seen).toEqual([0, 1, 2]);
  });
});

describe('remote data that does not match the schema', () => {
  it('is quarantined, kept in the document, and the rest still shows', () => {
    const c = newCase();
    const good = c.addGoal('teil', 'Führerschein');
    const foreign = new Y.Doc();
    Y.applyUpdate(foreign, Y.encodeStateAsUpdate(c.doc));
    foreign.transact(() => {
      const goals = goalsMap(foreign);
      goals.set('not-an-entity', 42);
      const bad = new Y.Map<unknown>();
      goals.set('6f1e4f7e-3d2b-4b52-a39e-1bd4f6ad9d8e', bad);
      bad.set('id', '6f1e4f7e-3d2b-4b52-a39e-1bd4f6ad9d8e');
      bad.set('level', 'weltherrschaft');
      bad.set('title', { script: '<script>alert(1)</script>' });
      foreign.getMap('meta').set('team', 'Ü99');
    });
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(foreign));
    const view = c.view();
    expect(view.goals.map((g) => g.id)).toEqual([good]);
    expect(view.meta).toBeNull();
    expect(view.quarantine.map((q) => q.where).sort()).toEqual(
      ['goals/6f1e4f7e-3d2b-4b52-a39e-1bd4f6ad9d8e', 'goals/not-an-entity', 'meta'].sort(),
    );
    expect(view.quarantine.find((q) => q.where === 'meta')?.reason).toContain('team');
    // Nothing was deleted: the raw data is still in the document.
    expect(goalsMap(c.doc).get('not-an-entity')).toBe(42);
    expect(view.quarantine.find((q) => q.where === 'goals/not-an-entity')?.raw).toBe('42');
  });

  it('repairs a text field a foreign client wrote as a plain string, keeping its content', () => {
    const c = newCase();
    const id = c.addGoal('teil');
    (goalsMap(c.doc).get(id) as Y.Map<unknown>).set('title', 'Wohnung');
    expect(c.view().goals[0]?.title).toBe('Wohnung');
    c.goalText(id, 'title').set('Eigene Wohnung');
    expect(c.view().goals[0]?.title).toBe('Eigene Wohnung');
  });

  it('quarantines an entity whose id does not match its key', () => {
    const c = newCase();
    const id = c.addGoal('teil', 'x');
    const entity = goalsMap(c.doc).get(id) as Y.Map<unknown>;
    entity.set('id', '00000000-0000-4000-8000-000000000000');
    expect(c.view().goals).toHaveLength(0);
    expect(c.view().quarantine[0]?.reason).toContain('id does not match');
  });
});

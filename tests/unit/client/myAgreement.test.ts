import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { render } from 'svelte/server';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import type { CaseView } from '../../../src/case/read.ts';
import { DEMO, isoDateIn, loadDemoCase } from '../../../src/app/demoCase.ts';
import { readCase } from '../../../src/case/read.ts';
import { sharedDocKey } from '../../../src/storage/caseRecord.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { DocPersistence } from '../../../src/storage/docPersistence.ts';
import MyAgreement from '../../../src/ui/client/MyAgreement.svelte';
import {
  clientParticipantId,
  goalWords,
  helperGroups,
  myAnswers,
  mySteps,
  plainDate,
} from '../../../src/ui/client/myAgreement.ts';

async function demoView(today = new Date(2026, 10, 23)): Promise<CaseView> {
  const db = new RunderTischDb(`test-${crypto.randomUUID()}`);
  const caseId = await loadDemoCase(db, today);
  const doc = new Y.Doc();
  const p = await DocPersistence.open(db, sharedDocKey(caseId), doc);
  const view = readCase(doc);
  p.destroy();
  await db.delete();
  return view;
}

function blankCase(): CaseDocument {
  const doc = new Y.Doc();
  CaseDocument.initialize(doc, { displayName: 'Frau Demir', team: 'Ü25' });
  return new CaseDocument(doc);
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('plainDate', () => {
  it('says a day the way people do, in either language', () => {
    expect(plainDate('2027-07-31', 'de')).toBe('31. Juli 2027');
    expect(plainDate('2027-07-31', 'en')).toBe('31 July 2027');
    expect(plainDate('2027-01-20', 'de', true)).toBe('Mittwoch, 20. Januar 2027');
    expect(plainDate('not a date', 'de')).toBe('not a date');
  });
});

describe('client view selection', () => {
  it('takes the client’s words, falling back to the professional title', () => {
    const c = blankCase();
    const a = c.addGoal('teil', 'Schuldenregulierung');
    c.goalText(a, 'clientWords').set('  Überblick über meine Schulden ');
    const b = c.addGoal('teil', 'Eigene Wohnung');
    const [ga, gb] = c.view().goals;
    expect(goalWords(ga!)).toBe('Überblick über meine Schulden');
    expect(goalWords(gb!)).toBe('Eigene Wohnung');
    expect(b).toBe(gb!.id);
  });

  it('lists my steps (own activity or mine to do): open first, then by due date, undated last', () => {
    const c = blankCase();
    const late = c.add('steps', { texts: { what: 'late' }, fields: { status: 'offen', responsible: 'klient', due: '2027-05-01' } });
    const done = c.add('steps', { texts: { what: 'done' }, fields: { status: 'erledigt', ownActivity: true, due: '2026-01-01' } });
    const soon = c.add('steps', { texts: { what: 'soon' }, fields: { status: 'in_arbeit', ownActivity: true, due: '2026-12-01' } });
    const undated = c.add('steps', { texts: { what: 'undated' }, fields: { status: 'offen', responsible: 'klient' } });
    c.add('steps', { texts: { what: 'theirs', who: 'Herr X' }, fields: { status: 'offen', responsible: 'partner' } });
    expect(mySteps(c.view()).map((s) => s.id)).toEqual([soon, late, undated, done]);
  });

  it('groups the other steps by partner organisation, case manager and person', () => {
    const c = blankCase();
    const partner = c.add('partners', { texts: { organisation: 'Jugendamt', contact: 'Frau Brandt' }, fields: { type: 'jugendamt', cooperation: 'individuell' } });
    c.add('partners', { texts: { organisation: 'Hort', contact: '' }, fields: { type: 'kinderbetreuung', cooperation: 'individuell' } });
    c.add('participants', { fields: { name: 'Herr Schmitt', role: 'fallmanager', organisation: 'Jobcenter' } });
    c.add('steps', { texts: { what: 'Hortplatz', who: 'Frau Brandt' }, fields: { status: 'offen', responsible: 'partner', partnerId: partner } });
    c.add('steps', { texts: { what: 'Antrag', who: 'Herr Schmitt' }, fields: { status: 'offen', responsible: 'fallmanager' } });
    c.add('steps', { texts: { what: 'Begleiten', who: 'Schwester' }, fields: { status: 'offen', responsible: 'angehoerige' } });
    c.add('steps', { texts: { what: 'Niemand' }, fields: { status: 'offen' } });
    c.add('steps', { texts: { what: 'Lücke', gapDescription: 'gibt es nicht' }, fields: { status: 'offen', gap: true } });
    const groups = helperGroups(c.view());
    expect(groups.map((g) => [g.kind, g.title, g.people, g.steps.map((s) => s.what)])).toEqual([
      ['fallmanager', 'Herr Schmitt', ['Herr Schmitt'], ['Antrag']],
      ['partner', 'Jugendamt', ['Frau Brandt'], ['Hortplatz']],
      ['partner', 'Hort', [], []],
      ['person', 'Schwester', ['Schwester'], ['Begleiten']],
      ['unassigned', '', [], ['Niemand']],
    ]);
  });

  it('shows the answers of the client when no participant is chosen, and of the chosen one otherwise', async () => {
    const view = await demoView();
    const jonas = view.participants.find((p) => p.role === 'klient')!;
    const aydin = view.participants.find((p) => p.role === 'fallmanager')!;
    expect(clientParticipantId(view, null)).toBe(jonas.id);
    expect(clientParticipantId(view, aydin.id)).toBe(aydin.id);
    const answers = myAnswers(view, jonas.id);
    expect(answers.map((a) => a.answer?.state)).toEqual(['zugestimmt', 'zugestimmt', 'zugestimmt', 'bedenkzeit', 'zugestimmt']);
    expect(myAnswers(blankCase().view(), null)).toEqual([]);
  });
});

describe('<MyAgreement> (server-rendered)', () => {
  it('renders the demo case for Jonas in plain words', async () => {
    const today = new Date(2026, 10, 23);
    const view = await demoView(today);
    const jonas = view.participants.find((p) => p.role === 'klient')!;
    const { body } = render(MyAgreement, { props: { view, meId: jonas.id, onShowAll: () => undefined } });

    expect(body).toContain('data-testid="my-agreement"');
    expect(count(body, 'data-testid="my-goal"')).toBe(5);
    expect(count(body, 'data-testid="my-step"')).toBe(1);
    expect(body).toContain('Alles ansehen');
    expect(body).toContain('nicht mehr jeden Tag kiffen');
    expect(body).toContain('bis 31. Juli 2027');
    expect(body).toContain(`bis ${plainDate(isoDateIn(14, today), 'de')}`);
    expect(body).toContain('Alle Briefe von Gläubigern sammeln');
    expect(body).toContain('Caritas Schuldnerberatung');
    expect(body).toContain('Meldet sich monatlich, telefonisch: Stand der Schuldenregulierung');
    expect(body).toContain(DEMO.gapDescription);
    expect(body).toContain(plainDate(isoDateIn(56, today), 'de', true));
    expect(body).toContain('Alle, die mir helfen, setzen sich wieder mit mir an einen Tisch');
    expect(body).toContain('Ich überlege noch (Bedenkzeit).');
    expect(body).toContain('data-testid="my-dissent"');
    expect(body).toContain(DEMO.agreedIndicator);
    // Read-only: the only controls are the way to the full view and the Leichte-Sprache switch.
    expect(count(body, '<button')).toBe(2);
    expect(body).toContain('role="switch"');
    expect(body).not.toMatch(/<(input|textarea|select)\b/);
  });

  it('renders an empty case without errors and says what is missing', () => {
    const view = blankCase().view();
    const { body } = render(MyAgreement, { props: { view, meId: null, onShowAll: () => undefined } });
    expect(body).toContain('Wir haben noch keine Ziele aufgeschrieben.');
    expect(body).toContain('Für mich ist gerade kein Schritt aufgeschrieben.');
    expect(body).toContain('Es gibt noch keinen nächsten Termin.');
    expect(count(body, 'data-testid="my-goal"')).toBe(0);
  });
});

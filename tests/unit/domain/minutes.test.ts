import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseDocument } from '../../../src/case/caseDocument.ts';
import type { Goal } from '../../../src/domain/case.ts';
import type { AgendaItem, Decision, Task } from '../../../src/domain/conference.ts';
import { buildMinutes, type MinutesInput } from '../../../src/domain/minutes.ts';
import { isoDay } from '../../../src/domain/dates.ts';
import type { Dissent, Participant } from '../../../src/domain/participants.ts';

let seq = 0;
/** A valid, distinct UUID per call, so fixtures read like data, not like noise. */
function uuid(): string {
  seq += 1;
  return `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
}
const base = (order: string) => ({ id: uuid(), order, createdAt: 1_700_000_000_000 });

function participant(name: string, role: Participant['role'], organisation = '', order = 'a0'): Participant {
  return { ...base(order), name, role, organisation };
}
function goal(level: Goal['level'], title: string, fields: Partial<Goal> = {}, order = 'a0'): Goal {
  return { ...base(order), level, title, clientWords: '', indicator: '', status: 'offen', needs: {}, missedReason: '', ...fields };
}
function task(what: string, who: string, fields: Partial<Task> = {}): Task {
  return { ...base('a0'), what, who, done: false, ...fields };
}
function agendaItem(title: string, done = false): AgendaItem {
  return { ...base('a0'), title, done };
}
function decision(text: string): Decision {
  return { ...base('a0'), text };
}
function dissent(text: string, fields: Partial<Dissent> = {}): Dissent {
  return { ...base('a0'), text, resolution: '', ...fields };
}

const empty: MinutesInput = { participants: [], agenda: [], decisions: [], tasks: [], goals: [], dissents: [], plan: {} };

describe('buildMinutes', () => {
  it('gives empty minutes for an empty case, dated the given day', () => {
    expect(buildMinutes(empty, '2026-11-23')).toEqual({
      date: '2026-11-23',
      participants: [],
      agenda: [],
      decisions: [],
      tasks: [],
      goals: [],
      dissents: { open: [], resolved: [] },
      nextReview: { past: false },
    });
  });

  it('rejects a day that is not YYYY-MM-DD', () => {
    expect(() => buildMinutes(empty, '23.11.2026')).toThrow();
    expect(() => buildMinutes(empty, '2026-02-30')).toThrow();
  });

  it('lists participants host first, then the client, then the others in their order', () => {
    const wolff = participant('Herr Wolff', 'partner', 'Schuldnerberatung Caritas', 'a0');
    const jonas = participant('Jonas', 'klient', '', 'a1');
    const aydin = participant('Frau Aydin', 'fallmanager', 'Jobcenter', 'a2');
    const lindqvist = participant('  Frau Lindqvist ', 'partner', 'Abendschule', 'a3');
    const m = buildMinutes({ ...empty, participants: [wolff, jonas, aydin, lindqvist] }, '2026-11-23');
    expect(m.participants).toEqual([
      { id: aydin.id, name: 'Frau Aydin', role: 'fallmanager', organisation: 'Jobcenter' },
      { id: jonas.id, name: 'Jonas', role: 'klient', organisation: '' },
      { id: wolff.id, name: 'Herr Wolff', role: 'partner', organisation: 'Schuldnerberatung Caritas' },
      { id: lindqvist.id, name: 'Frau Lindqvist', role: 'partner', organisation: 'Abendschule' },
    ]);
  });

  it('keeps agenda items with their done state and order, leaving out blank lines', () => {
    const a = agendaItem('Anlass und Ziel der Konferenz', true);
    const blank = agendaItem('   ');
    const b = agendaItem('Fortschritt je Ziel');
    const m = buildMinutes({ ...empty, agenda: [a, blank, b] }, '2026-11-23');
    expect(m.agenda).toEqual([
      { id: a.id, title: 'Anlass und Ziel der Konferenz', done: true },
      { id: b.id, title: 'Fortschritt je Ziel', done: false },
    ]);
  });

  it('keeps decisions in order, trimmed, without blank ones', () => {
    const d1 = decision(' Herr Wolff legt eine Schuldnerakte an. \n');
    const d2 = decision('');
    const m = buildMinutes({ ...empty, decisions: [d1, d2] }, '2026-11-23');
    expect(m.decisions).toEqual([{ id: d1.id, text: 'Herr Wolff legt eine Schuldnerakte an.' }]);
  });

  it('lists tasks with who, what, by when and whether they are done or overdue', () => {
    const letters = task('Alle Gläubigerbriefe sammeln', 'Jonas', { due: '2026-12-07' });
    const late = task('Platz an der Abendschule reservieren', 'Frau Lindqvist', { due: '2026-11-20' });
    const doneLate = task('Kosten für Lernmittel beantragen', 'Frau Aydin', { due: '2026-11-01', done: true });
    const today = task('Zwei Beratungstermine anbieten', 'Herr Petrov', { due: '2026-11-23' });
    const noDate = task('Wohnungsantrag (WBS) vorbereiten', '');
    const blank = task(' ', ' ');
    const m = buildMinutes({ ...empty, tasks: [letters, late, doneLate, today, noDate, blank] }, '2026-11-23');
    expect(m.tasks).toEqual([
      { id: letters.id, what: 'Alle Gläubigerbriefe sammeln', who: 'Jonas', due: '2026-12-07', done: false, overdue: false },
      { id: late.id, what: 'Platz an der Abendschule reservieren', who: 'Frau Lindqvist', due: '2026-11-20', done: false, overdue: true },
      { id: doneLate.id, what: 'Kosten für Lernmittel beantragen', who: 'Frau Aydin', due: '2026-11-01', done: true, overdue: false },
      { id: today.id, what: 'Zwei Beratungstermine anbieten', who: 'Herr Petrov', due: '2026-11-23', done: false, overdue: false },
      { id: noDate.id, what: 'Wohnungsantrag (WBS) vorbereiten', who: '', done: false, overdue: false },
    ]);
    expect(m.tasks[4]).not.toHaveProperty('due');
  });

  it('lists the main goal before sub-goals, with status, due date and the reason a goal was missed', () => {
    const sub1 = goal('teil', 'Hauptschulabschluss an der Abendschule', { due: '2027-07-31', status: 'in_arbeit' }, 'a0');
    const main = goal('haupt', 'Ausbildung als Kfz-Mechatroniker', { due: '2027-08-31' }, 'a1');
    const sub2 = goal('teil', '', { clientWords: 'nicht mehr jeden Tag kiffen' }, 'a2');
    const sub3 = goal('teil', 'Eigene Wohnung', { status: 'nicht_erreicht', missedReason: ' Kein freier Platz ' }, 'a3');
    const blank = goal('teil', '  ', {}, 'a4');
    const m = buildMinutes({ ...empty, goals: [sub1, main, sub2, sub3, blank] }, '2026-11-23');
    expect(m.goals.map((g) => g.id)).toEqual([main.id, sub1.id, sub2.id, sub3.id]);
    expect(m.goals[0]).toEqual({
      id: main.id,
      level: 'haupt',
      title: 'Ausbildung als Kfz-Mechatroniker',
      clientWords: '',
      status: 'offen',
      due: '2027-08-31',
      missedReason: '',
    });
    expect(m.goals[1]).toMatchObject({ status: 'in_arbeit', due: '2027-07-31' });
    expect(m.goals[2]).toMatchObject({ title: '', clientWords: 'nicht mehr jeden Tag kiffen' });
    expect(m.goals[2]).not.toHaveProperty('due');
    expect(m.goals[3]).toMatchObject({ status: 'nicht_erreicht', missedReason: 'Kein freier Platz' });
  });

  it('keeps open and resolved dissents apart, naming who and which goal', () => {
    const jonas = participant('Jonas', 'klient');
    const drugs = goal('teil', '', { clientWords: 'nicht mehr jeden Tag kiffen' });
    const open = dissent('Ich will keinen Drogentest.', { participantId: jonas.id });
    const resolved = dissent('Indikator „Drogentest negativ“ abgelehnt', {
      participantId: jonas.id,
      goalId: drugs.id,
      resolution: 'Indikator geändert: Termine bei der Suchtberatung wahrgenommen',
      resolvedAt: 1_700_000_100_000,
    });
    const gone = dissent('Zu einem entfernten Ziel', { goalId: uuid(), participantId: uuid() });
    const blank = dissent('  ');
    const m = buildMinutes({ ...empty, participants: [jonas], goals: [drugs], dissents: [open, resolved, gone, blank] }, '2026-11-23');
    expect(m.dissents.open).toEqual([
      { id: open.id, text: 'Ich will keinen Drogentest.', participantName: 'Jonas', resolution: '' },
      { id: gone.id, text: 'Zu einem entfernten Ziel', resolution: '' },
    ]);
    expect(m.dissents.resolved).toEqual([
      {
        id: resolved.id,
        text: 'Indikator „Drogentest negativ“ abgelehnt',
        participantName: 'Jonas',
        goalTitle: 'nicht mehr jeden Tag kiffen',
        resolution: 'Indikator geändert: Termine bei der Suchtberatung wahrgenommen',
        resolvedAt: 1_700_000_100_000,
      },
    ]);
  });

  it('states the next review date and mode, and whether the date has passed', () => {
    expect(buildMinutes({ ...empty, plan: { nextReview: '2027-01-18', reviewMode: 'fallkonferenz' } }, '2026-11-23').nextReview).toEqual({
      date: '2027-01-18',
      mode: 'fallkonferenz',
      past: false,
    });
    expect(buildMinutes({ ...empty, plan: { nextReview: '2026-11-22' } }, '2026-11-23').nextReview).toEqual({
      date: '2026-11-22',
      past: true,
    });
    expect(buildMinutes({ ...empty, plan: { reviewMode: 'telefon' } }, '2026-11-23').nextReview).toEqual({
      mode: 'telefon',
      past: false,
    });
  });

  it('does not change its input', () => {
    const input: MinutesInput = {
      ...empty,
      participants: [participant('Jonas', 'klient'), participant('Frau Aydin', 'fallmanager')],
      goals: [goal('teil', 'b'), goal('haupt', 'a')],
    };
    const before = structuredClone(input);
    buildMinutes(input, '2026-11-23');
    expect(input).toEqual(before);
  });

  it('reads a whole case view as written through the case document (scenario A)', () => {
    const c = new CaseDocument(new Y.Doc());
    CaseDocument.initialize(c.doc, { displayName: 'Jonas B.', team: 'U25' });
    c.add('participants', { fields: { name: 'Jonas', role: 'klient', organisation: '' } });
    c.add('participants', { fields: { name: 'Frau Aydin', role: 'fallmanager', organisation: 'Jobcenter' } });
    c.addGoal('haupt', 'Ausbildung als Kfz-Mechatroniker');
    const item = c.add('agenda', { texts: { title: 'Fortschritt je Ziel' }, fields: { done: false } });
    c.update('agenda', item, { done: true });
    c.add('decisions', { texts: { text: 'Herr Wolff meldet monatlich telefonisch zurück.' } });
    const removed = c.add('decisions', { texts: { text: 'verworfen' } });
    c.remove('decisions', removed);
    c.add('tasks', { texts: { what: 'Gläubigerbriefe sammeln', who: 'Jonas' }, fields: { due: '2026-12-07', done: false } });
    c.setPlan({ nextReview: '2027-01-18', reviewMode: 'fallkonferenz' });

    const m = buildMinutes(c.view(), '2026-11-23');
    expect(m.participants.map((p) => p.name)).toEqual(['Frau Aydin', 'Jonas']);
    expect(m.agenda).toEqual([{ id: item, title: 'Fortschritt je Ziel', done: true }]);
    expect(m.decisions.map((d) => d.text)).toEqual(['Herr Wolff meldet monatlich telefonisch zurück.']);
    expect(m.tasks).toMatchObject([{ what: 'Gläubigerbriefe sammeln', who: 'Jonas', due: '2026-12-07', overdue: false }]);
    expect(m.goals).toMatchObject([{ level: 'haupt', title: 'Ausbildung als Kfz-Mechatroniker', status: 'offen' }]);
    expect(m.nextReview).toEqual({ date: '2027-01-18', mode: 'fallkonferenz', past: false });
  });
});

describe('isoDay', () => {
  it('is the local calendar day, zero-padded', () => {
    expect(isoDay(new Date(2027, 0, 5, 23, 59))).toBe('2027-01-05');
    expect(isoDay(new Date(2026, 10, 23, 0, 0))).toBe('2026-11-23');
  });
});

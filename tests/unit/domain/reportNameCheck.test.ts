import { describe, expect, it } from 'vitest';
import { buildReport, type ReportCaseInput } from '../../../src/domain/report.ts';
import { caseNames, checkReport, findNames, nameTerms, type CaseNames } from '../../../src/domain/reportNameCheck.ts';

const people = (...names: string[]): CaseNames => ({ people: names, loose: [] });
const found = (text: string, ...cases: CaseNames[]) => findNames(text, nameTerms(cases));

describe('name check: what counts as a name', () => {
  it('matches case-insensitively, with umlauts in any spelling', () => {
    const names = people('Lena Müller');
    expect(found('Platz bei MÜLLER fehlt', names)).toEqual(['Müller']);
    expect(found('Platz bei müller fehlt', names)).toEqual(['Müller']);
    expect(found('Platz bei Mueller fehlt', names)).toEqual(['Müller']);
    expect(found('Strauss-Kurs', people('Frau Strauß'))).toEqual(['Strauß']);
    expect(found('Jose hat keinen Platz', people('José K.'))).toEqual(['José']);
    // Decomposed umlauts, as some keyboards and systems type them.
    expect(found('Mu\u0308ller', names)).toEqual(['Müller']);
  });

  it('matches whole words: "Anna" is not in "Annahme", but in "Annas" and "Anna-Lena"', () => {
    const anna = people('Anna S.');
    expect(found('Annahme der Bewerbung fehlt', anna)).toEqual([]);
    expect(found('Hausanna', anna)).toEqual([]);
    expect(found('Annas Wohnung', anna)).toEqual(['Anna']);
    expect(found('Anna-Lena fragt', anna)).toEqual(['Anna']);
    expect(found('Kurs für Anna.', anna)).toEqual(['Anna']);
  });

  it('ignores titles, particles and parts shorter than 3 letters, but keeps a short full name', () => {
    expect(found('Herr von der Schule', people('Herr K. von Brandt'))).toEqual([]);
    expect(found('Kein Platz bei Brandt', people('Herr K. von Brandt'))).toEqual(['Brandt']);
    expect(found('Li fehlt, Na auch', people('Li Na'))).toEqual([]);
    expect(found('Termin für Li Na fehlt', people('Li Na'))).toEqual(['Li Na']);
  });

  it("drops contact details, so a partner's e-mail domain is not a name", () => {
    const contact = people('Herr Wolff, Tel. 0421 123, wolff@caritas-bremen.de');
    expect(found('Caritas hat keine Plätze', contact)).toEqual([]);
    expect(found('Telefonberatung fehlt', contact)).toEqual([]);
    expect(found('Wolffs Kurs', contact)).toEqual(['Wolff']);
  });

  it("takes only capitalised, non-institution words from a step's who", () => {
    const c: CaseNames = {
      people: [],
      loose: ['Jonas selbst', 'Schuldnerberatung (Herr Wolff)', 'Klientin', 'Jugendamt', 'Suchtberatung Nord'],
      organisations: ['Suchtberatung Nord'],
    };
    expect(nameTerms([c]).map((t) => t.name).sort()).toEqual(['Jonas', 'Wolff']);
    expect(found('selbst organisierte Schuldnerberatung fehlt im Norden', c)).toEqual([]);
  });

  it('collects the names of a case from client, participants, contacts and step owners', () => {
    const names = caseNames({
      meta: { displayName: 'Jonas B.' },
      participants: [{ name: 'Frau Aydin', organisation: 'Jobcenter, Team U25' }],
      partners: [{ contact: 'Herr Petrov', organisation: 'Suchtberatung' }],
      steps: [{ who: 'Frau Lindqvist' }],
      otherNames: ['Herr Öztürk'],
    });
    expect(nameTerms([names]).map((t) => t.name).sort()).toEqual(['Aydin', 'Jonas', 'Lindqvist', 'Petrov', 'Öztürk']);
  });
});

describe('name check on a report', () => {
  const input = (gaps: string[], created = 1): ReportCaseInput => ({
    meta: { displayName: 'x', team: 'U25', createdAt: created },
    assessment: [],
    goals: [],
    steps: gaps.map((gapDescription, i) => ({ id: `s${i}`, who: '', gap: true, gapDescription })),
    partners: [],
    statusChangedAt: {},
  });

  it("says where a name is, also another case's name", () => {
    const report = buildReport([input(['Wohnheim fehlt'], 1), input(['Kurs fehlt', 'Therapie für Frau Schröder fehlt'], 2)], 10, '2026-11-23');
    const findings = checkReport(report, [people('Jonas B.'), people('Erika Schröder')]);
    expect(findings).toEqual([{ where: { part: 'gap', case: 2, gap: 2 }, name: 'Schröder' }]);
  });

  it('lists every place and every name', () => {
    const report = buildReport([input(['Jonas und Erika brauchen Wohnraum', 'Erika'])], 10, '2026-11-23');
    const findings = checkReport(report, [people('Jonas B.', 'Erika Schröder')]);
    expect(findings).toEqual([
      { where: { part: 'gap', case: 1, gap: 1 }, name: 'Jonas' },
      { where: { part: 'gap', case: 1, gap: 1 }, name: 'Erika' },
      { where: { part: 'gap', case: 1, gap: 2 }, name: 'Erika' },
    ]);
  });

  it('looks at every string of the report, not only the gaps', () => {
    const report = buildReport([input([])], 10, '2026-11-23');
    // A client whose pseudonym happens to be a word of the report's fixed vocabulary.
    expect(checkReport(report, [people('U25')])).toEqual([]); // digits: not a name
    expect(checkReport(report, [people('Runder')])).toEqual([{ where: { part: 'other', path: 'kind' }, name: 'Runder' }]);
  });
});

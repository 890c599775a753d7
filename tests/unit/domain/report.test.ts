import { describe, expect, it } from 'vitest';
import { de } from '../../../src/i18n/catalogue.ts';
import {
  buildReport,
  csvField,
  reportCsv,
  reportJson,
  type CsvLabels,
  type ReportCaseInput,
} from '../../../src/domain/report.ts';
import { caseNames, checkReport } from '../../../src/domain/reportNameCheck.ts';
import { DAY, GENERATED_NOW, generateCases, type GeneratedCase } from '../fixtures/generatedCases.ts';

const toInput = (c: GeneratedCase): ReportCaseInput => ({
  meta: c.meta,
  assessment: c.assessment,
  goals: c.goals,
  steps: c.steps,
  partners: c.partners,
  statusChangedAt: c.statusChangedAt,
  closedAt: c.closedAt,
});
const namesOf = (c: GeneratedCase) => caseNames(c);

/** German CSV words straight from the catalogue, as the UI passes them. */
const labels: CsvLabels = {
  title: de['report.csv.title'],
  asOf: de['report.csv.asOf'],
  cases: de['report.csv.cases'],
  skipped: de['report.csv.skipped'],
  caseLabel: (n) => de['report.caseLabel'].replace('{n}', String(n)),
  domain: (d) => (d === 'ohne_bereich' ? de['report.domain.none'] : de[`domain.${d}`]),
  status: (s) => de[`status.${s}`],
  level: (l) => de[`report.level.${l}`],
  yes: de['report.csv.yes'],
  no: de['report.csv.no'],
  noDescription: de['report.csv.noDescription'],
  sections: {
    caseRows: de['report.csv.section.caseRows'],
    gaps: de['report.csv.section.gaps'],
    gapsByDomain: de['report.csv.section.gapsByDomain'],
    gapsByDescription: de['report.csv.section.gapsByDescription'],
    goalsByDomainStatus: de['report.csv.section.goalsByDomainStatus'],
    timeToGoal: de['report.csv.section.timeToGoal'],
    timeToGoalByDomain: de['report.csv.section.timeToGoalByDomain'],
  },
  columns: Object.fromEntries(
    Object.keys(de)
      .filter((k) => k.startsWith('report.csv.col.'))
      .map((k) => [k.slice('report.csv.col.'.length), de[k as keyof typeof de]]),
  ) as CsvLabels['columns'],
};

const cases = generateCases(60, 20261123);
const report = buildReport(cases.map(toInput), GENERATED_NOW, '2026-11-23', 2);

/** The domains of a goal, worked out here without the module's helper. */
function expectedGoalDomains(c: GeneratedCase, goalId: string | undefined): string[] {
  const goal = c.goals.find((g) => g.id === goalId);
  if (!goal) return ['ohne_bereich'];
  const set = new Set<string>();
  for (const need of Object.keys(goal.needs)) {
    const item = c.assessment.find((a) => a.id === need);
    if (item) set.add(item.domain);
  }
  return set.size === 0 ? ['ohne_bereich'] : [...set];
}

describe('planning report on a generated set of cases', () => {
  const byCreation = [...cases].sort((a, b) => a.meta.createdAt - b.meta.createdAt);

  it('has one row per case, numbered by creation, with durations and partner counts', () => {
    expect(report.cases).toBe(60);
    expect(report.skipped).toBe(2);
    expect(report.caseRows.map((r) => r.case)).toEqual(byCreation.map((_, i) => i + 1));
    byCreation.forEach((c, i) => {
      const row = report.caseRows[i]!;
      const end = c.closedAt ?? GENERATED_NOW;
      expect(row.durationDays).toBe(Math.floor((end - c.meta.createdAt) / DAY));
      expect(row.closed).toBe(c.closedAt !== undefined);
      expect(row.partners).toBe(c.partners.length);
      expect(row.gaps).toBe(c.steps.filter((s) => s.gap).length);
      expect(row.goalsReached).toBe(c.goals.filter((g) => g.status === 'erreicht').length);
    });
    // The set exercises both kinds of case.
    expect(report.caseRows.some((r) => r.closed)).toBe(true);
    expect(report.caseRows.some((r) => !r.closed)).toBe(true);
  });

  it('counts gaps by domain and by description', () => {
    const perDomain = new Map<string, { gaps: number; cases: Set<string> }>();
    const perText = new Map<string, number>();
    let total = 0;
    for (const c of cases) {
      for (const step of c.steps.filter((s) => s.gap)) {
        total++;
        perText.set(step.gapDescription, (perText.get(step.gapDescription) ?? 0) + 1);
        for (const d of expectedGoalDomains(c, step.goalId)) {
          const entry = perDomain.get(d) ?? { gaps: 0, cases: new Set() };
          entry.gaps++;
          entry.cases.add(c.id);
          perDomain.set(d, entry);
        }
      }
    }
    expect(total).toBeGreaterThan(10);
    expect(report.gaps).toHaveLength(total);
    expect(Object.fromEntries(report.gapsByDomain.map((r) => [r.domain, [r.gaps, r.cases]]))).toEqual(
      Object.fromEntries([...perDomain].map(([d, e]) => [d, [e.gaps, e.cases.size]])),
    );
    expect(perDomain.has('ohne_bereich')).toBe(true);
    expect(Object.fromEntries(report.gapsByDescription.map((r) => [r.description, r.gaps]))).toEqual(Object.fromEntries(perText));
    // Most frequent first.
    const counts = report.gapsByDescription.map((r) => r.gaps);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('counts goals by domain and status, a goal in two domains in each', () => {
    const expected: Record<string, number> = {};
    for (const c of cases) {
      for (const goal of c.goals) {
        for (const d of expectedGoalDomains(c, goal.id)) expected[`${d}/${goal.status}`] = (expected[`${d}/${goal.status}`] ?? 0) + 1;
      }
    }
    expect(Object.fromEntries(report.goalsByDomainStatus.map((r) => [`${r.domain}/${r.status}`, r.goals]))).toEqual(expected);
  });

  it('measures time to goal from the recorded status change, none where it is missing', () => {
    const expected: (number | null)[] = [];
    for (const c of byCreation) {
      for (const goal of c.goals) {
        if (goal.status !== 'erreicht') continue;
        const at = c.statusChangedAt[goal.id];
        expected.push(at === undefined ? null : Math.floor((at - goal.createdAt) / DAY));
      }
    }
    expect(report.timeToGoal.map((r) => r.days)).toEqual(expected);
    expect(expected).toContain(null);
    expect(expected.some((d) => d !== null)).toBe(true);
    for (const row of report.timeToGoalByDomain) {
      const days = report.timeToGoal
        .filter((r) => r.domains.includes(row.domain) && r.days !== null)
        .map((r) => r.days!)
        .sort((a, b) => a - b);
      expect(row.withDays).toBe(days.length);
      expect(row.minDays).toBe(days[0] ?? null);
      expect(row.maxDays).toBe(days.at(-1) ?? null);
      if (days.length % 2 === 1) expect(row.medianDays).toBe(days[(days.length - 1) / 2]);
    }
  });

  it('puts no name, id, birth month, narrative or date of the cases into CSV or JSON', () => {
    const json = reportJson(report);
    const csv = reportCsv(report, labels);
    for (const text of [json, csv]) {
      for (const c of cases) {
        for (const word of c.meta.displayName.split(' ')) expect(text).not.toContain(word);
        for (const p of c.partners) expect(text).not.toContain(p.contact.split(' ')[1]);
        for (const p of c.participants) expect(text).not.toContain(p.name);
        expect(text).not.toContain(c.id);
        expect(text).not.toContain(c.meta.birthMonth);
        expect(text).not.toContain(String(c.meta.createdAt));
        for (const g of c.goals) {
          expect(text).not.toContain(g.id);
          expect(text).not.toContain(g.clientWords);
        }
      }
      expect(text).not.toContain('sagt: schwierig');
    }
    expect(checkReport(report, cases.map(namesOf))).toEqual([]);
  });

  it('is versioned JSON that parses back to the same report', () => {
    const parsed = JSON.parse(reportJson(report));
    expect(parsed.kind).toBe('runder-tisch-report');
    expect(parsed.v).toBe(1);
    expect(parsed).toEqual(report);
  });

  it('is deterministic: the same cases in another order give the same report', () => {
    const again = buildReport([...cases].reverse().map(toInput), GENERATED_NOW, '2026-11-23', 2);
    expect(again).toEqual(report);
  });
});

describe('blocked export', () => {
  it('finds a name that slipped into a gap description and says where', () => {
    const set = generateCases(12, 99);
    const sorted = [...set].sort((a, b) => a.meta.createdAt - b.meta.createdAt);
    // The third case's client's surname, written into a gap of the fifth case.
    const surname = sorted[2]!.meta.displayName.split(' ')[1]!;
    const target = sorted[4]!;
    target.steps.push({
      id: '0c0c0c0c-0000-4000-a000-000000000001',
      order: 'z',
      createdAt: target.meta.createdAt,
      what: 'Wohnplatz suchen',
      who: 'Klient',
      criterion: '',
      status: 'offen',
      ownActivity: false,
      gap: true,
      gapDescription: `Wohnheim fehlt, siehe ${surname.toUpperCase()}`,
      condition: '',
    });
    const gapNo = target.steps.filter((s) => s.gap).length;
    const blocked = buildReport(set.map(toInput), GENERATED_NOW, '2026-11-23');
    expect(checkReport(blocked, set.map(namesOf))).toEqual([{ where: { part: 'gap', case: 5, gap: gapNo }, name: surname }]);
  });
});

describe('CSV for German Excel', () => {
  it('starts with a BOM, separates with ; and ends lines with CRLF', () => {
    const csv = reportCsv(report, labels);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe('\uFEFFAuswertung ohne Namen');
    expect(csv).toContain(`\r\n${de['report.csv.col.case']};${de['report.csv.col.team']};`);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('quotes per RFC 4180 and defuses formulas', () => {
    expect(csvField('Wohnen; betreut')).toBe('"Wohnen; betreut"');
    expect(csvField('der "Platz"')).toBe('"der ""Platz"""');
    expect(csvField('zwei\nZeilen')).toBe('"zwei\nZeilen"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-kein Platz')).toBe("'-kein Platz");
    expect(csvField(12)).toBe('12');
    expect(csvField(null)).toBe('');
  });

  it('writes line breaks in a gap description as one line', () => {
    const [one] = generateCases(1, 3);
    const input = toInput(one!);
    const r = buildReport(
      [{ ...input, steps: [{ id: 'x', who: '', gap: true, gapDescription: 'Platz fehlt;\n  "dringend"' }] }],
      GENERATED_NOW,
      '2026-11-23',
    );
    expect(r.gaps[0]!.description).toBe('Platz fehlt; "dringend"');
    expect(reportCsv(r, labels)).toContain(`;"Platz fehlt; ""dringend"""\r\n`);
  });
});

import { describe, expect, it } from 'vitest';
import {
  CaseSummary,
  MAX_OPEN_TASKS,
  NO_FILTER,
  arrangeRows,
  dashboardRow,
  type ListedCase,
  SUMMARY_TEXT,
  birthdayAlert,
  monthsUntil,
  reviewOverdue,
  sameSummary,
  summariseCase,
  summaryFromRecord,
  twentyFifthBirthday,
  type SummaryInput,
} from '../../../src/domain/dashboard.ts';

const EMPTY: SummaryInput = { meta: { team: 'U25' }, plan: {}, tasks: [], steps: [], partners: [] };
const RECORD = { team: 'U25' as const };

function alertFor(birthMonth: string, today: string, team: 'U25' | 'Ü25' = 'U25') {
  return birthdayAlert(summariseCase({ ...EMPTY, meta: { team, birthMonth } }, RECORD), today);
}

describe('25th birthday', () => {
  it('is the birth month 25 years on', () => {
    expect(twentyFifthBirthday('2001-02')).toBe('2026-02');
    expect(twentyFifthBirthday('1999-12')).toBe('2024-12');
  });

  it('counts calendar months across year boundaries', () => {
    expect(monthsUntil('2026-11-23', '2027-02')).toBe(3);
    expect(monthsUntil('2026-12-31', '2027-01')).toBe(1);
    expect(monthsUntil('2027-01-01', '2026-12')).toBe(-1);
    expect(monthsUntil('2026-11-01', '2026-11')).toBe(0);
  });

  it('warns from the first day of the month three months before the birthday month', () => {
    // Birthday in February 2027: the warning starts on 1 November 2026.
    expect(alertFor('2002-02', '2026-10-31')).toBeNull();
    expect(alertFor('2002-02', '2026-11-01')).toBe('soon');
    // Exactly three months ahead, day for day, is within the warning.
    expect(alertFor('2002-02', '2026-11-28')).toBe('soon');
    expect(alertFor('2002-03', '2026-11-30')).toBeNull();
  });

  it('warns across the turn of the year and in the birthday month itself', () => {
    expect(alertFor('2002-01', '2026-10-01')).toBe('soon');
    expect(alertFor('2002-01', '2026-09-30')).toBeNull();
    expect(alertFor('2001-11', '2026-11-01')).toBe('soon');
    expect(alertFor('2001-11', '2026-11-30')).toBe('soon');
  });

  it('after the birthday month: warns while the case is still with U25, not once it is with Ü25', () => {
    expect(alertFor('2001-10', '2026-11-01')).toBe('passed');
    expect(alertFor('1990-01', '2026-11-01')).toBe('passed');
    expect(alertFor('2001-10', '2026-11-01', 'Ü25')).toBeNull();
    // Ü25 still sees the coming birthday (a case may be handed over early).
    expect(alertFor('2002-01', '2026-11-01', 'Ü25')).toBe('soon');
  });

  it('does not warn without a birth month or for a closed case', () => {
    expect(birthdayAlert(summariseCase(EMPTY, RECORD), '2026-11-01')).toBeNull();
    const closed = summariseCase({ ...EMPTY, meta: { team: 'U25', birthMonth: '2002-01' } }, RECORD, 1);
    expect(birthdayAlert(closed, '2026-11-01')).toBeNull();
  });

  it('takes the birth month from the record when the case was never opened', () => {
    const summary = summaryFromRecord({ team: 'U25', birthMonth: '2002-01' });
    expect(summary.birthday25).toBe('2027-01');
    expect(birthdayAlert(summary, '2026-11-01')).toBe('soon');
  });
});

describe('review', () => {
  it('is overdue only after its day', () => {
    const summary = summariseCase({ ...EMPTY, plan: { nextReview: '2026-11-20' } }, RECORD);
    expect(summary.nextReview).toBe('2026-11-20');
    expect(reviewOverdue(summary, '2026-11-19')).toBe(false);
    expect(reviewOverdue(summary, '2026-11-20')).toBe(false);
    expect(reviewOverdue(summary, '2026-11-21')).toBe(true);
    expect(reviewOverdue(summariseCase(EMPTY, RECORD), '2026-11-21')).toBe(false);
  });
});

describe('open tasks and partners', () => {
  it('lists undone conference tasks and open or running steps, earliest due first, with who', () => {
    const summary = summariseCase(
      {
        ...EMPTY,
        tasks: [
          { what: 'Protokoll verschicken', who: 'Frau Aydin', done: false },
          { what: 'Raum buchen', who: 'Herr Wolff', done: true, due: '2026-01-01' },
        ],
        steps: [
          { what: 'Schuldnerberatung aufsuchen', who: 'Jonas', status: 'in_arbeit', due: '2026-12-01', responsible: 'klient' },
          { what: 'Bewerbung schreiben', who: '', status: 'offen', due: '2026-11-30' },
          { what: 'Führerschein', who: 'Jonas', status: 'erledigt' },
          { what: 'Kurs', who: 'Jonas', status: 'entfallen' },
        ],
      },
      RECORD,
    );
    expect(summary.openTaskCount).toBe(3);
    expect(summary.openTasks).toEqual([
      { source: 'step', what: 'Bewerbung schreiben', who: '', due: '2026-11-30' },
      { source: 'step', what: 'Schuldnerberatung aufsuchen', who: 'Jonas', responsible: 'klient', due: '2026-12-01' },
      { source: 'task', what: 'Protokoll verschicken', who: 'Frau Aydin' },
    ]);
  });

  it('keeps at most MAX_OPEN_TASKS, counts all, and cuts long texts', () => {
    const steps = Array.from({ length: 30 }, (_, i) => ({ what: 'x'.repeat(5000) + i, who: 'A', status: 'offen' as const }));
    const summary = summariseCase({ ...EMPTY, steps }, RECORD);
    expect(summary.openTaskCount).toBe(30);
    expect(summary.openTasks).toHaveLength(MAX_OPEN_TASKS);
    expect(summary.openTasks[0]!.what.length).toBe(SUMMARY_TEXT);
    expect(CaseSummary.safeParse(summary).success).toBe(true);
  });

  it('names the partners whose help ends at 25, skipping unnamed ones', () => {
    const summary = summariseCase(
      {
        ...EMPTY,
        partners: [
          { organisation: 'Jugendamt Mitte', endsAt25: true },
          { organisation: 'Schuldnerberatung', endsAt25: false },
          { organisation: 'Jugendmigrationsdienst' },
          { organisation: '  ', endsAt25: true },
        ],
      },
      RECORD,
    );
    expect(summary.endsAt25).toEqual(['Jugendamt Mitte']);
  });

  it('tells equal summaries apart from changed ones', () => {
    const a = summariseCase({ ...EMPTY, plan: { nextReview: '2026-12-01' } }, RECORD);
    const b = summariseCase({ ...EMPTY, plan: { nextReview: '2026-12-01' } }, RECORD);
    const c = summariseCase({ ...EMPTY, plan: { nextReview: '2026-12-02' } }, RECORD);
    expect(sameSummary(a, b)).toBe(true);
    expect(sameSummary(a, c)).toBe(false);
    expect(sameSummary(undefined, a)).toBe(false);
  });
});

describe('dates on the dashboard', () => {
  it('writes every day of two years exactly as Intl does, in German and English', async () => {
    const { dashboardFormats } = await import('../../../src/ui/cases/dashboardFormat.ts');
    for (const [locale, tag] of [['de', 'de-DE'], ['en', 'en-GB']] as const) {
      const formats = dashboardFormats(locale);
      const intl = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
      for (let d = new Date(2025, 0, 1); d < new Date(2027, 0, 1); d.setDate(d.getDate() + 1)) {
        const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        expect(formats.day(iso)).toBe(intl.format(d));
        expect(formats.instant(d.getTime() + 13 * 3_600_000)).toBe(intl.format(d));
      }
      expect(formats.month('2027-02')).toBe(new Intl.DateTimeFormat(tag, { month: 'long', year: 'numeric' }).format(new Date(2027, 1, 1)));
    }
  });
});

describe('sorting and filtering the list', () => {
  const today = '2026-11-23';
  const names = new Intl.Collator('de-DE', { numeric: true }).compare;
  const rec = (id: string, over: Partial<ListedCase> = {}) => ({
    id,
    displayName: id,
    team: 'U25' as const,
    updatedAt: 1,
    ...over,
  });
  it('puts what needs attention first and missing values last', () => {
    const rows = [
      rec('Anna', { updatedAt: 3, lastBackupAt: 50, summary: summariseCase({ ...EMPTY, plan: { nextReview: '2026-12-01' } }, RECORD) }),
      rec('Ben', { updatedAt: 2, summary: summariseCase({ ...EMPTY, plan: { nextReview: '2026-11-01' }, steps: [{ what: 'x', who: 'y', status: 'offen' }] }, RECORD) }),
      rec('Cem', { updatedAt: 1, lastBackupAt: 10, birthMonth: '2002-01' }),
    ].map((r) => dashboardRow(r, today));
    const order = (sort: Parameters<typeof arrangeRows>[1]) => arrangeRows(rows, sort, NO_FILTER, names).map((r) => r.name);
    expect(order('updated')).toEqual(['Anna', 'Ben', 'Cem']);
    expect(order('review')).toEqual(['Ben', 'Anna', 'Cem']);
    expect(order('backup')).toEqual(['Ben', 'Cem', 'Anna']);
    expect(order('birthday')).toEqual(['Cem', 'Anna', 'Ben']);
    expect(order('tasks')).toEqual(['Ben', 'Anna', 'Cem']);
    const only = (filter: Partial<typeof NO_FILTER>) => arrangeRows(rows, 'name', { ...NO_FILTER, ...filter }, names).map((r) => r.name);
    expect(only({ overdue: true })).toEqual(['Ben']);
    expect(only({ birthday: true })).toEqual(['Cem']);
    expect(only({ tasks: true })).toEqual(['Ben']);
    expect(only({ text: ' EM ' })).toEqual(['Cem']);
    expect(only({ state: 'closed' })).toEqual([]);
    expect(only({ state: 'active' })).toEqual(['Anna', 'Ben', 'Cem']);
  });
});

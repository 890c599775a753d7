import { DOMAINS, type AssessmentItem, type Domain } from './assessment.ts';
import { GoalStatus, type Goal, type GoalLevel, type Step, type Team } from './case.ts';
import type { IsoDate } from './dates.ts';

/**
 * The planning report across local cases ("Auswertung ohne Namen", issue 7): gaps
 * (Angebotslücken) by description and domain, goals by domain and status, time to goal, case
 * durations and number of partners. Pure: it is built from plain case data, so the app reads the
 * cases and this module decides what leaves the device.
 *
 * What is deliberately NOT in it: names, ids, the client's own words, goal titles, indicators,
 * the Ausgangslage, birth months, and dates of any kind except the report's own day (creation
 * and closure dates help to re-identify a person; durations in whole days serve planning just as
 * well). Gap descriptions are the one free text, because describing the missing help is the
 * point of the gap report; that is why the name check (reportNameCheck.ts) looks at them.
 *
 * Cases are numbered "Fall 1, Fall 2 …" in the order they were created on this device. The
 * numbers exist only in this one export: no id, no hash of an id, nothing that a recipient could
 * link back to a case record or to the same case in another device's export.
 */

export const REPORT_KIND = 'runder-tisch-report';
export const REPORT_VERSION = 1;

/** A goal or gap whose goal has no linked need with a known domain. */
export const NO_DOMAIN = 'ohne_bereich';
export type ReportDomain = Domain | typeof NO_DOMAIN;
export const REPORT_DOMAINS: readonly ReportDomain[] = [...DOMAINS, NO_DOMAIN];

const DAY_MS = 24 * 60 * 60 * 1000;

/** One case as the report needs it: plain data, read and validated by the app. */
export interface ReportCaseInput {
  meta: { displayName: string; team: Team; createdAt: number };
  /** Assessment items this device can read (domain of the needs goals link). */
  assessment: readonly Pick<AssessmentItem, 'id' | 'domain'>[];
  /** Live goals in plan order. */
  goals: readonly Pick<Goal, 'id' | 'level' | 'status' | 'needs' | 'createdAt'>[];
  /** Live steps in plan order. */
  steps: readonly Pick<Step, 'id' | 'goalId' | 'gap' | 'gapDescription' | 'who'>[];
  /** Live partner organisations at the table. */
  partners: readonly { id: string }[];
  /** Goal id → when its status last changed, from the verified audit trail. */
  statusChangedAt: Readonly<Record<string, number>>;
  /** When the case was closed; absent: still open (its duration runs to the report's day). */
  closedAt?: number | undefined;
}

export interface CaseRow {
  case: number;
  team: Team;
  closed: boolean;
  /** Created → closed, or → the report's moment for an open case; whole days. */
  durationDays: number;
  partners: number;
  goals: number;
  goalsReached: number;
  steps: number;
  gaps: number;
}

export interface GapRow {
  case: number;
  /** The n-th gap of that case, in plan order. */
  gap: number;
  domains: ReportDomain[];
  description: string;
}

export interface GapDomainRow {
  domain: ReportDomain;
  gaps: number;
  cases: number;
}

export interface GapDescriptionRow {
  /** The first spelling met; gaps that differ only in case and spacing count as one. */
  description: string;
  domains: ReportDomain[];
  gaps: number;
  cases: number;
}

export interface GoalDomainStatusRow {
  domain: ReportDomain;
  status: GoalStatus;
  goals: number;
}

export interface TimeToGoalRow {
  case: number;
  /** The n-th goal of that case, in plan order. */
  goal: number;
  level: GoalLevel;
  domains: ReportDomain[];
  /** From the goal's creation until its status last changed to `erreicht`; null: not recorded. */
  days: number | null;
}

export interface TimeToGoalDomainRow {
  domain: ReportDomain;
  reached: number;
  /** Reached goals whose time is known (the audit trail holds the change). */
  withDays: number;
  medianDays: number | null;
  minDays: number | null;
  maxDays: number | null;
}

export interface Report {
  kind: typeof REPORT_KIND;
  v: typeof REPORT_VERSION;
  /** The report's day: the only date in it. */
  asOf: IsoDate;
  cases: number;
  /** Local cases that could not be read and are not in the report. */
  skipped: number;
  caseRows: CaseRow[];
  gaps: GapRow[];
  gapsByDomain: GapDomainRow[];
  gapsByDescription: GapDescriptionRow[];
  goalsByDomainStatus: GoalDomainStatusRow[];
  timeToGoal: TimeToGoalRow[];
  timeToGoalByDomain: TimeToGoalDomainRow[];
}

function wholeDays(from: number, to: number): number {
  return Math.max(0, Math.floor((to - from) / DAY_MS));
}

function byDomainOrder(a: ReportDomain, b: ReportDomain): number {
  return REPORT_DOMAINS.indexOf(a) - REPORT_DOMAINS.indexOf(b);
}

/** The domains of the needs a goal answers (those this device can read), or NO_DOMAIN. */
export function goalDomains(goal: Pick<Goal, 'needs'>, assessment: ReportCaseInput['assessment']): ReportDomain[] {
  const found = new Set<ReportDomain>();
  for (const id of Object.keys(goal.needs)) {
    const item = assessment.find((a) => a.id === id);
    if (item) found.add(item.domain);
  }
  return found.size === 0 ? [NO_DOMAIN] : [...found].sort(byDomainOrder);
}

/** Line breaks and runs of spaces become one space: a CSV cell and a planning list read better. */
export function cleanDescription(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  // Whole days, as everywhere in the report (a half day means nothing for planning).
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The order that gives cases their numbers (oldest first); stable, so ties keep input order. */
export function inReportOrder<T extends { meta: { createdAt: number } }>(cases: readonly T[]): T[] {
  return [...cases].sort((a, b) => a.meta.createdAt - b.meta.createdAt);
}

/**
 * Builds the report from the cases. `now` is the report's moment (open cases' durations run to
 * it); `asOf` its calendar day as people at the table see it.
 */
export function buildReport(inputs: readonly ReportCaseInput[], now: number, asOf: IsoDate, skipped = 0): Report {
  const ordered = inReportOrder(inputs);
  const caseRows: CaseRow[] = [];
  const gaps: GapRow[] = [];
  const goalCounts = new Map<string, number>();
  const timeToGoal: TimeToGoalRow[] = [];

  ordered.forEach((input, i) => {
    const caseNo = i + 1;
    const domainsOf = new Map(input.goals.map((g) => [g.id, goalDomains(g, input.assessment)] as const));
    input.goals.forEach((goal, g) => {
      const domains = domainsOf.get(goal.id)!;
      for (const domain of domains) {
        const key = `${domain}|${goal.status}`;
        goalCounts.set(key, (goalCounts.get(key) ?? 0) + 1);
      }
      if (goal.status === 'erreicht') {
        const at = input.statusChangedAt[goal.id];
        timeToGoal.push({
          case: caseNo,
          goal: g + 1,
          level: goal.level,
          domains,
          days: at !== undefined && at >= goal.createdAt ? wholeDays(goal.createdAt, at) : null,
        });
      }
    });
    const gapSteps = input.steps.filter((s) => s.gap);
    gapSteps.forEach((step, k) => {
      gaps.push({
        case: caseNo,
        gap: k + 1,
        domains: (step.goalId !== undefined ? domainsOf.get(step.goalId) : undefined) ?? [NO_DOMAIN],
        description: cleanDescription(step.gapDescription),
      });
    });
    const closed = input.closedAt !== undefined;
    caseRows.push({
      case: caseNo,
      team: input.meta.team,
      closed,
      durationDays: wholeDays(input.meta.createdAt, input.closedAt ?? now),
      partners: input.partners.length,
      goals: input.goals.length,
      goalsReached: input.goals.filter((g) => g.status === 'erreicht').length,
      steps: input.steps.length,
      gaps: gapSteps.length,
    });
  });

  return {
    kind: REPORT_KIND,
    v: REPORT_VERSION,
    asOf,
    cases: ordered.length,
    skipped,
    caseRows,
    gaps,
    gapsByDomain: gapsByDomain(gaps),
    gapsByDescription: gapsByDescription(gaps),
    goalsByDomainStatus: REPORT_DOMAINS.flatMap((domain) =>
      GoalStatus.options
        .map((status) => ({ domain, status, goals: goalCounts.get(`${domain}|${status}`) ?? 0 }))
        .filter((row) => row.goals > 0),
    ),
    timeToGoal,
    timeToGoalByDomain: timeByDomain(timeToGoal),
  };
}

/** A gap in two domains counts in each: the column does not add up to the number of gaps. */
function gapsByDomain(gaps: readonly GapRow[]): GapDomainRow[] {
  return REPORT_DOMAINS.map((domain) => {
    const rows = gaps.filter((g) => g.domains.includes(domain));
    return { domain, gaps: rows.length, cases: new Set(rows.map((g) => g.case)).size };
  }).filter((row) => row.gaps > 0);
}

function gapsByDescription(gaps: readonly GapRow[]): GapDescriptionRow[] {
  const groups = new Map<string, { description: string; domains: Set<ReportDomain>; gaps: number; cases: Set<number> }>();
  for (const gap of gaps) {
    const key = gap.description.toLocaleLowerCase('de-DE');
    let group = groups.get(key);
    if (!group) {
      group = { description: gap.description, domains: new Set(), gaps: 0, cases: new Set() };
      groups.set(key, group);
    }
    for (const d of gap.domains) group.domains.add(d);
    group.gaps++;
    group.cases.add(gap.case);
  }
  return [...groups.values()]
    .map((g) => ({ description: g.description, domains: [...g.domains].sort(byDomainOrder), gaps: g.gaps, cases: g.cases.size }))
    .sort((a, b) => b.gaps - a.gaps || a.description.localeCompare(b.description, 'de'));
}

function timeByDomain(rows: readonly TimeToGoalRow[]): TimeToGoalDomainRow[] {
  return REPORT_DOMAINS.map((domain) => {
    const reached = rows.filter((r) => r.domains.includes(domain));
    const days = reached.flatMap((r) => (r.days === null ? [] : [r.days])).sort((a, b) => a - b);
    return {
      domain,
      reached: reached.length,
      withDays: days.length,
      medianDays: median(days),
      minDays: days.length > 0 ? days[0]! : null,
      maxDays: days.length > 0 ? days[days.length - 1]! : null,
    };
  }).filter((row) => row.reached > 0);
}

// --- JSON ----------------------------------------------------------------------------------

/** The JSON file: the report as it is (machine keys, language-independent), pretty-printed. */
export function reportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// --- CSV -----------------------------------------------------------------------------------

/**
 * German Excel splits a CSV at the list separator of the German locale, which is `;` (the comma
 * is the decimal separator there); with `,` every row lands in column A. The UTF-8 byte order
 * mark makes Excel read umlauts as UTF-8 instead of Windows-1252. Lines end in CRLF (RFC 4180).
 */
export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';

/**
 * One CSV field (RFC 4180): quoted when it holds the separator, a quote or a line break, with
 * quotes doubled. A text that starts like a formula (= + - @, tab, CR) gets a leading apostrophe,
 * so a gap description is shown, never run, by a spreadsheet (CSV injection).
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly (string | number | boolean | null)[]): string {
  return fields.map(csvField).join(CSV_SEPARATOR);
}

/** Words of the CSV in the reader's language (the UI passes its catalogue). */
export interface CsvLabels {
  title: string;
  asOf: string;
  cases: string;
  skipped: string;
  caseLabel: (n: number) => string;
  domain: (d: ReportDomain) => string;
  status: (s: GoalStatus) => string;
  level: (l: GoalLevel) => string;
  yes: string;
  no: string;
  noDescription: string;
  sections: {
    caseRows: string;
    gaps: string;
    gapsByDomain: string;
    gapsByDescription: string;
    goalsByDomainStatus: string;
    timeToGoal: string;
    timeToGoalByDomain: string;
  };
  columns: {
    case: string;
    team: string;
    closed: string;
    durationDays: string;
    partners: string;
    goals: string;
    goalsReached: string;
    steps: string;
    gaps: string;
    gap: string;
    domains: string;
    domain: string;
    description: string;
    cases: string;
    status: string;
    goal: string;
    level: string;
    days: string;
    reached: string;
    withDays: string;
    medianDays: string;
    minDays: string;
    maxDays: string;
  };
}

/**
 * The CSV file: the report's tables one below the other, each with a title line and a header
 * line, separated by an empty line; one file opens in one step and prints as one document.
 */
export function reportCsv(report: Report, l: CsvLabels): string {
  const c = l.columns;
  const domains = (ds: readonly ReportDomain[]) => ds.map(l.domain).join(', ');
  const description = (text: string) => (text === '' ? l.noDescription : text);
  const lines: string[] = [];
  const section = (title: string, header: string[], rows: (string | number | boolean | null)[][]) => {
    lines.push('', csvLine([title]), csvLine(header), ...rows.map(csvLine));
  };
  lines.push(csvLine([l.title]), csvLine([l.asOf, report.asOf]), csvLine([l.cases, report.cases]), csvLine([l.skipped, report.skipped]));
  section(
    l.sections.caseRows,
    [c.case, c.team, c.closed, c.durationDays, c.partners, c.goals, c.goalsReached, c.steps, c.gaps],
    report.caseRows.map((r) => [l.caseLabel(r.case), r.team, r.closed ? l.yes : l.no, r.durationDays, r.partners, r.goals, r.goalsReached, r.steps, r.gaps]),
  );
  section(
    l.sections.gaps,
    [c.case, c.gap, c.domains, c.description],
    report.gaps.map((r) => [l.caseLabel(r.case), r.gap, domains(r.domains), description(r.description)]),
  );
  section(l.sections.gapsByDomain, [c.domain, c.gaps, c.cases], report.gapsByDomain.map((r) => [l.domain(r.domain), r.gaps, r.cases]));
  section(
    l.sections.gapsByDescription,
    [c.description, c.domains, c.gaps, c.cases],
    report.gapsByDescription.map((r) => [description(r.description), domains(r.domains), r.gaps, r.cases]),
  );
  section(
    l.sections.goalsByDomainStatus,
    [c.domain, c.status, c.goals],
    report.goalsByDomainStatus.map((r) => [l.domain(r.domain), l.status(r.status), r.goals]),
  );
  section(
    l.sections.timeToGoal,
    [c.case, c.goal, c.level, c.domains, c.days],
    report.timeToGoal.map((r) => [l.caseLabel(r.case), r.goal, l.level(r.level), domains(r.domains), r.days]),
  );
  section(
    l.sections.timeToGoalByDomain,
    [c.domain, c.reached, c.withDays, c.medianDays, c.minDays, c.maxDays],
    report.timeToGoalByDomain.map((r) => [l.domain(r.domain), r.reached, r.withDays, r.medianDays, r.minDays, r.maxDays]),
  );
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

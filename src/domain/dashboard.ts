import { z } from 'zod';
import { Responsible, Team, type StepStatus } from './case.ts';
import { IsoDate, Timestamp, YearMonth } from './dates.ts';

/**
 * What the case list shows about a case without opening its documents: a summary written into
 * the local case record whenever the open case changes (src/app/caseSummary.ts). It holds
 * facts only; whether a review is overdue or a birthday near depends on the day the list is
 * looked at and is worked out then (caseAlerts), so a summary never goes stale by itself.
 */

/** Open tasks kept per case; the count says how many there are in all. */
export const MAX_OPEN_TASKS = 20;
/** Partner services ending at 25 kept per case. */
export const MAX_ENDING_PARTNERS = 20;
/** Length a task's text or a name is cut to: the list shows a line, the case has the rest. */
export const SUMMARY_TEXT = 200;
/** The birthday warning starts this many calendar months before the birthday month. */
export const BIRTHDAY_WARNING_MONTHS = 3;

const Short = z.string().max(SUMMARY_TEXT);

export const OpenTask = z.object({
  /** A conference task (Aufgabe) or a Hilfeplan step. */
  source: z.enum(['task', 'step']),
  what: Short,
  who: Short,
  responsible: Responsible.optional(),
  due: IsoDate.optional(),
});
export type OpenTask = z.infer<typeof OpenTask>;

export const CaseSummary = z.object({
  team: Team,
  /** The month of the client's 25th birthday (only the birth month is known). */
  birthday25: YearMonth.optional(),
  nextReview: IsoDate.optional(),
  /** The first MAX_OPEN_TASKS open tasks, earliest due first. */
  openTasks: z.array(OpenTask).max(MAX_OPEN_TASKS),
  openTaskCount: z.number().int().nonnegative(),
  /** Organisations whose help ends with the 25th birthday. */
  endsAt25: z.array(Short).max(MAX_ENDING_PARTNERS),
  closedAt: Timestamp.optional(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

/** The parts of a case view a summary is made of (CaseView satisfies it). */
export interface SummaryInput {
  meta: { team: Team; birthMonth?: string | undefined } | null;
  plan: { nextReview?: string | undefined };
  tasks: readonly { what: string; who: string; due?: string | undefined; done: boolean }[];
  steps: readonly {
    what: string;
    who: string;
    due?: string | undefined;
    status: StepStatus;
    responsible?: Responsible | undefined;
  }[];
  partners: readonly { organisation: string; endsAt25?: boolean | undefined }[];
}

/** Where the facts of a case come from when it has no summary yet: its local record. */
export interface RecordFacts {
  team: Team;
  birthMonth?: string | undefined;
}

const OPEN_STEP: readonly StepStatus[] = ['offen', 'in_arbeit'];

function cut(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > SUMMARY_TEXT ? `${line.slice(0, SUMMARY_TEXT - 1)}…` : line;
}

/** Earliest due first; tasks without a date after all dated ones, in their original order. */
function byDue(a: OpenTask, b: OpenTask): number {
  if (a.due === b.due) return 0;
  if (a.due === undefined) return 1;
  if (b.due === undefined) return -1;
  return a.due < b.due ? -1 : 1;
}

/** The month of the 25th birthday of someone born in `birthMonth`. */
export function twentyFifthBirthday(birthMonth: YearMonth): YearMonth {
  const [year, month] = birthMonth.split('-');
  return `${Number(year) + 25}-${month}`;
}

/** The summary of a case as its view shows it now. `closedAt` comes from the closure record. */
export function summariseCase(input: SummaryInput, fallback: RecordFacts, closedAt?: number): CaseSummary {
  const open: OpenTask[] = [
    ...input.tasks
      .filter((task) => !task.done)
      .map((task): OpenTask => ({ source: 'task', what: cut(task.what), who: cut(task.who), ...(task.due ? { due: task.due } : {}) })),
    ...input.steps
      .filter((step) => OPEN_STEP.includes(step.status))
      .map(
        (step): OpenTask => ({
          source: 'step',
          what: cut(step.what),
          who: cut(step.who),
          ...(step.responsible ? { responsible: step.responsible } : {}),
          ...(step.due ? { due: step.due } : {}),
        }),
      ),
  ];
  // A stable sort keeps conference tasks and steps in the order the case shows them.
  open.sort(byDue);
  const birthMonth = input.meta ? input.meta.birthMonth : fallback.birthMonth;
  const birth = YearMonth.safeParse(birthMonth);
  const nextReview = IsoDate.safeParse(input.plan.nextReview);
  return CaseSummary.parse({
    team: input.meta?.team ?? fallback.team,
    ...(birth.success ? { birthday25: twentyFifthBirthday(birth.data) } : {}),
    ...(nextReview.success ? { nextReview: nextReview.data } : {}),
    openTasks: open.slice(0, MAX_OPEN_TASKS),
    openTaskCount: open.length,
    endsAt25: input.partners
      .filter((p) => p.endsAt25 === true)
      .map((p) => cut(p.organisation))
      .filter((name) => name !== '')
      .slice(0, MAX_ENDING_PARTNERS),
    ...(closedAt !== undefined ? { closedAt } : {}),
  });
}

/** A summary from the local record alone, for a case that was never opened since. */
export function summaryFromRecord(record: RecordFacts): CaseSummary {
  return summariseCase({ meta: null, plan: {}, tasks: [], steps: [], partners: [] }, record);
}

/** Calendar months from the month of `today` to `month` (negative: `month` lies before). */
export function monthsUntil(today: IsoDate, month: YearMonth): number {
  const index = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
  return index(month) - index(today);
}

/**
 * `soon`: the 25th birthday is in this month or in the next BIRTHDAY_WARNING_MONTHS calendar
 * months. Only the month is known, so the warning starts on the first day of the month three
 * months before the birthday month: early rather than late for a handover that needs time.
 * `passed`: the client is 25 already but the case is still with the U25 team.
 */
export type BirthdayAlert = 'soon' | 'passed' | null;

export function birthdayAlert(summary: Pick<CaseSummary, 'team' | 'birthday25' | 'closedAt'>, today: IsoDate): BirthdayAlert {
  if (!summary.birthday25 || summary.closedAt !== undefined) return null;
  const months = monthsUntil(today, summary.birthday25);
  if (months >= 0 && months <= BIRTHDAY_WARNING_MONTHS) return 'soon';
  if (months < 0 && summary.team === 'U25') return 'passed';
  return null;
}

/** The review date lies before today (a review due today is not overdue yet). */
export function reviewOverdue(summary: Pick<CaseSummary, 'nextReview' | 'closedAt'>, today: IsoDate): boolean {
  return summary.nextReview !== undefined && summary.closedAt === undefined && summary.nextReview < today;
}

/** Two summaries say the same (the writer skips a write that would change nothing). */
export function sameSummary(a: CaseSummary | undefined, b: CaseSummary | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// --- the list: one row per case, sorted and filtered ------------------------------------

export const DashboardSort = z.enum(['updated', 'name', 'review', 'birthday', 'backup', 'conference', 'tasks']);
export type DashboardSort = z.infer<typeof DashboardSort>;

export const CaseState = z.enum(['all', 'active', 'closed']);
export type CaseState = z.infer<typeof CaseState>;

export interface DashboardFilter {
  overdue: boolean;
  birthday: boolean;
  tasks: boolean;
  state: CaseState;
  /** Part of the name, any case. */
  text: string;
}

export const NO_FILTER: DashboardFilter = { overdue: false, birthday: false, tasks: false, state: 'all', text: '' };

/** What the list knows of a case from its local record (CaseRecord satisfies it). */
export interface ListedCase extends RecordFacts {
  id: string;
  displayName: string;
  updatedAt: number;
  lastBackupAt?: number | undefined;
  lastConferenceAt?: number | undefined;
  summary?: CaseSummary | undefined;
}

export interface DashboardRow {
  id: string;
  name: string;
  /** Lower-case name, for the search. */
  key: string;
  updatedAt: number;
  lastBackupAt: number | undefined;
  lastConferenceAt: number | undefined;
  summary: CaseSummary;
  /** The case was opened on this device since summaries exist (else only record facts). */
  summarised: boolean;
  overdue: boolean;
  birthday: BirthdayAlert;
}

export function dashboardRow(record: ListedCase, today: IsoDate): DashboardRow {
  const summary = record.summary ?? summaryFromRecord(record);
  return {
    id: record.id,
    name: record.displayName,
    key: record.displayName.toLocaleLowerCase(),
    updatedAt: record.updatedAt,
    lastBackupAt: record.lastBackupAt,
    lastConferenceAt: record.lastConferenceAt,
    summary,
    summarised: record.summary !== undefined,
    overdue: reviewOverdue(summary, today),
    birthday: birthdayAlert(summary, today),
  };
}

/** Missing values sort last whatever the direction. */
function ascending<T extends string | number>(a: T | undefined, b: T | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * The order of each sort: what needs attention first. Backups and conferences oldest first
 * (never: first of all), reviews and birthdays earliest first, most open tasks first.
 */
const ORDER: Record<DashboardSort, (a: DashboardRow, b: DashboardRow, names: (x: string, y: string) => number) => number> = {
  updated: (a, b) => b.updatedAt - a.updatedAt,
  name: (a, b, names) => names(a.name, b.name),
  review: (a, b) => ascending(a.summary.nextReview, b.summary.nextReview),
  birthday: (a, b) => ascending(a.summary.birthday25, b.summary.birthday25),
  backup: (a, b) => (a.lastBackupAt ?? -1) - (b.lastBackupAt ?? -1),
  conference: (a, b) => (a.lastConferenceAt ?? -1) - (b.lastConferenceAt ?? -1),
  tasks: (a, b) => b.summary.openTaskCount - a.summary.openTaskCount,
};

export function matchesFilter(row: DashboardRow, filter: DashboardFilter): boolean {
  if (filter.overdue && !row.overdue) return false;
  if (filter.birthday && row.birthday === null) return false;
  if (filter.tasks && row.summary.openTaskCount === 0) return false;
  const closed = row.summary.closedAt !== undefined;
  if ((filter.state === 'active' && closed) || (filter.state === 'closed' && !closed)) return false;
  const text = filter.text.trim().toLocaleLowerCase();
  return text === '' || row.key.includes(text);
}

/** The rows to show, in order; ties keep the newest change first, then the name. */
export function arrangeRows(
  rows: readonly DashboardRow[],
  sort: DashboardSort,
  filter: DashboardFilter,
  names: (x: string, y: string) => number,
): DashboardRow[] {
  const order = ORDER[sort];
  return rows
    .filter((row) => matchesFilter(row, filter))
    .sort((a, b) => order(a, b, names) || b.updatedAt - a.updatedAt || names(a.name, b.name));
}

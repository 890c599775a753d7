import { t } from '../../i18n/index.svelte.ts';
import { NO_DOMAIN, type CsvLabels } from '../../domain/report.ts';

const COLUMNS = [
  'case', 'team', 'closed', 'durationDays', 'partners', 'goals', 'goalsReached', 'steps', 'gaps', 'gap', 'domains', 'domain',
  'description', 'cases', 'status', 'goal', 'level', 'days', 'reached', 'withDays', 'medianDays', 'minDays', 'maxDays',
] as const satisfies readonly (keyof CsvLabels['columns'])[];

const SECTIONS = [
  'caseRows', 'gaps', 'gapsByDomain', 'gapsByDescription', 'goalsByDomainStatus', 'timeToGoal', 'timeToGoalByDomain',
] as const satisfies readonly (keyof CsvLabels['sections'])[];

/** The CSV's words in the language the person reads the app in. */
export function csvLabels(): CsvLabels {
  return {
    title: t('report.csv.title'),
    asOf: t('report.csv.asOf'),
    cases: t('report.csv.cases'),
    skipped: t('report.csv.skipped'),
    caseLabel: (n) => t('report.caseLabel', { n }),
    domain: (d) => (d === NO_DOMAIN ? t('report.domain.none') : t(`domain.${d}`)),
    status: (s) => t(`status.${s}`),
    level: (l) => t(`report.level.${l}`),
    yes: t('report.csv.yes'),
    no: t('report.csv.no'),
    noDescription: t('report.csv.noDescription'),
    sections: Object.fromEntries(SECTIONS.map((s) => [s, t(`report.csv.section.${s}`)])) as CsvLabels['sections'],
    columns: Object.fromEntries(COLUMNS.map((c) => [c, t(`report.csv.col.${c}`)])) as CsvLabels['columns'],
  };
}

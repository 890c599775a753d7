import { checkClientAccepted, checkOpenDissent } from './agreement.ts';
import { checkAssessmentDomains, checkAssessmentResources, checkNeedsMapped } from './assessment.ts';
import { checkGoalDue, checkGoalIndicator, checkMainGoal, checkMissedReasons, checkPriorities } from './goals.ts';
import { checkGaps, checkOwnActivity, checkReview, checkStepDue, checkStepResponsible, checkSubGoalResponsible } from './plan.ts';
import type { QualityInput, QualityItem, QualityRule, QualityStatus } from './types.ts';

export * from './types.ts';
export { checkClientAccepted, checkOpenDissent } from './agreement.ts';
export { checkAssessmentDomains, checkAssessmentResources, checkNeedsMapped, MIN_DOMAINS, MIN_RESOURCES } from './assessment.ts';
export { checkGoalDue, checkGoalIndicator, checkMainGoal, checkMissedReasons, checkPriorities } from './goals.ts';
export { checkGaps, checkOwnActivity, checkReview, checkStepDue, checkStepResponsible, checkSubGoalResponsible } from './plan.ts';

/**
 * The quality standards of domain guide section 8, in the order a case is built: goals, plan,
 * review, assessment, agreement. Keyed by rule id (the `rule` of every item the rule emits).
 */
export const RULES = {
  mainGoal: checkMainGoal,
  priorities: checkPriorities,
  goalIndicator: checkGoalIndicator,
  goalDue: checkGoalDue,
  subGoalResponsible: checkSubGoalResponsible,
  stepDue: checkStepDue,
  stepResponsible: checkStepResponsible,
  ownActivity: checkOwnActivity,
  gaps: checkGaps,
  review: checkReview,
  needsMapped: checkNeedsMapped,
  assessmentDomains: checkAssessmentDomains,
  assessmentResources: checkAssessmentResources,
  clientAccepted: checkClientAccepted,
  missedReasons: checkMissedReasons,
  openDissent: checkOpenDissent,
} as const satisfies Record<string, QualityRule>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

/** Runs every standard against the case; `today` is an ISO day (passed in: no hidden clock). */
export function checkQuality(input: QualityInput, today: string): QualityItem[] {
  return RULE_IDS.flatMap((id) => RULES[id](input, today));
}

const RANK: Record<QualityStatus, number> = { red: 0, amber: 1, green: 2 };

/** Red first, then amber, then green; within a status the rule order is kept. */
export function sortByStatus(items: readonly QualityItem[]): QualityItem[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => RANK[a.item.status] - RANK[b.item.status] || a.index - b.index)
    .map(({ item }) => item);
}

export function countByStatus(items: readonly QualityItem[]): Record<QualityStatus, number> {
  const counts: Record<QualityStatus, number> = { red: 0, amber: 0, green: 0 };
  for (const i of items) counts[i.status] += 1;
  return counts;
}

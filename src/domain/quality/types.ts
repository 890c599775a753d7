import type { AssessmentItem, Domain, DomainStatus } from '../assessment.ts';
import type { Goal, Step } from '../case.ts';
import type { Acceptance, Dissent, Participant } from '../participants.ts';
import type { Partner } from '../partners.ts';
import type { InfoFlow, PlanSettings } from '../plan.ts';

/**
 * What the quality check reads: a structural subset of the case view, so the check stays a
 * pure function of plain data (no Yjs, no UI). Soft-deleted entries may be present; they are
 * ignored.
 */
export interface QualityInput {
  goals: Goal[];
  steps: Step[];
  assessment: AssessmentItem[];
  domains: Record<Domain, DomainStatus>;
  plan: PlanSettings;
  acceptances: Acceptance[];
  participants: Participant[];
  partners: Partner[];
  infoFlows: InfoFlow[];
  dissents: Dissent[];
}

export type QualityStatus = 'green' | 'amber' | 'red';

/** Where the item that needs work lives; the UI maps it to a DOM id. */
export interface QualityTarget {
  collection: 'goals' | 'steps' | 'assessment' | 'plan' | 'partners' | 'infoFlows' | 'domains';
  id?: string;
}

/**
 * Every message key the check can emit. The domain does not import i18n, so keys are plain
 * strings here; the UI's catalogue must contain each (checked by the type of `t` in the panel
 * and by a unit test).
 */
export const QUALITY_MESSAGE_KEYS = [
  'quality.mainGoal.ok',
  'quality.mainGoal.missing',
  'quality.priorities.ok',
  'quality.priorities.none',
  'quality.goalIndicator.ok',
  'quality.goalIndicator.missing',
  'quality.goalDue.ok',
  'quality.goalDue.missing',
  'quality.subGoalResponsible.ok',
  'quality.subGoalResponsible.missing',
  'quality.stepDue.ok',
  'quality.stepDue.missing',
  'quality.stepResponsible.ok',
  'quality.stepResponsible.missing',
  'quality.ownActivity.ok',
  'quality.ownActivity.none',
  'quality.review.ok',
  'quality.review.missingDate',
  'quality.review.missingMode',
  'quality.review.missingBoth',
  'quality.review.past',
  'quality.needsMapped.ok',
  'quality.needsMapped.unmapped',
  'quality.needsMapped.noReason',
  'quality.assessmentDomains.ok',
  'quality.assessmentDomains.few',
  'quality.assessmentResources.ok',
  'quality.assessmentResources.few',
  'quality.gaps.ok',
  'quality.gaps.none',
  'quality.gaps.undescribed',
  'quality.clientAccepted.ok',
  'quality.clientAccepted.nothing',
  'quality.clientAccepted.noClient',
  'quality.clientAccepted.bedenkzeit',
  'quality.clientAccepted.declined',
  'quality.clientAccepted.missing',
  'quality.missedReasons.ok',
  'quality.missedReasons.missing',
  'quality.openDissent.ok',
  'quality.openDissent.open',
] as const;
export type QualityMessageKey = (typeof QUALITY_MESSAGE_KEYS)[number];
/** The brief's name for the key type: a plain string literal, resolved by the UI's catalogue. */
export type MessageKeyString = QualityMessageKey;

/**
 * String params named `title`, `what`, `need`, `text` are labels of entities; an empty label
 * means the entity has no text yet and the UI shows its "(ohne Titel)" placeholder. A param
 * named `date` is an ISO day the UI formats for the reader's language.
 */
export interface QualityItem {
  /** Rule id, stable: one of RULE_IDS. */
  rule: string;
  status: QualityStatus;
  message: { key: MessageKeyString; params: Record<string, string | number> };
  target?: QualityTarget;
}

/** One standard: every rule returns at least one item, so the panel shows every standard. */
export type QualityRule = (input: QualityInput, today: string) => QualityItem[];

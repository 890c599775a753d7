import type { Step } from '../case.ts';
import { activeGoals, activeSteps, isBefore, isBlank, item, label, live } from './helpers.ts';
import type { QualityInput, QualityItem } from './types.ts';

function hasOwner(step: Step): boolean {
  return step.responsible !== undefined || !isBlank(step.who);
}

/** Every Teilziel has someone who carries it: a step for it with a responsible party. */
export function checkSubGoalResponsible(input: QualityInput): QualityItem[] {
  const steps = activeSteps(input.steps);
  const failing = activeGoals(input.goals).filter(
    (g) => g.level === 'teil' && !steps.some((s) => s.goalId === g.id && hasOwner(s)),
  );
  if (failing.length === 0) return [item('subGoalResponsible', 'green', 'quality.subGoalResponsible.ok')];
  return failing.map((g) =>
    item('subGoalResponsible', 'red', 'quality.subGoalResponsible.missing', { title: label(g.title) }, { collection: 'goals', id: g.id }),
  );
}

/** Every step says by when. */
export function checkStepDue(input: QualityInput): QualityItem[] {
  const failing = activeSteps(input.steps).filter((s) => s.due === undefined);
  if (failing.length === 0) return [item('stepDue', 'green', 'quality.stepDue.ok')];
  return failing.map((s) =>
    item('stepDue', 'red', 'quality.stepDue.missing', { what: label(s.what) }, { collection: 'steps', id: s.id }),
  );
}

/** Every step says who does it. */
export function checkStepResponsible(input: QualityInput): QualityItem[] {
  const failing = activeSteps(input.steps).filter((s) => !hasOwner(s));
  if (failing.length === 0) return [item('stepResponsible', 'green', 'quality.stepResponsible.ok')];
  return failing.map((s) =>
    item('stepResponsible', 'red', 'quality.stepResponsible.missing', { what: label(s.what) }, { collection: 'steps', id: s.id }),
  );
}

/** The client's own activities (Eigenaktivitäten) are part of the plan. */
export function checkOwnActivity(input: QualityInput): QualityItem[] {
  const count = activeSteps(input.steps).filter((s) => s.ownActivity).length;
  return count > 0
    ? [item('ownActivity', 'green', 'quality.ownActivity.ok', { count })]
    : [item('ownActivity', 'amber', 'quality.ownActivity.none', {}, { collection: 'steps' })];
}

/** Gaps in the help on offer are documented, so they can be reported. */
export function checkGaps(input: QualityInput): QualityItem[] {
  const gaps = live(input.steps).filter((s) => s.gap);
  if (gaps.length === 0) return [item('gaps', 'green', 'quality.gaps.none')];
  const failing = gaps.filter((s) => isBlank(s.gapDescription));
  if (failing.length === 0) return [item('gaps', 'green', 'quality.gaps.ok', { count: gaps.length })];
  return failing.map((s) =>
    item('gaps', 'red', 'quality.gaps.undescribed', { what: label(s.what) }, { collection: 'steps', id: s.id }),
  );
}

/** The next review has a date and a mode; a date in the past needs a new one. */
export function checkReview(input: QualityInput, today: string): QualityItem[] {
  const { nextReview, reviewMode } = input.plan;
  const target = { collection: 'plan' } as const;
  if (nextReview === undefined && reviewMode === undefined) return [item('review', 'red', 'quality.review.missingBoth', {}, target)];
  if (nextReview === undefined) return [item('review', 'red', 'quality.review.missingDate', {}, target)];
  if (reviewMode === undefined) return [item('review', 'red', 'quality.review.missingMode', {}, target)];
  if (isBefore(nextReview, today)) return [item('review', 'amber', 'quality.review.past', { date: nextReview }, target)];
  return [item('review', 'green', 'quality.review.ok', { date: nextReview })];
}

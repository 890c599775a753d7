import { activeGoals, isBefore, isBlank, item, label, live } from './helpers.ts';
import type { QualityInput, QualityItem } from './types.ts';

/** A Hauptziel exists (and is not declined or deferred). */
export function checkMainGoal(input: QualityInput): QualityItem[] {
  const hasMain = activeGoals(input.goals).some((g) => g.level === 'haupt');
  return hasMain
    ? [item('mainGoal', 'green', 'quality.mainGoal.ok')]
    : [item('mainGoal', 'red', 'quality.mainGoal.missing', {}, { collection: 'goals' })];
}

/** Priorities are visible: the Hauptziel is broken into Teilziele, which the plan keeps in order. */
export function checkPriorities(input: QualityInput): QualityItem[] {
  const count = activeGoals(input.goals).filter((g) => g.level === 'teil').length;
  return count > 0
    ? [item('priorities', 'green', 'quality.priorities.ok', { count })]
    : [item('priorities', 'amber', 'quality.priorities.none', {}, { collection: 'goals' })];
}

/** Every goal is checkable: it says how we will know it is reached. */
export function checkGoalIndicator(input: QualityInput): QualityItem[] {
  const failing = activeGoals(input.goals).filter((g) => isBlank(g.indicator));
  if (failing.length === 0) return [item('goalIndicator', 'green', 'quality.goalIndicator.ok')];
  return failing.map((g) =>
    item('goalIndicator', 'red', 'quality.goalIndicator.missing', { title: label(g.title) }, { collection: 'goals', id: g.id }),
  );
}

/** Every goal has a time frame. */
export function checkGoalDue(input: QualityInput): QualityItem[] {
  const failing = activeGoals(input.goals).filter((g) => g.due === undefined);
  if (failing.length === 0) return [item('goalDue', 'green', 'quality.goalDue.ok')];
  return failing.map((g) =>
    item('goalDue', 'red', 'quality.goalDue.missing', { title: label(g.title) }, { collection: 'goals', id: g.id }),
  );
}

/**
 * A goal that was missed or is late carries the reason. A declined goal was never agreed, so
 * it cannot be missed.
 */
export function checkMissedReasons(input: QualityInput, today: string): QualityItem[] {
  const failing = live(input.goals).filter((g) => {
    if (g.status === 'abgelehnt' || g.status === 'erreicht') return false;
    const missed = g.status === 'nicht_erreicht' || (g.due !== undefined && isBefore(g.due, today));
    return missed && isBlank(g.missedReason);
  });
  if (failing.length === 0) return [item('missedReasons', 'green', 'quality.missedReasons.ok')];
  return failing.map((g) =>
    item('missedReasons', 'red', 'quality.missedReasons.missing', { title: label(g.title) }, { collection: 'goals', id: g.id }),
  );
}

import type { Goal, Step } from '../case.ts';
import type { MessageKeyString, QualityItem, QualityStatus, QualityTarget } from './types.ts';

const LABEL_MAX = 60;

/** A one-line, bounded label from free text; '' when there is none (the UI shows a placeholder). */
export function label(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > LABEL_MAX ? `${line.slice(0, LABEL_MAX - 1).trimEnd()}…` : line;
}

export function isBlank(text: string | undefined): boolean {
  return (text ?? '').trim() === '';
}

export function live<T extends { deletedAt?: number | undefined }>(list: readonly T[]): T[] {
  return list.filter((e) => e.deletedAt === undefined);
}

/** Goals the plan works on now: not deleted, not declined, not deferred. */
export function activeGoals(goals: readonly Goal[]): Goal[] {
  return live(goals).filter((g) => g.status !== 'abgelehnt' && g.status !== 'zurueckgestellt');
}

/** Steps that still count: a dropped step (`entfallen`) needs no date and no owner. */
export function activeSteps(steps: readonly Step[]): Step[] {
  return live(steps).filter((s) => s.status !== 'entfallen');
}

/** ISO days compare correctly as strings. */
export function isBefore(day: string, today: string): boolean {
  return day < today;
}

export function item(
  rule: string,
  status: QualityStatus,
  key: MessageKeyString,
  params: Record<string, string | number> = {},
  target?: QualityTarget,
): QualityItem {
  return target ? { rule, status, message: { key, params }, target } : { rule, status, message: { key, params } };
}

import type { AssessmentItem } from '../../../domain/assessment.ts';

/** A short label for an assessment item: the client's words first, they are the client's needs. */
export function itemLabel(item: AssessmentItem, max = 80): string {
  const text = (item.clientView.trim() || item.professionalView.trim()).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

import { DOMAINS } from '../assessment.ts';
import { isBlank, item, label, live } from './helpers.ts';
import type { QualityInput, QualityItem } from './types.ts';

export const MIN_DOMAINS = 3;
export const MIN_RESOURCES = 2;

/** Every need reappears in the plan (a goal answers it) or is knowingly set aside with a reason. */
export function checkNeedsMapped(input: QualityInput): QualityItem[] {
  const goals = live(input.goals);
  const out: QualityItem[] = [];
  for (const need of live(input.assessment)) {
    if (need.kind !== 'bedarf') continue;
    if (goals.some((g) => g.needs[need.id] === true)) continue;
    const params = { need: label(need.clientView) || label(need.professionalView) };
    const target = { collection: 'assessment', id: need.id } as const;
    if (need.disposition === 'im_plan') out.push(item('needsMapped', 'red', 'quality.needsMapped.unmapped', params, target));
    else if (isBlank(need.dispositionReason)) out.push(item('needsMapped', 'red', 'quality.needsMapped.noReason', params, target));
  }
  return out.length > 0 ? out : [item('needsMapped', 'green', 'quality.needsMapped.ok')];
}

/** At least three life domains were looked at together (marked, or with entries). */
export function checkAssessmentDomains(input: QualityInput): QualityItem[] {
  const items = live(input.assessment);
  const count = DOMAINS.filter((d) => input.domains[d] === 'betrachtet' || items.some((i) => i.domain === d)).length;
  return count >= MIN_DOMAINS
    ? [item('assessmentDomains', 'green', 'quality.assessmentDomains.ok', { count })]
    : [item('assessmentDomains', 'amber', 'quality.assessmentDomains.few', { count, min: MIN_DOMAINS }, { collection: 'domains' })];
}

/** At least two resources (strengths) are named, i.e. written down. */
export function checkAssessmentResources(input: QualityInput): QualityItem[] {
  const count = live(input.assessment).filter(
    (i) => i.kind === 'ressource' && !(isBlank(i.clientView) && isBlank(i.professionalView)),
  ).length;
  return count >= MIN_RESOURCES
    ? [item('assessmentResources', 'green', 'quality.assessmentResources.ok', { count })]
    : [item('assessmentResources', 'amber', 'quality.assessmentResources.few', { count, min: MIN_RESOURCES }, { collection: 'assessment' })];
}

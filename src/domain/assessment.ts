import { z } from 'zod';
import { EntityBase, Text } from './entity.ts';

/** The seven assessment domains plus Sonstiges (domain guide section 4). */
export const Domain = z.enum([
  'qualifikation',
  'gesundheit',
  'familie',
  'recht',
  'wohnen',
  'finanzen',
  'intrapsychisch',
  'sonstiges',
]);
export type Domain = z.infer<typeof Domain>;
export const DOMAINS: readonly Domain[] = Domain.options;

/** Whether a domain was looked at together; a domain the client declines stays, marked. */
export const DomainStatus = z.enum(['offen', 'betrachtet', 'abgelehnt']);
export type DomainStatus = z.infer<typeof DomainStatus>;

export const AssessmentKind = z.enum(['bedarf', 'ressource']);
export type AssessmentKind = z.infer<typeof AssessmentKind>;

/**
 * What happens to a need: it goes into the plan (a goal links it), or it is knowingly not
 * planned now, with a reason (000 Tab. 2: every need 1:1 in the plan or marked).
 */
export const NeedDisposition = z.enum(['im_plan', 'abgelehnt', 'kein_angebot', 'zurueckgestellt']);
export type NeedDisposition = z.infer<typeof NeedDisposition>;

export const AssessmentItem = EntityBase.extend({
  domain: Domain,
  kind: AssessmentKind,
  /** The client's view, in their words. */
  clientView: Text,
  /** The professional view, side by side with the client's. */
  professionalView: Text,
  /** Where the two views differ: recorded, not resolved away. */
  divergence: Text,
  disposition: NeedDisposition.default('im_plan'),
  dispositionReason: Text,
});
export type AssessmentItem = z.infer<typeof AssessmentItem>;

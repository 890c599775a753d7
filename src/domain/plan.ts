import { z } from 'zod';
import { EntityId } from './ids.ts';
import { IsoDate } from './dates.ts';
import { EntityBase, Text } from './entity.ts';

export const ReviewMode = z.enum(['gespraech', 'fallkonferenz', 'telefon']);
export type ReviewMode = z.infer<typeof ReviewMode>;

/** Singleton settings of the plan (root map `plan`). */
export const PlanSettings = z.object({
  nextReview: IsoDate.optional(),
  reviewMode: ReviewMode.optional(),
});
export type PlanSettings = z.infer<typeof PlanSettings>;

/** What a partner reports back, and when: agreed, never assumed (003 §5.4.6). */
export const InfoFlow = EntityBase.extend({
  partnerId: EntityId.optional(),
  what: Text,
  when: Text,
});
export type InfoFlow = z.infer<typeof InfoFlow>;

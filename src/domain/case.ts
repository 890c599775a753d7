import { z } from 'zod';
import { EntityId } from './ids.ts';
import { IsoDate, Timestamp, YearMonth } from './dates.ts';

/** Bumped whenever the shape of a stored or shared case changes; see docs/case-schema.md. */
export const SCHEMA_VERSION = 1;

export const Team = z.enum(['U25', 'Ü25']);
export type Team = z.infer<typeof Team>;

/** A label field: short, single line, what a person typed. */
const Label = z.string().max(10_000);

export const CaseMeta = z.object({
  schemaVersion: z.number().int().positive(),
  caseId: EntityId,
  displayName: Label.min(1),
  team: Team,
  birthMonth: YearMonth.optional(),
  createdAt: Timestamp,
});
export type CaseMeta = z.infer<typeof CaseMeta>;

export const NewCaseInput = CaseMeta.pick({ displayName: true, team: true, birthMonth: true }).extend({
  displayName: z.string().trim().min(1).max(200),
});
export type NewCaseInput = z.infer<typeof NewCaseInput>;

export const GoalLevel = z.enum(['haupt', 'teil']);
export type GoalLevel = z.infer<typeof GoalLevel>;

export const GoalStatus = z.enum(['offen', 'in_arbeit', 'erreicht', 'nicht_erreicht', 'zurueckgestellt', 'abgelehnt']);
export type GoalStatus = z.infer<typeof GoalStatus>;

export const StepStatus = z.enum(['offen', 'in_arbeit', 'erledigt', 'entfallen']);
export type StepStatus = z.infer<typeof StepStatus>;

/** Sort key from fractional indexing; equal keys (concurrent inserts) tie-break by id. */
export const OrderKey = z.string().min(1).max(200);

export const Goal = z.object({
  id: EntityId,
  level: GoalLevel,
  title: Label,
  clientWords: Label,
  indicator: Label,
  due: IsoDate.optional(),
  status: GoalStatus,
  order: OrderKey,
  createdAt: Timestamp,
  deletedAt: Timestamp.optional(),
});
export type Goal = z.infer<typeof Goal>;

export const Step = z.object({
  id: EntityId,
  what: Label,
  who: Label,
  due: IsoDate.optional(),
  goalId: EntityId.optional(),
  status: StepStatus,
  order: OrderKey,
  createdAt: Timestamp,
  deletedAt: Timestamp.optional(),
});
export type Step = z.infer<typeof Step>;

export const GOAL_TEXT_FIELDS = ['title', 'clientWords', 'indicator'] as const;
export type GoalTextField = (typeof GOAL_TEXT_FIELDS)[number];
export const STEP_TEXT_FIELDS = ['what', 'who'] as const;
export type StepTextField = (typeof STEP_TEXT_FIELDS)[number];

/** Compare by order key, then id, so every replica shows the same order. */
export function byOrder<T extends { order: string; id: string }>(a: T, b: T): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What the UI may change on a goal besides its text fields; `null` clears an optional field. */
export const GoalPatch = z
  .object({ level: GoalLevel.optional(), status: GoalStatus.optional(), due: IsoDate.nullable().optional() })
  .strict();
export type GoalPatch = z.infer<typeof GoalPatch>;

export const StepPatch = z
  .object({
    status: StepStatus.optional(),
    due: IsoDate.nullable().optional(),
    goalId: EntityId.nullable().optional(),
  })
  .strict();
export type StepPatch = z.infer<typeof StepPatch>;

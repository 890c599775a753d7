import { z } from 'zod';
import { EntityId } from './ids.ts';
import { IsoDate, Timestamp, YearMonth } from './dates.ts';
import { EntityBase, IdSet, Text } from './entity.ts';

export { byOrder, OrderKey } from './entity.ts';

/** Bumped whenever the shape of a stored or shared case changes; see docs/case-schema.md. */
export const SCHEMA_VERSION = 1;

export const Team = z.enum(['U25', 'Ü25']);
export type Team = z.infer<typeof Team>;

export const CaseMeta = z.object({
  schemaVersion: z.number().int().positive(),
  caseId: EntityId,
  displayName: Text.min(1),
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

/** Who carries a step (domain guide section 3). */
export const Responsible = z.enum(['fallmanager', 'klient', 'partner', 'angehoerige']);
export type Responsible = z.infer<typeof Responsible>;

// Fields added after the first release default, so entries from older peers still read.
export const Goal = EntityBase.extend({
  level: GoalLevel,
  title: Text,
  clientWords: Text,
  indicator: Text,
  due: IsoDate.optional(),
  status: GoalStatus,
  /** Assessment needs this goal answers. */
  needs: IdSet.default({}),
  /** Why a goal was missed or is late. */
  missedReason: Text.default(''),
});
export type Goal = z.infer<typeof Goal>;

export const Step = EntityBase.extend({
  what: Text,
  /** The person, by name, who does it. */
  who: Text,
  responsible: Responsible.optional(),
  partnerId: EntityId.optional(),
  start: IsoDate.optional(),
  due: IsoDate.optional(),
  goalId: EntityId.optional(),
  /** Agreed by consensus: when is the step done? */
  criterion: Text.default(''),
  status: StepStatus,
  /** The client's own activity (Eigenaktivität). */
  ownActivity: z.boolean().default(false),
  /** Angebotslücke: the help needed does not exist; this step is the second-best route. */
  gap: z.boolean().default(false),
  gapDescription: Text.default(''),
  /** Euro amount, if the step costs something. */
  cost: z.number().nonnegative().max(1_000_000_000).optional(),
  /** "wenn … dann …" */
  condition: Text.default(''),
});
export type Step = z.infer<typeof Step>;

/** What the UI may change on a goal besides its text fields; `null` clears an optional field. */
export const GoalPatch = z
  .object({ level: GoalLevel.optional(), status: GoalStatus.optional(), due: IsoDate.nullable().optional() })
  .strict();
export type GoalPatch = z.infer<typeof GoalPatch>;

export const StepPatch = z
  .object({
    status: StepStatus.optional(),
    due: IsoDate.nullable().optional(),
    start: IsoDate.nullable().optional(),
    goalId: EntityId.nullable().optional(),
    partnerId: EntityId.nullable().optional(),
    responsible: Responsible.nullable().optional(),
    ownActivity: z.boolean().optional(),
    gap: z.boolean().optional(),
    cost: z.number().nonnegative().max(1_000_000_000).nullable().optional(),
  })
  .strict();
export type StepPatch = z.infer<typeof StepPatch>;

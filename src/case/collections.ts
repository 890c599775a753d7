import { z } from 'zod';
import { AssessmentItem, DomainStatus, NeedDisposition, AssessmentKind, Domain } from '../domain/assessment.ts';
import { Goal, GoalPatch, Step, StepPatch } from '../domain/case.ts';
import { AgendaItem, Decision, Task } from '../domain/conference.ts';
import { Consent, ConsentForm } from '../domain/consent.ts';
import { IsoDate, Timestamp } from '../domain/dates.ts';
import { EntityId } from '../domain/ids.ts';
import { Dissent, Participant } from '../domain/participants.ts';
import { Cooperation, Partner, PartnerType } from '../domain/partners.ts';
import { InfoFlow } from '../domain/plan.ts';
import { Role } from '../domain/roles.ts';

/**
 * Every list in a case is a collection: a root Y.Map of entity Y.Maps keyed by id. Each entry
 * says how to validate an entity, which fields are collaborative text (Y.Text) and which
 * scalar fields the UI may patch. Root map names are wire format (docs/case-schema.md).
 */
export const COLLECTIONS = {
  assessment: {
    schema: AssessmentItem,
    texts: ['clientView', 'professionalView', 'divergence', 'dispositionReason'],
    patch: z
      .object({ domain: Domain.optional(), kind: AssessmentKind.optional(), disposition: NeedDisposition.optional() })
      .strict(),
  },
  goals: {
    schema: Goal,
    texts: ['title', 'clientWords', 'indicator', 'missedReason'],
    patch: GoalPatch,
    sets: ['needs'],
  },
  steps: {
    schema: Step,
    texts: ['what', 'who', 'criterion', 'gapDescription', 'condition'],
    patch: StepPatch,
  },
  partners: {
    schema: Partner,
    texts: ['organisation', 'contact'],
    patch: z.object({ type: PartnerType.optional(), cooperation: Cooperation.optional(), endsAt25: z.boolean().optional() }).strict(),
  },
  participants: {
    schema: Participant,
    texts: [],
    patch: z
      .object({
        name: z.string().trim().min(1).max(200).optional(),
        role: Role.optional(),
        organisation: z.string().max(10_000).optional(),
        partnerId: EntityId.nullable().optional(),
        signKey: z.string().max(300).optional(),
        agreeKey: z.string().max(300).optional(),
        fingerprint: z.string().max(100).optional(),
        removedAt: Timestamp.optional(),
      })
      .strict(),
  },
  dissents: {
    schema: Dissent,
    texts: ['text', 'resolution'],
    patch: z
      .object({
        goalId: EntityId.nullable().optional(),
        participantId: EntityId.nullable().optional(),
        resolvedAt: Timestamp.nullable().optional(),
      })
      .strict(),
  },
  infoFlows: {
    schema: InfoFlow,
    texts: ['what', 'when'],
    patch: z.object({ partnerId: EntityId.nullable().optional() }).strict(),
  },
  agenda: {
    schema: AgendaItem,
    texts: ['title'],
    patch: z.object({ done: z.boolean().optional() }).strict(),
  },
  decisions: {
    schema: Decision,
    texts: ['text'],
    patch: z.object({}).strict(),
  },
  tasks: {
    schema: Task,
    texts: ['what', 'who'],
    patch: z.object({ due: IsoDate.nullable().optional(), done: z.boolean().optional() }).strict(),
  },
  consents: {
    schema: Consent,
    texts: ['note'],
    // Topics are a set (toggleInSet); validUntil and revokedAt are cleared with `null`.
    patch: z
      .object({
        partnerId: EntityId.optional(),
        validFrom: IsoDate.optional(),
        validUntil: IsoDate.nullable().optional(),
        form: ConsentForm.optional(),
        revokedAt: Timestamp.nullable().optional(),
      })
      .strict(),
    sets: ['topics'],
  },
} as const;

export type CollectionName = keyof typeof COLLECTIONS;
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];
export type EntityOf<C extends CollectionName> = z.infer<(typeof COLLECTIONS)[C]['schema']>;
export type TextFieldOf<C extends CollectionName> = (typeof COLLECTIONS)[C]['texts'][number];
/** Set-valued fields (id → true maps), created with the entity like text fields. */
export function setFieldsOf(name: CollectionName): readonly string[] {
  const spec = COLLECTIONS[name];
  return 'sets' in spec ? spec.sets : [];
}

export type PatchOf<C extends CollectionName> = z.input<(typeof COLLECTIONS)[C]['patch']>;

export { DomainStatus };

import { z } from 'zod';
import { EntityId } from './ids.ts';
import { Role } from './roles.ts';
import { EntityBase, Text } from './entity.ts';
import { Timestamp } from './dates.ts';

/** Someone who sat at the table for this case: the subject of acceptance and minutes. */
export const Participant = EntityBase.extend({
  name: z.string().trim().min(1).max(200),
  role: Role,
  organisation: Text,
  partnerId: EntityId.optional(),
  /** The device's public keys (base64url SPKI) and their short fingerprint, set on admission. */
  signKey: z.string().max(300).optional(),
  agreeKey: z.string().max(300).optional(),
  fingerprint: z.string().max(100).optional(),
  /** Removed from the table: no longer receives keys (what they had stays on their device). */
  removedAt: Timestamp.optional(),
});
export type Participant = z.infer<typeof Participant>;

export const AcceptanceState = z.enum(['zugestimmt', 'bedenkzeit', 'abgelehnt']);
export type AcceptanceState = z.infer<typeof AcceptanceState>;

/** One participant's answer to one goal. Keyed `${goalId}:${participantId}`: one answer each. */
export const Acceptance = z.object({
  id: z.string().regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/),
  goalId: EntityId,
  participantId: EntityId,
  state: AcceptanceState,
  at: Timestamp,
  reason: z.string().max(2_000),
});
export type Acceptance = z.infer<typeof Acceptance>;

export function acceptanceKey(goalId: string, participantId: string): string {
  return `${goalId}:${participantId}`;
}

/** A recorded disagreement. It stays visible, also after it was resolved. */
export const Dissent = EntityBase.extend({
  goalId: EntityId.optional(),
  participantId: EntityId.optional(),
  text: Text,
  resolution: Text,
  resolvedAt: Timestamp.optional(),
});
export type Dissent = z.infer<typeof Dissent>;

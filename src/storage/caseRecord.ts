import { z } from 'zod';
import { Team } from '../domain/case.ts';
import { YearMonth, Timestamp } from '../domain/dates.ts';
import { EntityId } from '../domain/ids.ts';
import { Role } from '../domain/roles.ts';
import { RoomSecret } from '../crypto/roomSecret.ts';

/** This device's entry for a case in its local case list (not shared with peers). */
export const CaseRecord = z.object({
  id: EntityId,
  displayName: z.string().max(10_000),
  team: Team,
  birthMonth: YearMonth.optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** The conference room of this case, once one was started or joined. */
  room: RoomSecret.optional(),
  /** How this device's user appears at the table. */
  me: z
    .object({ name: z.string().min(1).max(200), role: Role, participantId: EntityId.optional() })
    .optional(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

export function sharedDocKey(caseId: string): string {
  return `${caseId}/shared`;
}

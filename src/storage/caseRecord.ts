import { z } from 'zod';
import { Team } from '../domain/case.ts';
import { CaseSummary } from '../domain/dashboard.ts';
import { YearMonth, Timestamp } from '../domain/dates.ts';
import { EntityId } from '../domain/ids.ts';
import { Role } from '../domain/roles.ts';
import { RoomSecret } from '../crypto/roomSecret.ts';

/**
 * One person's invitation to the table (host side only). The link carries the lobby secret;
 * the case key is handed over only after the host admits the person who knocks.
 */
export const Invite = z.object({
  id: EntityId,
  name: z.string().trim().min(1).max(200),
  role: Role,
  organisation: z.string().max(200).default(''),
  partnerId: EntityId.optional(),
  lobby: RoomSecret,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  withdrawnAt: Timestamp.optional(),
  /** Fingerprint of the device that was admitted through this invite. */
  admitted: z.string().max(100).optional(),
});
export type Invite = z.infer<typeof Invite>;

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
  /** When this device's person was removed from the table (it then stays disconnected). */
  removedFromTable: Timestamp.optional(),
  /**
   * Keys of the further visibility scopes this device holds (scope id such as `confidential`
   * or `topic:gesundheit` → that scope's room secret; docs/case-schema.md, "Scopes").
   */
  scopes: z.record(z.string().regex(/^(confidential|topic:[a-z]{1,40})$/), RoomSecret).default({}),
  /** Which keyring epoch `room` belongs to (0: the room the conference started in). */
  roomEpoch: z.number().int().nonnegative().default(0),
  /** How this device's user appears at the table. */
  me: z
    .object({ name: z.string().min(1).max(200), role: Role, participantId: EntityId.optional() })
    .optional(),
  /** The lobby this device was admitted through: opening the same link again opens the case. */
  joinedVia: z.string().max(100).optional(),
  /** Invitations this device (as host) has issued for the case. */
  invites: z.array(Invite).max(200).default([]),
  /**
   * What the case list shows without opening the case (src/domain/dashboard.ts), written while
   * the case is open. It holds case content (tasks, organisations). A summary that does not
   * validate is dropped, not the record: the case must stay in the list.
   */
  summary: CaseSummary.optional().catch(undefined),
  /** When this device last sat at the table with someone else, or started a conference. */
  lastConferenceAt: Timestamp.optional(),
  /** When this case was last in a backup made on this device. */
  lastBackupAt: Timestamp.optional(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

export function sharedDocKey(caseId: string): string {
  return `${caseId}/shared`;
}

/** Storage key of one scope document of a case (`shared` gives sharedDocKey). */
export function scopeDocKey(caseId: string, scope: string): string {
  return `${caseId}/${scope}`;
}

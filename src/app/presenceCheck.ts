import type { Participant as CaseParticipant } from '../domain/participants.ts';
import type { Role } from '../domain/roles.ts';

/** What a device says about itself in the room (awareness): a claim, nothing more. */
export interface PresenceClaim {
  name: string;
  role: Role;
  fingerprint?: string | undefined;
}

/**
 * A presence entry checked against the case's record of who was let in.
 * - `confirmed`: the device fingerprint belongs to a participant still at the table, and the
 *   name it claims is the recorded one;
 * - `renamed`: the fingerprint belongs to such a participant, but the device claims another
 *   name or role: the recorded person is shown, with the claim beside it;
 * - `unconfirmed`: no participant at the table has that fingerprint (none, a removed one's,
 *   or an unknown one): only the claim is there, marked as such.
 */
export type PresenceCheck =
  | { kind: 'confirmed'; member: CaseParticipant }
  | { kind: 'renamed'; member: CaseParticipant; claimed: string }
  | { kind: 'unconfirmed'; claimed: string };

function same(a: string, b: string): boolean {
  return a.trim().normalize('NFC') === b.trim().normalize('NFC');
}

export function checkPresence(claim: PresenceClaim, members: readonly CaseParticipant[]): PresenceCheck {
  const member = claim.fingerprint ? members.find((m) => m.fingerprint === claim.fingerprint && !m.removedAt) : undefined;
  if (!member) return { kind: 'unconfirmed', claimed: claim.name };
  if (same(member.name, claim.name) && member.role === claim.role) return { kind: 'confirmed', member };
  return { kind: 'renamed', member, claimed: claim.name };
}

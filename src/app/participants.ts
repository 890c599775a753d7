import type { CaseDocument } from '../case/caseDocument.ts';
import type { Me } from '../sync/conferenceRoom.ts';

/**
 * Makes sure this device's person is in the case's participant list and up to date; returns
 * their participant id. Acceptance and minutes refer to participants, not to connections.
 */
export function ensureParticipant(caseDoc: CaseDocument, me: Me, knownId: string | undefined): string {
  const existing = knownId ? caseDoc.view().participants.find((p) => p.id === knownId) : undefined;
  if (existing) {
    if (existing.name !== me.name || existing.role !== me.role) {
      caseDoc.update('participants', existing.id, { name: me.name, role: me.role });
    }
    return existing.id;
  }
  return caseDoc.add('participants', { fields: { name: me.name, role: me.role, organisation: '' } });
}

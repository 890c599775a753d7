import type { CaseDocument } from '../case/caseDocument.ts';
import type { PublicKeys } from '../crypto/identity.ts';
import type { Me } from '../sync/conferenceRoom.ts';

export interface DeviceKeys {
  keys: PublicKeys;
  fingerprint: string;
}

/**
 * Makes sure this device's person is in the case's participant list; returns their id.
 * Acceptance and minutes refer to participants, not to connections. An id the host assigned
 * on admission is trusted even before its entry has synced here: creating a second entry
 * would split one person in two.
 */
export function ensureParticipant(caseDoc: CaseDocument, me: Me, knownId: string | undefined, device?: DeviceKeys): string {
  if (knownId) {
    const existing = caseDoc.view().participants.find((p) => p.id === knownId);
    if (existing && (existing.name !== me.name || existing.role !== me.role)) {
      caseDoc.update('participants', existing.id, { name: me.name, role: me.role });
    }
    return knownId;
  }
  return caseDoc.add('participants', {
    fields: {
      name: me.name,
      role: me.role,
      organisation: '',
      ...(device ? { signKey: device.keys.sign, agreeKey: device.keys.agree, fingerprint: device.fingerprint } : {}),
    },
  });
}

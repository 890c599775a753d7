import { AuditRecorder } from '../case/audit.ts';
import { fingerprint, signBytes } from '../crypto/identity.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { loadOrCreateDeviceIdentity } from '../storage/deviceIdentity.ts';
import type { CaseSession } from './caseSession.ts';

/**
 * Starts recording this device's edits of an open case in its audit trail, signed with the
 * device key and attributed to the person this device is at the table (the case record's
 * `me`, read at each entry, so a name given later counts from then on). Returns the stop.
 */
export function startAuditTrail(db: RunderTischDb, session: CaseSession): () => void {
  let recorder: AuditRecorder | null = null;
  let stopped = false;
  void (async () => {
    const identity = await loadOrCreateDeviceIdentity(db);
    const fp = await fingerprint(identity.publicKeys);
    if (stopped) return;
    recorder = new AuditRecorder(session.caseDoc, {
      fingerprint: fp,
      keys: identity.publicKeys,
      sign: (bytes) => signBytes(identity, bytes),
      who: () => {
        const me = session.record.me;
        return me ? { name: me.name, role: me.role, ...(me.participantId ? { participantId: me.participantId } : {}) } : {};
      },
    });
  })().catch(() => undefined); // without a device key the case still works, only unaudited
  return () => {
    stopped = true;
    recorder?.stop();
  };
}

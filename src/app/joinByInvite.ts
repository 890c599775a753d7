import * as Y from 'yjs';
import { CaseDocument } from '../case/caseDocument.ts';
import type { CaseMeta } from '../domain/case.ts';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import { listCases, putCase, updateCase } from '../storage/caseIndex.ts';
import { sharedDocKey, type CaseRecord } from '../storage/caseRecord.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { DocPersistence } from '../storage/docPersistence.ts';
import { ConferenceRoom, type Me } from '../sync/conferenceRoom.ts';
import { loadRuntimeConfig, resolveSignalingUrls } from '../sync/runtimeConfig.ts';
import { handOver } from './handoff.ts';
import { ensureParticipant } from './participants.ts';

export async function findCaseByRoom(db: RunderTischDb, roomId: string): Promise<CaseRecord | undefined> {
  return (await listCases(db)).find((c) => c.room?.roomId === roomId);
}

/**
 * Joins a conference by invite. Nothing is stored until the case's metadata has arrived and
 * validated, so a wrong or dead link leaves no trace; from then on every update is stored.
 */
export async function joinByInvite(
  db: RunderTischDb,
  secret: RoomSecret,
  me: Me,
  signal: AbortSignal,
): Promise<string> {
  const known = await findCaseByRoom(db, secret.roomId);
  if (known) {
    // Same person again (or someone else on this device): the case page registers them.
    await updateCase(db, known.id, (r) => ({ ...r, me: { ...me, participantId: r.me?.participantId } }));
    return known.id;
  }
  const config = await loadRuntimeConfig();
  const doc = new Y.Doc();
  const caseDoc = new CaseDocument(doc);
  const room = await ConferenceRoom.join(doc, secret, resolveSignalingUrls(config, location.origin), config, me);
  try {
    const meta = await new Promise<CaseMeta>((resolve, reject) => {
      const stop = caseDoc.subscribe((view) => {
        if (view.meta) {
          queueMicrotask(() => stop());
          resolve(view.meta);
        }
      });
      signal.addEventListener('abort', () => {
        stop();
        reject(signal.reason);
      });
    });
    const persistence = await DocPersistence.open(db, sharedDocKey(meta.caseId), doc);
    persistence.saveFullState();
    const participantId = ensureParticipant(caseDoc, me, undefined);
    await persistence.whenSaved();
    await putCase(db, {
      id: meta.caseId,
      displayName: meta.displayName,
      team: meta.team,
      ...(meta.birthMonth ? { birthMonth: meta.birthMonth } : {}),
      createdAt: meta.createdAt,
      updatedAt: Date.now(),
      room: secret,
      me: { ...me, participantId },
    });
    caseDoc.destroy();
    // Stay at the table: the case page continues with this doc and connection.
    handOver(meta.caseId, { doc, persistence, room });
    return meta.caseId;
  } catch (error) {
    caseDoc.destroy();
    await room.leave();
    doc.destroy();
    throw error;
  }
}

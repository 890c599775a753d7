import * as Y from 'yjs';
import { CaseDocument } from '../case/caseDocument.ts';
import { fingerprint } from '../crypto/identity.ts';
import type { RoomSecret } from '../crypto/roomSecret.ts';
import type { CaseMeta } from '../domain/case.ts';
import { listCases, putCase, updateCase } from '../storage/caseIndex.ts';
import { sharedDocKey, type CaseRecord } from '../storage/caseRecord.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { loadOrCreateDeviceIdentity } from '../storage/deviceIdentity.ts';
import { DocPersistence } from '../storage/docPersistence.ts';
import { ConferenceRoom, type Me } from '../sync/conferenceRoom.ts';
import { knockAndWait } from '../sync/lobby.ts';
import { loadRuntimeConfig, resolveSignalingUrls } from '../sync/runtimeConfig.ts';
import { handOver } from './handoff.ts';

export async function findCaseByLobby(db: RunderTischDb, lobbyRoomId: string): Promise<CaseRecord | undefined> {
  return (await listCases(db)).find((c) => c.joinedVia === lobbyRoomId);
}

export type JoinProgress = { phase: 'knocking'; fingerprint: string } | { phase: 'loading' };

export interface JoinInput extends Me {
  organisation: string;
}

/**
 * Joins a table by invite: knock in the invite's lobby, wait until the host lets this device
 * in (or refuses: RefusedError), receive the case room key wrapped for this device, then load
 * the case. Nothing is stored until the case's metadata has arrived and validated, so a
 * refused or dead link leaves no trace.
 */
export async function joinByInvite(
  db: RunderTischDb,
  lobby: RoomSecret,
  input: JoinInput,
  signal: AbortSignal,
  onProgress: (progress: JoinProgress) => void = () => {},
): Promise<string> {
  const me: Me = { name: input.name, role: input.role };
  const known = await findCaseByLobby(db, lobby.roomId);
  if (known) return known.id;

  const config = await loadRuntimeConfig();
  const signaling = resolveSignalingUrls(config, location.origin);
  const identity = await loadOrCreateDeviceIdentity(db);
  onProgress({ phase: 'knocking', fingerprint: await fingerprint(identity.publicKeys) });

  const lobbyDoc = new Y.Doc();
  const lobbyRoom = await ConferenceRoom.join(lobbyDoc, lobby, signaling, config, me, 'lobby');
  let admission;
  try {
    admission = await knockAndWait(lobbyDoc, lobby.roomId, identity, { ...me, organisation: input.organisation }, signal);
  } finally {
    await lobbyRoom.leave();
    lobbyDoc.destroy();
  }
  onProgress({ phase: 'loading' });

  const doc = new Y.Doc();
  const caseDoc = new CaseDocument(doc);
  const room = await ConferenceRoom.join(doc, admission.secret, signaling, config, me);
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
    if (meta.caseId !== admission.caseId) throw new Error('the room holds another case');
    const persistence = await DocPersistence.open(db, sharedDocKey(meta.caseId), doc);
    // Queued now, written while the case page opens with this doc: awaiting the write of the
    // whole received state (hundreds of KiB for a large case) held the page back. The write
    // is the persistence's like any edit's: the page shows its save state (a failure too, with
    // retry), and closing the case or locking the device waits for it.
    persistence.saveFullState();
    const record = {
      displayName: meta.displayName,
      team: meta.team,
      ...(meta.birthMonth ? { birthMonth: meta.birthMonth } : {}),
      createdAt: meta.createdAt,
      updatedAt: Date.now(),
      room: admission.secret,
      // The scope documents are opened, stored and synced by the case session from these keys.
      scopes: admission.scopes,
      me: { ...me, participantId: admission.participantId },
      joinedVia: lobby.roomId,
    };
    // Admitted again to a case this device already holds: keep its local entry, new key.
    const updated = await updateCase(db, meta.caseId, (r) => ({ ...r, ...record }));
    if (!updated) await putCase(db, { id: meta.caseId, ...record });
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

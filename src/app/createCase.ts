import * as Y from 'yjs';
import { CaseDocument } from '../case/caseDocument.ts';
import type { NewCaseInput } from '../domain/case.ts';
import { newRoomSecret } from '../crypto/roomSecret.ts';
import { newId } from '../domain/ids.ts';
import { SCOPE_IDS } from '../domain/visibility.ts';
import { putCase } from '../storage/caseIndex.ts';
import { sharedDocKey } from '../storage/caseRecord.ts';
import type { RunderTischDb } from '../storage/db.ts';
import { DocPersistence } from '../storage/docPersistence.ts';

/** Creates a case on this device: its document with metadata, stored before it is shown. */
export async function createCase(db: RunderTischDb, input: NewCaseInput): Promise<string> {
  const caseId = newId();
  const doc = new Y.Doc();
  const persistence = await DocPersistence.open(db, sharedDocKey(caseId), doc);
  const meta = CaseDocument.initialize(doc, input, caseId);
  await persistence.whenSaved();
  persistence.destroy();
  doc.destroy();
  await putCase(db, {
    id: caseId,
    displayName: meta.displayName,
    team: meta.team,
    ...(meta.birthMonth ? { birthMonth: meta.birthMonth } : {}),
    createdAt: meta.createdAt,
    updatedAt: meta.createdAt,
    // The creator holds every scope: a key each for the confidential and every topic scope.
    scopes: Object.fromEntries(SCOPE_IDS.filter((s) => s !== 'shared').map((s) => [s, newRoomSecret()])),
  });
  return caseId;
}

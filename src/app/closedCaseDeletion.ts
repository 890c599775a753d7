import { mayDeleteLocally } from '../domain/closure.ts';
import type { IsoDate } from '../domain/dates.ts';
import { deleteCaseLocally } from '../storage/caseIndex.ts';
import type { RunderTischDb } from '../storage/db.ts';
import type { CaseSession } from './caseSession.ts';

/** Deleting a copy the retention rule does not release yet. */
export class RetentionError extends Error {
  constructor(readonly until: IsoDate | null) {
    super(until ? `The case must be kept until ${until}.` : 'Only a closed case can be deleted here.');
    this.name = 'RetentionError';
  }
}

/**
 * Deletes this device's copy of a closed case once its retention date has come: the case
 * record, its shared and scope documents and the device's own `<caseId>/local:*` records. The
 * closure is read again from the document, not taken from the screen, so a button that should
 * not have been enabled still deletes nothing. The session is closed first: nothing may write
 * the case again after it is gone.
 */
export async function deleteClosedCase(db: RunderTischDb, session: Pick<CaseSession, 'caseDoc' | 'record' | 'close'>, today: IsoDate): Promise<void> {
  const closure = session.caseDoc.closure.read();
  if (!mayDeleteLocally(closure, today)) throw new RetentionError(closure.closed?.retentionUntil ?? null);
  const caseId = session.record.id;
  await session.close();
  await deleteCaseLocally(db, caseId);
}

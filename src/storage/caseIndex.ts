import type { z } from 'zod';
import type { RunderTischDb } from './db.ts';
import { CaseRecord } from './caseRecord.ts';
import { RETRY, rowSignature } from './vault.ts';

/**
 * Local case list, newest first. Rows that fail validation (or cannot be decrypted) are
 * skipped in the list, not deleted. Throws VaultLockedError while the device is locked.
 */
export async function listCases(db: RunderTischDb): Promise<CaseRecord[]> {
  const codec = await db.vault.codec();
  const rows = await db.cases.orderBy('updatedAt').reverse().toArray();
  const records: CaseRecord[] = [];
  for (const row of rows) {
    const record = await codec.openCase(row);
    if (record) records.push(record);
  }
  return records;
}

export async function getCase(db: RunderTischDb, id: string): Promise<CaseRecord | undefined> {
  const codec = await db.vault.codec();
  const row = await db.cases.get(id);
  if (row === undefined) return undefined;
  const record = await codec.openCase(row);
  if (!record) throw new Error(`The local record of case ${id} cannot be read.`);
  return record;
}

export async function putCase(db: RunderTischDb, record: z.input<typeof CaseRecord>): Promise<void> {
  const parsed = CaseRecord.parse(record);
  await inTurn(db, parsed.id, () =>
    db.vault.guarded(
      [db.cases],
      (codec) => codec.sealCase(parsed),
      async (row) => {
        await db.cases.put(row);
      },
    ),
  );
}

/**
 * Reads, changes and writes one record, as one step: if the stored record changed between
 * read and write (another tab), it reads again and calls `change` again, so `change` must be
 * a function of the record it is given.
 */
export function updateCase(
  db: RunderTischDb,
  id: string,
  change: (record: CaseRecord) => CaseRecord,
): Promise<CaseRecord | undefined> {
  return inTurn(db, id, () =>
    db.vault.guarded(
      [db.cases],
      async (codec) => {
        const row = await db.cases.get(id);
        if (row === undefined) return null;
        const current = await codec.openCase(row);
        if (!current) throw new Error(`The local record of case ${id} cannot be read.`);
        const next = CaseRecord.parse(change(current));
        return { before: rowSignature(row), next, sealed: await codec.sealCase(next) };
      },
      async (prepared) => {
        const now = await db.cases.get(id);
        if (!prepared) return now === undefined ? undefined : RETRY;
        if (now === undefined) return undefined;
        if (rowSignature(now) !== prepared.before) return RETRY;
        await db.cases.put(prepared.sealed);
        return prepared.next;
      },
    ),
  );
}

/**
 * This tab's writes of one case record, one after the other. Each write reads, seals (which
 * takes a moment) and commits only if the row is still as it read it; writers of this tab
 * racing on one row made each other start over, and one could lose ten times in a row (a host
 * moving the case to a new room did, while the summary and the presence notes were written,
 * and the case stayed in the old room). Now only another tab's write makes one start over.
 */
const writing = new WeakMap<RunderTischDb, Map<string, Promise<unknown>>>();

function inTurn<T>(db: RunderTischDb, id: string, write: () => Promise<T>): Promise<T> {
  let queues = writing.get(db);
  if (!queues) writing.set(db, (queues = new Map()));
  const before = queues.get(id);
  const run = before ? before.then(write) : write();
  const settled = run.catch(() => undefined);
  queues.set(id, settled);
  void settled.then(() => {
    if (queues.get(id) === settled) queues.delete(id);
  });
  return run;
}

/** Removes the case and every stored document of it from this device. */
export async function deleteCaseLocally(db: RunderTischDb, id: string): Promise<void> {
  await db.transaction('rw', db.cases, db.updates, async () => {
    await db.cases.delete(id);
    await db.updates.where('docKey').startsWith(`${id}/`).delete();
  });
}

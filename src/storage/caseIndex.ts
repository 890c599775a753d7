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
  await db.vault.guarded(
    [db.cases],
    (codec) => codec.sealCase(parsed),
    async (row) => {
      await db.cases.put(row);
    },
  );
}

/**
 * Reads, changes and writes one record, as one step: if the stored record changed between
 * read and write (another tab), it reads again and calls `change` again, so `change` must be
 * a function of the record it is given.
 */
export async function updateCase(
  db: RunderTischDb,
  id: string,
  change: (record: CaseRecord) => CaseRecord,
): Promise<CaseRecord | undefined> {
  return db.vault.guarded(
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
  );
}

/** Removes the case and every stored document of it from this device. */
export async function deleteCaseLocally(db: RunderTischDb, id: string): Promise<void> {
  await db.transaction('rw', db.cases, db.updates, async () => {
    await db.cases.delete(id);
    await db.updates.where('docKey').startsWith(`${id}/`).delete();
  });
}

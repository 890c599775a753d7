import type { z } from 'zod';
import type { RunderTischDb } from './db.ts';
import { CaseRecord } from './caseRecord.ts';

/** Local case list. Rows that fail validation are skipped in the list, not deleted. */
export async function listCases(db: RunderTischDb): Promise<CaseRecord[]> {
  const rows = await db.cases.orderBy('updatedAt').reverse().toArray();
  return rows.flatMap((row) => {
    const parsed = CaseRecord.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function getCase(db: RunderTischDb, id: string): Promise<CaseRecord | undefined> {
  const row = await db.cases.get(id);
  if (row === undefined) return undefined;
  return CaseRecord.parse(row);
}

export async function putCase(db: RunderTischDb, record: z.input<typeof CaseRecord>): Promise<void> {
  await db.cases.put(CaseRecord.parse(record));
}

export async function updateCase(
  db: RunderTischDb,
  id: string,
  change: (record: CaseRecord) => CaseRecord,
): Promise<CaseRecord | undefined> {
  return db.transaction('rw', db.cases, async () => {
    const current = await getCase(db, id);
    if (!current) return undefined;
    const next = CaseRecord.parse(change(current));
    await db.cases.put(next);
    return next;
  });
}

/** Removes the case and every stored document of it from this device. */
export async function deleteCaseLocally(db: RunderTischDb, id: string): Promise<void> {
  await db.transaction('rw', db.cases, db.updates, async () => {
    await db.cases.delete(id);
    await db.updates.where('docKey').startsWith(`${id}/`).delete();
  });
}

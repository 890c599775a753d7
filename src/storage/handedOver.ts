import { HandedOver, caseReference } from '../domain/handover.ts';
import { deleteCaseLocally } from './caseIndex.ts';
import type { RunderTischDb } from './db.ts';
import { appendLocalRecords, readLocalRecords } from './localRecords.ts';

/**
 * The lines the case list keeps for cases this device handed over (issue 7, step 5): a short
 * reference, to whom and when, never case content. Stored as rows of the `updates` table under
 * a docKey of their own, so the device vault seals them like every other record; the key
 * starts with no case id, so deleting a case never deletes its line.
 */
const DOC_KEY = 'handedOver';

/** Every line, newest first; rows that do not read or validate are skipped. */
export async function listHandedOver(db: RunderTischDb): Promise<HandedOver[]> {
  const out: HandedOver[] = [];
  for (const value of await readLocalRecords(db, DOC_KEY)) {
    const parsed = HandedOver.safeParse(value);
    if (parsed.success) out.push(parsed.data);
  }
  return out.sort((a, b) => b.at - a.at);
}

/**
 * Records the line, then deletes every row of the case on this device: the case record, its
 * documents and its own records (`<caseId>/…`: pinned keys, kept versions).
 */
export async function recordHandedOverAndDelete(db: RunderTischDb, caseId: string, line: HandedOver): Promise<void> {
  const value = HandedOver.parse(line);
  if (value.reference !== caseReference(caseId)) throw new Error('the line does not belong to this case');
  await appendLocalRecords(db, DOC_KEY, [value]);
  await deleteCaseLocally(db, caseId);
}

/**
 * Deletes document rows a late write left behind after a handed-over case was deleted (a save
 * that landed afterwards). Rows of a case whose record is here are kept: it came back by a new
 * invitation, or it is another case.
 */
export async function sweepHandedOver(db: RunderTischDb): Promise<void> {
  const references = new Set((await listHandedOver(db)).map((l) => l.reference));
  if (references.size === 0) return;
  const caseIds = new Set((await db.updates.orderBy('docKey').uniqueKeys()).map((k) => String(k).split('/')[0]!));
  for (const caseId of caseIds) {
    if (!references.has(caseReference(caseId)) || (await db.cases.get(caseId)) !== undefined) continue;
    await db.updates.where('docKey').startsWith(`${caseId}/`).delete();
  }
}

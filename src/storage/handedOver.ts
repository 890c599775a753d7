import { HandedOver } from '../domain/handover.ts';
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
  const out = new Map<string, HandedOver>();
  for (const value of await readLocalRecords(db, DOC_KEY)) {
    const parsed = HandedOver.safeParse(value);
    if (parsed.success && !out.has(parsed.data.caseId)) out.set(parsed.data.caseId, parsed.data);
  }
  return [...out.values()].sort((a, b) => b.at - a.at);
}

/**
 * Records the line first, then deletes every row of the case on this device: the case record,
 * its documents and its own records (`<caseId>/…`: pinned keys, kept versions). If the deletion
 * is interrupted, `sweepHandedOver` finishes it.
 */
export async function recordHandedOverAndDelete(db: RunderTischDb, line: HandedOver): Promise<void> {
  const value = HandedOver.parse(line);
  if (!(await listHandedOver(db)).some((l) => l.caseId === value.caseId)) await appendLocalRecords(db, DOC_KEY, [value]);
  await deleteCaseLocally(db, value.caseId);
}

/**
 * Deletes document rows of a handed-over case that a late write left behind (a save that landed
 * after the deletion). A case whose record is here again came back by a new invitation: kept.
 */
export async function sweepHandedOver(db: RunderTischDb): Promise<void> {
  for (const line of await listHandedOver(db)) {
    if ((await db.cases.get(line.caseId)) !== undefined) continue;
    await db.updates.where('docKey').startsWith(`${line.caseId}/`).delete();
  }
}

import { FrozenVersion } from '../domain/versions.ts';
import type { RunderTischDb } from './db.ts';
import { appendLocalRecords, localDocKey, readLocalRecords } from './localRecords.ts';

/**
 * This device's own copy of every frozen version it has verified. A peer holding the room key
 * can overwrite `frozen:<n>` in the shared document on every device; it cannot reach these
 * rows. The first copy kept for a number is the one that counts; it is never replaced.
 */

/** The kept copy of each version number of the case. */
export async function loadKeptVersions(db: RunderTischDb, caseId: string): Promise<Map<number, FrozenVersion>> {
  const out = new Map<number, FrozenVersion>();
  for (const value of await readLocalRecords(db, localDocKey(caseId, 'frozen'))) {
    const parsed = FrozenVersion.safeParse(value);
    if (!parsed.success || parsed.data.content.caseId !== caseId || out.has(parsed.data.number)) continue;
    out.set(parsed.data.number, parsed.data);
  }
  return out;
}

/**
 * Keeps `versions` (already verified by the caller) unless a copy of the same number is kept;
 * returns the kept copies afterwards.
 */
export async function keepVersions(db: RunderTischDb, caseId: string, versions: readonly FrozenVersion[]): Promise<Map<number, FrozenVersion>> {
  const kept = await loadKeptVersions(db, caseId);
  const fresh = versions.filter((v) => v.content.caseId === caseId && !kept.has(v.number)).map((v) => FrozenVersion.parse(v));
  if (fresh.length === 0) return kept;
  await appendLocalRecords(db, localDocKey(caseId, 'frozen'), fresh);
  return loadKeptVersions(db, caseId);
}

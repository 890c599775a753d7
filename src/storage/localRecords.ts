import type { RunderTischDb } from './db.ts';

/**
 * Append-only records this device keeps about a case for itself and never shares (pinned
 * signing keys, verified copies of frozen versions). They live in the `updates` table under
 * the docKey `<caseId>/local:<name>`, one JSON value per row, for three reasons:
 *   - the device vault seals and opens them like any document row, and a passphrase change
 *     re-encrypts them with everything else (vault.ts rewrites every row of that table);
 *   - deleting a case on this device removes them with its documents (`<caseId>/` prefix);
 *   - a backup leaves them out (it copies only document names it knows), so an imported file
 *     can never plant a "verified" copy or a pinned key on another device.
 * No Dexie schema change is needed. Rows are only ever added: the first one wins, so nothing a
 * later write (or a peer) does can replace what this device once checked.
 */

export type LocalRecordName = 'pins' | 'frozen';

export function localDocKey(caseId: string, name: LocalRecordName): string {
  return `${caseId}/local:${name}`;
}

/** Appends `values` (JSON-serialisable) as rows of `docKey`, sealed by the vault if a passphrase is set. */
export async function appendLocalRecords(db: RunderTischDb, docKey: string, values: readonly unknown[]): Promise<void> {
  if (values.length === 0) return;
  await db.vault.guarded(
    [db.updates],
    (codec) => Promise.all(values.map((v) => codec.sealUpdate(docKey, new TextEncoder().encode(JSON.stringify(v))))),
    async (rows) => {
      await db.updates.bulkAdd(rows);
    },
  );
}

/**
 * Every readable record of `docKey`, oldest first. A row that cannot be opened or parsed is
 * skipped (and kept): callers validate each value with zod anyway.
 */
export async function readLocalRecords(db: RunderTischDb, docKey: string): Promise<unknown[]> {
  const codec = await db.vault.codec();
  const rows = await db.updates.where('docKey').equals(docKey).sortBy('seq');
  const out: unknown[] = [];
  for (const row of rows) {
    const bytes = await codec.openUpdate(docKey, row);
    if (!bytes) continue;
    try {
      out.push(JSON.parse(new TextDecoder().decode(bytes)));
    } catch {
      // not JSON: skipped
    }
  }
  return out;
}

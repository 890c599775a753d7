import { describe, expect, it } from 'vitest';
import { caseReference } from '../../../src/domain/handover.ts';
import { putCase } from '../../../src/storage/caseIndex.ts';
import { appendLocalRecords, localDocKey } from '../../../src/storage/localRecords.ts';
import { listHandedOver, recordHandedOverAndDelete, sweepHandedOver } from '../../../src/storage/handedOver.ts';
import { freshDb } from '../fixtures/freshDb.ts';

const CASE = '0b9c7e2a-4d1f-4a8e-9c3b-5f6e7d8c9a0b';
const OTHER = '7f3a1c2e-8b4d-4e6f-a1b2-c3d4e5f6a7b8';

async function storedCase(db: ReturnType<typeof freshDb>, id: string, name: string) {
  await putCase(db, { id, displayName: name, team: 'U25', createdAt: 1, updatedAt: 1 });
  await db.updates.bulkAdd([
    { docKey: `${id}/shared`, update: new TextEncoder().encode(`Inhalt von ${name}`) },
    { docKey: `${id}/confidential`, update: new Uint8Array([1, 2, 3]) },
  ]);
  await appendLocalRecords(db, localDocKey(id, 'pins'), [{ v: 1, note: name }]);
}

describe('handed-over cases', () => {
  it('keep a line without content while every row of the case is deleted', async () => {
    const db = freshDb();
    await storedCase(db, CASE, 'Dennis K.');
    await storedCase(db, OTHER, 'Jonas B.');
    const line = { v: 1 as const, reference: caseReference(CASE), toName: 'Frau Nowak', toTeam: 'Ü25' as const, at: 1_700_000_000_000 };
    await recordHandedOverAndDelete(db, CASE, line);
    expect(await listHandedOver(db)).toEqual([line]);
    expect(await db.cases.get(CASE)).toBeUndefined();
    const rows = await db.updates.toArray();
    expect(rows.filter((r) => r.docKey.startsWith(CASE))).toEqual([]);
    expect(JSON.stringify(rows.map((r) => [r.docKey, new TextDecoder().decode(r.update)]))).not.toContain('Dennis');
    // The other case is untouched.
    expect(await db.cases.get(OTHER)).toBeDefined();
    expect(rows.filter((r) => r.docKey.startsWith(OTHER))).toHaveLength(3);
  });

  it('refuses a line for another case, and sweeps rows a late write left behind', async () => {
    const db = freshDb();
    await storedCase(db, CASE, 'Dennis K.');
    const line = { v: 1 as const, reference: caseReference(OTHER), toName: 'Frau Nowak', toTeam: 'Ü25' as const, at: 1 };
    await expect(recordHandedOverAndDelete(db, CASE, line)).rejects.toThrow();
    expect(await db.cases.get(CASE)).toBeDefined();
    await recordHandedOverAndDelete(db, CASE, { ...line, reference: caseReference(CASE) });
    await db.updates.add({ docKey: `${CASE}/shared`, update: new Uint8Array([9]) });
    await sweepHandedOver(db);
    expect(await db.updates.where('docKey').startsWith(`${CASE}/`).count()).toBe(0);
    expect(await listHandedOver(db)).toHaveLength(1);
  });
});

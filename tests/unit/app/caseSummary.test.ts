import { describe, expect, it } from 'vitest';
import { CaseSession } from '../../../src/app/caseSession.ts';
import { startCaseSummary } from '../../../src/app/caseSummary.ts';
import { createCase } from '../../../src/app/createCase.ts';
import { exportBackup } from '../../../src/app/backup.ts';
import { freshFacts } from '../../../src/app/summaryFacts.ts';
import { rootMap } from '../../../src/case/layout.ts';
import { getCase, listCases } from '../../../src/storage/caseIndex.ts';
import { freshDb } from '../fixtures/freshDb.ts';

/** Resolves once the stored record satisfies `test` (writes land asynchronously). */
async function until<T>(read: () => Promise<T>, test: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the case summary in the local record', () => {
  it('is written when the case is opened, follows edits, and is written at once when the case is left', async () => {
    const db = freshDb();
    const id = await createCase(db, { displayName: 'Lena K.', team: 'U25', birthMonth: '2002-01' });
    expect((await getCase(db, id))?.summary).toBeUndefined();
    const session = (await CaseSession.open(db, id))!;
    const stop = startCaseSummary(db, session);
    const first = await until(() => getCase(db, id), (r) => r?.summary !== undefined);
    expect(first?.summary).toMatchObject({ team: 'U25', birthday25: '2027-01', openTaskCount: 0, endsAt25: [] });

    session.caseDoc.setPlan({ nextReview: '2027-03-01' });
    const partner = session.caseDoc.add('partners', {
      texts: { organisation: 'Jugendamt Mitte' },
      fields: { type: 'jugendamt', cooperation: 'individuell', endsAt25: true },
    });
    session.caseDoc.add('steps', { texts: { what: 'Bewerbung schreiben', who: 'Lena' }, fields: { status: 'offen' } });
    // Leaving the case writes what is pending without waiting for the delay.
    stop();
    expect(freshFacts(id)?.summary?.nextReview).toBe('2027-03-01');
    const left = await until(() => getCase(db, id), (r) => r?.summary?.nextReview === '2027-03-01');
    expect(left?.summary).toMatchObject({
      endsAt25: ['Jugendamt Mitte'],
      openTaskCount: 1,
      openTasks: [{ source: 'step', what: 'Bewerbung schreiben', who: 'Lena' }],
    });
    expect(left?.summary?.closedAt).toBeUndefined();

    // Closed (a valid closure record in the shared document): the summary says when.
    const again = startCaseSummary(db, session);
    session.caseDoc.update('partners', partner, { endsAt25: false });
    rootMap(session.caseDoc.doc, 'closure').set('closed', { at: 1_800_000_000_000, on: '2027-01-15', retentionUntil: '2030-01-15' });
    again();
    const closed = await until(() => getCase(db, id), (r) => r?.summary?.closedAt !== undefined);
    expect(closed?.summary).toMatchObject({ closedAt: 1_800_000_000_000, endsAt25: [] });
    await session.close();
  });

  it('a backup stamps each exported case with its time; a record with a broken summary stays in the list', async () => {
    const db = freshDb();
    const a = await createCase(db, { displayName: 'A', team: 'U25' });
    const b = await createCase(db, { displayName: 'B', team: 'Ü25' });
    await exportBackup(db, 'eine lange Passphrase', [a], { iterations: 1_000, now: 1_700_000_000_000 });
    expect((await getCase(db, a))?.lastBackupAt).toBe(1_700_000_000_000);
    expect((await getCase(db, b))?.lastBackupAt).toBeUndefined();

    const row = await db.cases.get(b);
    await db.cases.put({ ...row!, summary: { team: 'nonsense' } } as never);
    const listed = await listCases(db);
    expect(listed.map((r) => r.id).sort()).toEqual([a, b].sort());
    expect(listed.find((r) => r.id === b)?.summary).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaseSession } from '../../../src/app/caseSession.ts';
import { createCase } from '../../../src/app/createCase.ts';
import { readCase } from '../../../src/case/read.ts';
import { newRoomSecret } from '../../../src/crypto/roomSecret.ts';
import { SCOPE_IDS } from '../../../src/domain/visibility.ts';
import { getCase, updateCase } from '../../../src/storage/caseIndex.ts';
import { scopeDocKey, sharedDocKey } from '../../../src/storage/caseRecord.ts';
import { RunderTischDb } from '../../../src/storage/db.ts';
import { DocPersistence } from '../../../src/storage/docPersistence.ts';
import { freshDb } from '../fixtures/freshDb.ts';

async function stored(db: RunderTischDb, key: string) {
  const doc = new Y.Doc();
  const p = await DocPersistence.open(db, key, doc);
  const view = readCase(doc);
  const bytes = new TextDecoder('latin1').decode(Y.encodeStateAsUpdate(doc));
  p.destroy();
  return { view, bytes };
}

describe('scoped case on this device', () => {
  it('the creator holds a key for the confidential and every topic scope', async () => {
    const db = freshDb();
    const id = await createCase(db, { displayName: 'Jonas B.', team: 'U25' });
    const record = await getCase(db, id);
    expect(Object.keys(record!.scopes).sort()).toEqual(SCOPE_IDS.filter((s) => s !== 'shared').sort());
    const ids = new Set(Object.values(record!.scopes).map((s) => s.roomId));
    expect(ids.size).toBe(SCOPE_IDS.length - 1);
  });

  it('stores each scope under its own document key and merges them when the case is opened again', async () => {
    const db = freshDb();
    const id = await createCase(db, { displayName: 'Jonas B.', team: 'U25' });
    const session = (await CaseSession.open(db, id))!;
    expect(session.caseDoc.scopes()).toEqual(SCOPE_IDS);
    const health = session.caseDoc.add(
      'assessment',
      { texts: { clientView: 'Bandscheibenvorfall' }, fields: { domain: 'gesundheit', kind: 'bedarf' } },
      'topic:gesundheit',
    );
    const note = session.caseDoc.add('decisions', { texts: { text: 'Nur im Vertrauen' } }, 'confidential');
    const open = session.caseDoc.add('decisions', { texts: { text: 'Für alle' } });
    await session.close();

    const shared = await stored(db, sharedDocKey(id));
    expect(shared.view.decisions.map((d) => d.id)).toEqual([open]);
    expect(shared.bytes).not.toContain('Bandscheibenvorfall');
    expect(shared.bytes).not.toContain('Vertrauen');
    expect((await stored(db, scopeDocKey(id, 'topic:gesundheit'))).view.assessment.map((a) => a.id)).toEqual([health]);

    const again = (await CaseSession.open(db, id))!;
    expect(again.caseDoc.scopeOf(health)).toBe('topic:gesundheit');
    expect(again.caseDoc.scopeOf(note)).toBe('confidential');
    expect(again.caseDoc.view().decisions.map((d) => d.text).sort()).toEqual(['Für alle', 'Nur im Vertrauen']);
    await again.close();
  });

  it('a device holding only some scopes opens only those, and can receive another later', async () => {
    const db = freshDb();
    const id = await createCase(db, { displayName: 'Jonas B.', team: 'U25' });
    await updateCase(db, id, (r) => ({ ...r, scopes: { 'topic:finanzen': r.scopes['topic:finanzen']! } }));
    const session = (await CaseSession.open(db, id))!;
    expect(session.caseDoc.scopes()).toEqual(['shared', 'topic:finanzen']);
    await session.openScope('confidential', newRoomSecret());
    expect(session.caseDoc.scopes()).toEqual(['shared', 'topic:finanzen', 'confidential']);
    expect(Object.keys(session.record.scopes).sort()).toEqual(['confidential', 'topic:finanzen']);
    await session.close();
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocPersistence } from '../../../src/storage/docPersistence.ts';
import { freshDb } from '../fixtures/freshDb.ts';

describe('DocPersistence (fake-indexeddb)', () => {
  it('stores every update and loads them into a new doc', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'c/shared', doc);
    doc.getText('t').insert(0, 'Hallo');
    doc.getText('t').insert(5, ' Welt');
    await p.whenSaved();
    p.destroy();

    const again = new Y.Doc();
    const p2 = await DocPersistence.open(db, 'c/shared', again);
    expect(again.getText('t').toString()).toBe('Hallo Welt');
    p2.destroy();
  });

  it('keeps documents apart by key', async () => {
    const db = freshDb();
    const a = new Y.Doc();
    const pa = await DocPersistence.open(db, 'a/shared', a);
    a.getText('t').insert(0, 'A');
    await pa.whenSaved();
    const b = new Y.Doc();
    await DocPersistence.open(db, 'b/shared', b);
    expect(b.getText('t').toString()).toBe('');
  });

  it('does not write back what it loaded', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'k', doc);
    doc.getText('t').insert(0, 'x');
    await p.whenSaved();
    const count = await db.updates.count();
    const again = new Y.Doc();
    const p2 = await DocPersistence.open(db, 'k', again);
    await p2.whenSaved();
    expect(await db.updates.count()).toBe(count);
  });

  it('compacts many rows into one without losing content, including rows of another tab', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'k', doc);
    for (let i = 0; i < 50; i++) {
      doc.getText('t').insert(0, 'a');
      await p.whenSaved();
    }
    // Another tab writes a row this doc has never seen.
    const other = new Y.Doc();
    other.getText('u').insert(0, 'from the other tab');
    await db.updates.add({ docKey: 'k', update: Y.encodeStateAsUpdate(other) });
    await p.compact();
    expect(await db.updates.where('docKey').equals('k').count()).toBe(1);
    const loaded = new Y.Doc();
    await DocPersistence.open(db, 'k', loaded);
    expect(loaded.getText('t').toString()).toBe('a'.repeat(50));
    expect(loaded.getText('u').toString()).toBe('from the other tab');
  });

  it('keeps and reports corrupt rows instead of failing or deleting them', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'k', doc);
    doc.getText('t').insert(0, 'gut');
    await p.whenSaved();
    const badSeq = await db.updates.add({ docKey: 'k', update: new Uint8Array([255, 1, 2, 3, 4]) });
    await db.updates.add({ docKey: 'k', update: 'not bytes' as unknown as Uint8Array });
    const loaded = new Y.Doc();
    const p2 = await DocPersistence.open(db, 'k', loaded);
    expect(loaded.getText('t').toString()).toBe('gut');
    expect(p2.corruptRows).toContain(badSeq);
    expect(p2.corruptRows).toHaveLength(2);
    await p2.compact();
    expect(await db.updates.get(badSeq)).toBeDefined();
  });

  it('reports a failed write, keeps the edit in memory and writes it on retry', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    const p = await DocPersistence.open(db, 'k', doc);
    const realAdd = db.updates.add.bind(db.updates);
    let fail = true;
    db.updates.add = ((row: never) => {
      if (fail) {
        const error = new Error('The quota has been exceeded.');
        error.name = 'QuotaExceededError';
        return Promise.reject(error);
      }
      return realAdd(row);
    }) as typeof db.updates.add;
    doc.getText('t').insert(0, 'wichtig');
    await expect(p.whenSaved()).rejects.toThrow(/quota/);
    expect(p.state).toMatchObject({ kind: 'failed', reason: 'quota' });
    fail = false;
    await p.retry();
    expect(p.state).toEqual({ kind: 'saved' });
    const loaded = new Y.Doc();
    await DocPersistence.open(db, 'k', loaded);
    expect(loaded.getText('t').toString()).toBe('wichtig');
  });
});
